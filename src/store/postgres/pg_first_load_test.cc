// A first load into an empty PostgreSQL hub builds the name index's keys once, with a sort at
// the commit, instead of putting each entry into them (docs/postgresql.md, "The name index of a
// first load"), and ends with the same index as the same records written row by row: the same
// entries, variants and words' counts, the same searches, the keys back and the index usable
// at once. The server's own counters (pg_statio_user_indexes) tell how the keys were kept: an
// entry put into a B-tree pins its page in the shared buffers; a build by sort writes its pages
// without them. Run by the ctest entry pg_first_load (label pg) on a throwaway server.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/text.h"
#include "pg_test_hub.h"
#include "service/match.h"
#include "store/open/open_store.h"
#include "store/postgres/pg_db.h"
#include "test_store_url.h"

namespace cx {
namespace {

constexpr int kAccounts = 3000;
const char* const kCommon[] = {"Nordic", "Atlas", "Harbor", "Summit", "Crown"};

Account AccountOf(int i) {
  Account a;
  char id[16];
  std::snprintf(id, sizeof id, "A-%05d", i);
  a.id = id;
  // Two common words and a word of its own (letters: it has deletion variants).
  std::string own;
  for (int n = i, s = 0; s < 3; ++s, n /= 20) own += "bdfgklmnprstvzhjcwxy"[n % 20];
  own += "ia";
  a.name = std::string(kCommon[i % 5]) + " " + kCommon[(i / 5) % 5] + " " + own + " Ltd";
  a.erp_customer_id = "E" + std::to_string(i);
  a.created_at = a.updated_at = 1;
  return a;
}

// The blocks of the name index's keys that went through the buffers (pg_test_hub.h).
int64_t KeyBlocksTouched(pg::Db& db) {
  return testing::IndexBlocksRead(db, "relname IN ('name_entries', 'name_words')");
}

// The name index whole, as text: every entry, variant and count, in key order.
std::string IndexDump(pg::Db& db) {
  std::string out;
  for (const char* sql :
       {"SELECT kind || ' ' || word || ' ' || id FROM name_entries ORDER BY kind, word, id",
        "SELECT kind || ' ' || variant || ' ' || word FROM name_variants ORDER BY 1",
        "SELECT kind || ' ' || word || ' ' || records FROM name_words ORDER BY kind, word"}) {
    auto r = db.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    while (r.ok() && r->Next()) out += r->Text(0) + "\n";
    out += "--\n";
  }
  return out;
}

// The primary keys of the name index's tables, as the catalog has them.
int Keys(pg::Db& db) {
  auto r = db.Query(
      "SELECT count(*) FROM pg_constraint k JOIN pg_index i ON i.indexrelid = k.conindid WHERE "
      "k.contype = 'p' AND i.indisvalid AND k.conrelid IN ('name_entries'::regclass, "
      "'name_variants'::regclass, 'name_words'::regclass)");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? int(r->Int(0)) : -1;
}

// Writes the accounts into a new hub: announced as a first load, in batches of 500 as an ERP
// sync does (bulk), or one statement each after a first account (row by row).
std::string Load(bool bulk) {
  const std::string url = FreshServerDatabase(TestServerUrl());
  EXPECT_FALSE(url.empty());
  auto store = OpenStore(url);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return "";
  EXPECT_TRUE((*store)->Migrate().ok());
  int from = 0;
  if (!bulk) {
    // The index then holds an entry of the kind: every later one goes in beside the stored.
    EXPECT_TRUE((*store)->Transaction([&](Tx& tx) { return tx.InsertAccount(AccountOf(0)); }).ok());
    from = 1;
  }
  Status st = (*store)->Transaction([&](Tx& tx) -> Status {
    if (bulk) {
      CX_RETURN_IF_ERROR(
          tx.ExpectBulkLoad(Entity::kAccount, kAccounts, BulkShape::kErpLinkedUnowned).status());
    }
    std::vector<KeyedAccount> keyed;
    for (int i = from; i < kAccounts; ++i) keyed.push_back(KeyAccount(AccountOf(i)));
    for (size_t at = 0; at < keyed.size(); at += 500) {
      std::vector<const KeyedAccount*> batch;
      for (size_t i = at; i < std::min(keyed.size(), at + 500); ++i) batch.push_back(&keyed[i]);
      if (bulk) {
        CX_RETURN_IF_ERROR(tx.InsertAccounts(batch));
      } else {
        for (const KeyedAccount* k : batch) CX_RETURN_IF_ERROR(tx.InsertAccount(k->account));
      }
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return url;
}

TEST(PgFirstLoad, BuildsTheNameKeysOnceAndAnswersAsRowByRow) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u)
      << "needs a PostgreSQL server: run it through ctest (entry pg_first_load) or "
         "tests/pg_server.py run -- cxhub_tests --gtest_filter=PgFirstLoad*";
  const std::string bulk_url = Load(true), rows_url = Load(false);
  ASSERT_FALSE(bulk_url.empty());
  ASSERT_FALSE(rows_url.empty());
  auto bulk = pg::Db::Connect(bulk_url);
  auto rows = pg::Db::Connect(rows_url);
  ASSERT_TRUE(bulk.ok() && rows.ok());
  // Put entry by entry, the keys' pages are pinned for each of the 12,000 entries and 3,000
  // words; built by sort, hardly at all.
  const int64_t touched = KeyBlocksTouched(**bulk);
  EXPECT_LT(touched, kAccounts / 10) << "the first load put its entries into the keys one by one";
  EXPECT_EQ(Keys(**bulk), 3) << "the name index's keys are not all back after the load";
  const std::string dump = IndexDump(**bulk);
  EXPECT_GT(dump.size(), size_t(kAccounts) * 20);
  EXPECT_EQ(dump, IndexDump(**rows)) << "the first load's name index differs from row by row's";
  // The same searches on both, and the keys keep a record out of the index twice.
  for (const std::string& url : {bulk_url, rows_url}) {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok());
    Status st = (*store)->Transaction([&](Tx& tx) -> Status {
      for (int i : {7, 1234, 2999}) {
        const std::string name = AccountOf(i).name;
        MatchKeys probe{"", name, CompanyKey(name), "", "", ""};
        CX_ASSIGN_OR_RETURN(auto found, FindProbableDuplicates(tx, NameKind::kAccount, probe));
        bool hit = false;
        for (const auto& m : found) hit = hit || m.id == AccountOf(i).id;
        EXPECT_TRUE(hit) << url << ": search-first for '" << name << "' missed its record";
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    auto db = pg::Db::Connect(url);
    ASSERT_TRUE(db.ok());
    EXPECT_FALSE((*db)
                     ->ExecScript("INSERT INTO name_entries (kind, word, id) SELECT kind, word, "
                                  "id FROM name_entries LIMIT 1")
                     .ok());
  }
}

// A record renamed in the middle of a first load, after a run of entries went in without the
// keys: the keys go back on for the rest of the load, and the index holds the new name only.
TEST(PgFirstLoad, ARenameDuringTheLoadPutsTheKeysBack) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u) << "needs a PostgreSQL server";
  const std::string url = FreshServerDatabase(TestServerUrl());
  auto store = OpenStore(url);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Migrate().ok());
  // Three words each: past the 2^19 entries the store holds, a first run is written.
  const int n = 180000;
  Status st = (*store)->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(
        tx.ExpectBulkLoad(Entity::kAccount, n, BulkShape::kErpLinkedUnowned).status());
    std::vector<KeyedAccount> keyed;
    for (int i = 0; i < n; ++i) keyed.push_back(KeyAccount(AccountOf(i)));
    for (size_t at = 0; at < keyed.size(); at += 1024) {
      std::vector<const KeyedAccount*> batch;
      for (size_t i = at; i < std::min(keyed.size(), at + 1024); ++i) batch.push_back(&keyed[i]);
      CX_RETURN_IF_ERROR(tx.InsertAccounts(batch));
    }
    Account renamed = AccountOf(5);
    renamed.name = "Quokka Renamed Holdings";
    return tx.UpdateAccount(renamed);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto db = pg::Db::Connect(url);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(Keys(**db), 3);
  auto r = (*db)->Query(
      "SELECT (SELECT count(*) FROM name_entries WHERE id = 'A-00005'), (SELECT records FROM "
      "name_words WHERE word = 'quokka'), (SELECT records FROM name_words WHERE word = 'nordic'), "
      "(SELECT count(*) FROM name_entries WHERE word = 'nordic')");
  ASSERT_TRUE(r.ok() && r->Next()) << r.status().ToString();
  EXPECT_EQ(r->Int(0), 3);  // quokka, renamed, holdings
  EXPECT_EQ(r->Int(1), 1);
  EXPECT_EQ(r->Int(2), r->Int(3));
}

}  // namespace
}  // namespace cx
