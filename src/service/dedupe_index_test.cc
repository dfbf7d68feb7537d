// The duplicate index (0010_duplicates.sql, kept by service/dedupe.cc) gives exactly the
// clusters a full scan gives, after every kind of change to accounts and contacts.

#include <filesystem>
#include <random>

#include "dup_test_util.h"
#include "hub_fixture.h"
#include "raw_db.h"
#include "service/dedupe.h"
#include "service/match.h"

namespace cx {
namespace {

using testing::Block;
using testing::File;
using testing::Hashes;

using Raw = testing::RawDb;

std::string Show(const std::vector<Cluster>& cs) {
  std::string out;
  for (const auto& c : cs) {
    out += std::to_string(c.score) + " [";
    for (const auto& id : c.ids) out += id + " ";
    out += "] " + c.why + "\n";
  }
  return out;
}

class DedupeIndexTest : public testing::HubTest {
 protected:
  std::mt19937 rng{7};
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }

  // Names from a small vocabulary, sometimes with a typo, so that blocks are shared.
  std::string Name(NameKind k) {
    static const char* kFirst[] = {"Adeyemi", "Balogun", "Okafor", "Chukwu", "Mikano", "Zenith"};
    static const char* kSecond[] = {"Engineering", "Foods", "Steel", "Logistics", "Power"};
    static const char* kPeople[] = {"Ngozi Eze", "Tunde Bello", "Amaka Obi", "Sani Musa"};
    std::string n = k == NameKind::kAccount ? std::string(kFirst[Pick(6)]) + " " + kSecond[Pick(5)]
                                            : std::string(kPeople[Pick(4)]);
    switch (Pick(6)) {
      case 0:  // a dropped letter
        n.erase(size_t(1 + Pick(int(n.size()) - 2)), 1);
        break;
      case 1:  // a number: a branch
        n += " " + std::to_string(1 + Pick(3));
        break;
      case 2:
        n += " Ltd";
        break;
      default:
        break;
    }
    return n;
  }
  // A small pool of phones and emails; phone 0 is shared by many accounts, so that its block
  // grows past 50 records and shrinks back.
  std::string Phone() {
    int p = Pick(10);
    if (p >= 6) return "";
    return p < 3 ? "0803 000 000" : "0803 000 00" + std::to_string(p);
  }
  std::string Email() { return Pick(8) == 0 ? "info" + std::to_string(Pick(5)) + "@x.ng" : ""; }

  void Compare(const std::string& when) {
    for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
      auto kept = FindDuplicates(*store_, k);
      ASSERT_TRUE(kept.ok()) << kept.status().ToString();
      auto scanned = ScanDuplicates(*store_, k);
      ASSERT_TRUE(scanned.ok()) << scanned.status().ToString();
      ASSERT_EQ(Show(*kept), Show(*scanned)) << when << ", " << KindLabel(k);
    }
  }

  int next_account = 0, next_contact = 0;
  std::vector<std::string> accounts, contacts;

  void NewAccount(Tx& tx) {
    Account a;
    a.id = "A-" + std::to_string(next_account++);
    a.name = Name(NameKind::kAccount);
    a.phone = Phone();
    a.email = Email();
    ASSERT_TRUE(tx.InsertAccount(a).ok());
    accounts.push_back(a.id);
  }
  void NewContact(Tx& tx) {
    Contact c;
    c.id = "C-" + std::to_string(next_contact++);
    c.full_name = Name(NameKind::kContact);
    c.phone = Phone();
    c.email = Email();
    if (Pick(10) > 0 && !accounts.empty())
      c.account_id = accounts[size_t(Pick(int(accounts.size())))];
    ASSERT_TRUE(tx.InsertContact(c).ok());
    contacts.push_back(c.id);
  }
};

