// Tests for search-first creation of accounts and contacts, validation, edits and the audit log.
#include "service/account_service.h"

#include "hub_fixture.h"
#include "service/interaction_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

class AccountServiceTest : public testing::HubTest {
 protected:
  Account Acc(const std::string& name, const std::string& phone = "",
              const std::string& email = "") {
    Account a;
    a.name = name;
    a.phone = phone;
    a.email = email;
    a.divisions = "Motors";
    return a;
  }
};

TEST_F(AccountServiceTest, CreatesWithNextIdAndAudits) {
  auto a = AddAccount(ctx_, Acc("Okafor & Sons Nig. Ltd", "+234 803 123 4567"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->id, "A-000001");
  InTx([&](Tx& tx) {
    auto entries = tx.ListAudit(AuditFilter{"account", "A-000001", "", "", 10, true});
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].action, "create");
    EXPECT_EQ((*entries)[0].actor, "cli");
    EXPECT_NE((*entries)[0].after.find("Okafor & Sons"), std::string::npos);
  });
}

TEST_F(AccountServiceTest, InvalidAccountNamesEveryFieldAndWritesNothing) {
  Account a = Acc("   ", "12", "not-an-email");
  a.type = "alien";
  a.divisions = "Motors; Shipping";
  auto r = AddAccount(ctx_, a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  std::string all = r.status().ToString();
  for (const char* field : {"name", "type", "Shipping", "phone", "email"}) {
    EXPECT_NE(all.find(field), std::string::npos) << field << " missing in: " << all;
  }
  EXPECT_EQ(AuditCount(), 0);
  InTx([&](Tx& tx) { EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 0); });
}

TEST_F(AccountServiceTest, SearchFirstRefusesProbableDuplicatesAndWritesNothing) {
  ASSERT_TRUE(
      AddAccount(ctx_, Acc("Okafor & Sons Nig. Ltd", "+234 803 123 4567", "info@okafor.ng")).ok());
  int64_t audit_before = AuditCount();
  struct Case {
    Account a;
    const char* why;
  };
  std::vector<Case> cases = {
      {Acc("OKAFOR AND SONS LIMITED"), "same normalised name"},
      {Acc("Sons & Okafor"), "same normalised name"},    // word order
      {Acc("Okafr & Sons Ltd"), "similar name"},         // a typo
      {Acc("Ókafor   & Sóns"), "same normalised name"},  // accents and spacing
      {Acc("Another Name Entirely", "08031234567"), "same phone"},
      {Acc("Yet Another Co", "", "INFO@okafor.ng"), "same email"},
  };
  for (const auto& c : cases) {
    auto r = AddAccount(ctx_, c.a);
    ASSERT_FALSE(r.ok()) << c.a.name;
    EXPECT_EQ(r.status().code(), Code::kConflict);
    ASSERT_EQ(r.status().details().size(), 1u) << r.status().ToString();
    EXPECT_NE(r.status().details()[0].find("A-000001"), std::string::npos);
    EXPECT_NE(r.status().details()[0].find(c.why), std::string::npos) << r.status().ToString();
  }
  EXPECT_EQ(AuditCount(), audit_before);
  InTx([&](Tx& tx) { EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 1); });
  // A different company is fine.
  EXPECT_TRUE(AddAccount(ctx_, Acc("Dangote Cement")).ok());
}

TEST_F(AccountServiceTest, ForcingNeedsAReasonAndIsAudited) {
  ASSERT_TRUE(AddAccount(ctx_, Acc("Zenith Motors")).ok());
  auto no_reason = AddAccount(ctx_, Acc("Zenith Motors Ltd"), CreateOptions{true, ""});
  EXPECT_EQ(no_reason.status().code(), Code::kInvalid);
  auto forced = AddAccount(ctx_, Acc("Zenith Motors Ltd"),
                           CreateOptions{true, "different branch, separate ERP account"});
  ASSERT_TRUE(forced.ok());
  InTx([&](Tx& tx) {
    auto entries = tx.ListAudit(AuditFilter{"account", forced->id, "", "force-create", 10, true});
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].reason, "different branch, separate ERP account");
    EXPECT_NE((*entries)[0].after.find("A-000001"), std::string::npos);
  });
}

TEST_F(AccountServiceTest, KeepsGivenIdsWithLeadingZerosAndRefusesTakenOnes) {
  Account a = Acc("Acme");
  a.id = "00042";
  auto r = AddAccount(ctx_, a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, "00042");
  Account b = Acc("Totally Different");
  b.id = "00042";
  EXPECT_EQ(AddAccount(ctx_, b).status().code(), Code::kConflict);
}

