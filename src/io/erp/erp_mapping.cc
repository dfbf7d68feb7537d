// ERP mapping files: parsing the TOML, the default mapping, ERP dates and amounts.
#include "io/erp/erp_mapping.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/embedded.h"
#include "base/text.h"

namespace cx {
namespace {

const std::vector<std::string> kCustomerFields = {
    "erp_customer_id", "name",    "industry", "division", "phone",
    "email",           "address", "city",     "status",   "last_modified"};
const std::vector<std::string> kOrderFields = {
    "order_id", "erp_customer_id", "order_date", "division", "amount", "currency", "last_modified"};

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

Status ParseKind(const toml::table& t, ErpKind kind, const std::string& source, ErpKindMapping* out,
                 Status* problems) {
  const std::string k = ErpKindName(kind);
  auto bad = [&](const std::string& m) { problems->AddDetail("[" + k + "] " + m); };
  for (const auto& [key, node] : t) {
    std::string name(key.str());
    if (name == "columns") {
      const toml::table* cols = node.as_table();
      if (!cols) {
        bad("columns must be a table");
        continue;
      }
      for (const auto& [ck, cv] : *cols) {
        std::string field(ck.str());
        bool known = false;
        for (const auto& f : ErpFields(kind)) known |= f == field;
        if (!known) {
          bad("columns." + field + " is not a cxhub field (known: " + Join(ErpFields(kind)) + ")");
        } else if (auto s = cv.value<std::string>(); s && !Trim(*s).empty()) {
          out->columns[field] = Trim(*s);
        } else {
          bad("columns." + field + " must be a non-empty column name");
        }
      }
    } else if (name == "date_format") {
      if (auto s = node.value<std::string>()) {
        out->date_format = *s;
        if (Status st = CheckErpDateFormat(*s); !st.ok()) bad(st.message());
      } else {
        bad("date_format must be text");
      }
    } else if (name == "clears") {
      const toml::array* arr = node.as_array();
      if (!arr) {
        bad("clears must be a list of cxhub field names");
        continue;
      }
      for (const auto& v : *arr) {
        auto s = v.value<std::string>();
        bool known = false;
        for (const auto& f : ErpFields(kind)) known |= s && f == *s;
        if (!known || ErpFieldRequired(kind, *s)) {
          bad("clears: '" + (s ? *s : std::string("?")) + "' is not an optional cxhub field");
        } else {
          out->clears.insert(*s);
        }
      }
    } else if (name == "decimal_comma" && kind == ErpKind::kOrders) {
      if (auto b = node.value<bool>()) {
        out->decimal_comma = *b;
      } else {
        bad("decimal_comma must be true or false");
      }
    } else if (name == "default_currency" && kind == ErpKind::kOrders) {
      if (auto s = node.value<std::string>()) {
        if (auto c = ParseErpCurrency(*s); c.ok()) {
          out->default_currency = *c;
        } else {
          bad("default_currency: " + c.status().message());
        }
      } else {
        bad("default_currency must be text");
      }
    } else {
      bad("unknown key '" + name + "'");
    }
  }
  for (const auto& f : ErpFields(kind)) {
    if (ErpFieldRequired(kind, f) && !out->columns.count(f)) {
      bad("columns." + f + " is missing: the " + k + " export needs a column for it");
    }
  }
  (void)source;
  return Status::Ok();
}

}  // namespace

const char* ErpKindName(ErpKind k) { return k == ErpKind::kCustomers ? "customers" : "orders"; }

Result<ErpKind> ParseErpKind(std::string_view s) {
  if (s == "customers") return ErpKind::kCustomers;
  if (s == "orders") return ErpKind::kOrders;
  return Invalid("'" + std::string(s) + "' is not an ERP export kind (customers, orders)");
}

const std::vector<std::string>& ErpFields(ErpKind k) {
  return k == ErpKind::kCustomers ? kCustomerFields : kOrderFields;
}

bool ErpFieldRequired(ErpKind k, const std::string& f) {
  if (k == ErpKind::kCustomers)
    return f == "erp_customer_id" || f == "name" || f == "last_modified";
  return f == "order_id" || f == "erp_customer_id" || f == "order_date" || f == "division" ||
         f == "amount" || f == "last_modified";
}

Result<ErpMapping> ParseErpMapping(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source << ": line " << e.source().begin.line << ": " << e.description();
    return Invalid(msg.str());
  }
  ErpMapping m;
  m.source = source;
  m.customers.columns.clear();
  m.orders.columns.clear();
  Status problems = Invalid(source + ": the ERP mapping is not valid");
  bool seen_customers = false, seen_orders = false;
  for (const auto& [key, node] : root) {
    std::string name(key.str());
    const toml::table* t = node.as_table();
    if ((name == "customers" || name == "orders") && t) {
      ErpKind kind = name == "customers" ? ErpKind::kCustomers : ErpKind::kOrders;
      (name == "customers" ? seen_customers : seen_orders) = true;
      CX_RETURN_IF_ERROR(ParseKind(
          *t, kind, source, kind == ErpKind::kCustomers ? &m.customers : &m.orders, &problems));
    } else {
      problems.AddDetail("unknown table or key '" + name + "' (expected [customers] and [orders])");
    }
  }
  if (!seen_customers && !seen_orders) {
    problems.AddDetail("neither a [customers] nor an [orders] table");
  }
  m.customers.present = seen_customers;
  m.orders.present = seen_orders;
  if (!problems.details().empty()) return problems;
  return m;
}

Result<ErpMapping> DefaultErpMapping() {
  auto text = FindEmbedded("config/erp_mapping.toml");
  if (!text) return Internal("the default ERP mapping is not embedded in this binary");
  return ParseErpMapping(*text, "default mapping");
}