TEST_F(DedupeIndexTest, RandomChangesKeepTheSameClustersAsAFullScan) {
  InTx([&](Tx& tx) {
    for (int i = 0; i < 170; ++i) NewAccount(tx);
    for (int i = 0; i < 200; ++i) NewContact(tx);
  });
  Compare("first build");
  Raw raw(dir_ + "/hub.db");
  ASSERT_EQ(raw.Int("SELECT count(*) FROM dup_state WHERE stale = 0"), 2);
  ASSERT_GT(raw.Int("SELECT count(*) FROM dup_pairs WHERE kind = 0"), 5);
  ASSERT_GT(raw.Int("SELECT count(*) FROM dup_pairs WHERE kind = 1"), 5);
  const int64_t first_n = raw.Int("SELECT min(n) FROM dup_records");
  bool above = false, below = false;
  for (int round = 0; round < 40; ++round) {
    InTx([&](Tx& tx) {
      // Steer the shared phone's block across its limit: onto it for five rounds, off it for
      // the next five.
      for (int i = 0; i < 2; ++i) {
        auto a = tx.GetAccount(accounts[size_t(Pick(int(accounts.size())))]);
        ASSERT_TRUE(a.ok() && a->has_value());
        Account acc = **a;
        acc.phone = round % 10 < 5 ? "0803 000 000" : "";
        ASSERT_TRUE(tx.UpdateAccount(acc).ok());
      }
      for (int change = 0; change < 8; ++change) {
        const int what = Pick(9);
        if (what == 0) {
          NewAccount(tx);
        } else if (what == 1) {
          NewContact(tx);
        } else if (what <= 4) {  // edit an account: name, phone or email, or merge it
          auto a = tx.GetAccount(accounts[size_t(Pick(int(accounts.size())))]);
          ASSERT_TRUE(a.ok() && a->has_value());
          Account acc = **a;
          if (what == 2) acc.name = Name(NameKind::kAccount);
          if (what == 3) acc.phone = Phone();
          if (what == 4) {
            if (Pick(4) == 0) {
              acc.merged_into = accounts[0] == acc.id ? accounts[1] : accounts[0];
            } else {
              acc.email = Email();
            }
          }
          ASSERT_TRUE(tx.UpdateAccount(acc).ok());
        } else {  // edit a contact: name, phone, account
          auto c = tx.GetContact(contacts[size_t(Pick(int(contacts.size())))]);
          ASSERT_TRUE(c.ok() && c->has_value());
          Contact con = **c;
          if (what == 5) con.full_name = Name(NameKind::kContact);
          if (what == 6) con.phone = Phone();
          if (what == 7) con.account_id = accounts[size_t(Pick(int(accounts.size())))];
          if (what == 8) con.email = Email();
          ASSERT_TRUE(tx.UpdateContact(con).ok());
        }
      }
    });
    if (round % 5 == 4) {
      // Deleted rows (as a restore or a hand repair would) leave their blocks and pairs.
      const size_t gone = size_t(Pick(int(contacts.size())));
      raw.Exec("DELETE FROM contacts WHERE id = '" + contacts[gone] + "'");
      contacts.erase(contacts.begin() + std::ptrdiff_t(gone));
    }
    Compare("round " + std::to_string(round));
    const int64_t shared = raw.Int(
        "SELECT count(*) FROM accounts WHERE phone_key = (SELECT phone_key FROM accounts "
        "WHERE phone <> '' GROUP BY phone_key ORDER BY count(*) DESC LIMIT 1) AND merged_into IS "
        "NULL");
    (shared > 50 ? above : below) = true;
  }
  // The shared phone's block was seen both small enough to compare and too common.
  EXPECT_TRUE(above);
  EXPECT_TRUE(below);
  // Every round was brought up to date record by record: a rebuild would have renumbered.
  EXPECT_EQ(raw.Int("SELECT min(n) FROM dup_records"), first_n);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM dup_dirty"), 0);
}

TEST_F(DedupeIndexTest, ABlockGrowingPastItsLimitStopsPairingAndShrinkingBackPairsAgain) {
  // 50 accounts with one phone are compared with each other; a 51st makes the phone too
  // common to be one company, and removing it brings the pairs back.
  InTx([&](Tx& tx) {
    for (int i = 0; i < 50; ++i) {
      Account a;
      a.id = "A-" + std::to_string(100 + i);
      // Names far apart from each other: only the phone joins them.
      a.name = std::string(6, char('a' + i % 26)) + std::string(6, char('a' + i / 26));
      a.phone = "0803 555 0000";
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  auto before = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].ids.size(), 50u);
  Account extra;
  extra.id = "A-999";
  extra.name = "Another Company";
  extra.phone = "0803 555 0000";
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertAccount(extra).ok()); });
  auto crowded = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(crowded.ok());
  EXPECT_TRUE(crowded->empty()) << Show(*crowded);
  extra.phone = "";
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.UpdateAccount(extra).ok()); });
  auto after = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Show(*after), Show(*before));
}

