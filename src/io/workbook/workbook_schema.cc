// Sheet and column names of the workbook contract, and header normalisation.
#include "io/workbook/workbook_schema.h"

#include <cctype>
#include <map>

#include "base/text.h"

namespace cx::workbook {

const std::vector<std::string>& SheetOrder() {
  static const std::vector<std::string> kOrder = {
      std::string(kAccounts),      std::string(kContacts),     std::string(kInteractions),
      std::string(kOpportunities), std::string(kStageHistory), std::string(kCases),
      std::string(kOrders),        std::string(kFeedback),     std::string(kTouchpoints)};
  return kOrder;
}

const std::vector<std::string>& ColumnsOf(std::string_view sheet) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kColumns = {
      {std::string(kAccounts),
       {"Account ID", "Company Name", "Industry", "ERP Customer ID", "Account Owner", "Divisions",
        "Type", "Address", "City", "Phone", "Email", "Status"}},
      {std::string(kContacts),
       {"Contact ID", "Full Name", "Job Title", "Associated Account ID", "Email", "Phone",
        "Newsletter"}},
      {std::string(kInteractions),
       {"Interaction ID", "Date", "Contact ID", "Channel", "Notes", "Next Action", "Logged By",
        "Next Action Due", "Next Action Owner", "Next Action Done", "Division", "Type",
        "Opportunity ID", "Case ID", "Checklist"}},
      {std::string(kOpportunities),
       {"Opportunity ID", "Account ID", "Division", "Owner", "Stage", "Amount", "Created", "Closed",
        "Outcome", "Lost Reason", "Source Touchpoint", "Title"}},
      {std::string(kStageHistory), {"Opportunity ID", "Stage", "Entered", "By"}},
      {std::string(kCases),
       {"Case ID", "Account ID", "Contact ID", "Division", "Kind", "Opened", "First Response",
        "Resolution Confirmed", "Closed", "Owner", "Summary", "Quote Approved", "Work Started"}},
      {std::string(kOrders),
       {"Order ID", "ERP Customer ID", "Order Date", "Division", "Amount", "Currency"}},
      {std::string(kFeedback),
       {"Feedback ID", "Date", "Account ID", "Contact ID", "Division", "Kind", "Score", "Stage",
        "Platform", "Comment", "Touchpoint ID", "Source"}},
      {std::string(kTouchpoints),
       {"Touchpoint ID", "Name", "Division", "Stage", "Channel", "Owner", "Yearly Budget"}},
  };
  static const std::vector<std::string> kNone;
  auto it = kColumns.find(sheet);
  return it == kColumns.end() ? kNone : it->second;
}

bool HasCustomFields(std::string_view sheet) {
  return sheet == kAccounts || sheet == kContacts || sheet == kInteractions ||
         sheet == kOpportunities || sheet == kCases;
}

std::string NormalizeHeader(std::string_view text) {
  std::string t = Trim(text);
  std::string out;
  bool space = false;
  for (char c : t) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += char(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

double ToSerial(Timestamp t, const Zone& zone) {
  Date d;
  int secs = 0;
  zone.ToLocal(t, &d, &secs);
  return double(DaysFromCivil(d) + 25569) + double(secs) / 86400.0;
}

}  // namespace cx::workbook
