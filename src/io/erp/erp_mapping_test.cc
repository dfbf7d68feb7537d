// Tests of ERP mapping files, ERP dates and amounts.
#include "io/erp/erp_mapping.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

TEST(ErpMappingTest, DefaultMappingHasTheContractColumns) {
  auto m = DefaultErpMapping();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->customers.columns.at("erp_customer_id"), "ERP Customer ID");
  EXPECT_EQ(m->customers.columns.at("name"), "Customer Name");
  EXPECT_EQ(m->customers.columns.at("last_modified"), "Last Modified");
  EXPECT_EQ(m->customers.columns.size(), 10u);
  EXPECT_EQ(m->orders.columns.at("order_date"), "Order Date");
  EXPECT_EQ(m->orders.columns.size(), 7u);
}

TEST(ErpMappingTest, CustomMappingWithDateFormatAndClears) {
  auto m = ParseErpMapping(R"(
[customers]
date_format = "%m/%d/%Y %H:%M"
clears = ["address"]
[customers.columns]
erp_customer_id = "CUSTNO"
name = "NAME1"
last_modified = "CHANGED"
address = "STREET"
[orders]
decimal_comma = true
[orders.columns]
order_id = "VBELN"
erp_customer_id = "KUNNR"
order_date = "ERDAT"
division = "SPART"
amount = "NETWR"
last_modified = "AEDAT"
)",
                           "sap.toml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->customers.columns.at("name"), "NAME1");
  EXPECT_TRUE(m->customers.clears.count("address"));
  EXPECT_TRUE(m->orders.decimal_comma);
}

TEST(ErpMappingTest, BadMappingNamesEveryProblem) {
  auto m = ParseErpMapping(R"(
[customers]
colour = "red"
[customers.columns]
name = "N"
bogus = "X"
)",
                           "bad.toml");
  ASSERT_FALSE(m.ok());
  std::string all = m.status().ToString();
  EXPECT_NE(all.find("bad.toml"), std::string::npos);
  EXPECT_NE(all.find("unknown key 'colour'"), std::string::npos) << all;
  EXPECT_NE(all.find("columns.bogus is not a cxhub field"), std::string::npos) << all;
  EXPECT_NE(all.find("columns.erp_customer_id is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("columns.last_modified is missing"), std::string::npos) << all;
  // A file may map one kind only; a file that maps neither is refused.
  EXPECT_EQ(all.find("[orders]"), std::string::npos) << all;
  auto none = ParseErpMapping("# nothing\n", "empty.toml");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().ToString().find("neither a [customers] nor an [orders] table"),
            std::string::npos)
      << none.status().ToString();
}

TEST(ErpMappingTest, AMappingOfOneKindLeavesTheOtherAbsent) {
  auto m = ParseErpMapping(R"(
[orders.columns]
order_id = "VBELN"
erp_customer_id = "KUNNR"
order_date = "ERDAT"
division = "SPART"
amount = "NETWR"
last_modified = "AEDAT"
)",
                           "orders.toml");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->orders.present);
  EXPECT_FALSE(m->customers.present);
}

TEST(ErpMappingTest, BadDateFormatsAndCurrenciesAreRefusedWhenTheMappingLoads) {
  auto m = ParseErpMapping(R"(
[customers]
date_format = "%d.%m.%q"
[customers.columns]
erp_customer_id = "ID"
name = "N"
last_modified = "LM"
[orders]
date_format = "%H:%M"
default_currency = "Naira"
[orders.columns]
order_id = "O"
erp_customer_id = "C"
order_date = "D"
division = "V"
amount = "A"
last_modified = "LM"
)",
                           "dates.toml");
  ASSERT_FALSE(m.ok());
  const std::string all = m.status().ToString();
  EXPECT_NE(all.find("[customers] date_format '%d.%m.%q': unknown directive %q"), std::string::npos)
      << all;
  EXPECT_NE(all.find("[orders] date_format '%H:%M' needs a year"), std::string::npos) << all;
  EXPECT_NE(all.find("default_currency: 'Naira' is not a three-letter currency code"),
            std::string::npos)
      << all;
  EXPECT_TRUE(CheckErpDateFormat("%d.%m.%y %H:%M:%S").ok());
  EXPECT_TRUE(CheckErpDateFormat("").ok());
}