TEST_F(DedupeIndexTest, BulkLoadMarksTheIndexStaleAndTheNextRunRebuildsIt) {
  InTx([&](Tx& tx) {
    for (int i = 0; i < 20; ++i) NewAccount(tx);
  });
  Compare("first build");
  Raw raw(dir_ + "/hub.db");
  ASSERT_EQ(raw.SchemaCount("trigger", "dup_account_%"), 3);
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int deferred, tx.ExpectBulkLoad(Entity::kAccount, 1000000));
    EXPECT_GT(deferred, 0);
    for (int i = 0; i < 200; ++i) NewAccount(tx);
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(raw.SchemaCount("trigger", "dup_account_%"), 3);  // restored
  EXPECT_EQ(raw.Int("SELECT stale FROM dup_state WHERE kind = 0"), 1);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM dup_dirty"), 0);  // nothing fired per row
  Compare("after the bulk load");
  EXPECT_EQ(raw.Int("SELECT stale FROM dup_state WHERE kind = 0"), 0);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM dup_records WHERE kind = 0"), 220);
}

// Hashes are 36 bits: an account and a contact can meet under one. A block holds one kind.
TEST_F(DedupeIndexTest, ABlockHoldsOneKindOfRecord) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-1", std::vector<uint64_t>{42, 43}).ok());
    ASSERT_TRUE(File(tx, NameKind::kContact, "C-1", std::vector<uint64_t>{42}).ok());
    auto accounts = Block(tx, NameKind::kAccount, 42, 10);
    ASSERT_TRUE(accounts.ok());
    EXPECT_EQ(*accounts, std::vector<std::string>{"A-1"});
    auto contacts = Block(tx, NameKind::kContact, 42, 10);
    ASSERT_TRUE(contacts.ok());
    EXPECT_EQ(*contacts, std::vector<std::string>{"C-1"});
    // Re-filing replaces the old blocks; unfiling removes them.
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-1", std::vector<uint64_t>{44}).ok());
    EXPECT_TRUE(Block(tx, NameKind::kAccount, 42, 10)->empty());
    EXPECT_EQ(*Block(tx, NameKind::kAccount, 44, 10), std::vector<std::string>{"A-1"});
    ASSERT_TRUE(File(tx, NameKind::kContact, "C-1", std::nullopt).ok());
    EXPECT_TRUE(Block(tx, NameKind::kContact, 42, 10)->empty());
    EXPECT_FALSE(Hashes(tx, NameKind::kContact, "C-1")->has_value());
    EXPECT_EQ(**Hashes(tx, NameKind::kAccount, "A-1"), std::vector<uint64_t>{44});
  });
}

// A record's number is given again once it is unfiled (the largest one is): the new record
// sees none of the blocks its number was filed under before, whether those entries were
// written into the blocks long ago or changed since.
TEST_F(DedupeIndexTest, ANumberGivenAgainSeesNoneOfItsFormerBlocks) {
  auto block = [](Tx& tx, uint64_t h) {
    auto ids = Block(tx, NameKind::kAccount, h, 10);
    EXPECT_TRUE(ids.ok());
    return ids.ok() ? *ids : std::vector<std::string>{"error"};
  };
  const std::vector<std::string> none, a2{"A-2"};
  InTx([&](Tx& tx) {
    ASSERT_TRUE(
        File(tx, NameKind::kAccount, "A-1", std::vector<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}).ok());
    ASSERT_TRUE(tx.ReplaceDupPairs(NameKind::kAccount, {}, {}).ok());
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-1", std::vector<uint64_t>{1, 9}).ok());
    EXPECT_EQ(block(tx, 2), none);
    EXPECT_EQ(block(tx, 9), std::vector<std::string>{"A-1"});
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-1", std::nullopt).ok());
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-2", std::vector<uint64_t>{2, 10}).ok());
    for (uint64_t h = 1; h <= 10; ++h)
      EXPECT_EQ(block(tx, h), h == 2 || h == 10 ? a2 : none) << "hash " << h;
    ASSERT_TRUE(tx.ReplaceDupPairs(NameKind::kAccount, {}, {}).ok());
    for (uint64_t h = 1; h <= 10; ++h)
      EXPECT_EQ(block(tx, h), h == 2 || h == 10 ? a2 : none) << "hash " << h << ", later";
  });
  Raw raw(dir_ + "/hub.db");
  EXPECT_EQ(raw.Int("SELECT count(*) FROM dup_records"), 1);
}

