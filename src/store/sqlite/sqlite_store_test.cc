// Tests for the SQLite store: migrations, transactions, the audit log, backup, ids.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "base/embedded.h"
#include "base/text.h"
#include "hub_fixture.h"
#include "store/store.h"

namespace cx {
namespace {

using testing::HubTest;

class SqliteStoreTest : public HubTest {};

// The values of column `column` of every row of `sql`, each followed by ';'.
std::string Column(sqlite3* db, const char* sql, int column = 0) {
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    out += reinterpret_cast<const char*>(sqlite3_column_text(s, column));
    out += ';';
  }
  sqlite3_finalize(s);
  return out;
}

Account MakeAccount(const std::string& id, const std::string& name) {
  Account a;
  a.id = id;
  a.name = name;
  a.created_at = a.updated_at = 1;
  return a;
}

TEST_F(SqliteStoreTest, UsesWalAndEnforcesForeignKeys) {
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/hub.db-wal"));
  Status st = store_->Transaction([&](Tx& tx) {
    Contact c;
    c.id = "C-1";
    c.full_name = "Nobody";
    c.account_id = "A-404";  // no such account
    return tx.InsertContact(c);
  });
  EXPECT_FALSE(st.ok());
}

TEST_F(SqliteStoreTest, AuditLogIsAppendOnly) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(
        tx.AppendAudit(AuditEntry{0, 5, "ada", "update", "account", "A-1", "owner", "x", "y", ""})
            .ok());
  });
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET actor = 'mallory'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenStore("sqlite:" + dir_ + "/hub.db");
  ASSERT_TRUE(s.ok());
  store_ = std::move(*s);
  InTx([&](Tx& tx) {
    auto entries = tx.ListAudit(AuditFilter{});
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].actor, "ada");
  });
}

TEST_F(SqliteStoreTest, BackupIsAConsistentCopyWhileOpen) {
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha Motors")).ok()); });
  std::string copy = dir_ + "/backup.db";
  ASSERT_TRUE(store_->Backup(copy).ok());
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Beta Foods")).ok()); });
  auto b = OpenStore("sqlite:" + copy);
  ASSERT_TRUE(b.ok());
  Status st = (*b)->Transaction([&](Tx& tx) -> Status {
    EXPECT_TRUE(tx.GetAccount("A-1")->has_value());
    EXPECT_FALSE(tx.GetAccount("A-2")->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_FALSE(store_->Backup("/nonexistent-dir/x.db").ok());
}

// The variants table holds only real deletion variants: a word is found as itself through the
// vocabulary (a number, which has no other variant, writes no variant row at all).
TEST_F(SqliteStoreTest, NameIndexFindsWordsAsThemselvesWithoutIdentityVariants) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Cube 65 Clinic")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Clinical Supplies")).ok());
  });
  InTx([&](Tx& tx) {
    auto words = [&](const std::string& q) {
      std::set<std::string> out;
      auto found = tx.WordsByVariants(NameKind::kAccount, DeletionVariants(q));
      EXPECT_TRUE(found.ok()) << found.status().ToString();
      if (!found.ok()) return out;
      const std::vector<IndexedWord>& list = *found;
      for (const auto& w : list) out.insert(w.word);
      return out;
    };
    EXPECT_EQ(words("65"), std::set<std::string>{"65"});
    EXPECT_EQ(words("clinic"), (std::set<std::string>{"clinic"}));
    EXPECT_EQ(words("clinc"), (std::set<std::string>{"clinic"}));       // a letter left out
    EXPECT_EQ(words("clinics"), (std::set<std::string>{"clinic"}));     // one too many
    EXPECT_EQ(words("supplies"), (std::set<std::string>{"supplies"}));  // as itself
  });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  EXPECT_EQ(Column(db, "SELECT count(*) FROM word_variants WHERE variant = word"), "0;");
  EXPECT_EQ(Column(db, "SELECT count(*) FROM word_variants WHERE word = '65'"), "0;");
  EXPECT_EQ(Column(db, "SELECT count(*) > 0 FROM word_variants WHERE word = 'clinic'"), "1;");
  sqlite3_close(db);
}

