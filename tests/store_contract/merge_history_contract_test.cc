// The store contract, merge history: every kind of row that points at a merged account moves,
// and the merges are listed newest first with their kind.
#include <gtest/gtest.h>

#include <algorithm>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

TEST_F(StoreContract, EveryRowOfAMergedAccountMoves) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Alpha Ltd")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-2")).ok());
    Opportunity o;
    o.id = "O-1";
    o.account_id = "A-2";
    o.division = "Motors";
    o.created = 5;
    ASSERT_TRUE(tx.InsertOpportunity(o).ok());
    Case c;
    c.id = "K-1";
    c.account_id = "A-2";
    c.contact_id = "C-1";
    c.division = "Motors";
    c.kind = "complaint";
    c.opened = 5;
    ASSERT_TRUE(tx.InsertCase(c).ok());
    Feedback f;
    f.id = "F-1";
    f.date = 5;
    f.account_id = "A-2";
    f.contact_id = "C-1";
    f.kind = "nps";
    f.score = 9;
    ASSERT_TRUE(tx.InsertFeedback(f).ok());
    auto moved = tx.MoveReferences(NameKind::kAccount, "A-2", "A-1");
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    std::vector<std::string> rows;
    for (const auto& m : *moved) rows.push_back(m.id);
    std::sort(rows.begin(), rows.end());
    EXPECT_EQ(rows, (std::vector<std::string>{"C-1", "F-1", "K-1", "O-1"}));
    EXPECT_EQ((*tx.GetOpportunity("O-1"))->account_id, "A-1");
    EXPECT_EQ((*tx.GetCase("K-1"))->account_id, "A-1");
    EXPECT_EQ((*tx.GetFeedback("F-1"))->account_id, "A-1");
    EXPECT_EQ((*tx.GetCase("K-1"))->contact_id, "C-1");  // the contact reference stays
    // Nothing points at A-2 any more: a second move finds nothing.
    EXPECT_TRUE(tx.MoveReferences(NameKind::kAccount, "A-2", "A-1")->empty());
    ASSERT_TRUE(tx.RestoreReferences(*moved, "A-2").ok());
    EXPECT_EQ((*tx.GetFeedback("F-1"))->account_id, "A-2");
    EXPECT_EQ((*tx.GetCase("K-1"))->account_id, "A-2");
  });
}

TEST_F(StoreContract, MergesAreListedNewestFirst) {
  auto merge = [](const std::string& id, NameKind k, Timestamp at) {
    MergeRecord m;
    m.id = id;
    m.kind = k;
    m.survivor = k == NameKind::kAccount ? "A-1" : "C-1";
    m.merged = {k == NameKind::kAccount ? "A-2" : "C-2", "X-3"};
    m.at = at;
    m.actor = "steward";
    return m;
  };
  InTx([&](Tx& tx) {
    EXPECT_TRUE(tx.ListMerges(10)->empty());
    ASSERT_TRUE(tx.SaveMerge(merge("M-000001", NameKind::kAccount, 100)).ok());
    ASSERT_TRUE(tx.SaveMerge(merge("M-000002", NameKind::kContact, 300)).ok());
    ASSERT_TRUE(tx.SaveMerge(merge("M-000003", NameKind::kAccount, 300)).ok());
  });
  InTx([&](Tx& tx) {
    auto all = tx.ListMerges(10);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), 3u);
    // By time, the later id first among merges of the same second.
    EXPECT_EQ((*all)[0].id, "M-000003");
    EXPECT_EQ((*all)[1].id, "M-000002");
    EXPECT_EQ((*all)[1].kind, NameKind::kContact);
    EXPECT_EQ((*all)[1].merged, (std::vector<std::string>{"C-2", "X-3"}));
    EXPECT_EQ((*all)[2].id, "M-000001");
    EXPECT_EQ((*all)[2].actor, "steward");
    EXPECT_EQ(tx.ListMerges(2)->size(), 2u);
    auto one = tx.GetMerge("M-000002");
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*one)->survivor, "C-1");
    EXPECT_TRUE((*one)->moved.empty());
  });
}

}  // namespace
}  // namespace cx
