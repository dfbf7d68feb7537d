// The store contract, many-row writers: every character of every value comes back as written
// (on PostgreSQL they travel as COPY text, where tab, newline and backslash are escapes), a
// call larger than one run of rows goes in whole, and a conflict leaves the transaction usable
// with nothing of the failed call written; the KPI aggregates count what a bulk load wrote.
#include <string>
#include <vector>

#include "kpi_activity_world.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

// Text that the COPY text format writes with escapes, and a few that look like escapes.
const std::vector<std::string> kAwkward = {
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash",
    "\\N",
    "\\.",
    "\\",
    "quote \" and ' both",
    "naïve café – Lagos",
    "{\"json\": [1, 2]}",
    "ends with space ",
};

Order MakeOrder(int n) {
  Order o;
  o.id = "SO" + std::to_string(n);
  o.erp_customer_id = "E1";
  o.date = 1700000000 + n;
  o.division = "Motors";
  o.amount = 0.1 + 0.2 + n;  // a double whose shortest text is long
  o.currency = "NGN";
  o.last_modified = 5;
  return o;
}

TEST_F(StoreContract, BulkWritersKeepEveryCharacter) {
  std::vector<KeyedAccount> accounts;
  for (size_t n = 0; n < kAwkward.size(); ++n) {
    Account a = MakeAccount("A-" + std::to_string(n + 1), "Firm " + kAwkward[n]);
    a.address = kAwkward[n];
    a.erp_customer_id = n % 2 ? "E\t" + std::to_string(n) : "";
    a.custom["note"] = kAwkward[n];
    accounts.push_back(KeyAccount(a));
  }
  std::vector<Interaction> rows;
  for (size_t n = 0; n < kAwkward.size(); ++n) {
    Interaction i;
    i.id = "I-" + std::to_string(n + 1);
    i.at = 1000 + int64_t(n);
    i.contact_id = "C-1";
    i.channel = "phone";
    i.notes = kAwkward[n];
    i.next_action = kAwkward[n];
    if (n % 2) i.next_action_due = 2000;
    i.custom["why"] = kAwkward[n];
    i.created_at = 1;
    rows.push_back(i);
  }
  InTx([&](Tx& tx) {
    std::vector<const KeyedAccount*> batch;
    for (const auto& k : accounts) batch.push_back(&k);
    ASSERT_TRUE(tx.InsertAccounts(batch).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.InsertInteractions(rows).ok());
    std::vector<Order> orders = {MakeOrder(1), MakeOrder(2)};
    orders[1].division = kAwkward[0];
    ASSERT_TRUE(tx.InsertOrders({&orders[0], &orders[1]}).ok());
    for (const auto& w : kAwkward)
      ASSERT_TRUE(tx.AppendAudit(AuditEntry{0, 7, "ada", "update", "account", "A-1", "address", w,
                                            w + w, "because " + w})
                      .ok());
  });
  InTx([&](Tx& tx) {
    for (size_t n = 0; n < kAwkward.size(); ++n) {
      auto a = tx.GetAccount("A-" + std::to_string(n + 1));
      ASSERT_TRUE(a.ok() && a->has_value()) << n;
      EXPECT_EQ((*a)->name, "Firm " + kAwkward[n]);
      EXPECT_EQ((*a)->address, kAwkward[n]);
      EXPECT_EQ((*a)->erp_customer_id, accounts[n].account.erp_customer_id);
      EXPECT_EQ((*a)->custom, accounts[n].account.custom);
      auto i = tx.GetInteraction("I-" + std::to_string(n + 1));
      ASSERT_TRUE(i.ok() && i->has_value()) << n;
      EXPECT_EQ((*i)->notes, kAwkward[n]);
      EXPECT_EQ((*i)->next_action, kAwkward[n]);
      EXPECT_EQ((*i)->next_action_due, rows[n].next_action_due);
      EXPECT_EQ((*i)->custom, rows[n].custom);
    }
    auto o = tx.GetOrder("SO2");
    ASSERT_TRUE(o.ok() && o->has_value());
    EXPECT_EQ((*o)->division, kAwkward[0]);
    EXPECT_EQ((*o)->amount, 0.1 + 0.2 + 2);  // exactly, not rounded in transit
    AuditFilter f;
    f.entity_id = "A-1";
    f.newest_first = false;
    auto log = tx.ListAudit(f);
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(log->size(), kAwkward.size());
    for (size_t n = 0; n < kAwkward.size(); ++n) {
      EXPECT_EQ((*log)[n].before, kAwkward[n]);
      EXPECT_EQ((*log)[n].after, kAwkward[n] + kAwkward[n]);
      EXPECT_EQ((*log)[n].reason, "because " + kAwkward[n]);
    }
  });
}

// A call far larger than one statement (or one COPY run) goes in whole.
TEST_F(StoreContract, BulkWritersTakeCallsOfManyRuns) {
  const int kRows = 25000;
  std::vector<Interaction> rows;
  std::vector<Order> orders;
  for (int n = 1; n <= kRows; ++n) {
    Interaction i;
    i.id = "I-" + std::to_string(n);
    i.at = n;
    i.contact_id = "C-1";
    i.channel = "email";
    i.created_at = 1;
    rows.push_back(i);
    orders.push_back(MakeOrder(n));
  }
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.InsertInteractions(rows).ok());
    std::vector<const Order*> batch;
    for (const auto& o : orders) batch.push_back(&o);
    ASSERT_TRUE(tx.InsertOrders(batch).ok());
  });
  InTx([&](Tx& tx) {
    InteractionFilter f;
    f.limit = -1;
    auto all = tx.ListInteractions(f);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), size_t(kRows));
    EXPECT_TRUE(tx.GetOrder("SO" + std::to_string(kRows))->has_value());
    EXPECT_TRUE(tx.GetOrder("SO1")->has_value());
  });
}

