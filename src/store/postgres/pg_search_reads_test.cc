// A search on PostgreSQL reads what its words need, never a big table whole nor a common word's
// every entry (docs/postgresql.md, "Search"). The test fills a hub whose names share a few
// common words (each under thousands of records) beside a word of their own, runs search-first
// lookups (typed as people type: a typo, capitals) and searches as one types, and reads the
// server's own counters of what the store's connection did (pg_stat_user_tables and
// pg_stat_user_indexes): no sequential scan of a table that holds the hub's records, and a
// bounded number of rows read per look-up. It runs twice: right after the load, before the
// planner has statistics of the tables (as a search just after a first sync), and after ANALYZE.
// Run by the ctest entry pg_search_reads (label pg) on a throwaway server.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "base/text.h"
#include "pg_test_hub.h"
#include "service/match.h"
#include "store/open/open_store.h"
#include "store/postgres/pg_db.h"
#include "test_store_url.h"

namespace cx {
namespace {

using testing::OwnWord;

constexpr int kAccounts = 4000;
const char* const kCommon[] = {"Nordic", "Atlas", "Harbor", "Summit"};

// The tables a search reads that grow with the hub.
const std::set<std::string> kHubTables = {"accounts", "contacts", "name_entries", "name_variants",
                                          "name_words"};

// "Nordic Atlas Bakeli Trading": two common words of four and a word of its own.
std::string NameOf(int i) {
  return std::string(kCommon[i % 4]) + " " + kCommon[(i / 4 + 1 + i % 4) % 4] + " " + OwnWord(i) +
         " Trading";
}

struct Counters {
  std::map<std::string, int64_t> seq_scans;  // per table
  std::map<std::string, int64_t> rows;       // per table: index entries and rows read in turn
  int64_t rows_read = 0;                     // over all of them
};

// What every connection but `db`'s own has done to the hub's tables so far. Waits for the other
// client connections of the database to end first: a backend hands over its counts as it ends.
Counters Read(pg::Db& db) {
  testing::WaitForOtherConnections(db);
  Counters c;
  auto t = db.Query(
      "SELECT relname::text, COALESCE(seq_scan, 0), COALESCE(seq_tup_read, 0) FROM "
      "pg_stat_user_tables");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  while (t.ok() && t->Next()) {
    if (!kHubTables.count(t->Text(0))) continue;
    c.seq_scans[t->Text(0)] = t->Int(1);
    c.rows[t->Text(0)] += t->Int(2);
    c.rows_read += t->Int(2);
  }
  auto i = db.Query("SELECT relname::text, COALESCE(idx_tup_read, 0) FROM pg_stat_user_indexes");
  EXPECT_TRUE(i.ok()) << i.status().ToString();
  while (i.ok() && i->Next())
    if (kHubTables.count(i->Text(0))) {
      c.rows[i->Text(0)] += i->Int(1);
      c.rows_read += i->Int(1);
    }
  return c;
}

class PgSearchReads : public testing::PgServerTest {
 protected:
  PgSearchReads() : PgServerTest("pg_search_reads", "PgSearchReads") {}
};

TEST_F(PgSearchReads, LookupsReadNoTableWholeAndNoCommonWordWhole) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Migrate().ok());
    Status st = testing::InsertNamedAccounts(**store, kAccounts, NameOf);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (const bool analyzed : {false, true}) {
    SCOPED_TRACE(analyzed ? "after ANALYZE" : "before the tables have statistics");
    if (analyzed) {
      ASSERT_TRUE((*reader)->ExecScript("ANALYZE").ok());
    }
    const Counters before = Read(**reader);
    int lookups = 0;
    {
      auto store = OpenStore(url);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      for (int n = 0; n < 20; ++n) {
        const int i = n * 197 % kAccounts;
        std::string name = NameOf(i);
        if (n % 3 == 1) std::swap(name[2], name[3]);  // a typo in the first word
        if (n % 3 == 2) {
          for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
        }
        Status st = (*store)->Transaction([&](Tx& tx) -> Status {
          MatchKeys probe{"", name, CompanyKey(name), "", "", ""};
          CX_ASSIGN_OR_RETURN(auto found, FindProbableDuplicates(tx, NameKind::kAccount, probe));
          char id[16];
          std::snprintf(id, sizeof id, "A-%05d", i);
          bool hit = false;
          for (const auto& m : found) hit = hit || m.id == id;
          EXPECT_TRUE(hit) << "search-first for '" << name << "' missed its record";
          // And the search as one types the same name, its last word cut short.
          CX_ASSIGN_OR_RETURN(auto typed, Search(tx, name.substr(0, name.size() - 4), 10));
          EXPECT_FALSE(typed.empty()) << name;
          return Status::Ok();
        });
        ASSERT_TRUE(st.ok()) << st.ToString();
        ++lookups;
      }
    }
    const Counters after = Read(**reader);
    for (const auto& [table, scans] : after.seq_scans) {
      const int64_t was = before.seq_scans.count(table) ? before.seq_scans.at(table) : 0;
      EXPECT_EQ(scans - was, 0) << "a search read the table " << table << " sequentially";
    }
    // A look-up (search-first, then the search as one types) reads about 1,500 rows here
    // whatever the hub holds: twice the keys of the 200 candidates match.cc asks for, the first
    // 200 ids of the words it asks for, its rare word's records and a few words' counts. Each
    // common word names 2,000 records: counting or joining its entries once passes the bound.
    const int64_t per_lookup = (after.rows_read - before.rows_read) / lookups;
    std::string by_table;
    for (const auto& [table, rows] : after.rows)
      by_table += " " + table + " " + std::to_string((rows - before.rows.at(table)) / lookups);
    EXPECT_LT(per_lookup, 2500) << "rows read per search-first look-up and search:" << by_table;
    std::printf("[ reads    ] %s: %lld rows per look-up:%s\n", analyzed ? "analyzed" : "fresh",
                static_cast<long long>(per_lookup), by_table.c_str());
  }
}

}  // namespace
}  // namespace cx
