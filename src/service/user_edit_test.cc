// Tests of changing a user: the check sees the stored user first, the last admin keeps the role,
// only an admin may, and every refusal writes nothing.
#include "service/user_edit.h"

#include <gtest/gtest.h>

#include "journey_test_util.h"

namespace cx {
namespace {

using journey_testing::Hub;

class UserEditTest : public testing::Test {
 protected:
  void SetUp() override {
    h.At("2026-11-16 09:00");
    h.AddUser("ada", "admin");
    h.AddUser("tunde", "sales", "Motors");
  }
  Hub h;
};

TEST_F(UserEditTest, AnAdminChangesRoleAndDivisionAuditedFieldByField) {
  const int64_t audit = h.AuditCount();
  UserChange c;
  c.role = "steward";
  c.division = "Medical";
  auto r = ChangeUser(h.As("ada"), "tunde", c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->role, "steward");
  EXPECT_EQ(r->division, "Medical");
  EXPECT_EQ(h.AuditCount(), audit + 2);  // role and division
}

TEST_F(UserEditTest, TheCheckSeesTheStoredUserAndARefusalWritesNothing) {
  const int64_t audit = h.AuditCount();
  UserChange c;
  c.role = "manager";
  std::string seen;
  auto r = ChangeUser(h.As("ada"), "tunde", c, [&](const User& stored) {
    seen = stored.role;
    return Conflict("stale");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "stale");
  EXPECT_EQ(seen, "sales");
  EXPECT_EQ(h.AuditCount(), audit);
  auto again = ChangeUser(h.As("ada"), "tunde", UserChange{});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->role, "sales");
}

TEST_F(UserEditTest, TheOnlyAdminKeepsTheAdminRole) {
  UserChange c;
  c.role = "manager";
  auto r = ChangeUser(h.As("ada"), "ada", c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_NE(r.status().message().find("only admin"), std::string::npos);
  h.AddUser("bola", "admin");
  EXPECT_TRUE(ChangeUser(h.As("ada"), "ada", c).ok());  // bola is an admin now
}

TEST_F(UserEditTest, RefusedForOthersUnknownRolesAndUnknownUsers) {
  const int64_t audit = h.AuditCount();
  UserChange c;
  c.role = "admin";
  EXPECT_EQ(ChangeUser(h.As("tunde"), "tunde", c).status().code(), Code::kForbidden);
  c.role = "wizard";
  EXPECT_EQ(ChangeUser(h.As("ada"), "tunde", c).status().code(), Code::kInvalid);
  c.role = "sales";
  EXPECT_EQ(ChangeUser(h.As("ada"), "nobody", c).status().code(), Code::kNotFound);
  EXPECT_EQ(h.AuditCount(), audit);
}

}  // namespace
}  // namespace cx
