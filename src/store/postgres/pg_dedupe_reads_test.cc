// Bringing the duplicate index up to date on PostgreSQL reads what the changed records need,
// not the whole index (docs/postgresql.md, "Duplicate index"). The test fills a hub of accounts
// with names of their own, builds the index, renames a few accounts and brings the index up to
// date again, reading the server's counters of the pages read from the duplicate index's tables
// meanwhile: a few per renamed record, whatever the hub's size. Before the rebuild gave the
// planner statistics, each re-filed record's old entries were deleted by a scan of every entry
// of its kind, when the statistics were those of an empty index.
// Run by the ctest entry pg_dedupe_reads (label pg) on a throwaway server.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "pg_test_hub.h"
#include "service/dedupe.h"
#include "store/open/open_store.h"
#include "store/postgres/pg_db.h"
#include "test_store_url.h"

namespace cx {
namespace {

using testing::OwnWord;

constexpr int kRenamed = 60;

// Names of their own: small blocks, so that what the refresh must read is little.
std::string NameOf(int i) { return OwnWord(i) + " " + OwnWord(i * 7 + 11) + " Trading"; }

// Renames `count` accounts, every `stride`-th from A-00000, to names of their own (each leaves
// its old blocks and joins new ones), in one transaction.
Status RenameEvery(Store& store, int count, int stride) {
  return store.Transaction([&](Tx& tx) -> Status {
    for (int i = 0; i < count; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "A-%05d", i * stride);
      CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(id));
      if (!a) return Internal(std::string("missing ") + id);
      a->name = OwnWord(i * 13 + 5) + " " + OwnWord(i * 3 + 1) + " Holdings";
      CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    }
    return Status::Ok();
  });
}

// Pages of the duplicate index's tables read so far by every connection but `db`'s own.
int64_t DupPagesRead(pg::Db& db) { return testing::TablePagesRead(db, "dup_blocks,dup_records"); }

struct Refresh {
  int64_t pages = 0;  // read by the refresh, from the duplicate index's tables
  int64_t index_pages = 0;
};

