// The store contract, the ERP sync's records: the sync history and its watermarks per file kind,
// accounts found by ERP id (merged ones too), the steward's queue, and the rejected keys a
// --partial sync leaves to be put right.
#include <gtest/gtest.h>

#include <algorithm>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::StoreContract;

ErpSyncRecord Sync(const std::string& kind, std::optional<Timestamp> after, Timestamp at) {
  ErpSyncRecord r;
  r.kind = kind;
  r.actor = "cli";
  r.file_name = kind + ".csv";
  r.file_sha256 = "ab12";
  r.encoding = "utf-8";
  r.rows = 10;
  r.created = 4;
  r.updated = 3;
  r.unchanged = 2;
  r.skipped_older = 1;
  r.watermark_after = after;
  r.started_at = at;
  r.finished_at = at + 5;
  return r;
}

TEST_F(StoreContract, ErpSyncsKeepTheirHistoryAndWatermarks) {
  InTx([&](Tx& tx) {
    EXPECT_FALSE(tx.ErpWatermark("customers")->has_value());
    EXPECT_TRUE(tx.ListErpSyncs(10)->empty());
    ErpSyncRecord first = Sync("customers", 1000, 100);
    first.full = true;
    first.rejected = 2;
    first.flagged_missing = 3;
    first.proposed_links = 4;
    auto s1 = tx.InsertErpSync(first);
    ASSERT_TRUE(s1.ok()) << s1.status().ToString();
    ErpSyncRecord orders = Sync("orders", 5000, 200);
    orders.partial = true;
    orders.watermark_before = 4000;
    auto s2 = tx.InsertErpSync(orders);
    ASSERT_TRUE(s2.ok());
    EXPECT_GT(*s2, *s1);
    EXPECT_EQ(**tx.ErpWatermark("customers"), 1000);
    EXPECT_EQ(**tx.ErpWatermark("orders"), 5000);
  });
  InTx([&](Tx& tx) {
    // The newest sync of a kind decides, even when it carries no watermark.
    ASSERT_TRUE(tx.InsertErpSync(Sync("customers", 2000, 300)).ok());
    EXPECT_EQ(**tx.ErpWatermark("customers"), 2000);
    ASSERT_TRUE(tx.InsertErpSync(Sync("customers", std::nullopt, 400)).ok());
    EXPECT_FALSE(tx.ErpWatermark("customers")->has_value());
    EXPECT_EQ(**tx.ErpWatermark("orders"), 5000);
    auto all = tx.ListErpSyncs(10);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ((*all)[0].started_at, 400);  // newest first
    EXPECT_EQ((*all)[3].started_at, 100);
    const ErpSyncRecord& first = (*all)[3];
    EXPECT_EQ(first.kind, "customers");
    EXPECT_EQ(first.actor, "cli");
    EXPECT_EQ(first.file_name, "customers.csv");
    EXPECT_EQ(first.file_sha256, "ab12");
    EXPECT_EQ(first.encoding, "utf-8");
    EXPECT_TRUE(first.full);
    EXPECT_FALSE(first.partial);
    EXPECT_EQ(first.rows, 10);
    EXPECT_EQ(first.created, 4);
    EXPECT_EQ(first.updated, 3);
    EXPECT_EQ(first.unchanged, 2);
    EXPECT_EQ(first.skipped_older, 1);
    EXPECT_EQ(first.rejected, 2);
    EXPECT_EQ(first.flagged_missing, 3);
    EXPECT_EQ(first.proposed_links, 4);
    EXPECT_FALSE(first.watermark_before.has_value());
    EXPECT_EQ(first.watermark_after, std::optional<Timestamp>(1000));
    EXPECT_EQ(first.finished_at, 105);
    const ErpSyncRecord& orders = (*all)[2];
    EXPECT_TRUE(orders.partial);
    EXPECT_EQ(orders.watermark_before, std::optional<Timestamp>(4000));
    EXPECT_EQ(tx.ListErpSyncs(2)->size(), 2u);
    EXPECT_EQ(tx.ListErpSyncs(-1)->size(), 4u);  // no limit
  });
}

TEST_F(StoreContract, AccountsAreFoundByTheirErpIds) {
  InTx([&](Tx& tx) {
    Account a1 = MakeAccount("A-1", "Alpha");
    a1.erp_customer_id = "E-1";
    ASSERT_TRUE(tx.InsertAccount(a1).ok());
    Account a2 = MakeAccount("A-2", "Alpha Two");
    a2.erp_customer_id = "E-2";
    a2.merged_into = "A-1";
    ASSERT_TRUE(tx.InsertAccount(a2).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-3", "Gamma")).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(**tx.AccountIdByErpId("E-1"), "A-1");
    EXPECT_EQ(**tx.AccountIdByErpId("E-2"), "A-2");  // merged accounts keep their link
    EXPECT_FALSE(tx.AccountIdByErpId("E-3")->has_value());
    EXPECT_FALSE(tx.AccountIdByErpId("")->has_value());
    auto ids = tx.ErpCustomerIds();
    ASSERT_TRUE(ids.ok()) << ids.status().ToString();
    std::vector<std::string> got = *ids;
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{"E-1", "E-2"}));
  });
}

