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
        out->default_currency = *s;
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
  if (!seen_customers) problems.AddDetail("the [customers] table is missing");
  if (!seen_orders) problems.AddDetail("the [orders] table is missing");
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
    if (format[f] == '%' && f + 1 < format.size()) {
      char spec = format[++f];
      int maxlen = spec == 'Y' ? 4 : 2;
      int v = 0, len = 0;
      while (i < text.size() && len < maxlen && text[i] >= '0' && text[i] <= '9') {
        v = v * 10 + (text[i++] - '0');
        ++len;
      }
      if (len == 0) return fail();
      switch (spec) {
        case 'Y':
          y = v;
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
  char dec = decimal_comma ? ',' : '.';
  char thousands = decimal_comma ? '.' : ',';
  std::string clean;
  for (char c : text) {
    if (c == thousands || c == ' ') continue;
    clean += c == dec ? '.' : c;
  }
  if (clean.empty()) return Invalid("amount is blank");
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size() || errno != 0 || !std::isfinite(v) ||
      clean.find_first_not_of("+-0123456789.") != std::string::npos) {
    return Invalid("'" + text + "' is not an amount");
  }
  return v;
}

}  // namespace cx