TEST_F(AccountServiceTest, ContactsNeedAnExistingAccountAndAreSearchedFirst) {
  ASSERT_TRUE(AddAccount(ctx_, Acc("Balogun Foods")).ok());
  Contact c;
  c.full_name = "Ada Obi";
  c.account_id = "A-999999";
  auto bad = AddContact(ctx_, c);
  EXPECT_EQ(bad.status().code(), Code::kInvalid);
  EXPECT_NE(bad.status().message().find("A-999999"), std::string::npos);
  c.account_id = "A-000001";
  c.email = "ada@balogun.ng";
  ASSERT_TRUE(AddContact(ctx_, c).ok());
  int64_t audit_before = AuditCount();
  Contact same = c;
  same.full_name = "OBI, Ada";  // same person, same account
  same.email.clear();
  auto dup = AddContact(ctx_, same);
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  Contact same_email;
  same_email.full_name = "Adaeze Obi-Nwosu";
  same_email.email = "ADA@balogun.ng";
  EXPECT_EQ(AddContact(ctx_, same_email).status().code(), Code::kConflict);
  EXPECT_EQ(AuditCount(), audit_before);
  // A namesake at another company is a different person.
  ASSERT_TRUE(AddAccount(ctx_, Acc("Chukwu Steel")).ok());
  Contact namesake;
  namesake.full_name = "Ada Obi";
  namesake.account_id = "A-000002";
  EXPECT_TRUE(AddContact(ctx_, namesake).ok());
}

TEST_F(AccountServiceTest, UpdatesAuditEveryChangedFieldOnly) {
  auto a = AddAccount(ctx_, Acc("Kano Agro"));
  ASSERT_TRUE(a.ok());
  Account edited = *a;
  edited.industry = "Agriculture";
  edited.custom["Region"] = "North";
  ctx_.actor = "cli";
  ASSERT_TRUE(UpdateAccount(ctx_, edited, "from the field visit").ok());
  InTx([&](Tx& tx) {
    auto entries = tx.ListAudit(AuditFilter{"account", a->id, "", "update", 10, false});
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].field, "industry");
    EXPECT_EQ((*entries)[0].before, "");
    EXPECT_EQ((*entries)[0].after, "Agriculture");
    EXPECT_EQ((*entries)[1].field, "custom:Region");
    EXPECT_EQ((*entries)[1].reason, "from the field visit");
  });
  // Saving the same values again changes nothing.
  int64_t n = AuditCount();
  ASSERT_TRUE(UpdateAccount(ctx_, edited).ok());
  EXPECT_EQ(AuditCount(), n);
  // The owner is not edited this way: wins and managers change it (ownership set).
  Account owner_change = edited;
  owner_change.owner = "someone else";
  EXPECT_EQ(UpdateAccount(ctx_, owner_change).status().code(), Code::kConflict);
  EXPECT_EQ(AuditCount(), n);
  Account missing = edited;
  missing.id = "A-404";
  EXPECT_EQ(UpdateAccount(ctx_, missing).status().code(), Code::kNotFound);
}

TEST_F(AccountServiceTest, InteractionsCheckTheirReferencesAndDefaultTheDivision) {
  ASSERT_TRUE(AddAccount(ctx_, Acc("Ikeja Motors")).ok());
  Contact c;
  c.full_name = "Tunde Bello";
  c.account_id = "A-000001";
  ASSERT_TRUE(AddContact(ctx_, c).ok());
  Interaction i;
  i.contact_id = "C-000001";
  i.channel = "WhatsApp";
  i.notes = "Asked about the 6-year warranty\nand service costs";
  i.next_action = "Send quote";
  i.next_action_due = now_ + 86400;
  ctx_.actor = "cli";
  auto r = LogInteraction(ctx_, i);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->channel, "whatsapp");
  EXPECT_EQ(r->division, "Motors");
  EXPECT_EQ(r->logged_by, "cli");
  EXPECT_EQ(r->next_action_owner, "cli");
  EXPECT_EQ(r->at, now_);
  int64_t n = AuditCount();
  Interaction bad;
  bad.contact_id = "C-404";
  bad.channel = "pigeon";
  bad.opportunity_id = "O-404";
  auto refused = LogInteraction(ctx_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().ToString().find("pigeon"), std::string::npos);
  bad.channel = "phone";
  refused = LogInteraction(ctx_, bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().ToString().find("C-404"), std::string::npos);
  EXPECT_NE(refused.status().ToString().find("O-404"), std::string::npos);
  EXPECT_EQ(AuditCount(), n);
}

TEST_F(AccountServiceTest, UserPasswordsAreArgon2idAndUserAdminNeedsAdmin) {
  User u;
  u.login = "ada";
  u.role = "steward";
  u.division = "medical";
  auto r = AddUser(ctx_, u, "correct horse");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->division, "Medical");
  EXPECT_EQ(r->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(r->password_hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(r->password_hash, "wrong horse"));
  EXPECT_EQ(AddUser(ctx_, u, "short").status().code(), Code::kInvalid);
  ctx_.actor = "ada";  // a steward may not manage users
  User v;
  v.login = "bob";
  v.role = "admin";
  EXPECT_EQ(AddUser(ctx_, v, "").status().code(), Code::kForbidden);
  ctx_.actor = "ghost";
  EXPECT_EQ(AddUser(ctx_, v, "").status().code(), Code::kForbidden);
}

}  // namespace
}  // namespace cx