// A stale index row (here, an account renamed behind the store's back) is not counted twice
// when the name is indexed again: the word's count comes from the index itself.
TEST_F(SqliteStoreTest, NameIndexCountsStayExactOverStaleRows) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha Trading")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Alpha Foods")).ok());
  });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE accounts SET name = 'Gamma Foods' WHERE id = 'A-2'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  InTx([&](Tx& tx) {
    Account a = MakeAccount("A-2", "Alpha Foods");
    ASSERT_TRUE(tx.UpdateAccount(a).ok());
    auto words = tx.WordsByPrefix(NameKind::kAccount, "alph", 5);
    ASSERT_EQ(words->size(), 1u);
    EXPECT_EQ((*words)[0].records, 2);  // not three
    EXPECT_EQ(tx.IdsByWord(NameKind::kAccount, "alpha", 10)->size(), 2u);
  });
}

// The blocks of one word with far more records than a block holds, filled by a first load,
// then by later transactions in no particular order, then thinned out by renames: every
// block holds at most 64 ids in order under its first, blocks do not overlap, and the word
// lists exactly its records in id order with their count.
TEST_F(SqliteStoreTest, NameIndexBlocksStayOrderedThroughAddsAndRemovals) {
  std::vector<int> numbers(400);
  for (int n = 0; n < 400; ++n) numbers[n] = n;
  std::mt19937 rng(7);
  std::shuffle(numbers.begin(), numbers.end(), rng);
  auto id_of = [](int n) {
    char id[16];
    snprintf(id, sizeof id, "A-%04d", n);
    return std::string(id);
  };
  std::set<std::string> want;
  for (int part = 0; part < 4; ++part) {  // the first part goes into an empty index
    InTx([&](Tx& tx) {
      for (int i = part * 100; i < part * 100 + 100; ++i) {
        ASSERT_TRUE(tx.InsertAccount(MakeAccount(id_of(numbers[i]), "Alpha Trading")).ok());
        want.insert(id_of(numbers[i]));
      }
    });
  }
  InTx([&](Tx& tx) {
    for (int i = 0; i < 400; i += 3) {
      Account a = MakeAccount(id_of(numbers[i]), "Gamma Trading");
      ASSERT_TRUE(tx.UpdateAccount(a).ok());
      want.erase(a.id);
    }
    auto ids = tx.IdsByWord(NameKind::kAccount, "alpha", 1000);
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids, std::vector<std::string>(want.begin(), want.end()));
    EXPECT_EQ(*tx.IdsByWord(NameKind::kAccount, "alpha", 5),
              std::vector<std::string>(want.begin(), std::next(want.begin(), 5)));
    auto vocab = tx.WordsByPrefix(NameKind::kAccount, "alpha", 5);
    ASSERT_EQ(vocab->size(), 1u);
    EXPECT_EQ((*vocab)[0].records, int64_t(want.size()));
    EXPECT_EQ(tx.IdsByWord(NameKind::kAccount, "trading", 1000)->size(), 400u);
    EXPECT_EQ(tx.IdsByWord(NameKind::kAccount, "gamma", 1000)->size(), 400u - want.size());
  });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT word, first, records, ids FROM name_postings "
                               "WHERE kind = 0 ORDER BY word, first",
                               -1, &s, nullptr),
            SQLITE_OK);
  std::string last_word, last_id;
  int blocks = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string word = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    const std::string first = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    const std::string text = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
    std::vector<std::string> ids;
    for (size_t at = 0; at <= text.size();) {
      const size_t end = std::min(text.find('\x1f', at), text.size());
      ids.push_back(text.substr(at, end - at));
      at = end + 1;
    }
    ++blocks;
    EXPECT_EQ(sqlite3_column_int64(s, 2), int64_t(ids.size())) << word << " " << first;
    EXPECT_LE(ids.size(), 64u) << word << " " << first;
    EXPECT_EQ(ids.front(), first);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << word << " " << first;
    EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << word << " " << first;
    if (word == last_word) {
      EXPECT_LT(last_id, first) << word << ": blocks overlap";
    }
    last_word = word;
    last_id = ids.back();
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  EXPECT_GE(blocks, 3 * 400 / 64);
}

