// What a weekly ERP delta into a hub of linked accounts costs per row, counted as the statements
// the SQLite store runs (docs/operations.md, "Weekly deltas"): each changed account is read once
// (by its ERP id) and then written, and the new customers go in many to a statement, as into an
// empty hub. Before, each changed account was read a second time for its update, and each new
// customer was one INSERT (with its statement journal and its own audit row statement).
#include <optional>

#include "erp_sync_fixture.h"
#include "raw_db.h"
#include "statement_counts.h"
#include "store/sqlite/db.h"

namespace cx {
namespace {

using erptest::ErpSyncTest;
using erptest::kHeader;

using testing::StatementCounts;

class DeltaStatementsTest : public ErpSyncTest {
 protected:
  // Set while a test counts; it outlives TearDown, which closes the hub whose connection calls
  // it (so an assertion failing mid-way leaves no connection calling it after its end).
  std::optional<StatementCounts> counts_;
  static std::string Row(int i, const std::string& suffix, const std::string& modified) {
    return "C" + std::to_string(i) + ",Customer " + std::to_string(i) + " Trading " + suffix +
           ",Trade,Motors,+23480" + std::to_string(10000000 + i) + ",c" + std::to_string(i) +
           "@example.ng,1 Marina Road,Lagos,active," + modified + "\n";
  }
};

TEST_F(DeltaStatementsTest, ADeltaReadsEachChangedAccountOnceAndBatchesItsNewCustomers) {
  constexpr int kLinked = 3000, kChanged = 300, kNew = 200;
  std::string first = kHeader;
  for (int i = 0; i < kLinked; ++i) first += Row(i, "Ltd", "2026-01-05 10:00");
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("first.csv", first), &s).ok());
  ASSERT_EQ(s.created, kLinked);
  // The delta of bench/populated.sh: one account in ten renamed (the legal suffix), spread over
  // the table, and new customers after them.
  std::string delta = kHeader;
  for (int i = 0; i < kChanged; ++i) delta += Row(i * 10, "Plc", "2026-02-01 09:00");
  for (int i = 0; i < kNew; ++i) delta += Row(kLinked + i, "Ltd", "2026-02-01 09:00");
  const std::string file = Write("delta.csv", delta);
  ErpSyncSummary d;
  {
    StatementCounts& counts = counts_.emplace();
    Reopen();  // the counts see the connections opened after them
    ASSERT_TRUE(Sync(ErpKind::kCustomers, file, &d).ok());
    // One read per row of the file (by its ERP id), none again for the update (300 before).
    EXPECT_EQ(counts.Runs("SELECT", "FROM accounts WHERE erp_customer_id = ?"), kChanged + kNew);
    EXPECT_LE(counts.Runs("SELECT rowid, id, name", "FROM accounts WHERE"), 5);
    // The new customers 32 to a statement (200 statements before).
    EXPECT_GE(counts.Runs("INSERT INTO accounts", ""), 1);
    EXPECT_LE(counts.Runs("INSERT INTO accounts", ""), kNew / 32 + 2);
    store_.reset();  // its connection calls the counts until it closes
    counts_.reset();
  }
  Reopen();
  EXPECT_EQ(d.updated, kChanged);
  EXPECT_EQ(d.created, kNew);
  EXPECT_EQ(d.unchanged, 0);

  // And the hub holds what the file says, audited: the changed names, and the new accounts
  // numbered in the file's order, findable by name, each with its creation in the audit log.
  ASSERT_TRUE(
      store_
          ->Transaction([&](Tx& tx) -> Status {
            for (int i = 0; i < kChanged; ++i) {
              CX_ASSIGN_OR_RETURN(auto a, tx.FindAccountByErpId("C" + std::to_string(i * 10)));
              EXPECT_TRUE(a.has_value());
              if (a) {
                EXPECT_EQ(a->name, "Customer " + std::to_string(i * 10) + " Trading Plc");
              }
            }
            std::string last_id;
            for (int i = 0; i < kNew; ++i) {
              const std::string erp = "C" + std::to_string(kLinked + i);
              CX_ASSIGN_OR_RETURN(auto a, tx.FindAccountByErpId(erp));
              EXPECT_TRUE(a.has_value()) << erp;
              if (!a) continue;
              EXPECT_EQ(a->name, "Customer " + std::to_string(kLinked + i) + " Trading Ltd");
              EXPECT_EQ(a->divisions, "Motors");
              EXPECT_GT(a->id, last_id) << "numbered in the file's order";
              last_id = a->id;
              CX_ASSIGN_OR_RETURN(
                  auto ids, tx.IdsByWord(NameKind::kAccount, std::to_string(kLinked + i), 10));
              EXPECT_EQ(ids, std::vector<std::string>{a->id});
              AuditFilter f;
              f.entity = "account";
              f.entity_id = a->id;
              CX_ASSIGN_OR_RETURN(auto audit, tx.ListAudit(f));
              EXPECT_EQ(audit.size(), 1u) << a->id;
              if (!audit.empty()) {
                EXPECT_EQ(audit[0].action, "create");
              }
            }
            AuditFilter renamed;
            renamed.entity = "account";
            CX_ASSIGN_OR_RETURN(auto first_renamed, tx.FindAccountByErpId("C10"));
            renamed.entity_id = first_renamed ? first_renamed->id : "";
            CX_ASSIGN_OR_RETURN(auto audit, tx.ListAudit(renamed));
            bool name_change = false;
            for (const auto& e : audit)
              name_change |= e.field == "name" && e.after == "Customer 10 Trading Plc";
            EXPECT_TRUE(name_change);
            return Status::Ok();
          })
          .ok());
}

