// Tests for merging duplicates: every related record moves, the merge is audited and undoable.
#include "service/merge_service.h"

#include "hub_fixture.h"
#include "service/account_service.h"
#include "service/dedupe.h"
#include "service/interaction_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

class MergeTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    // Two records of the same company, as the old workbook had them.
    InTx([&](Tx& tx) {
      Account a;
      a.id = "A-1";
      a.name = "Okafor & Sons Ltd";
      a.phone = "0803 123 4567";
      a.owner = "Ada";
      Account b;
      b.id = "A-2";
      b.name = "OKAFOR AND SONS NIGERIA LIMITED";
      b.industry = "Construction";
      b.erp_customer_id = "CUST001";
      b.custom["Region"] = "South";
      ASSERT_TRUE(tx.InsertAccount(a).ok());
      ASSERT_TRUE(tx.InsertAccount(b).ok());
      for (auto [id, acc] :
           {std::pair{"C-1", "A-1"}, std::pair{"C-2", "A-2"}, std::pair{"C-3", "A-2"}}) {
        Contact c;
        c.id = id;
        c.full_name = std::string("Person ") + id;
        c.account_id = acc;
        ASSERT_TRUE(tx.InsertContact(c).ok());
      }
      Opportunity o;
      o.id = "O-1";
      o.account_id = "A-2";
      o.division = "Power & Industrial";
      o.created = now_;
      ASSERT_TRUE(tx.InsertOpportunity(o).ok());
      Case k;
      k.id = "K-1";
      k.account_id = "A-2";
      k.contact_id = "C-2";
      k.division = "Power & Industrial";
      k.kind = "complaint";
      k.opened = now_;
      ASSERT_TRUE(tx.InsertCase(k).ok());
      Interaction i;
      i.id = "I-1";
      i.at = now_;
      i.contact_id = "C-2";
      i.channel = "phone";
      i.opportunity_id = "O-1";
      ASSERT_TRUE(tx.InsertInteraction(i).ok());
    });
  }
  std::string AccountOf(const std::string& table, const std::string& id) {
    std::string out;
    InTx([&](Tx& tx) {
      if (table == "contact") out = (*tx.GetContact(id))->account_id;
      if (table == "opportunity") out = (*tx.GetOpportunity(id))->account_id;
      if (table == "case") out = (*tx.GetCase(id))->account_id;
    });
    return out;
  }
};

TEST_F(MergeTest, DuplicatesFindsTheClusterAndMergeKeepsEveryRelatedRecord) {
  auto clusters = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 1u);
  EXPECT_EQ((*clusters)[0].ids, (std::vector<std::string>{"A-1", "A-2"}));
  EXPECT_NE((*clusters)[0].why.find("same normalised name"), std::string::npos);

  auto m = Merge(ctx_, NameKind::kAccount, "A-1", {"A-2"}, "same company, steward review");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(AccountOf("contact", "C-2"), "A-1");
  EXPECT_EQ(AccountOf("contact", "C-3"), "A-1");
  EXPECT_EQ(AccountOf("opportunity", "O-1"), "A-1");
  EXPECT_EQ(AccountOf("case", "K-1"), "A-1");
  auto view = ShowAccount(ctx_, "A-1");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->contacts.size(), 3u);
  EXPECT_EQ(view->interactions.size(), 1u);  // the interaction of C-2 now shows on the survivor
  // The survivor keeps its values and fills its gaps; it takes over the ERP link.
  EXPECT_EQ(view->account.owner, "Ada");
  EXPECT_EQ(view->account.industry, "Construction");
  EXPECT_EQ(view->account.erp_customer_id, "CUST001");
  EXPECT_EQ(view->account.custom.at("Region"), "South");
  InTx([&](Tx& tx) {
    EXPECT_EQ((*tx.GetAccount("A-2"))->merged_into, "A-1");
    auto merge_log = tx.ListAudit(AuditFilter{"", "", "", "merge", 100, true});
    EXPECT_GE(merge_log->size(), 3u);
    for (const auto& e : *merge_log) EXPECT_EQ(e.reason, "same company, steward review");
  });
  // The merged record leaves duplicates and search.
  EXPECT_TRUE(FindDuplicates(*store_, NameKind::kAccount)->empty());
  InTx([&](Tx& tx) {
    auto hits = Search(tx, "okafor sons", 10, NameKind::kAccount);
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].id, "A-1");
  });
}

TEST_F(MergeTest, UndoPutsEverythingBack) {
  auto m = Merge(ctx_, NameKind::kAccount, "A-1", {"A-2"}, "looked the same");
  ASSERT_TRUE(m.ok());
  auto u = UndoMerge(ctx_, m->id, "they are two companies after all");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(AccountOf("contact", "C-1"), "A-1");
  EXPECT_EQ(AccountOf("contact", "C-2"), "A-2");
  EXPECT_EQ(AccountOf("contact", "C-3"), "A-2");
  EXPECT_EQ(AccountOf("opportunity", "O-1"), "A-2");
  EXPECT_EQ(AccountOf("case", "K-1"), "A-2");
  InTx([&](Tx& tx) {
    auto a1 = *tx.GetAccount("A-1");
    auto a2 = *tx.GetAccount("A-2");
    EXPECT_EQ(a1->industry, "");
    EXPECT_EQ(a1->erp_customer_id, "");
    EXPECT_TRUE(a1->custom.empty());
    EXPECT_EQ(a2->merged_into, "");
    EXPECT_EQ(a2->erp_customer_id, "CUST001");
  });
  EXPECT_EQ(UndoMerge(ctx_, m->id, "again").status().code(), Code::kConflict);
  EXPECT_EQ(FindDuplicates(*store_, NameKind::kAccount)->size(), 1u);
}

TEST_F(MergeTest, RefusalsWriteNothing) {
  User sales{"sam", "Sam Sales", "sales", "", "", false, 0};
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.UpsertUser(sales).ok()); });
  int64_t n = AuditCount();
  ctx_.actor = "sam";
  EXPECT_EQ(Merge(ctx_, NameKind::kAccount, "A-1", {"A-2"}, "x").status().code(), Code::kForbidden);
  ctx_.actor = "cli";
  EXPECT_EQ(Merge(ctx_, NameKind::kAccount, "A-1", {"A-2"}, "").status().code(), Code::kInvalid);
  EXPECT_EQ(Merge(ctx_, NameKind::kAccount, "A-1", {"A-1"}, "x").status().code(), Code::kInvalid);
  auto missing = Merge(ctx_, NameKind::kAccount, "A-1", {"A-2", "A-404"}, "x");
  EXPECT_EQ(missing.status().code(), Code::kInvalid);
  EXPECT_NE(missing.status().ToString().find("A-404"), std::string::npos);
  EXPECT_EQ(AuditCount(), n);
  EXPECT_EQ(AccountOf("contact", "C-2"), "A-2");
}

TEST_F(MergeTest, ContactMergeMovesInteractionsAndCases) {
  auto m = Merge(ctx_, NameKind::kContact, "C-1", {"C-2"}, "same person");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  InTx([&](Tx& tx) {
    EXPECT_EQ((*tx.GetInteraction("I-1"))->contact_id, "C-1");
    EXPECT_EQ((*tx.GetCase("K-1"))->contact_id, "C-1");
  });
  ASSERT_TRUE(UndoMerge(ctx_, m->id, "not the same").ok());
  InTx([&](Tx& tx) {
    EXPECT_EQ((*tx.GetInteraction("I-1"))->contact_id, "C-2");
    EXPECT_EQ((*tx.GetCase("K-1"))->contact_id, "C-2");
  });
}

}  // namespace
}  // namespace cx
