// Figures of the weekly review pack for people: naira, thousands separators, one-decimal hours.
#include "render/review_format.h"

#include <cmath>
#include <cstdio>

namespace cx {

std::string FormatGrouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatNaira(double amount) {
  double r = std::llround(amount);
  std::string s = "₦" + FormatGrouped(int64_t(std::fabs(r)));
  return r < 0 ? "-" + s : s;
}

bool KpiCountsMoney(const KpiValue& v) {
  return v.key == "avg_order_volume_yoy" || v.key == "avg_spend_yoy";
}

std::string FormatKpiPart(const KpiValue& v, double x, bool numerator) {
  if (KpiCountsMoney(v)) return FormatNaira(x);
  char buf[64];
  if (numerator && (v.unit == "hours" || v.unit == "days")) {
    std::snprintf(buf, sizeof buf, "%.1f %s", x, v.unit == "hours" ? "h" : "d");
    return buf;
  }
  if (std::fabs(x - std::round(x)) < 1e-9 && std::fabs(x) < 9e15)
    return FormatGrouped(int64_t(std::llround(x)));
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string FormatKpiNumDen(const KpiValue& v) {
  return FormatKpiPart(v, v.numerator, true) + " / " + FormatKpiPart(v, v.denominator, false);
}

const char* XlsxKpiFormat(const std::string& unit) {
  if (unit == "ratio") return "0.0%";
  if (unit == "points") return "+0.0;-0.0;0.0";
  if (unit == "hours") return "0.0\" h\"";
  if (unit == "days") return "0.0\" d\"";
  return "0.00";
}

const char* const kXlsxNairaFormat = "\"₦\"#,##0;-\"₦\"#,##0";

}  // namespace cx
