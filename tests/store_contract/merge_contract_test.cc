// The store contract, merges and settings: references move and come back, a merge record keeps
// its typed steps exactly, small named values round-trip.
#include <gtest/gtest.h>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

TEST_F(StoreContract, MovedReferencesComeBackAndTheMergeKeepsItsSteps) {
  MergeRecord rec;
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha Motors")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Alpha Motor")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-2")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-2", "Bayo Eze", "A-2")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-3", "Chi Nwosu", "A-1")).ok());
    auto moved = tx.MoveReferences(NameKind::kAccount, "A-2", "A-1");
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    ASSERT_EQ(moved->size(), 2u);
    for (const auto& step : *moved) {
      EXPECT_EQ(step.type, MergeStep::Type::kMovedRow);
      EXPECT_EQ(step.entity, Entity::kContact);
      EXPECT_EQ(step.reference, NameKind::kAccount);
    }
    EXPECT_EQ((*tx.GetContact("C-1"))->account_id, "A-1");
    rec.id = "M-000001";
    rec.kind = NameKind::kAccount;
    rec.survivor = "A-1";
    rec.merged = {"A-2"};
    rec.moved = *moved;
    MergeStep away;
    away.type = MergeStep::Type::kMergedAway;
    away.entity = Entity::kAccount;
    away.id = "A-2";
    rec.moved.push_back(away);
    MergeStep link;
    link.type = MergeStep::Type::kErpLinkTakenOver;
    link.id = "A-2";
    link.erp_id = "E-77";
    rec.moved.push_back(link);
    MergeStep before;
    before.type = MergeStep::Type::kSurvivorBefore;
    before.before = {{"name", "Alpha Motors"}, {"custom:Region", "North \"West\""}, {"phone", ""}};
    rec.moved.push_back(before);
    rec.at = 100;
    rec.actor = "steward";
    rec.reason = "same firm";
    ASSERT_TRUE(tx.SaveMerge(rec).ok());
  });
  InTx([&](Tx& tx) {
    auto back = tx.GetMerge("M-000001");
    ASSERT_TRUE(back.ok() && back->has_value()) << back.status().ToString();
    const MergeRecord& m = **back;
    EXPECT_EQ(m.survivor, "A-1");
    EXPECT_EQ(m.merged, std::vector<std::string>{"A-2"});
    ASSERT_EQ(m.moved.size(), rec.moved.size());
    for (size_t i = 0; i < m.moved.size(); ++i) {
      EXPECT_EQ(m.moved[i].type, rec.moved[i].type) << i;
      EXPECT_EQ(m.moved[i].entity, rec.moved[i].entity) << i;
      EXPECT_EQ(m.moved[i].id, rec.moved[i].id) << i;
      EXPECT_EQ(m.moved[i].erp_id, rec.moved[i].erp_id) << i;
      EXPECT_EQ(m.moved[i].before, rec.moved[i].before) << i;
    }
    EXPECT_FALSE(m.undone_at.has_value());
    // Only the moved rows go back; a step of another kind is refused.
    std::vector<MergeStep> rows(m.moved.begin(), m.moved.begin() + 2);
    ASSERT_TRUE(tx.RestoreReferences(rows, "A-2").ok());
    EXPECT_EQ((*tx.GetContact("C-1"))->account_id, "A-2");
    EXPECT_EQ((*tx.GetContact("C-2"))->account_id, "A-2");
    EXPECT_EQ((*tx.GetContact("C-3"))->account_id, "A-1");
    EXPECT_FALSE(tx.RestoreReferences({m.moved[2]}, "A-2").ok());
    MergeRecord undone = m;
    undone.undone_at = 200;
    ASSERT_TRUE(tx.SaveMerge(undone).ok());
  });
  InTx([&](Tx& tx) {
    auto all = tx.ListMerges(10);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].undone_at, std::optional<Timestamp>(200));
    EXPECT_FALSE(tx.GetMerge("M-000404")->has_value());
  });
}

TEST_F(StoreContract, AContactsInteractionsMoveToTheSurvivingContact) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-2", "Ada Obi", "A-1")).ok());
    Interaction i;
    i.id = "I-1";
    i.at = 10;
    i.contact_id = "C-2";
    i.channel = "phone";
    i.created_at = 1;
    ASSERT_TRUE(tx.InsertInteraction(i).ok());
    auto moved = tx.MoveReferences(NameKind::kContact, "C-2", "C-1");
    ASSERT_TRUE(moved.ok());
    ASSERT_EQ(moved->size(), 1u);
    EXPECT_EQ((*moved)[0].entity, Entity::kInteraction);
    EXPECT_EQ((*moved)[0].reference, NameKind::kContact);
    EXPECT_EQ((*tx.GetInteraction("I-1"))->contact_id, "C-1");
    ASSERT_TRUE(tx.RestoreReferences(*moved, "C-2").ok());
    EXPECT_EQ((*tx.GetInteraction("I-1"))->contact_id, "C-2");
  });
}

TEST_F(StoreContract, SettingsRoundTripAndAreReplaced) {
  InTx([&](Tx& tx) {
    EXPECT_FALSE(tx.GetSetting("contract.key")->has_value());
    ASSERT_TRUE(tx.SetSetting("contract.key", "one").ok());
    ASSERT_TRUE(tx.SetSetting("contract.key", "two").ok());
  });
  InTx([&](Tx& tx) { EXPECT_EQ(**tx.GetSetting("contract.key"), "two"); });
}

}  // namespace
}  // namespace cx
