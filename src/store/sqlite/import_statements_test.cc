// What the new interactions of a workbook import into a hub that already holds interactions cost,
// counted as the statements the SQLite store runs (docs/store.md, "Bulk inserts of
// interactions"): each batch goes into `interactions` in one statement, whose journal copies each
// page it changes once. Before, every 32 rows were a statement of their own, and into a populated
// hub each of them copied again the index pages the rows landed on.
#include <gtest/gtest.h>

#include <optional>

#include "service/workbook_import.h"
#include "statement_counts.h"
#include "store/sqlite/db.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

using testing::StatementCounts;

// A workbook of one account, one contact and interactions numbered [from, to).
Sheets Workbook(int from, int to) {
  Sheets s = {
      {"Accounts", {{T("Account ID"), T("Company Name")}, {T("A-000001"), T("Dangote Cement")}}},
      {"Contacts",
       {{T("Contact ID"), T("Full Name"), T("Associated Account ID")},
        {T("C-000001"), T("Chinedu Okafor"), T("A-000001")}}},
      {"Interactions",
       {{T("Interaction ID"), T("Date"), T("Contact ID"), T("Channel"), T("Notes"),
         T("Next Action")}}},
  };
  auto& rows = s[2].second;
  for (int i = from; i < to; ++i) {
    rows.push_back({T("I-" + std::to_string(1000000 + i)), D(45383 + (i * 7919) % 700),
                    T("C-000001"), T("Phone"), T("call " + std::to_string(i)),
                    T(i % 4 ? "" : "Send quote")});
  }
  return s;
}

class ImportStatementsTest : public ::testing::Test {
 protected:
  ImportSummary Import(const std::string& path) {
    auto r = ImportWorkbook(hub_->ctx, path, ImportOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ImportSummary{};
  }
  TempDir dir_;
  // Set while a test counts; it outlives the hub, whose connection calls it.
  std::optional<StatementCounts> counts_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ImportStatementsTest, NewInteractionsGoInOneStatementPerBatchIntoAPopulatedHub) {
  constexpr int kHeld = 300, kNew = 2000;
  hub_ = OpenHub(dir_.path());
  ASSERT_TRUE(hub_);
  WriteXlsx(dir_.File("first.xlsx"), Workbook(0, kHeld));
  ASSERT_EQ(Import(dir_.File("first.xlsx")).sheets.at(2).created, kHeld);
  WriteXlsx(dir_.File("second.xlsx"), Workbook(0, kHeld + kNew));
  StatementCounts& counts = counts_.emplace();
  hub_ = OpenHub(dir_.path());  // the counts see the connections opened after them
  ASSERT_TRUE(hub_);
  ImportSummary s = Import(dir_.File("second.xlsx"));
  ASSERT_EQ(s.sheets.size(), 3u);
  EXPECT_EQ(s.sheets[2].created, kNew);
  EXPECT_EQ(s.sheets[2].unchanged, kHeld);
  // One statement writes the 2,000 new rows into `interactions` (63 before, 32 rows each).
  EXPECT_EQ(counts.Runs("INSERT INTO interactions"), 1);
  // Every row is stored as the sheet gave it.
  int64_t n = 0;
  std::optional<Interaction> last, quote;
  ASSERT_TRUE(
      hub_->store
          ->Transaction([&](Tx& tx) -> Status {
            CX_RETURN_IF_ERROR(
                tx.ForEachInteraction([&](const Interaction&) { return ++n, Status::Ok(); }));
            const int i = kHeld + kNew - 1;
            CX_ASSIGN_OR_RETURN(last, tx.GetInteraction("I-" + std::to_string(1000000 + i)));
            CX_ASSIGN_OR_RETURN(quote, tx.GetInteraction("I-1002000"));
            return Status::Ok();
          })
          .ok());
  EXPECT_EQ(n, kHeld + kNew);
  ASSERT_TRUE(last && quote);
  EXPECT_EQ(last->notes, "call 2299");
  EXPECT_EQ(last->contact_id, "C-000001");
  EXPECT_EQ(last->next_action, "");
  EXPECT_EQ(quote->next_action, "Send quote");
  hub_.reset();
}

// New interactions into a populated table, whose indexes stay, get a large page cache for the
// transaction (its pages land at random places of the big indexes), and the connection has the
// usual one back after the load; an import into an empty table builds its indexes at the end and
// asks for none.
TEST_F(ImportStatementsTest, NewInteractionsIntoAPopulatedHubHaveALargePageCacheForTheLoad) {
  constexpr int kHeld = 3000, kNew = 200;
  const std::string large = "PRAGMA cache_size = -" + std::to_string(256 * 1024);
  const std::string usual = "PRAGMA cache_size = -" + std::to_string(sqlite::kCacheKiB);
  WriteXlsx(dir_.File("first.xlsx"), Workbook(0, kHeld));
  WriteXlsx(dir_.File("second.xlsx"), Workbook(0, kHeld + kNew));
  {
    StatementCounts& counts = counts_.emplace();
    hub_ = OpenHub(dir_.path());
    ASSERT_TRUE(hub_);
    ASSERT_EQ(Import(dir_.File("first.xlsx")).sheets.at(2).created, kHeld);
    EXPECT_GE(counts.Runs("CREATE INDEX"), 1);  // built at the end: no cache asked for
    EXPECT_EQ(counts.Runs(large), 0);
    hub_.reset();
    counts_.reset();
  }
  StatementCounts& counts = counts_.emplace();
  hub_ = OpenHub(dir_.path());
  ASSERT_TRUE(hub_);
  ImportSummary s = Import(dir_.File("second.xlsx"));
  ASSERT_EQ(s.sheets.size(), 3u);
  EXPECT_EQ(s.sheets[2].created, kNew);
  EXPECT_EQ(s.sheets[2].unchanged, kHeld);
  EXPECT_EQ(counts.Runs("CREATE INDEX"), 0);  // the indexes stayed
  EXPECT_EQ(counts.Runs(large), 1);
  EXPECT_GE(counts.Runs(usual), 1);
  hub_.reset();
}

// A batch whose row cannot be stored names that row, as one row at a time would.
TEST_F(ImportStatementsTest, ABatchWithARowThatCannotBeStoredNamesIt) {
  hub_ = OpenHub(dir_.path());
  ASSERT_TRUE(hub_);
  WriteXlsx(dir_.File("first.xlsx"), Workbook(0, 1));
  ASSERT_EQ(Import(dir_.File("first.xlsx")).sheets.at(2).created, 1);
  std::vector<Interaction> rows(100);
  for (int i = 0; i < 100; ++i) {
    rows[i].id = "I-" + std::to_string(2000000 + i);
    rows[i].at = Timestamp(1767225600);
    rows[i].contact_id = "C-000001";
    rows[i].channel = "Phone";
  }
  rows[57].id = "I-1000000";  // already stored
  Status st = hub_->store->Transaction([&](Tx& tx) { return tx.InsertInteractions(rows); });
  EXPECT_EQ(st.code(), Code::kConflict) << st.ToString();
  EXPECT_NE(st.message().find("interaction I-1000000 cannot be stored"), std::string::npos)
      << st.ToString();
  // Nothing of the batch stayed.
  int64_t n = 0;
  ASSERT_TRUE(hub_->store
                  ->Transaction([&](Tx& tx) {
                    return tx.ForEachInteraction(
                        [&](const Interaction&) { return ++n, Status::Ok(); });
                  })
                  .ok());
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace cx
