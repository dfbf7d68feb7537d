// Helpers of the tests that read the PostgreSQL server's own counters (pg_*_reads_test.cc): the
// throwaway server their ctest entry starts, a hub of accounts with names of their own, the wait
// for the other connections to end (a backend hands over its counts as it ends) and the pages
// of tables read.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include "store/postgres/pg_db.h"
#include "store/store.h"
#include "test_store_url.h"

namespace cx::testing {

// A word of its own for `i`: three syllables of 16 × 5 (as long as a common word of names).
inline std::string OwnWord(int i) {
  static const char kC[] = "bdfgklmnprstvzhj", kV[] = "aeiou";
  std::string w;
  for (int s = 0; s < 3; ++s, i /= 80) {
    w += kC[i % 16];
    w += kV[i / 16 % 5];
  }
  w[0] = char(w[0] - 'a' + 'A');
  return w;
}

// Accounts A-00000… named name_of(i), in one transaction.
inline Status InsertNamedAccounts(Store& store, int n,
                                  const std::function<std::string(int)>& name_of) {
  return store.Transaction([&](Tx& tx) -> Status {
    for (int i = 0; i < n; ++i) {
      Account a;
      char id[16];
      std::snprintf(id, sizeof id, "A-%05d", i);
      a.id = id;
      a.name = name_of(i);
      a.created_at = a.updated_at = 1;
      CX_RETURN_IF_ERROR(tx.InsertAccount(a));
    }
    return Status::Ok();
  });
}

// Waits until `db` is the database's only client connection, then drops the cached snapshot of
// the statistics, so that what is read next holds every other connection's counts.
inline void WaitForOtherConnections(pg::Db& db) {
  for (int i = 0; i < 200; ++i) {
    auto r = db.Query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid() AND backend_type = 'client backend'");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || (r->Next() && r->Int(0) == 0)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(db.ExecScript("SELECT pg_stat_clear_snapshot()").ok());
}

// Pages of `tables` (comma-separated names; heap and indexes, from disk or the buffers) read so
// far by every connection but `db`'s own: pages, not rows (rows a scan passes over without
// returning them are not counted).
inline int64_t TablePagesRead(pg::Db& db, const std::string& tables) {
  WaitForOtherConnections(db);
  auto r = db.Query(
      "SELECT COALESCE(sum(COALESCE(heap_blks_read, 0) + COALESCE(heap_blks_hit, 0) + "
      "COALESCE(idx_blks_read, 0) + COALESCE(idx_blks_hit, 0)), 0)::bigint FROM "
      "pg_statio_user_tables WHERE relname = ANY(string_to_array($1, ','))",
      pg::Params().Add(tables));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? r->Int(0) : -1;
}

// Index blocks (from disk or the buffers) of the indexes `where` picks from
// pg_statio_user_indexes (a condition on relname or indexrelname), read so far by every
// connection but `db`'s own.
inline int64_t IndexBlocksRead(pg::Db& db, const std::string& where) {
  WaitForOtherConnections(db);
  auto r = db.Query(
      "SELECT coalesce(sum(coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0)), 0) FROM "
      "pg_statio_user_indexes WHERE " +
      where);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? r->Int(0) : -1;
}

// A test that needs the throwaway PostgreSQL server its ctest entry starts (its URL in
// CXHUB_TEST_STORE_URL), in `server_`.
class PgServerTest : public ::testing::Test {
 protected:
  // `entry`: the ctest entry that starts the server; `suite`: the test suite's name.
  PgServerTest(const char* entry, const char* suite) : entry_(entry), suite_(suite) {}
  void SetUp() override {
    server_ = TestServerUrl();
    ASSERT_EQ(server_.rfind("postgresql://", 0), 0u)
        << "needs a PostgreSQL server: run it through ctest (entry " << entry_
        << ") or tests/pg_server.py run -- cxhub_tests --gtest_filter=" << suite_ << "*";
  }
  std::string server_;

 private:
  const char* entry_;
  const char* suite_;
};

}  // namespace cx::testing
