// An account update writes what changed, not every column: a weekly ERP delta updates thousands
// of accounts spread over the whole table, and an UPDATE naming every column rewrote the
// account's entry in each of the table's indexes and its name index blocks, so that the
// delta's commit wrote nearly the whole table and all its indexes (docs/store.md, "Writing
// what changed"). Counted here as the pages the commit puts in the write-ahead log.
#include <filesystem>

#include "base/text.h"
#include "hub_fixture.h"
#include "raw_db.h"

namespace cx {
namespace {

class UpdatePagesTest : public testing::HubTest {
 protected:
  // Pages in the write-ahead log now (its header is 32 bytes, each frame 24 plus a page).
  int64_t WalFrames(testing::RawDb& raw) {
    const std::string wal = dir_ + "/hub.db-wal";
    if (!std::filesystem::exists(wal)) return 0;
    const int64_t page = raw.Int("PRAGMA page_size");
    const auto bytes = int64_t(std::filesystem::file_size(wal));
    return bytes <= 32 ? 0 : (bytes - 32) / (24 + page);
  }
};

TEST_F(UpdatePagesTest, AnErpDeltaWritesAboutAPagePerAccountChanged) {
  constexpr int kAccounts = 20000, kStep = 100;
  const char* kWords[] = {"Alpha", "Sahel", "Delta", "Niger", "Zenith", "Crown", "Royal", "Prime"};
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; ++i) {
      Account a;
      a.id = "A-" + std::to_string(100000 + i);
      a.name =
          std::string(kWords[i % 8]) + " " + kWords[(i / 8) % 8] + " " + std::to_string(i) + " Ltd";
      a.erp_customer_id = "C" + std::to_string(i);
      a.phone = "+23480" + std::to_string(10000000 + i);
      a.email = "c" + std::to_string(i) + "@example.ng";
      a.city = "Lagos";
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  testing::RawDb raw(dir_ + "/hub.db");
  raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_EQ(WalFrames(raw), 0);
  // The delta of bench/populated.sh: the legal suffix changes (the name's words do not) and the
  // time of the change, for one account in a hundred, spread over the table.
  int changed = 0;
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; i += kStep) {
      auto a = tx.GetAccount("A-" + std::to_string(100000 + i));
      ASSERT_TRUE(a.ok() && a->has_value());
      Account& acc = **a;
      acc.name = acc.name.substr(0, acc.name.size() - 3) + "Plc";
      acc.updated_at += 60;
      ASSERT_TRUE(tx.UpdateAccount(acc).ok());
      ++changed;
    }
  });
  // One table page per account (200 of some 800) and one of the index of search's keys
  // (accounts_match, migration 0049: it holds the name, so a rename rewrites its entry), and a
  // few for the duplicate index's log of changed records and the inner pages. Writing every
  // column put some 700 more pages in the log: index pages, and the name index blocks of every
  // word of every name.
  const int64_t frames = WalFrames(raw);
  EXPECT_GT(frames, changed / 2);
  EXPECT_LE(frames, 2 * changed + changed / 4)
      << frames << " pages written for " << changed << " accounts changed";
  // And the accounts read back as written, found by their unchanged words.
  InTx([&](Tx& tx) {
    auto a = tx.GetAccount("A-" + std::to_string(100000 + kStep));
    ASSERT_TRUE(a.ok() && a->has_value());
    const std::string name = std::string(kWords[kStep % 8]) + " " + kWords[(kStep / 8) % 8] + " " +
                             std::to_string(kStep) + " Plc";
    EXPECT_EQ((*a)->name, name);
    auto ids = tx.IdsByWord(NameKind::kAccount, std::to_string(kStep), 10);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids, std::vector<std::string>{"A-" + std::to_string(100000 + kStep)});
    auto keys = tx.FindByKeys(NameKind::kAccount, CompanyKey(name), "", "");
    ASSERT_TRUE(keys.ok());
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ((*keys)[0].name, name);
  });
}

// A rename that changes the words moves the record in the name index; a merge takes it out.
TEST_F(UpdatePagesTest, ChangedWordsMoveInTheNameIndex) {
  InTx([&](Tx& tx) {
    Account a;
    a.id = "A-1";
    a.name = "Okafor Engineering Ltd";
    ASSERT_TRUE(tx.InsertAccount(a).ok());
    Account b;
    b.id = "A-2";
    b.name = "Okafor Foods";
    ASSERT_TRUE(tx.InsertAccount(b).ok());
  });
  InTx([&](Tx& tx) {
    auto a = tx.GetAccount("A-1");
    ASSERT_TRUE(a.ok() && a->has_value());
    (*a)->name = "Okafor Steel Ltd";
    ASSERT_TRUE(tx.UpdateAccount(**a).ok());
  });
  InTx([&](Tx& tx) {
    auto ids = [&](const char* word) {
      auto r = tx.IdsByWord(NameKind::kAccount, word, 10);
      EXPECT_TRUE(r.ok());
      return r.ok() ? *r : std::vector<std::string>{};
    };
    EXPECT_TRUE(ids("engineering").empty());
    EXPECT_EQ(ids("steel"), std::vector<std::string>{"A-1"});
    EXPECT_EQ(ids("okafor"), (std::vector<std::string>{"A-1", "A-2"}));
    auto b = tx.GetAccount("A-2");
    ASSERT_TRUE(b.ok() && b->has_value());
    (*b)->merged_into = "A-1";
    ASSERT_TRUE(tx.UpdateAccount(**b).ok());
    EXPECT_EQ(ids("okafor"), std::vector<std::string>{"A-1"});
    EXPECT_TRUE(ids("foods").empty());
  });
}

}  // namespace
}  // namespace cx