// A hub made before migration 0018 keeps its name index: the entries of each word become
// blocks of at most 64 ids in id order, the counts are the entries', and typo variants still
// find their words.
TEST_F(SqliteStoreTest, NameIndexEntriesBecomeBlocksOnMigration) {
  const std::string path = dir_ + "/old.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "") << " in " << sql.substr(0, 80);
    sqlite3_free(err);
  };
  exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const std::string prefix = "src/store/migrations/sqlite/";
  for (const auto& f : EmbeddedFiles()) {
    if (f.path.substr(0, prefix.size()) != prefix) continue;
    const int version = std::stoi(std::string(f.path.substr(prefix.size(), 4)));
    if (version >= 18) continue;
    exec(std::string(f.content));
    exec("INSERT INTO schema_migrations VALUES (" + std::to_string(version) + ", 0)");
  }
  // 150 accounts under 'alpha' (inserted from the highest id down), two contacts under 'ada',
  // a word whose records are all gone, and variants as 0016 left them.
  for (int n = 150; n >= 1; --n)
    exec("INSERT INTO name_words VALUES ('account', 'alpha', 'A-" + std::to_string(1000 + n) +
         "')");
  exec(
      "INSERT INTO name_words VALUES ('contact', 'ada', 'C-2'), ('contact', 'ada', 'C-1');"
      "INSERT INTO word_vocab VALUES ('account', 'alpha', 150), ('contact', 'ada', 2), "
      "('account', 'gone', 0);"
      "INSERT INTO word_variants VALUES ('account', 'alha', 'alpha'), ('contact', 'aa', 'ada');");
  sqlite3_close(db);
  auto opened = OpenStore("sqlite:" + path);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<Store> old = std::move(*opened);
  ASSERT_TRUE(old->Migrate().ok());
  Status st = old->Transaction([&](Tx& tx) -> Status {
    auto ids = tx.IdsByWord(NameKind::kAccount, "alpha", 1000);
    EXPECT_TRUE(ids.ok());
    EXPECT_EQ(ids->size(), 150u);
    EXPECT_EQ(ids->front(), "A-1001");
    EXPECT_EQ(ids->back(), "A-1150");
    EXPECT_TRUE(std::is_sorted(ids->begin(), ids->end()));
    EXPECT_EQ(*tx.IdsByWord(NameKind::kContact, "ada", 10),
              (std::vector<std::string>{"C-1", "C-2"}));
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "ada", 10)->empty());
    auto near = tx.WordsByVariants(NameKind::kAccount, DeletionVariants("alha"));
    EXPECT_EQ(near->size(), 1u);
    if (!near->empty()) {
      EXPECT_EQ((*near)[0].records, 150);
    }
    EXPECT_EQ(tx.WordsByVariants(NameKind::kContact, {"aa"})->size(), 1u);
    EXPECT_TRUE(tx.WordsByPrefix(NameKind::kAccount, "gon", 5)->empty());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  old.reset();
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(Column(db,
                   "SELECT group_concat(records, ',') FROM (SELECT records FROM "
                   "name_postings WHERE word = 'alpha' ORDER BY first)"),
            "64,64,22;");
  EXPECT_EQ(Column(db, "SELECT first FROM name_postings WHERE word = 'alpha' ORDER BY first"),
            "A-1001;A-1065;A-1129;");
  EXPECT_EQ(Column(db,
                   "SELECT count(*) FROM sqlite_master WHERE name IN ('name_words', "
                   "'word_vocab')"),
            "0;");
  sqlite3_close(db);
}

