// Tests for the role × operation table: who may do what, and how far.
#include "domain/rules.h"

#include <gtest/gtest.h>

#include "domain/division.h"

namespace cx {
namespace {

User As(const char* role, const char* division = "") {
  return User{std::string(role) + ".user", "", role, division, "", false, 0};
}

TEST(RulesTest, TheTableHasEveryOperationOnce) {
  auto rules = OperationRules();
  for (size_t i = 0; i < rules.size(); ++i) EXPECT_EQ(size_t(rules[i].op), i);
}

TEST(RulesTest, TheErpRoleOnlySyncs) {
  for (const auto& r : OperationRules()) {
    Status st = Authorize(As("erp"), r.op);
    EXPECT_EQ(st.ok(), r.op == Operation::kErpSync || r.op == Operation::kSignIn) << r.what;
    if (!st.ok()) {
      EXPECT_EQ(st.code(), Code::kForbidden);
      EXPECT_NE(st.message().find("erp"), std::string::npos) << st.message();
    }
  }
}

TEST(RulesTest, OnlyAManagerOverridesAnOwnerAndTheConsoleOnlyOnImport) {
  for (std::string_view role : Roles()) {
    User u = As(std::string(role).c_str());
    EXPECT_EQ(Authorize(u, Operation::kOverrideOwner).ok(), role == "manager") << role;
    EXPECT_EQ(Authorize(u, Operation::kImportOwner).ok(), role == "manager") << role;
  }
  EXPECT_FALSE(Authorize(std::nullopt, Operation::kOverrideOwner).ok());
  EXPECT_TRUE(Authorize(std::nullopt, Operation::kImportOwner).ok());
  EXPECT_TRUE(Authorize(std::nullopt, Operation::kEditRecords).ok());
}

TEST(RulesTest, AStewardMergesWithinTheirDivisions) {
  const std::vector<std::string> motors = {"Motors", "Motors; Medical"};
  const std::vector<std::string> mixed = {"Motors", "Medical"};
  const std::vector<std::string> none = {"Motors", ""};
  EXPECT_TRUE(Authorize(As("steward", "Motors"), Operation::kMerge, motors).ok());
  Status st = Authorize(As("steward", "Motors"), Operation::kMerge, mixed);
  EXPECT_EQ(st.code(), Code::kForbidden);
  EXPECT_NE(st.message().find("Medical"), std::string::npos) << st.message();
  EXPECT_FALSE(Authorize(As("steward", "Motors"), Operation::kMerge, none).ok());
  // A steward without a division is company-wide; managers and admins reach everything.
  EXPECT_TRUE(Authorize(As("steward"), Operation::kMerge, mixed).ok());
  EXPECT_TRUE(Authorize(As("manager", "Motors"), Operation::kMerge, mixed).ok());
  EXPECT_FALSE(Authorize(As("sales", "Motors"), Operation::kMerge, motors).ok());
}

}  // namespace
}  // namespace cx
