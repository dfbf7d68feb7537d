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
  EXPECT_NE(all.find("[orders] table is missing"), std::string::npos) << all;
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
}

TEST(ErpMappingTest, Amounts) {
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1,234.50", false), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("1.234,50", true), 1234.5);
  EXPECT_DOUBLE_EQ(*ParseErpAmount("-7", false), -7);
  EXPECT_FALSE(ParseErpAmount("12abc", false).ok());
  EXPECT_FALSE(ParseErpAmount("", false).ok());
  EXPECT_FALSE(ParseErpAmount("inf", false).ok());
}

}  // namespace
}  // namespace cx
