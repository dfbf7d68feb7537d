// The store contract, copying a whole hub (store/copy_store.h): which tables a copy carries and in
// which order, rows read in key order as typed values, the emptiness a copy needs, and a copy into
// a second store of the same backend that answers as the first one (ids, the name index, the
// numbers handed out next).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

class StoreContractCopy : public StoreContract {
 protected:
  // Opens a second, empty store of the backend under test.
  std::unique_ptr<Store> OpenOther() {
    auto s = OpenStore(TestStoreUrl(dir_, "other.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    Status st = (*s)->Migrate();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return std::move(*s);
  }
};

std::vector<CopyTable> Tables(Tx& tx) {
  auto t = tx.CopyTables();
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : std::vector<CopyTable>();
}

const CopyTable* Find(const std::vector<CopyTable>& tables, const std::string& name) {
  for (const auto& t : tables)
    if (t.name == name) return &t;
  return nullptr;
}

size_t At(const std::vector<CopyTable>& tables, const std::string& name) {
  for (size_t i = 0; i < tables.size(); ++i)
    if (tables[i].name == name) return i;
  return tables.size();
}

std::vector<CopyRow> ReadAll(Tx& tx, const CopyTable& t, int batch = 2) {
  std::vector<CopyRow> all;
  Status st = tx.ReadCopyRows(t, batch, [&](std::vector<CopyRow>& rows) -> Status {
    EXPECT_LE(int(rows.size()), batch);
    for (auto& r : rows) all.push_back(r);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << t.name << ": " << st.ToString();
  return all;
}

// The value of column `column` of `row` in `t`.
const CopyValue& Value(const CopyTable& t, const CopyRow& row, const std::string& column) {
  for (size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c].name == column) return row[c];
  static const CopyValue kNone;
  ADD_FAILURE() << t.name << " has no column " << column;
  return kNone;
}

TEST_F(StoreContractCopy, CopyTablesListsWhatAHubKeepsAReferencedTableFirst) {
  InTx([&](Tx& tx) {
    const auto tables = Tables(tx);
    for (const char* kept :
         {"accounts", "contacts", "interactions", "opportunities", "stage_history", "orders",
          "feedback", "users", "audit", "merges", "erp_syncs", "settings", "id_counters",
          "kpi_targets", "api_tokens", "strategy_versions"})
      EXPECT_NE(Find(tables, kept), nullptr) << kept << " is not copied";
    // Transient rows and what the backend derives stay behind.
    for (const char* left :
         {"api_sessions", "api_login_failures", "api_idempotency", "hub_loads", "kpi_activity",
          "kpi_stage_first", "kpi_funnel", "dup_pairs", "dup_state"})
      EXPECT_EQ(Find(tables, left), nullptr) << left << " is copied";
    EXPECT_LT(At(tables, "accounts"), At(tables, "contacts"));
    EXPECT_LT(At(tables, "contacts"), At(tables, "interactions"));
    EXPECT_LT(At(tables, "opportunities"), At(tables, "stage_history"));
    const CopyTable* accounts = Find(tables, "accounts");
    ASSERT_NE(accounts, nullptr);
    EXPECT_EQ(accounts->key, std::vector<std::string>{"id"});
    const CopyTable* contacts = Find(tables, "contacts");
    ASSERT_NE(contacts, nullptr);
    EXPECT_NE(std::find(contacts->references.begin(), contacts->references.end(), "accounts"),
              contacts->references.end());
    const CopyTable* orders = Find(tables, "orders");
    ASSERT_NE(orders, nullptr);
    for (const auto& c : orders->columns) {
      if (c.name == "amount") {
        EXPECT_EQ(c.type, CopyType::kReal);
      } else if (c.name == "date") {
        EXPECT_EQ(c.type, CopyType::kInt);
      } else if (c.name == "id") {
        EXPECT_EQ(c.type, CopyType::kText);
      }
    }
  });
}

TEST_F(StoreContractCopy, RowsComeInKeyOrderByBytesAsTypedValues) {
  InTx([&](Tx& tx) {
    for (const char* id : {"A-2", "A-10", "a-0", "A-1"})
      ASSERT_TRUE(tx.InsertAccount(MakeAccount(id, std::string("Firm ") + id)).ok());
    Order o;
    o.id = "ORD-1";
    o.erp_customer_id = "E-1";
    o.date = 1700000000;
    o.division = "Motors";
    o.amount = 1234.25;
    ASSERT_TRUE(tx.UpsertOrder(o).ok());
  });
  ASSERT_TRUE(
      store_
          ->Read([&](Tx& tx) -> Status {
            const auto tables = Tables(tx);
            const CopyTable* accounts = Find(tables, "accounts");
            EXPECT_NE(accounts, nullptr);
            if (!accounts) return Status::Ok();
            const auto rows = ReadAll(tx, *accounts);
            std::vector<std::string> ids;
            for (const auto& r : rows) {
              ids.push_back(std::get<std::string>(Value(*accounts, r, "id")));
              EXPECT_TRUE(
                  std::holds_alternative<std::monostate>(Value(*accounts, r, "merged_into")));
              EXPECT_TRUE(std::holds_alternative<int64_t>(Value(*accounts, r, "created_at")));
            }
            // Bytes: upper case before lower case, "A-10" before "A-2".
            EXPECT_EQ(ids, (std::vector<std::string>{"A-1", "A-10", "A-2", "a-0"}));
            const CopyTable* orders = Find(tables, "orders");
            const auto order_rows = ReadAll(tx, *orders);
            EXPECT_EQ(order_rows.size(), 1u);
            if (order_rows.size() == 1) {
              EXPECT_EQ(std::get<double>(Value(*orders, order_rows[0], "amount")), 1234.25);
              EXPECT_EQ(std::get<int64_t>(Value(*orders, order_rows[0], "date")), 1700000000);
            }
            return Status::Ok();
          })
          .ok());
}

TEST_F(StoreContractCopy, AHubHoldsNothingUntilSomethingIsWritten) {
  InTx([&](Tx& tx) {
    auto held = tx.FirstHeldTable();
    ASSERT_TRUE(held.ok()) << held.status().ToString();
    EXPECT_FALSE(held->has_value()) << **held;  // its identity alone is no content
  });
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.SetSetting("steward_hours:2026-W10", "3").ok()); });
  InTx([&](Tx& tx) {
    auto held = tx.FirstHeldTable();
    ASSERT_TRUE(held.ok() && held->has_value());
    EXPECT_EQ(**held, "settings");
  });
}

