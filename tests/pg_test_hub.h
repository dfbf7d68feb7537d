// Helpers of the tests that read the PostgreSQL server's own counters (pg_*_reads_test.cc): a
// hub of accounts with names of their own, and the wait for the other connections to end (a
// backend hands over its counts as it ends).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>

#include "store/postgres/pg_db.h"
#include "store/store.h"

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

}  // namespace cx::testing
