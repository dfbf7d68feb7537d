// The shared cache of match keys (match_key_cache.h) answers a read transaction exactly as
// the index would in its snapshot: after changes by this connection, another store of the
// process, or another process (here a bare connection of the test's own), and never from
// keys a reader of an older snapshot read late. docs/search.md, "Speed".
#include "store/sqlite/match_key_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "raw_db.h"
#include "two_stores_fixture.h"

namespace cx {
namespace {

std::string Show(const std::vector<MatchKeys>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += k.id + "|" + k.name + "|" + k.name_key + "|" + k.phone_key + "|" + k.email_key + "|" +
           k.account_id + "\n";
  return out;
}

class MatchKeyCacheTest : public testing::TwoStoresTest {
 protected:
  void SetUp() override {
    testing::TwoStoresTest::SetUp();
    raw_ = std::make_unique<testing::RawDb>(path_);
  }
  void TearDown() override {
    raw_.reset();
    testing::TwoStoresTest::TearDown();
  }
  // GetMatchKeys in a read transaction (the cache's) of `s`.
  std::vector<MatchKeys> Read(Store* s, NameKind k, const std::vector<std::string>& ids) {
    std::vector<MatchKeys> out;
    Status st = s->Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(out, tx.GetMatchKeys(k, ids));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  // The same from the index: a write transaction never uses the cache.
  std::vector<MatchKeys> Fresh(Store* s, NameKind k, const std::vector<std::string>& ids) {
    std::vector<MatchKeys> out;
    Write(s, [&](Tx& tx) {
      auto r = tx.GetMatchKeys(k, ids);
      ASSERT_TRUE(r.ok());
      out = std::move(*r);
    });
    return out;
  }
  void Rename(Store* s, const std::string& id, const std::string& name) {
    Write(s, [&](Tx& tx) {
      auto a = tx.GetAccount(id);
      ASSERT_TRUE(a.ok() && a->has_value());
      (*a)->name = name;
      ASSERT_TRUE(tx.UpdateAccount(**a).ok());
    });
  }
  std::string NameOf(Store* s, const std::string& id) {
    auto keys = Read(s, NameKind::kAccount, {id});
    return keys.size() == 1 ? keys[0].name : "(none)";
  }
  void Accounts(int n) {
    Write(a_.get(), [&](Tx& tx) {
      for (int i = 0; i < n; ++i) {
        Account a;
        a.id = Id(i);
        a.name = "Company " + std::to_string(i);
        a.phone = "0803 555 " + std::to_string(1000 + i);
        ASSERT_TRUE(tx.InsertAccount(a).ok());
      }
    });
  }
  static std::string Id(int i) { return "A-" + std::to_string(1000 + i); }

  std::unique_ptr<testing::RawDb> raw_;
};

TEST_F(MatchKeyCacheTest, ReadsFillTheCacheAndAnswerFromIt) {
  Accounts(10);
  const std::vector<std::string> ids = {Id(1), Id(3), Id(5)};
  EXPECT_EQ(Show(Read(a_.get(), NameKind::kAccount, ids)),
            Show(Fresh(a_.get(), NameKind::kAccount, ids)));
  EXPECT_EQ(Show(Read(a_.get(), NameKind::kAccount, ids)),
            Show(Fresh(a_.get(), NameKind::kAccount, ids)));
  EXPECT_EQ(cache_->size(), 3u);  // kept: the second read answered from the cache
}

// GetMatchKeyViews (what a search reads) gives GetMatchKeys' answer from the index: hits and
// misses of the cache mixed, ids unsorted, twice or missing, keys of every length (more text
// than one of the views' blocks holds), and a rename seen by the next read.
TEST_F(MatchKeyCacheTest, ViewsAreTheKeysTheIndexHolds) {
  Write(a_.get(), [&](Tx& tx) {
    for (int i = 0; i < 600; ++i) {
      Account a;
      a.id = Id(i);
      a.name = "Company " + std::string(size_t(i % 70), char('a' + i % 26)) + std::to_string(i);
      if (i % 3 != 0) a.phone = "0803 555 " + std::to_string(1000 + i);
      if (i % 4 != 0)
        a.email =
            "person" + std::to_string(i) + "@example" + std::string(size_t(i % 40), 'x') + ".com";
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  const auto views = [&](Store* s, const std::vector<std::string>& ids) {
    std::vector<MatchKeys> out;
    Status st = s->Read([&](Tx& tx) -> Status {
      MatchKeyViews got;
      CX_RETURN_IF_ERROR(tx.GetMatchKeyViews(NameKind::kAccount, ids, &got));
      for (const auto& v : got.keys) out.push_back(v.ToKeys());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  };
  std::vector<std::string> odd, mixed, twice, sorted;
  for (int i = 1; i < 600; i += 2) odd.push_back(Id(i));
  Read(a_.get(), NameKind::kAccount, odd);  // the odd ones in the cache
  std::mt19937 rng(5);
  for (int i = 0; i < 650; i += 1 + int(rng() % 3)) mixed.push_back(Id(i));  // some missing
  std::shuffle(mixed.begin(), mixed.end(), rng);
  for (int i = 0; i < 700; ++i) twice.push_back(Id(int(rng() % 650)));
  for (int i = 0; i < 600; ++i) sorted.push_back(Id(i));
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(Show(views(a_.get(), mixed)), Show(Fresh(a_.get(), NameKind::kAccount, mixed)));
  EXPECT_EQ(Show(views(a_.get(), sorted)), Show(Fresh(a_.get(), NameKind::kAccount, sorted)));
  EXPECT_EQ(Show(views(b_.get(), mixed)), Show(Fresh(b_.get(), NameKind::kAccount, mixed)));
  // Ids given twice: each record once, as GetMatchKeys in a read transaction gives them.
  EXPECT_EQ(Show(views(a_.get(), twice)), Show(Read(a_.get(), NameKind::kAccount, twice)));
  EXPECT_EQ(views(a_.get(), sorted).size(), 600u);
  Rename(b_.get(), Id(7), "Renamed Seven");
  const auto after = views(a_.get(), {Id(7), Id(8)});
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].name, "Renamed Seven");
  // In a write transaction (no shared cache), the same.
  std::vector<MatchKeys> written;
  Write(a_.get(), [&](Tx& tx) {
    MatchKeyViews got;
    ASSERT_TRUE(tx.GetMatchKeyViews(NameKind::kAccount, mixed, &got).ok());
    for (const auto& v : got.keys) written.push_back(v.ToKeys());
  });
  EXPECT_EQ(Show(written), Show(Fresh(a_.get(), NameKind::kAccount, mixed)));
}

TEST_F(MatchKeyCacheTest, ARenameByThisStoreIsSeenByItsNextRead) {
  Accounts(3);
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");  // from the cache
  Rename(a_.get(), Id(1), "Renamed One");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Renamed One");
}

TEST_F(MatchKeyCacheTest, ARenameByAnotherStoreOfTheProcessIsSeen) {
  Accounts(3);
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  Rename(b_.get(), Id(1), "Renamed By B");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Renamed By B");
  EXPECT_EQ(NameOf(b_.get(), Id(1)), "Renamed By B");
}

// A bare connection is to the cache what another process is: no hook of this process sees its
// writes, only the match key version its changes raise (0072) does.
TEST_F(MatchKeyCacheTest, ARenameByAnotherProcessIsSeen) {
  Accounts(3);
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  raw_->Exec("UPDATE accounts SET name = 'Renamed Elsewhere' WHERE id = '" + Id(1) + "'");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Renamed Elsewhere");
  EXPECT_EQ(NameOf(a_.get(), Id(2)), "Company 2");
  raw_->Exec("DELETE FROM accounts WHERE id = '" + Id(2) + "'");
  EXPECT_EQ(Show(Read(a_.get(), NameKind::kAccount, {Id(2)})), "");
}

// A reader whose snapshot began before a rename reads the old name (its snapshot's) after the
// rename's commit, and must not leave it in the cache: the writer's store then reads from the
// cache.
TEST_F(MatchKeyCacheTest, AReaderOfAnOlderSnapshotDoesNotPutOldKeysBack) {
  Accounts(3);
  EXPECT_EQ(NameOf(b_.get(), Id(2)), "Company 2");  // b's first read (it flushes)
  EXPECT_EQ(NameOf(b_.get(), Id(2)), "Company 2");  // … and one under the cache
  EXPECT_EQ(NameOf(a_.get(), Id(2)), "Company 2");  // a's first read
  Status st = a_->Read([&](Tx& tx) -> Status {
    // The snapshot has begun (the store reads the match key version first). b renames
    // meanwhile.
    Rename(b_.get(), Id(1), "Renamed Meanwhile");
    CX_ASSIGN_OR_RETURN(auto keys, tx.GetMatchKeys(NameKind::kAccount, {Id(1)}));
    EXPECT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys.empty() ? "" : keys[0].name, "Company 1");  // its snapshot's
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(NameOf(b_.get(), Id(1)), "Renamed Meanwhile");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Renamed Meanwhile");
}

TEST_F(MatchKeyCacheTest, AWriteTransactionSeesItsOwnRename) {
  Accounts(3);
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  Status st = a_->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Id(1)));
    a->name = "Renamed Inside";
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    CX_ASSIGN_OR_RETURN(auto keys, tx.GetMatchKeys(NameKind::kAccount, {Id(1)}));
    EXPECT_EQ(keys.size(), 1u);
    EXPECT_EQ(keys.empty() ? "" : keys[0].name, "Renamed Inside");
    return Invalid("rolled back");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
}

// Logging an interaction changes no account's or contact's keys: the cache stays.
TEST_F(MatchKeyCacheTest, AnInteractionKeepsTheCache) {
  Accounts(3);
  Write(a_.get(), [&](Tx& tx) {
    Contact c;
    c.id = "C-1";
    c.full_name = "Ngozi Eze";
    c.account_id = Id(1);
    ASSERT_TRUE(tx.InsertContact(c).ok());
  });
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  const uint64_t gen = cache_->generation();
  Write(a_.get(), [&](Tx& tx) {
    Interaction i;
    i.id = "I-1";
    i.at = 1775206800;
    i.contact_id = "C-1";
    i.channel = "phone";
    i.logged_by = "cli";
    i.created_at = i.at;
    ASSERT_TRUE(tx.InsertInteraction(i).ok());
  });
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(cache_->generation(), gen);
  EXPECT_EQ(cache_->size(), 1u);
  // Nor when another connection of the process (a server's write worker) or another process
  // logs it: a's next read still answers from the cache (it was emptied at every commit of
  // another connection while the cache went by SQLite's data_version).
  Write(b_.get(), [&](Tx& tx) {
    Interaction i;
    i.id = "I-2";
    i.at = 1775206900;
    i.contact_id = "C-1";
    i.channel = "email";
    i.logged_by = "cli";
    i.created_at = i.at;
    ASSERT_TRUE(tx.InsertInteraction(i).ok());
  });
  raw_->Exec(
      "INSERT INTO interactions (id, at, contact_id, channel, created_at) VALUES ('I-3', "
      "1775207000, 'C-1', 'phone', 1775207000)");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(b_.get(), Id(1)), "Company 1");
  EXPECT_EQ(cache_->generation(), gen);
  EXPECT_EQ(cache_->size(), 1u);
}

// A big load by another process puts off the triggers that mark changed keys (and raise the
// match key version): it raises the version itself, or a renamed account would keep its old
// name in this process's cache. The other process is a child of this one (fork), with a store
// and a cache of its own.
TEST_F(MatchKeyCacheTest, ABigLoadOfAnotherProcessIsSeen) {
  Accounts(3);
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Company 1");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto elsewhere = OpenSqliteStore(path_);
    if (!elsewhere.ok()) _exit(2);
    Status st =
        (*elsewhere)
            ->BulkTransaction(HubLoad{"erp-sync customers big.csv", "test"}, [&](Tx& tx) -> Status {
              CX_ASSIGN_OR_RETURN(int deferred, tx.ExpectBulkLoad(Entity::kAccount, 1000));
              if (deferred == 0) return Invalid("the load put nothing off");
              CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Id(1)));
              a->name = "Renamed By A Load";
              return tx.UpdateAccount(*a);
            });
    _exit(st.ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "Renamed By A Load");
}

// Renaming many accounts in one transaction writes no version per account (0080): a trigger
// raised match_key_version at every record marked, 100 writes here (a weekly ERP delta's
// 45,000 renames, 45,000). Another connection still sees every rename.
TEST_F(MatchKeyCacheTest, ManyRenamesInOneTransactionRaiseNoCounterPerRecord) {
  Accounts(100);
  EXPECT_EQ(NameOf(b_.get(), Id(7)), "Company 7");
  const auto counter = raw_->Rows("SELECT n FROM match_key_version");
  Write(a_.get(), [&](Tx& tx) {
    for (int i = 0; i < 100; ++i) {
      auto a = tx.GetAccount(Id(i));
      ASSERT_TRUE(a.ok() && a->has_value());
      (*a)->name = "Renamed " + std::to_string(i);
      ASSERT_TRUE(tx.UpdateAccount(**a).ok());
    }
  });
  EXPECT_EQ(raw_->Rows("SELECT n FROM match_key_version"), counter);
  EXPECT_EQ(NameOf(b_.get(), Id(7)), "Renamed 7");
  raw_->Exec("UPDATE accounts SET name = 'Renamed Elsewhere' WHERE id = '" + Id(7) + "'");
  EXPECT_EQ(NameOf(b_.get(), Id(7)), "Renamed Elsewhere");
}

// The version is the counter with the duplicate log's last row. A refresh of the duplicate
// index empties the log, after which new marks get the same rowids again: the refresh raises
// the counter, so that the same number of marks made after it is not taken for the state the
// cache holds.
TEST_F(MatchKeyCacheTest, MarksAfterARefreshAreSeenAsNew) {
  Accounts(3);
  auto refresh = [&] {
    Write(b_.get(), [&](Tx& tx) {
      ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {}, {}, {0}, {}).ok());
    });
  };
  refresh();
  EXPECT_EQ(raw_->Rows("SELECT count(*) FROM dup_dirty"), std::vector<std::string>{"0"});
  raw_->Exec("UPDATE accounts SET name = 'First' WHERE id = '" + Id(1) + "'");
  raw_->Exec("UPDATE accounts SET name = 'Second' WHERE id = '" + Id(2) + "'");
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "First");  // kept under (counter, 2 marks)
  refresh();
  raw_->Exec("UPDATE accounts SET name = 'First Again' WHERE id = '" + Id(1) + "'");
  raw_->Exec("UPDATE accounts SET name = 'Other' WHERE id = '" + Id(0) + "'");
  EXPECT_EQ(raw_->Rows("SELECT max(rowid) FROM dup_dirty"), std::vector<std::string>{"2"});
  EXPECT_EQ(NameOf(a_.get(), Id(1)), "First Again");
}