TEST_F(StoreContractCopy, ACopyIntoAnEmptyStoreAnswersAsTheSource) {
  std::map<std::string, int64_t> serials;
  InTx([&](Tx& tx) {
    // A merged account names a survivor that sorts (and is copied, one row at a time) after it.
    Account merged = MakeAccount("A-1", "Okafor Motors");
    merged.merged_into = "A-2";
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Okafor Motors Ltd")).ok());
    ASSERT_TRUE(tx.InsertAccount(merged).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-2")).ok());
    AuditEntry e;
    e.at = 5;
    e.actor = "ada";
    e.action = "create";
    e.entity = "account";
    e.entity_id = "A-2";
    ASSERT_TRUE(tx.AppendAudit(e).ok());
    JourneyAction a;
    a.action = "call back";
    a.created_at = 9;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tx.InsertJourneyAction(a).ok());
  });
  std::string source_id;
  auto other = OpenOther();
  ASSERT_NE(other, nullptr);
  Status st = other->Transaction([&](Tx& out) -> Status {
    CX_ASSIGN_OR_RETURN(auto held, out.FirstHeldTable());
    EXPECT_FALSE(held.has_value());
    CX_ASSIGN_OR_RETURN(const auto tables, out.CopyTables());
    return store_->Read([&](Tx& in) -> Status {
      CX_ASSIGN_OR_RETURN(serials, in.CopySerials());
      CX_ASSIGN_OR_RETURN(auto id, in.GetSetting("hub_id"));
      source_id = id.value_or("");
      CX_RETURN_IF_ERROR(out.BeginCopy());
      for (const auto& t : tables) {
        CX_RETURN_IF_ERROR(in.ReadCopyRows(
            t, 1, [&](std::vector<CopyRow>& rows) { return out.AppendCopyRows(t, rows); }));
      }
      return out.FinishCopy(serials);
    });
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_GE(serials["journey_actions"], 3);
  ASSERT_FALSE(source_id.empty());
  st = other->Transaction([&](Tx& out) -> Status {
    // Every table as the source holds it.
    CX_ASSIGN_OR_RETURN(const auto tables, out.CopyTables());
    return store_->Read([&](Tx& in) -> Status {
      for (const auto& t : tables) EXPECT_EQ(ReadAll(in, t, 50), ReadAll(out, t, 50)) << t.name;
      // The same hub: its identity came along.
      CX_ASSIGN_OR_RETURN(auto id, out.GetSetting("hub_id"));
      EXPECT_EQ(id.value_or(""), source_id);
      // The name index was built from the live records only.
      CX_ASSIGN_OR_RETURN(auto ids, out.IdsByWord(NameKind::kAccount, "okafor", 10));
      EXPECT_EQ(ids, std::vector<std::string>{"A-2"});
      CX_ASSIGN_OR_RETURN(auto people, out.IdsByWord(NameKind::kContact, "obi", 10));
      EXPECT_EQ(people, std::vector<std::string>{"C-1"});
      // The next number handed out follows the copied ones.
      JourneyAction a;
      a.action = "next";
      CX_ASSIGN_OR_RETURN(int64_t seq, out.InsertJourneyAction(a));
      EXPECT_EQ(seq, 4);
      CX_ASSIGN_OR_RETURN(auto copied_serials, out.CopySerials());
      EXPECT_GE(copied_serials["audit"], 1);
      return Status::Ok();
    });
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
}

}  // namespace
}  // namespace cx
