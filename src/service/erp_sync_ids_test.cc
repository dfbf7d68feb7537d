// The ids of the accounts an ERP sync creates in a hub that holds accounts already: none is an
// id the hub has, not even one stored past the id counter (imported under its own id), and they
// are not looked up one by one (docs/store.md, "Ids").
#include <set>

#include "erp_sync_fixture.h"
#include "statement_counts.h"

namespace cx {
namespace {

using erptest::ErpSyncTest;
using erptest::kHeader;

class ErpSyncIdsTest : public ErpSyncTest {
 protected:
  // Accounts without ERP ids stored under ids of their own (the counter does not know them).
  void Hold(const std::vector<std::string>& ids) {
    ASSERT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      for (const auto& id : ids) {
                        Account a;
                        a.id = id;
                        a.name = "Held " + id;
                        a.created_at = a.updated_at = clock_;
                        CX_RETURN_IF_ERROR(tx.InsertAccount(a));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }
  // Every account's id, and the number of accounts.
  std::set<std::string> Ids(size_t* count) {
    std::set<std::string> ids;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(auto all, EveryAccount(tx));
                      *count = all.size();
                      for (const auto& a : all) ids.insert(a.id);
                      return Status::Ok();
                    })
                    .ok());
    return ids;
  }
};

TEST_F(ErpSyncIdsTest, AFirstSyncSkipsTheHubsIdsWithoutLookingEachUp) {
  // Taken ahead of the counter: two in the first numbers, one past the first 4,096.
  Hold({"A-000002", "A-000003", "A-006000"});
  // Enough customers to be new accounts made whole on the reading thread (a first sync).
  constexpr int kCustomers = 30000;
  std::string csv = kHeader;
  for (int i = 0; i < kCustomers; ++i)
    csv += "E" + std::to_string(i) + ",Trader " + std::to_string(i) +
           " Ltd,Trade,Motors,,,,Lagos,active,2026-01-05 10:00\n";
  const std::string file = Write("customers.csv", csv);

  std::optional<testing::StatementCounts> counts(std::in_place);
  Reopen();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, file, &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.created, kCustomers);
  // No account is looked up by id to number another.
  EXPECT_EQ(counts->Runs("SELECT 1 FROM accounts WHERE id"), 0);
  // The counted connection closes before the counter goes.
  store_.reset();
  counts.reset();
  Reopen();

  size_t count = 0;
  const std::set<std::string> ids = Ids(&count);
  EXPECT_EQ(count, size_t(kCustomers + 3));
  EXPECT_EQ(ids.size(), count);  // no id twice
  // The held accounts are as they were; the customers have the numbers around them.
  for (const char* id : {"A-000002", "A-000003", "A-006000"}) {
    auto a = Get(id);
    ASSERT_TRUE(a) << id;
    EXPECT_EQ(a->name, std::string("Held ") + id);
    EXPECT_EQ(a->erp_customer_id, "");
  }
  EXPECT_EQ(ByErp("E0")->id, "A-000001");
  EXPECT_EQ(ByErp("E1")->id, "A-000004");
  EXPECT_EQ(ByErp("E5996")->id, "A-005999");
  EXPECT_EQ(ByErp("E5997")->id, "A-006001");
  EXPECT_EQ(ByErp(std::to_string(kCustomers - 1).insert(0, "E"))->id, "A-030003");
}

TEST_F(ErpSyncIdsTest, ASmallSyncSkipsTheHubsIdsToo) {
  Hold({"A-000001", "A-000003"});
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + erptest::kTwo), &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.created, 2);
  EXPECT_EQ(ByErp("E1")->id, "A-000002");
  EXPECT_EQ(ByErp("E2")->id, "A-000004");
  EXPECT_EQ(Get("A-000003")->name, "Held A-000003");
}

}  // namespace
}  // namespace cx