TEST(ErpMappingTest, TomlSyntaxErrorNamesTheLine) {
  auto m = ParseErpMapping("[customers\n", "broken.toml");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("broken.toml: line 1"), std::string::npos)
      << m.status().message();
}

TEST(ErpMappingTest, ErpTimesAreWallClockInTheHubZone) {
  Zone z = Zone::Default();  // Africa/Lagos, UTC+1
  auto iso = ParseErpTime("2026-04-03 14:05", "", z);
  ASSERT_TRUE(iso.ok());
  EXPECT_EQ(*iso, 1775225100 - 3600);  // 2026-04-03T13:05:00Z
  auto dayfirst = ParseErpTime("03/04/2026 14:05", "", z);
  ASSERT_TRUE(dayfirst.ok());
  EXPECT_EQ(*dayfirst, *iso);
  auto us = ParseErpTime("04/03/2026 14:05", "%m/%d/%Y %H:%M", z);
  ASSERT_TRUE(us.ok()) << us.status().ToString();
  EXPECT_EQ(*us, *iso);
  EXPECT_FALSE(ParseErpTime("2026-13-45", "", z).ok());
  EXPECT_FALSE(ParseErpTime("02/30/2026 10:00", "%m/%d/%Y %H:%M", z).ok());
  EXPECT_FALSE(ParseErpTime("04/03/2026", "%m/%d/%Y %H:%M", z).ok());
  // %Y is four digits: a two-digit year is not silently the year 26. %y reads 20yy.
  EXPECT_FALSE(ParseErpTime("05/02/26", "%d/%m/%Y", z).ok());
  auto two = ParseErpTime("03.04.26 14:05", "%d.%m.%y %H:%M", z);
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(*two, *iso);
  EXPECT_FALSE(ParseErpTime("03.04.2026 14:05", "%d.%m.%y %H:%M", z).ok());
  auto pct = ParseErpTime("2026-04-03 14:05 %", "%Y-%m-%d %H:%M %%", z);
  ASSERT_TRUE(pct.ok()) << pct.status().ToString();
  EXPECT_EQ(*pct, *iso);
}

TEST(ErpMappingTest, Amounts) {
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1,234.50", false), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1.234,50", true), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("-7", false), -7);
  EXPECT_FALSE(ParseErpAmount("12abc", false).ok());
  EXPECT_FALSE(ParseErpAmount("", false).ok());
  EXPECT_FALSE(ParseErpAmount("inf", false).ok());
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1 234 567.5", false), 1234567.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("+12,345,678", false), 12345678);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1234.5", false), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("0,5", true), 0.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount(".5", false), 0.5);
  // A separator that is not between groups of three is refused, never dropped: dropping it
  // stores an amount ten to a thousand times off.
  for (const char* bad : {"1.234,50", "12,34", "1,2,3", "1,00,000", "1,234.5.6", "5.", "-", "1,",
                          ",5", "1 ,234", "0,123", "01,234", "-0,750"}) {
    auto a = ParseErpAmount(bad, false);
    EXPECT_FALSE(a.ok()) << bad << " read as " << (a.ok() ? *a : 0);
  }
  auto eu = ParseErpAmount("1.234,50", false);
  EXPECT_NE(eu.status().message().find("set decimal_comma in the mapping"), std::string::npos)
      << eu.status().message();
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1\xC2\xA0"
                                   "234.50",
                                   false),
                   1234.5);  // a no-break space
  for (const char* bad : {"1,234.50", "1234.5", "12.34", "0.123", "-0.750"}) {
    EXPECT_FALSE(ParseErpAmount(bad, true).ok()) << bad;
  }
}

TEST(ErpMappingTest, Currencies) {
  EXPECT_EQ(*ParseErpCurrency(" ngn "), "NGN");
  EXPECT_EQ(*ParseErpCurrency("USD"), "USD");
  for (const char* bad : {"N", "Naira", "US$", "₦", "12A", ""}) {
    auto c = ParseErpCurrency(bad);
    EXPECT_FALSE(c.ok()) << bad;
  }
}

}  // namespace
}  // namespace cx