// A process that reads a hub without migrating it (a read-only hub, a benchmark) may meet one
// made before the match key version (0072): it reads without the cache, and without error.
TEST_F(MatchKeyCacheTest, AHubWithoutTheVersionIsReadWithoutTheCache) {
  Accounts(3);
  raw_->Exec("DROP TABLE match_key_version");
  auto old = OpenSqliteStore(path_);  // not migrated
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  cache_->Flush();
  const size_t before = cache_->size();
  EXPECT_EQ(NameOf(old->get(), Id(1)), "Company 1");
  raw_->Exec("UPDATE accounts SET name = 'Renamed Elsewhere' WHERE id = '" + Id(1) + "'");
  EXPECT_EQ(NameOf(old->get(), Id(1)), "Renamed Elsewhere");
  EXPECT_EQ(cache_->size(), before);
}

// Random renames, phone and email changes, merges and deletes of accounts and contacts, by
// this store, another of the process and "another process", between reads of random ids
// (repeated, so that they answer from the cache): each read gives what the index gives.
TEST_F(MatchKeyCacheTest, AnswersAsTheIndexThroughRandomChanges) {
  constexpr int kAccounts = 60, kContacts = 90;
  Accounts(kAccounts);
  const auto cid = [](int i) { return "C-" + std::to_string(1000 + i); };
  Write(a_.get(), [&](Tx& tx) {
    for (int i = 0; i < kContacts; ++i) {
      Contact c;
      c.id = cid(i);
      c.full_name = "Person " + std::to_string(i);
      c.account_id = Id(i % kAccounts);
      c.email = "p" + std::to_string(i) + "@example.com";
      ASSERT_TRUE(tx.InsertContact(c).ok());
    }
  });
  std::mt19937 rng(7);
  const auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  Store* stores[] = {a_.get(), b_.get()};
  int reads_from_cache = 0;
  for (int step = 0; step < 300; ++step) {
    // Mostly `a`: its own commits do not change its data_version, only its flush shows them.
    Store* s = stores[pick(4) == 0 ? 1 : 0];
    const int op = pick(8);
    const int n = pick(1000);
    if (op == 0) {
      Rename(s, Id(pick(kAccounts)), "Renamed " + std::to_string(n));
    } else if (op == 1) {
      Write(s, [&](Tx& tx) {
        auto c = tx.GetContact(cid(pick(kContacts)));
        ASSERT_TRUE(c.ok());
        if (!c->has_value()) return;
        (*c)->phone = "0805 444 " + std::to_string(1000 + n);
        (*c)->email = "q" + std::to_string(n) + "@example.org";
        (*c)->full_name = "Person Renamed " + std::to_string(n);
        ASSERT_TRUE(tx.UpdateContact(**c).ok());
      });
    } else if (op == 2) {
      Write(s, [&](Tx& tx) {
        auto a = tx.GetAccount(Id(pick(kAccounts)));
        ASSERT_TRUE(a.ok());
        if (!a->has_value() || !(*a)->merged_into.empty()) return;
        (*a)->merged_into = Id(0);
        ASSERT_TRUE(tx.UpdateAccount(**a).ok());
      });
    } else if (op == 3) {
      raw_->Exec("UPDATE accounts SET name = 'Elsewhere " + std::to_string(n) + "', phone_key = '" +
                 std::to_string(n) + "' WHERE id = '" + Id(pick(kAccounts)) + "'");
    } else if (op == 4) {
      if (pick(2))
        raw_->Exec("DELETE FROM contacts WHERE id = '" + cid(pick(kContacts)) + "'");
      else
        raw_->Exec("UPDATE contacts SET account_id = '" + Id(pick(kAccounts)) +
                   "', email_key = 'x" + std::to_string(n) + "' WHERE id = '" +
                   cid(pick(kContacts)) + "'");
    } else {
      // Reads: a few random ids of one kind (some never held), sorted or not, twice.
      const NameKind k = pick(2) ? NameKind::kAccount : NameKind::kContact;
      std::vector<std::string> ids;
      for (int i = 0, m = 1 + pick(40); i < m; ++i) {
        const int j = pick(k == NameKind::kAccount ? kAccounts + 5 : kContacts + 5);
        ids.push_back(k == NameKind::kAccount ? Id(j) : cid(j));
      }
      if (pick(2)) std::sort(ids.begin(), ids.end());
      for (int again = 0; again < 2; ++again) {
        Store* r = stores[pick(4) == 0 ? 1 : 0];
        const uint64_t gen = cache_->generation();
        const size_t held = cache_->size();
        ASSERT_EQ(Show(Read(r, k, ids)), Show(Fresh(r, k, ids))) << "step " << step;
        if (again == 1 && held > 0 && cache_->generation() == gen) ++reads_from_cache;
      }
    }
  }
  // And the reads did use the cache.
  EXPECT_GT(reads_from_cache, 0);
}