TEST_F(StoreContract, TheStewardsErpQueueIsKeptAndListed) {
  int64_t first = 0, second = 0, third = 0;
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Beta")).ok());
    ErpQueueItem q;
    q.kind = "link";
    q.account_id = "A-1";
    q.erp_id = "E-9";
    q.why = "same phone";
    q.sync_seq = 3;
    q.created_at = 100;
    auto id = tx.InsertErpQueueItem(q);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    first = *id;
    q.account_id = "A-2";
    q.kind = "missing";
    q.erp_id = "E-5";
    q.why = "";
    second = *tx.InsertErpQueueItem(q);
    q.kind = "link";
    q.account_id = "A-1";
    q.erp_id = "E-9";
    q.why = "same name";
    q.created_at = 300;
    third = *tx.InsertErpQueueItem(q);
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
  });
  InTx([&](Tx& tx) {
    auto item = tx.GetErpQueueItem(first);
    ASSERT_TRUE(item.ok() && item->has_value()) << item.status().ToString();
    EXPECT_EQ((*item)->kind, "link");
    EXPECT_EQ((*item)->account_id, "A-1");
    EXPECT_EQ((*item)->erp_id, "E-9");
    EXPECT_EQ((*item)->why, "same phone");
    EXPECT_EQ((*item)->status, "open");
    EXPECT_EQ((*item)->sync_seq, 3);
    EXPECT_EQ((*item)->created_at, 100);
    EXPECT_FALSE((*item)->decided_at.has_value());
    EXPECT_FALSE(tx.GetErpQueueItem(third + 100)->has_value());
    // The newest item for the key, whatever its status.
    auto found = tx.FindErpQueueItem("link", "A-1", "E-9");
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->id, third);
    EXPECT_FALSE(tx.FindErpQueueItem("missing", "A-1", "E-9")->has_value());
    ErpQueueItem decided = **item;
    decided.status = "accepted";
    decided.decided_at = 500;
    decided.decided_by = "steward";
    decided.reason = "checked";
    decided.why = "same phone and name";
    ASSERT_TRUE(tx.UpdateErpQueueItem(decided).ok());
  });
  InTx([&](Tx& tx) {
    const ErpQueueItem got = **tx.GetErpQueueItem(first);
    EXPECT_EQ(got.status, "accepted");
    EXPECT_EQ(got.decided_at, std::optional<Timestamp>(500));
    EXPECT_EQ(got.decided_by, "steward");
    EXPECT_EQ(got.reason, "checked");
    EXPECT_EQ(got.why, "same phone and name");
    auto open = tx.ListErpQueue("open", 10);
    ASSERT_TRUE(open.ok()) << open.status().ToString();
    ASSERT_EQ(open->size(), 2u);  // oldest first
    EXPECT_EQ((*open)[0].id, second);
    EXPECT_EQ((*open)[1].id, third);
    auto all = tx.ListErpQueue("", 10);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].id, first);
    EXPECT_EQ(tx.ListErpQueue("", 1)->size(), 1u);
    EXPECT_TRUE(tx.ListErpQueue("rejected", 10)->empty());
  });
}

TEST_F(StoreContract, RejectedErpKeysArePutAndForgotten) {
  InTx([&](Tx& tx) {
    EXPECT_TRUE(tx.ErpRejectedKeys("customers")->empty());
    ASSERT_TRUE(tx.PutErpRejected("customers", "E-1", 1000, 1, 5, "bad email").ok());
    ASSERT_TRUE(tx.PutErpRejected("customers", "E-2", std::nullopt, 1, 7, "bad date").ok());
    ASSERT_TRUE(tx.PutErpRejected("orders", "O-1", 2000, 2, 3, "bad amount").ok());
    // Again: replaced, not doubled.
    ASSERT_TRUE(tx.PutErpRejected("customers", "E-1", 1500, 3, 9, "bad phone").ok());
  });
  InTx([&](Tx& tx) {
    auto keys = tx.ErpRejectedKeys("customers");
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    auto got = *keys;
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].first, "E-1");
    EXPECT_EQ(got[0].second, std::optional<Timestamp>(1500));
    EXPECT_EQ(got[1].first, "E-2");
    EXPECT_FALSE(got[1].second.has_value());
    ASSERT_TRUE(tx.DeleteErpRejected("customers", "E-1").ok());
    ASSERT_TRUE(tx.DeleteErpRejected("customers", "E-404").ok());  // nothing to forget
    EXPECT_EQ(tx.ErpRejectedKeys("customers")->size(), 1u);
    EXPECT_EQ(tx.ErpRejectedKeys("orders")->size(), 1u);
  });
}

}  // namespace
}  // namespace cx
