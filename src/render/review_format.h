// How the weekly review pack writes its figures for people (docs/kpi.md): amounts in naira with
// thousands separators, rates as percentages, hours with one decimal. Shared by the HTML and .xlsx
// renderers so both read the same.
#pragma once

#include <cstdint>
#include <string>

#include "service/kpi_service.h"

namespace cx {

// "1,474" (negative: "-1,474").
std::string FormatGrouped(int64_t n);

// An amount in naira, rounded to the whole naira: "₦15,405,700" (negative: "-₦1,200").
std::string FormatNaira(double amount);

// True for the KPIs whose numerator and denominator are amounts of money (the mean order amounts
// of avg_order_volume_yoy and avg_spend_yoy).
bool KpiCountsMoney(const KpiValue& v);

// One of a KPI's numerator or denominator for people: naira for money, "3.4 h" for a sum of
// hours, "12.5 d" for a sum of days, else a count ("1,234") or one decimal when fractional.
std::string FormatKpiPart(const KpiValue& v, double x, bool numerator);

// "₦15,405,700 / ₦18,872,200", "3.4 h / 2", "5 / 8".
std::string FormatKpiNumDen(const KpiValue& v);

// The .xlsx number format of a KPI value of `unit` ("0.0%" for a rate, "0.0" for hours …) and of
// an amount ("₦"#,##0).
const char* XlsxKpiFormat(const std::string& unit);
extern const char* const kXlsxNairaFormat;

}  // namespace cx