// On a new database of `server`: `accounts` accounts, the index built, kRenamed of them renamed;
// what bringing the index up to date again reads.
Refresh RenameAndRefresh(const std::string& server, int accounts) {
  Refresh out;
  const std::string url = FreshServerDatabase(server);
  EXPECT_FALSE(url.empty()) << "could not make a database on " << server;
  {
    auto store = OpenStore(url);
    EXPECT_TRUE(store.ok() && (*store)->Migrate().ok());
    if (!store.ok()) return out;
    Status st = testing::InsertNamedAccounts(**store, accounts, NameOf);
    EXPECT_TRUE(st.ok()) << st.ToString();
    // Statistics taken while the index was empty, as a `VACUUM (ANALYZE)` after `move-store`
    // (which leaves the index to be built) takes them.
    auto db = pg::Db::Connect(url);
    EXPECT_TRUE(db.ok() && (*db)->ExecScript("ANALYZE").ok());
    auto built = FindDuplicates(**store, NameKind::kAccount);  // the index is built
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    st = RenameEvery(**store, kRenamed, 31);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  auto reader = pg::Db::Connect(url);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return out;
  auto n = (*reader)->Query(
      "SELECT pg_relation_size('dup_blocks_pkey') / current_setting('block_size')::int");
  EXPECT_TRUE(n.ok() && n->Next());
  if (n.ok()) out.index_pages = n->Int(0);
  const int64_t before = DupPagesRead(**reader);
  {
    auto store = OpenStore(url);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return out;
    auto refreshed = FindDuplicates(**store, NameKind::kAccount);
    EXPECT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  }
  out.pages = DupPagesRead(**reader) - before;
  return out;
}

class PgDedupeReads : public testing::PgServerTest {
 protected:
  PgDedupeReads() : PgServerTest("pg_dedupe_reads", "PgDedupeReads") {}
};

TEST_F(PgDedupeReads, ARefreshReadsNoMoreOnABiggerHub) {
  const std::string& server = server_;
  // The same 60 renames, on hubs of 2,000 and 8,000 accounts. Each renamed record's own
  // entries by their keys, its old and new blocks: the same pages on either. Scanning the
  // kind's entries for each record reads four times as many on the bigger hub.
  const Refresh small = RenameAndRefresh(server, 2000);
  const Refresh big = RenameAndRefresh(server, 8000);
  RecordProperty("small", std::to_string(small.pages) + " of " + std::to_string(small.index_pages));
  RecordProperty("big", std::to_string(big.pages) + " of " + std::to_string(big.index_pages));
  EXPECT_GT(big.index_pages, 3 * small.index_pages);
  EXPECT_GT(small.pages, 0);
  EXPECT_LT(big.pages, small.pages * 3 / 2)
      << "the refresh of " << kRenamed << " renamed accounts read " << small.pages
      << " pages on a hub of 2,000 accounts and " << big.pages << " on a hub of 8,000";
}

// Sequential scans of the duplicate index's blocks so far by every connection but `db`'s own.
int64_t BlockScans(pg::Db& db) {
  testing::WaitForOtherConnections(db);
  auto r = db.Query(
      "SELECT COALESCE(seq_scan, 0) FROM pg_stat_user_tables WHERE relname = 'dup_blocks'");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? r->Int(0) : -1;
}

// A week's renames at once (900 of 6,000 accounts, each record's old blocks tens of thousands
// of entries in all): their old entries are found each by its key. A join of the entries with
// the table was planned as a hash join over a sequential scan of every entry of the index
// (3.4 s of a weekly pack of 40,000 accounts); the refresh now scans the blocks not once.
TEST_F(PgDedupeReads, ManyRenamesDeleteTheirOldBlocksByKey) {
  const std::string& server = server_;
  const std::string url = FreshServerDatabase(server);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server;
  constexpr int kAccounts = 6000, kMany = 900;  // under 1,000: brought up to date, not rebuilt
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    ASSERT_TRUE(testing::InsertNamedAccounts(**store, kAccounts, NameOf).ok());
    auto built = FindDuplicates(**store, NameKind::kAccount);  // built, and analysed
    ASSERT_TRUE(built.ok()) << built.status().ToString();
    Status st = RenameEvery(**store, kMany, 6);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const int64_t before = BlockScans(**reader);
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto refreshed = FindDuplicates(**store, NameKind::kAccount);
    ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  }
  EXPECT_EQ(BlockScans(**reader) - before, 0)
      << "bringing the index up to date after " << kMany << " renames scanned dup_blocks whole";
  // The renamed accounts' old blocks are gone: the index holds what a rebuild would.
  auto r = (*reader)->Query(
      "SELECT count(*) FROM dup_blocks WHERE kind = 0 AND id NOT IN (SELECT id FROM "
      "dup_records WHERE kind = 0) OR (kind, id, hash) NOT IN (SELECT kind, id, unnest(hashes) "
      "FROM dup_records)");
  ASSERT_TRUE(r.ok() && r->Next()) << (r.ok() ? "" : r.status().ToString());
  EXPECT_EQ(r->Int(0), 0) << "blocks left of records filed elsewhere";
}

// Reading an index that is up to date does not count its records: the count is kept in
// dup_state (0073). Counting dup_records visited every row whose page was not all-visible, and
// weeks of re-filed records leave most of them so (70-120 ms a kind, four counts a weekly pack,
// at the KPI benchmark's scale 0.2).
TEST_F(PgDedupeReads, AnUpToDateIndexIsReadWithoutCountingItsRecords) {
  const std::string& server = server_;
  const std::string url = FreshServerDatabase(server);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server;
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    ASSERT_TRUE(testing::InsertNamedAccounts(**store, 300, NameOf).ok());
    auto built = FindDuplicates(**store, NameKind::kAccount);
    ASSERT_TRUE(built.ok()) << built.status().ToString();
  }
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto scans = [&]() -> int64_t {
    testing::WaitForOtherConnections(**reader);
    auto r = (*reader)->Query(
        "SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE "
        "relname = 'dup_records'");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->Next() ? r->Int(0) : -1;
  };
  const int64_t before = scans();
  DedupeStats stats;
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto again = FindDuplicates(**store, NameKind::kAccount, &stats);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
  }
  EXPECT_EQ(stats.records, 300);  // the count kept is the count
  EXPECT_EQ(scans() - before, 0) << "reading an up-to-date index read dup_records";
}

}  // namespace
}  // namespace cx
