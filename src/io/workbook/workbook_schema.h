// The workbook contract of docs/workbook.md: sheet names and their columns, in order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace cx::workbook {

inline constexpr std::string_view kAccounts = "Accounts";
inline constexpr std::string_view kContacts = "Contacts";
inline constexpr std::string_view kInteractions = "Interactions";
inline constexpr std::string_view kOpportunities = "Opportunities";
inline constexpr std::string_view kStageHistory = "Stage History";
inline constexpr std::string_view kCases = "Cases";
inline constexpr std::string_view kOrders = "Orders";
inline constexpr std::string_view kFeedback = "Feedback";
inline constexpr std::string_view kTouchpoints = "Touchpoints";

// Every sheet in export order.
const std::vector<std::string>& SheetOrder();
// The known columns of a sheet in export order (the seed's columns first). Empty for an unknown
// sheet.
const std::vector<std::string>& ColumnsOf(std::string_view sheet);
// Whether a sheet keeps unknown columns as custom fields (Orders, Feedback, Touchpoints and Stage
// History do not).
bool HasCustomFields(std::string_view sheet);

// A header or sheet name compared ignoring case and stray spaces: trimmed, inner runs
// of spaces collapsed to one, ASCII lower-cased.
std::string NormalizeHeader(std::string_view text);

// Instant → Excel serial (1900 system) of its wall-clock time in `zone`.
double ToSerial(Timestamp t, const Zone& zone);

}  // namespace cx::workbook