// The indexes of `table` as (name, sql), read through a second connection.
std::vector<std::pair<std::string, std::string>> IndexesOf(const std::string& path,
                                                           const std::string& table) {
  std::vector<std::pair<std::string, std::string>> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
                               -1, &s, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(s, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(s) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                     reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST_F(SqliteStoreTest, AccountsOfAnOwnerComeFromThePartialOwnerIndex) {
  InTx([&](Tx& tx) {
    for (int i = 1; i <= 30; ++i) {
      Account a = MakeAccount("A-" + std::to_string(i), "Owned " + std::to_string(i));
      a.owner = i % 3 == 0 ? "ada" : i % 3 == 1 ? "bola" : "";
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
    AccountFilter f;
    f.owner = "ada";
    auto ada = tx.ListAccounts(f);
    ASSERT_TRUE(ada.ok()) << ada.status().ToString();
    ASSERT_EQ(ada->size(), 10u);
    for (const auto& a : *ada) EXPECT_EQ(a.owner, "ada");
    f.owner = "nobody";
    EXPECT_TRUE(tx.ListAccounts(f)->empty());
  });
  // The index holds only accounts with an owner, and a query of the filter's shape uses it.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  auto scalar = [&](const char* sql, int column = 0) { return Column(db, sql, column); };
  EXPECT_NE(scalar("SELECT sql FROM sqlite_master WHERE name = 'accounts_owner'")
                .find("WHERE owner <> ''"),
            std::string::npos);
  EXPECT_EQ(scalar("SELECT count(*) FROM accounts INDEXED BY accounts_owner WHERE owner <> ''"),
            "20;");
  EXPECT_NE(scalar("EXPLAIN QUERY PLAN SELECT id FROM accounts WHERE merged_into IS NULL AND "
                   "owner <> '' AND owner = 'ada'",
                   3)
                .find("accounts_owner"),
            std::string::npos);
  sqlite3_close(db);
}

// The audit's time index holds field changes only, and the review's query by time uses it.
TEST_F(SqliteStoreTest, AuditTimeIndexHoldsFieldChangesOnly) {
  InTx([&](Tx& tx) {
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(tx.AppendAudit(AuditEntry{0, 100 + i, "cli", "create", "account",
                                            "A-" + std::to_string(i), "", "", "", "load"})
                      .ok());
    }
    ASSERT_TRUE(tx.AppendAudit(
                      AuditEntry{0, 103, "cli", "update", "account", "A-1", "owner", "", "ada", ""})
                    .ok());
    auto rows = tx.ReviewAuditIn("account", "owner", 100, 110);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].after, "ada");
    EXPECT_FALSE(tx.ReviewAuditIn("account", "", 100, 110).ok());
  });
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/hub.db").c_str(), &db), SQLITE_OK);
  auto text = [&](const char* sql, int column) { return Column(db, sql, column); };
  EXPECT_EQ(text("SELECT count(*) FROM audit INDEXED BY kpi_audit_at WHERE field <> ''", 0), "1;");
  EXPECT_NE(text("EXPLAIN QUERY PLAN SELECT seq FROM audit WHERE at >= 100 AND at < 110 AND "
                 "entity = 'account' AND field = 'owner' AND field <> '' ORDER BY seq",
                 3)
                .find("kpi_audit_at"),
            std::string::npos);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, BulkLoadRebuildsDeferredIndexesAtCommit) {
  const std::string path = dir_ + "/hub.db";
  const auto before = IndexesOf(path, "accounts");
  ASSERT_GE(before.size(), 3u);
  InTx([&](Tx& tx) {
    auto n = tx.ExpectBulkLoad(Entity::kAccount, 100, BulkShape::kErpLinkedUnowned);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    // Non-unique indexes only, and not those an ERP load of accounts leaves alone: of
    // accounts_erp (unique), accounts_name_key, the partial phone and email ones (deferred too,
    // the table being empty), accounts_match (search's keys, led by the id: kept, the load's
    // new ids come in its order), accounts_unlinked and accounts_owner (kept), that leaves
    // three.
    EXPECT_EQ(*n, 3);
    for (int i = 1; i <= 50; ++i) {
      Account a = MakeAccount("A-" + std::to_string(i), "Bulk Account " + std::to_string(i));
      a.phone = "+23480" + std::to_string(10000000 + i);
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  EXPECT_EQ(IndexesOf(path, "accounts"), before);
  InTx([&](Tx& tx) {
    AccountFilter f;
    EXPECT_EQ(*tx.CountAccounts(f), 50);
    // A load not much bigger than the table defers nothing.
    EXPECT_EQ(*tx.ExpectBulkLoad(Entity::kAccount, 50), 0);
    EXPECT_EQ(*tx.ExpectBulkLoad(Entity::kAccount, 200), 0);
    // Over four times the rows the table holds: the partial indexes (phone, email, unlinked
    // and, since migration 0014, owner) go too, with name_key and accounts_match (their
    // rebuild reads at most a quarter more rows than the load writes).
    EXPECT_EQ(*tx.ExpectBulkLoad(Entity::kAccount, 1000), 6);
    EXPECT_FALSE(tx.ExpectBulkLoad(Entity::kCase, 1000).ok());
    EXPECT_FALSE(*tx.IsEmpty(Entity::kAccount));
    EXPECT_TRUE(*tx.IsEmpty(Entity::kOrder));
  });
  // A failed bulk load leaves every index as it was.
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kInteraction, 1000).status());
    return Invalid("the file had a bad row");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_FALSE(IndexesOf(path, "interactions").empty());
  EXPECT_EQ(IndexesOf(path, "accounts"), before);
}

// The journal mode of the database file, read through a connection of its own.
std::string JournalMode(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  std::string mode;
  if (sqlite3_step(s) == SQLITE_ROW)
    mode = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return mode;
}

Status InsertAccounts(Tx& tx, int from, int to) {
  for (int i = from; i <= to; ++i) {
    CX_RETURN_IF_ERROR(
        tx.InsertAccount(MakeAccount("A-" + std::to_string(i), "Bulk " + std::to_string(i))));
  }
  return Status::Ok();
}

// Rows of hub_loads, read beside the store.
int64_t LoadRows(const std::string& path) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM hub_loads", -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
      n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return n;
}