TEST(MatchKeyCacheBound, EntriesNeverExceedTheCap) {
  sqlite::MatchKeyCache cache(100);
  const uint64_t gen = cache.generation();
  size_t most = 0;
  for (int round = 0; round < 30; ++round) {
    std::vector<MatchKeys> keys;
    for (int i = 0; i < 37; ++i) {
      const std::string id = "A-" + std::to_string(round * 37 + i);
      keys.push_back(MatchKeys{id, "Name " + id, "name", "", "", ""});
    }
    std::vector<const MatchKeys*> ptrs;
    for (const auto& k : keys) ptrs.push_back(&k);
    cache.Put(round % 2, ptrs, gen);
    most = std::max(most, cache.size());
  }
  EXPECT_LE(most, 100u);
  EXPECT_GE(cache.size(), 37u);  // the last ones are held
  // The entries it still holds answer as they were put.
  std::vector<MatchKeys> found;
  std::vector<bool> hit;
  cache.Get(1, {"A-" + std::to_string(29 * 37 + 5)}, gen, &found, &hit);
  ASSERT_TRUE(hit[0]);
  EXPECT_EQ(found[0].name, "Name A-" + std::to_string(29 * 37 + 5));
  // A fill of an older generation is dropped.
  cache.Flush();
  MatchKeys old{"A-1", "Old", "old", "", "", ""};
  cache.Put(0, {&old}, gen);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace cx
