// Tests for the API's access table, the route table's use of it, and the Status → HTTP mapping.
#include "api/access_rules.h"

#include <gtest/gtest.h>

#include "api/api_error.h"
#include "api/route.h"

namespace cx::api {
namespace {

User Person(const std::string& role, const std::string& division = "") {
  User u;
  u.login = role + ".user";
  u.role = role;
  u.division = division;
  return u;
}

TEST(AccessRulesTest, EveryRouteNamesAnOperationOfTheTable) {
  int protected_routes = 0;
  for (const auto& r : Routes()) {
    if (r.operation.empty()) continue;
    ++protected_routes;
    EXPECT_NE(FindAccessRule(r.operation), nullptr) << r.method << " " << r.pattern;
  }
  EXPECT_GE(protected_routes, 7);
}

TEST(AccessRulesTest, RolesAgainstOperations) {
  EXPECT_TRUE(RoleMay(Person("sales"), "account.create"));
  EXPECT_FALSE(RoleMay(Person("sales"), "account.edit"));
  EXPECT_TRUE(RoleMay(Person("service"), "interaction.create"));
  EXPECT_FALSE(RoleMay(Person("service"), "contact.create"));
  EXPECT_FALSE(RoleMay(Person("manager"), "account.create"));
  EXPECT_TRUE(RoleMay(Person("manager"), "account.read"));
  for (const auto& rule : AccessRules()) {
    EXPECT_EQ(RoleMay(Person("erp"), rule.operation), rule.operation == "session")
        << rule.operation;
  }
  EXPECT_FALSE(RoleMay(Person("admin"), "no.such.operation"));
}

TEST(AccessRulesTest, StewardDivisionScope) {
  EXPECT_TRUE(MayTouch(Person("steward", "Motors"), "account.edit", "Motors"));
  EXPECT_TRUE(MayTouch(Person("steward", "Motors"), "account.edit", "Medical; Motors"));
  EXPECT_FALSE(MayTouch(Person("steward", "Medical"), "account.edit", "Motors"));
  EXPECT_FALSE(MayTouch(Person("steward", "Medical"), "account.edit", ""));
  EXPECT_TRUE(MayTouch(Person("steward"), "account.edit", "Motors"));  // company-wide
  EXPECT_TRUE(MayTouch(Person("manager"), "account.edit", "Motors"));
  EXPECT_FALSE(MayTouch(Person("sales", "Motors"), "account.edit", "Motors"));
}

TEST(ApiErrorTest, StatusCodesMapInOnePlace) {
  EXPECT_EQ(FromStatus(NotFound("account A-1 does not exist")).status, 404);
  EXPECT_EQ(FromStatus(Conflict("stale")).status, 409);
  EXPECT_EQ(FromStatus(Forbidden("no")).status, 403);
  EXPECT_EQ(FromStatus(Internal("disk")).status, 500);
  Status st = Invalid("the new interaction is not valid");
  st.AddDetail("channel: 'pigeon' is not one of phone, email");
  st.AddDetail("next action: a due date needs a next action");
  HttpResponse r = FromStatus(st);
  EXPECT_EQ(r.status, 400);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "invalid");
  EXPECT_EQ(j["error"]["fields"]["channel"], "'pigeon' is not one of phone, email");
  EXPECT_EQ(j["error"]["fields"]["next_action"], "a due date needs a next action");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("pigeon"), std::string::npos);
}

}  // namespace
}  // namespace cx::api