// A bulk transaction stays in WAL: while it runs, another connection reads the state before
// it, and a writer kept waiting is told which load holds the hub and who started it.
TEST_F(SqliteStoreTest, BulkTransactionLetsReadersReadAndNamesItselfToWriters) {
  const std::string path = dir_ + "/hub.db";
  InTx([&](Tx& tx) { ASSERT_TRUE(InsertAccounts(tx, 1, 10).ok()); });
  setenv("CXHUB_LOCK_WAIT", "0.2", 1);
  auto other = OpenStore("sqlite:" + path);
  unsetenv("CXHUB_LOCK_WAIT");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  std::string inside;
  int64_t seen = -1;
  bool writable = true;
  Status blocked;
  Status st =
      store_->BulkTransaction(HubLoad{"import-workbook big.xlsx", "alice"}, [&](Tx& tx) -> Status {
        CX_RETURN_IF_ERROR(InsertAccounts(tx, 11, 3000));
        inside = JournalMode(path);
        Status r = (*other)->Read([&](Tx& rtx) -> Status {
          writable = rtx.Writable();
          CX_ASSIGN_OR_RETURN(seen, rtx.CountAccounts(AccountFilter{}));
          return Status::Ok();
        });
        if (!r.ok()) return r;
        blocked = (*other)->Transaction([&](Tx& wtx) -> Status {
          return wtx.InsertAccount(MakeAccount("A-9999", "Interactive"));
        });
        return Status::Ok();
      });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(inside, "wal");
  EXPECT_EQ(seen, 10);  // the state before the load
  EXPECT_FALSE(writable);
  EXPECT_FALSE(blocked.ok());
  EXPECT_NE(blocked.message().find("import-workbook big.xlsx holds it, started by alice"),
            std::string::npos)
      << blocked.message();
  EXPECT_NE(blocked.message().find("waited 0.2 s"), std::string::npos) << blocked.message();
  EXPECT_EQ(LoadRows(path), 0);  // the load's row went with it
  // Now free: the same write goes through, and a failed bulk transaction writes nothing.
  EXPECT_TRUE((*other)
                  ->Transaction([&](Tx& wtx) -> Status {
                    return wtx.InsertAccount(MakeAccount("A-9999", "Interactive"));
                  })
                  .ok());
  st = store_->BulkTransaction(HubLoad{"import-workbook bad.xlsx", "alice"}, [&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(InsertAccounts(tx, 3001, 4000));
    return Invalid("row 7 is bad");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(LoadRows(path), 0);
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 3001);
    EXPECT_FALSE(tx.GetAccount("A-3001")->has_value());
  });
}