// The row a read copied is not used once any row has been written since: an account saved
// after another write to it is stored as given, every column of it.
TEST_F(DeltaStatementsTest, AnUpdateAfterAnotherWriteComparesWithTheRowAsItIsNow) {
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    Account a;
                    a.id = "A-1";
                    a.name = "Okafor Engineering Ltd";
                    a.industry = "Trade";
                    a.city = "Lagos";
                    return tx.InsertAccount(a);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    CX_ASSIGN_OR_RETURN(auto read, tx.GetAccount("A-1"));
                    if (!read) return Internal("A-1 missing");
                    Account other = *read;  // written in between, by another path of the code
                    other.industry = "Oil & Gas";
                    other.city = "Abuja";
                    CX_RETURN_IF_ERROR(tx.UpdateAccount(other));
                    Account mine = *read;  // as read before that write, one field changed
                    mine.name = "Okafor Steel Ltd";
                    CX_RETURN_IF_ERROR(tx.UpdateAccount(mine));
                    // And once more: read, another save of the row, then this one.
                    CX_ASSIGN_OR_RETURN(auto again, tx.GetAccount("A-1"));
                    CX_RETURN_IF_ERROR(tx.UpdateAccount(other));
                    if (!again) return Internal("A-1 missing");
                    again->status = "dormant";
                    return tx.UpdateAccount(*again);
                  })
                  .ok());
  auto a = Get("A-1");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->name, "Okafor Steel Ltd");
  EXPECT_EQ(a->industry, "Trade");
  EXPECT_EQ(a->city, "Lagos");
  EXPECT_EQ(a->status, "dormant");
}

// A renamed account is marked once for the duplicate index's next refresh (its id stays), and
// each new one once: the update trigger appended the same id twice per rename before.
TEST_F(DeltaStatementsTest, ADeltaMarksEachChangedAccountOnceForTheDuplicateIndex) {
  constexpr int kLinked = 400, kChanged = 40, kNew = 10;
  std::string first = kHeader;
  for (int i = 0; i < kLinked; ++i) first += Row(i, "Ltd", "2026-01-05 10:00");
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("first.csv", first), Scratch()).ok());
  std::string delta = kHeader;
  for (int i = 0; i < kChanged; ++i) delta += Row(i * 10, "Plc", "2026-02-01 09:00");
  for (int i = 0; i < kNew; ++i) delta += Row(kLinked + i, "Ltd", "2026-02-01 09:00");
  const auto marks = [&] {
    store_.reset();
    testing::RawDb raw(db_);
    auto rows = raw.Rows("SELECT count(*), count(DISTINCT id) FROM dup_dirty WHERE kind = 0");
    Reopen();
    return rows.empty() ? std::string() : rows[0];
  };
  const std::string before = marks();
  ErpSyncSummary d;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("delta.csv", delta), &d).ok());
  EXPECT_EQ(d.updated, kChanged);
  EXPECT_EQ(d.created, kNew);
  ASSERT_EQ(before, "0|0");
  EXPECT_EQ(marks(), std::to_string(kChanged + kNew) + "|" + std::to_string(kChanged + kNew));
}

// A delta that follows the order of the stored accounts (an export in ERP id order, the order
// the first sync stored them in) leaves each page behind once changed: it keeps the connection's
// page cache, where a 256 MiB one cost the million-account delta of bench/populated.sh more CPU
// time to fill than it saved, and 240 MiB more memory. A delta in no order comes back to its
// pages: once its updates go back in the table it asks for the 256 MiB.
TEST_F(DeltaStatementsTest, ADeltaInTheAccountsOrderKeepsTheConnectionsPageCache) {
  constexpr int kLinked = 3000, kChanged = 600, kStride = 5;
  std::string first = kHeader;
  for (int i = 0; i < kLinked; ++i) first += Row(i, "Ltd", "2026-01-05 10:00");
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("first.csv", first), Scratch()).ok());
  // Every fifth account renamed, in the file's order, then again in a shuffled order (257 is
  // prime to 600: each of them once).
  std::string ordered = kHeader, shuffled = kHeader;
  for (int k = 0; k < kChanged; ++k) {
    ordered += Row(k * kStride, "Plc", "2026-02-01 09:00");
    shuffled += Row((k * 257 % kChanged) * kStride, "Group", "2026-03-01 09:00");
  }
  const auto big_cache_asked = [&](const std::string& name, const std::string& csv) {
    StatementCounts& counts = counts_.emplace();
    Reopen();  // the counts see the connections opened after them
    ErpSyncSummary d;
    EXPECT_TRUE(Sync(ErpKind::kCustomers, Write(name, csv), &d).ok());
    EXPECT_EQ(d.updated, kChanged) << name;
    const int64_t asked = counts.Runs("PRAGMA cache_size = -262144");
    store_.reset();  // its connection calls the counts until it closes
    counts_.reset();
    Reopen();
    return asked;
  };
  EXPECT_EQ(big_cache_asked("ordered.csv", ordered), 0);  // 1 before
  EXPECT_EQ(big_cache_asked("shuffled.csv", shuffled), 1);
  // Both stored every change.
  for (int k : {0, 1, 299, 599}) {
    auto a = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto found, tx.FindAccountByErpId("C" + std::to_string(k * kStride)));
      if (!found) return NotFound("C" + std::to_string(k * kStride));
      EXPECT_EQ(found->name, "Customer " + std::to_string(k * kStride) + " Trading Group");
      return Status::Ok();
    });
    EXPECT_TRUE(a.ok()) << a.message();
  }
}

}  // namespace
}  // namespace cx
