// The name index during a first ERP sync into a hub that already holds accounts (a workbook,
// without ERP ids): the sync's names go into the index in one merge at its end, as into an
// empty hub (docs/store.md, "The SQLite backend: writing"). Before, they went in by runs of a
// million entries on the writing thread, and every run read and rewrote the blocks of each
// word the hub's own names already had.
#include "erp_sync_fixture.h"
#include "statement_counts.h"

namespace cx {
namespace {

using erptest::ErpSyncTest;
using erptest::kHeader;

// Words of the hub's own names that every customer's name has too.
const char* const kShared[] = {"kola",  "palm", "cocoa", "yam",  "cassava", "millet", "sorghum",
                               "maize", "rice", "beans", "okra", "pepper",  "ginger", "sesame"};
constexpr int kSharedWords = int(sizeof kShared / sizeof kShared[0]);

class ErpSyncNamesTest : public ErpSyncTest {};

TEST_F(ErpSyncNamesTest, APopulatedNameIndexTakesAFirstSyncsNamesInOneMerge) {
  // The hub's accounts, without ERP ids: each has every shared word and a word of its own.
  constexpr int kHeld = 200;
  std::string shared;
  for (const char* w : kShared) shared += std::string(shared.empty() ? "" : " ") + w;
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    std::vector<KeyedAccount> keyed;
                    for (int i = 0; i < kHeld; ++i) {
                      Account a;
                      CX_ASSIGN_OR_RETURN(a.id, tx.NextId("A"));
                      a.name = shared + " Holding" + std::to_string(i);
                      a.created_at = a.updated_at = clock_;
                      keyed.push_back(KeyAccount(std::move(a)));
                    }
                    std::vector<const KeyedAccount*> rows;
                    for (const auto& k : keyed) rows.push_back(&k);
                    return tx.InsertAccounts(rows);
                  })
                  .ok());
  // Enough customers that their names' entries (fifteen each) pass a million: the size of a
  // run before.
  constexpr int kCustomers = 72000;
  static_assert(int64_t(kCustomers) * (kSharedWords + 1) > (int64_t(1) << 20));
  std::string csv = kHeader;
  csv.reserve(size_t(kCustomers) * 160);
  for (int i = 0; i < kCustomers; ++i)
    csv += "E" + std::to_string(i) + "," + shared + " Trader" + std::to_string(i) +
           ",Trade,Motors,,,,Lagos,active,2026-01-05 10:00\n";
  const std::string file = Write("customers.csv", csv);
  csv.clear();

  // Counted on a connection opened after the counter (which it calls), closed before it goes.
  std::optional<testing::StatementCounts> counts(std::in_place);
  Reopen();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, file, &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.created, kCustomers);
  // Each shared word's last block took the sync's accounts once (it is deleted and written
  // again with them); a run of its own each would have rewritten it again.
  EXPECT_LE(counts->Runs("DELETE FROM name_postings"), kSharedWords);

  // Search finds the hub's accounts and the sync's under a shared word, and a customer under
  // its own word.
  ASSERT_TRUE(
      store_
          ->Transaction([&](Tx& tx) -> Status {
            CX_ASSIGN_OR_RETURN(auto all, tx.IdsByWord(NameKind::kAccount, "sesame", 1 << 30));
            EXPECT_EQ(all.size(), size_t(kHeld + kCustomers));
            CX_ASSIGN_OR_RETURN(auto own, tx.IdsByWord(NameKind::kAccount, "trader71999", 10));
            EXPECT_EQ(own.size(), 1u);
            CX_ASSIGN_OR_RETURN(auto a, tx.FindAccountByErpId("E71999"));
            EXPECT_TRUE(a && !own.empty() && own[0] == a->id);
            return Status::Ok();
          })
          .ok());
  store_.reset();
}

}  // namespace
}  // namespace cx
