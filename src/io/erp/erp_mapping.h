// ERP mapping files (TOML): which export column holds each cxhub field, how dates
// and amounts are written, and which blank cells clear a value.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace cx {

// The two kinds of ERP export.
enum class ErpKind { kCustomers, kOrders };

// "customers" / "orders".
const char* ErpKindName(ErpKind k);
// Errors: kInvalid naming the accepted kinds.
Result<ErpKind> ParseErpKind(std::string_view s);

// The cxhub fields of each kind, and which of them a mapping must name and a file must have.
const std::vector<std::string>& ErpFields(ErpKind k);
bool ErpFieldRequired(ErpKind k, const std::string& field);

// The mapping of one kind.
struct ErpKindMapping {
  std::map<std::string, std::string> columns;  // cxhub field → export column name
  std::string date_format;                     // empty = ParseTime's ISO and day-first forms
  std::set<std::string> clears;                // fields a blank cell clears
  bool decimal_comma = false;                  // orders: "1.234,50"
  std::string default_currency = "NGN";        // orders: when the Currency cell is blank
  bool present = true;                         // false: the mapping file has no table for it
};

struct ErpMapping {
  std::string source;  // the file it came from, or "default mapping"
  ErpKindMapping customers, orders;
  const ErpKindMapping& Of(ErpKind k) const {
    return k == ErpKind::kCustomers ? customers : orders;
  }
};

// Parses a mapping. A table or key that is not known, a field missing from
// `columns` that is required, a value of the wrong type, a bad date format or default
// currency, or a file with neither table is refused. A file may map one kind only: the
// other is then not `present`, and a sync of that kind refuses the mapping.
// Errors: kInvalid naming `source` and every problem.
Result<ErpMapping> ParseErpMapping(std::string_view toml_text, const std::string& source);
// The default mapping (config/erp_mapping.toml, embedded in the binary).
Result<ErpMapping> DefaultErpMapping();
// Reads and parses a mapping file. Errors: kInvalid (unreadable or bad).
Result<ErpMapping> LoadErpMapping(const std::string& path);

// Parses an ERP date or time as wall-clock time in `zone`, with `format` when not
// empty (%Y four digits, %y two (20yy), %m %d %H %M %S one or two, %% and literal
// characters; a date-only format means midnight).
// Errors: kInvalid naming the text and the expected form.
Result<Timestamp> ParseErpTime(std::string_view text, const std::string& format, const Zone& zone);

// Checks a mapping's date format: known directives only, and a year, month and day.
// Errors: kInvalid naming the format and the problem.
Status CheckErpDateFormat(const std::string& format);

// Parses an amount: optional sign, digits, optionally separated into groups of three by
// the thousands separator (',' or, with `decimal_comma`, '.') or a space, then optional
// decimals after a point (or comma when `decimal_comma`). Anything else, such as a
// separator between other groups, is refused, never guessed. Errors: kInvalid naming the
// text and the expected form.
Result<double> ParseErpAmount(std::string_view text, bool decimal_comma);

// A currency code: trimmed, upper-cased, three letters. Errors: kInvalid naming the text.
Result<std::string> ParseErpCurrency(std::string_view text);

}  // namespace cx