// A taken order id: the call is refused naming it, none of its rows is written, and the
// transaction goes on (a later write in it commits), as after any conflict.
TEST_F(StoreContract, InsertOrdersConflictLeavesTheTransactionUsable) {
  const Order first = MakeOrder(1);
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertOrders({&first}).ok()); });
  const Order o2 = MakeOrder(2), again = MakeOrder(1), o3 = MakeOrder(3), o4 = MakeOrder(4);
  InTx([&](Tx& tx) {
    Status st = tx.InsertOrders({&o2, &again, &o3});
    EXPECT_EQ(st.code(), Code::kConflict);
    EXPECT_NE(st.message().find("SO1"), std::string::npos) << st.message();
    EXPECT_FALSE(tx.GetOrder("SO2")->has_value());
    EXPECT_TRUE(tx.UpsertOrder(o4).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_TRUE(tx.GetOrder("SO1")->has_value());
    EXPECT_TRUE(tx.GetOrder("SO4")->has_value());
    EXPECT_FALSE(tx.GetOrder("SO2")->has_value());
    EXPECT_FALSE(tx.GetOrder("SO3")->has_value());
  });
}

// The same for interactions and accounts: after the refused call, the transaction writes on.
// (Which of a refused call's other rows stay written is not promised: SQLite names the one at
// fault by writing them one at a time, PostgreSQL takes them all out again.)
TEST_F(StoreContract, BulkInsertConflictLeavesTheTransactionUsable) {
  auto make = [](int n) {
    Interaction i;
    i.id = "I-" + std::to_string(n);
    i.at = n;
    i.contact_id = "C-1";
    i.channel = "phone";
    i.created_at = 1;
    return i;
  };
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.InsertInteractions({make(1)}).ok());
  });
  const KeyedAccount a2 = KeyAccount(MakeAccount("A-2", "Beta")),
                     a1 = KeyAccount(MakeAccount("A-1", "Alpha again"));
  InTx([&](Tx& tx) {
    Status st = tx.InsertInteractions({make(2), make(1), make(3)});
    EXPECT_EQ(st.code(), Code::kConflict);
    EXPECT_NE(st.message().find("I-1"), std::string::npos) << st.message();
    st = tx.InsertAccounts({&a2, &a1});
    EXPECT_EQ(st.code(), Code::kConflict);
    EXPECT_NE(st.message().find("account A-1"), std::string::npos) << st.message();
    EXPECT_TRUE(tx.InsertInteractions({make(4)}).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_TRUE(tx.GetInteraction("I-4")->has_value());
    EXPECT_EQ((*tx.GetAccount("A-1"))->name, "Alpha");  // the taken one is left as it was
  });
}

// A bulk load may put off the KPI aggregate's upkeep (docs/kpi.md): after it the aggregate does
// not answer until refreshed, then counts every row the load wrote; the writes after the load,
// and after a load that failed, are followed one by one again.
TEST_F(StoreContract, KpiActivityCountsABulkLoadAndFollowsTheWritesAfterIt) {
  kpitest::Hub h(store_.get());
  const Zone zone = h.ctx.zone;
  const int64_t d = DaysFromCivil(Date{2026, 3, 10});
  h.Write([&](Tx& tx) {
    for (int n = 1; n <= 5; ++n) {
      const std::string k = std::to_string(n);
      h.Account(tx, "A-" + k, "E-" + k);
      h.Contact(tx, "C-" + k, "A-" + k);
    }
    h.Interact(tx, "I-1", h.L(2026, 3, 10, 9), "ada", "", "", "C-1", "Motors");
    return Status::Ok();
  });
  ASSERT_TRUE(activitytest::Refresh(h, zone).ok());
  EXPECT_EQ(activitytest::AllCount(h, zone, d, d), std::optional<int64_t>(1));
  Order o = MakeOrder(1);
  o.erp_customer_id = "E-2";
  o.date = h.L(2026, 3, 10, 10);
  h.Write([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kOrder, 100000).status());
    CX_RETURN_IF_ERROR(tx.InsertOrders({&o}));
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kInteraction, 100000).status());
    return tx.InsertInteractions(
        {activitytest::MakeInteraction("I-3", h.L(2026, 3, 10, 11), "C-3", "Motors")});
  });
  EXPECT_FALSE(activitytest::AllCount(h, zone, d, d).has_value()) << "the load is not counted";
  ASSERT_TRUE(activitytest::Refresh(h, zone).ok());
  EXPECT_EQ(activitytest::AllCount(h, zone, d, d), std::optional<int64_t>(3));
  // A load that fails after its announcement changes nothing.
  Status failed = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kInteraction, 100000).status());
    return Invalid("the file had a bad row");
  });
  EXPECT_EQ(failed.code(), Code::kInvalid);
  EXPECT_EQ(activitytest::AllCount(h, zone, d, d), std::optional<int64_t>(3));
  // A write after it is marked as it is made.
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-4", h.L(2026, 3, 10, 12), "ada", "", "", "C-4", "GRAS");
    return Status::Ok();
  });
  EXPECT_FALSE(activitytest::AllCount(h, zone, d, d).has_value()) << "a fact changed";
  ASSERT_TRUE(activitytest::Refresh(h, zone).ok());
  EXPECT_EQ(activitytest::AllCount(h, zone, d, d), std::optional<int64_t>(4));
}

}  // namespace
}  // namespace cx