Result<ErpMapping> LoadErpMapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Invalid(path + ": cannot open the mapping file: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseErpMapping(ss.str(), path);
}

Result<Timestamp> ParseErpTime(std::string_view raw, const std::string& format, const Zone& zone) {
  std::string text = Trim(raw);
  if (format.empty()) return ParseTime(text, zone);
  int y = -1, mo = -1, d = -1, h = 0, mi = 0, s = 0;
  size_t i = 0;
  auto fail = [&] {
    return Invalid("'" + text + "' does not match the date format '" + format + "'");
  };
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] == '%' && f + 1 < format.size() && format[f + 1] != '%') {
      char spec = format[++f];
      // A year is all its digits (a two-digit year only with %y); the others take one or two.
      const int minlen = spec == 'Y' ? 4 : spec == 'y' ? 2 : 1;
      const int maxlen = spec == 'Y' ? 4 : 2;
      int v = 0, len = 0;
      while (i < text.size() && len < maxlen && text[i] >= '0' && text[i] <= '9') {
        v = v * 10 + (text[i++] - '0');
        ++len;
      }
      if (len < minlen) return fail();
      switch (spec) {
        case 'Y':
          y = v;
          break;
        case 'y':
          y = 2000 + v;
          break;
        case 'm':
          mo = v;
          break;
        case 'd':
          d = v;
          break;
        case 'H':
          h = v;
          break;
        case 'M':
          mi = v;
          break;
        case 'S':
          s = v;
          break;
        default:
          return Invalid("date format '" + format + "': unknown directive %" +
                         std::string(1, spec));
      }
    } else {
      if (format[f] == '%' && f + 1 < format.size()) ++f;  // "%%" is a literal '%'
      if (i >= text.size() || text[i] != format[f]) return fail();
      ++i;
    }
  }
  if (i != text.size() || y < 0 || mo < 0 || d < 0) return fail();
  Date date{y, mo, d};
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 ||
      CivilFromDays(DaysFromCivil(date)) != date) {
    return Invalid("'" + text + "' is not a valid date or time");
  }
  return zone.ToUtc(date, h * 3600 + mi * 60 + s);
}

Result<double> ParseErpAmount(std::string_view raw, bool decimal_comma) {
  std::string text = Trim(raw);
  // A no-break space (U+00A0) or narrow one (U+202F) between groups, as spreadsheets write.
  for (const char* nbsp : {"\xC2\xA0", "\xE2\x80\xAF"}) {
    for (size_t at; (at = text.find(nbsp)) != std::string::npos;)
      text.replace(at, std::strlen(nbsp), " ");
  }
  if (text.empty()) return Invalid("amount is blank");
  const char dec = decimal_comma ? ',' : '.';
  const char thousands = decimal_comma ? '.' : ',';
  auto bad = [&] {
    return Invalid("'" + text + "' is not an amount (expected digits, '" + std::string(1, dec) +
                   "' before the decimals and '" + std::string(1, thousands) +
                   "' or a space between groups of three digits" +
                   (decimal_comma ? "" : "; for 1.234,50 set decimal_comma in the mapping") + ")");
  };
  // [sign] integer part (groups of three after the first, when separated) [dec digits]. A
  // separator anywhere else ("12,34", "1,2,3", "1.234,50" without decimal_comma) is refused
  // rather than dropped: dropping it would store an amount ten to a thousand times off.
  std::string clean;
  size_t i = 0;
  if (text[0] == '-' || text[0] == '+') clean += text[i++];
  int group = 0, groups = 0;
  bool separated = false, digits = false;
  for (; i < text.size() && text[i] != dec; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      clean += c;
      ++group;
      digits = true;
    } else if (c == thousands || c == ' ') {
      if (group == 0 || (groups == 0 ? group > 3 : group != 3)) return bad();
      separated = true;
      ++groups;
      group = 0;
    } else {
      return bad();
    }
  }
  if (separated && group != 3) return bad();
  // "0,123" or "01,234" are no groups of thousands: most likely decimals written another way.
  if (separated && clean[clean[0] == '-' || clean[0] == '+' ? 1 : 0] == '0') return bad();
  if (i < text.size()) {  // the decimals
    clean += '.';
    if (++i == text.size()) return bad();
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return bad();
      clean += text[i];
    }
    digits = true;
  }
  if (!digits) return bad();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size() || errno != 0 || !std::isfinite(v)) return bad();
  return v;
}

Result<std::string> ParseErpCurrency(std::string_view raw) {
  std::string code = Trim(raw);
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  if (code.size() != 3 || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    return Invalid("'" + Trim(raw) + "' is not a three-letter currency code (NGN, USD, EUR…)");
  return code;
}

Status CheckErpDateFormat(const std::string& format) {
  bool year = false, month = false, day = false;
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%') continue;
    if (f + 1 == format.size()) return Invalid("date_format '" + format + "' ends with a lone %");
    const char spec = format[++f];
    if (std::string_view("YymdHMS%").find(spec) == std::string_view::npos) {
      return Invalid("date_format '" + format + "': unknown directive %" + std::string(1, spec) +
                     " (known: %Y %y %m %d %H %M %S %%)");
    }
    year |= spec == 'Y' || spec == 'y';
    month |= spec == 'm';
    day |= spec == 'd';
  }
  if (!format.empty() && !(year && month && day)) {
    return Invalid("date_format '" + format +
                   "' needs a year (%Y or %y), a month (%m) and a day (%d)");
  }
  return Status::Ok();
}

}  // namespace cx