// Each account is filed under some forty hashes spread over the whole block table, so a renamed
// account's old and new entries were written into as many of its pages: a week of renames
// rewrote most of the table. The changes are kept apart in a small table now (0064), and
// bringing the index up to date after a rename writes a few pages per account.
TEST_F(DedupeIndexTest, RenamedAccountsAreReFiledInAFewPagesEach) {
  constexpr int kAccounts = 20000, kStep = 200;
  const char* kWords[] = {"Alpha", "Sahel", "Delta", "Niger", "Zenith", "Crown", "Royal", "Prime"};
  auto name = [&](int i, const char* suffix) {
    return std::string(kWords[i % 8]) + " " + kWords[(i / 8) % 8] + " Trading " +
           std::to_string(i) + " " + suffix;
  };
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; ++i) {
      Account a;
      a.id = "A-" + std::to_string(100000 + i);
      a.name = name(i, "Limited");
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  ASSERT_TRUE(FindDuplicates(*store_, NameKind::kAccount).ok());
  int changed = 0;
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; i += kStep) {
      auto a = tx.GetAccount("A-" + std::to_string(100000 + i));
      ASSERT_TRUE(a.ok() && a->has_value());
      (*a)->name = name(i, "Industries");
      ASSERT_TRUE(tx.UpdateAccount(**a).ok());
      ++changed;
    }
  });
  Raw raw(dir_ + "/hub.db");
  raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const std::string wal = dir_ + "/hub.db-wal";
  ASSERT_EQ(std::filesystem::file_size(wal), 0u);
  auto kept = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  const int64_t page = raw.Int("PRAGMA page_size");
  const auto frames = (int64_t(std::filesystem::file_size(wal)) - 32) / (24 + page);
  const int64_t block_pages =
      raw.Int("SELECT count(*) FROM dbstat WHERE name = 'dup_blocks' AND pagetype = 'leaf'");
  // Not folded into the blocks yet (that comes once the changes are as many as the records).
  EXPECT_GT(raw.Int("SELECT count(*) FROM dup_blocks_recent"), 50 * changed);
  // About two pages of dup_records per account (a longer name has more hashes: its entry grows
  // and splits a full page), those of the changes, a few inner pages; none of the blocks'.
  EXPECT_LT(frames, block_pages / 2);
  EXPECT_LE(frames, 4 * changed) << frames << " pages written to re-file " << changed
                                 << " renamed accounts (the blocks hold " << block_pages << ")";
  auto scanned = ScanDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(scanned.ok());
  EXPECT_EQ(Show(*kept), Show(*scanned));
}

TEST_F(DedupeIndexTest, NamesThatDifferInTheirNumbersAreNotDuplicates) {
  auto add = [&](const std::string& id, const std::string& name, const std::string& phone) {
    InTx([&](Tx& tx) {
      Account a;
      a.id = id;
      a.name = name;
      a.phone = phone;
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    });
  };
  add("A-1", "Mikano Motors Branch 12", "");
  add("A-2", "Mikano Motors Branch 13", "");
  add("A-3", "Mikano Motros Branch 12", "");  // a typo in a word, same number
  add("A-4", "Lekki Depot 7", "0803 444 5555");
  add("A-5", "Lekki Depot 8", "08034445555");  // another number, but the same phone
  auto clusters = FindDuplicates(*store_, NameKind::kAccount);
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 2u) << Show(*clusters);
  EXPECT_EQ((*clusters)[0].ids, (std::vector<std::string>{"A-1", "A-3"}));
  EXPECT_EQ((*clusters)[0].why, "similar name");
  EXPECT_EQ((*clusters)[1].ids, (std::vector<std::string>{"A-4", "A-5"}));
  EXPECT_EQ((*clusters)[1].why, "same phone");
  EXPECT_EQ(KeySimilarity("company 12", "company 13"), 0);
  EXPECT_GE(KeySimilarity("company 12", "compny 12"), kProbableDuplicate);
}

}  // namespace
}  // namespace cx