// A read transaction cannot write, and says it is a bug when asked to.
TEST_F(SqliteStoreTest, ReadRefusesWrites) {
  Status st =
      store_->Read([&](Tx& tx) -> Status { return tx.InsertAccount(MakeAccount("A-1", "Nope")); });
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_NE(st.message().find("read-only transaction tried to write"), std::string::npos)
      << st.message();
  InTx([&](Tx& tx) {
    EXPECT_TRUE(tx.Writable());
    EXPECT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Yes")).ok());
  });
}

// A process killed in the middle of a bulk transaction leaves uncommitted pages in the log
// and its row in hub_loads; the next opening sees none of the load, the dead row blocks no
// one, and the next load removes it.
TEST_F(SqliteStoreTest, KilledBulkTransactionIsRolledBackAtTheNextOpening) {
  const std::string path = dir_ + "/hub.db";
  InTx([&](Tx& tx) { ASSERT_TRUE(InsertAccounts(tx, 1, 10).ok()); });
  store_.reset();
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = OpenStore("sqlite:" + path);
    if (!s.ok()) _exit(2);
    (void)(*s)->BulkTransaction(
        HubLoad{"erp-sync customers big.csv", "bob"}, [&](Tx& tx) -> Status {
          // Enough to spill past the page cache (64 MiB) into the log, whatever the page size.
          for (int i = 11; i <= 80000; ++i) {
            Account a = MakeAccount("A-" + std::to_string(i), "Bulk " + std::to_string(i));
            a.address = std::string(1000, 'x');
            if (!tx.InsertAccount(a).ok()) _exit(3);
          }
          if (write(ready[1], "x", 1) != 1) _exit(4);
          pause();
          return Status::Ok();
        });
    _exit(5);
  }
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1) << "the child failed before it was mid-transaction";
  close(ready[0]);
  EXPECT_GT(std::filesystem::file_size(path + "-wal"), 10u << 20);  // spilled into the log
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(LoadRows(path), 1);
  setenv("CXHUB_LOCK_WAIT", "0.2", 1);
  auto s = OpenStore("sqlite:" + path);
  unsetenv("CXHUB_LOCK_WAIT");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  EXPECT_EQ(JournalMode(path), "wal");
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 10);
    EXPECT_FALSE(tx.GetAccount("A-11")->has_value());
    EXPECT_TRUE(tx.InsertAccount(MakeAccount("A-11", "After the kill")).ok());
  });
  Status st = store_->BulkTransaction(HubLoad{"import-workbook next.xlsx", "bob"},
                                      [&](Tx&) -> Status { return Status::Ok(); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(LoadRows(path), 0);
}

}  // namespace
}  // namespace cx
