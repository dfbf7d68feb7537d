// The store contract, records and ids: transactions are all or nothing, ids are fresh, the name
// index follows every write, many rows go in at once or not at all.
#include <map>
#include <random>
#include <set>

#include "base/text.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::StoreContract;

TEST_F(StoreContract, MigrationsApplyOnceAndReopenCleanly) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_GE(*v, 1);
  EXPECT_TRUE(store_->Migrate().ok());  // idempotent
  Open();
  EXPECT_EQ(*store_->SchemaVersion(), *v);
}

TEST_F(StoreContract, FailedTransactionWritesNothing) {
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("A-1", "Alpha Motors")));
    return Invalid("a later step failed");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  InTx([&](Tx& tx) {
    EXPECT_FALSE(tx.GetAccount("A-1")->has_value());
    EXPECT_TRUE(
        tx.IdsByWord(NameKind::kAccount, "alpha", 10)->empty());  // the index rolled back too
  });
}

TEST_F(StoreContract, DuplicateIdIsAConflict) {
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok()); });
  Status st =
      store_->Transaction([&](Tx& tx) { return tx.InsertAccount(MakeAccount("A-1", "Beta")); });
  EXPECT_EQ(st.code(), Code::kConflict);
}

TEST_F(StoreContract, NextIdSkipsIdsAlreadyTaken) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-000001", "One")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-000950", "Nine Fifty")).ok());
    auto id = tx.NextId("A");
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, "A-000951");
    EXPECT_EQ(*tx.NextId("A"), "A-000952");
    EXPECT_EQ(*tx.NextId("C"), "C-000001");
  });
}

TEST_F(StoreContract, NextIdUncheckedCountsOnWithoutLookingAndATakenIdConflicts) {
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.NextIdUnchecked("A"), "A-000001");
    EXPECT_EQ(*tx.NextId("A"), "A-000002");
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-000003", "Three")).ok());
    // Not checked: the taken number is handed out, and storing it is a conflict.
    auto id = tx.NextIdUnchecked("A");
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, "A-000003");
    EXPECT_EQ(tx.InsertAccount(MakeAccount(*id, "Again")).code(), Code::kConflict);
    EXPECT_EQ(*tx.NextId("A"), "A-000004");
  });
}

// NextIdOfMany may read which numbers are taken many at a time (SQLite: 4,096 numbers a
// read): it never hands out a taken id, in the first range, in a later one or where the ids
// grow a digit, nor one it handed out before.
TEST_F(StoreContract, NextIdOfManyNeverHandsOutATakenId) {
  const std::set<std::string> taken = {"A-000002", "A-000003", "A-005000"};
  const auto number = [](const std::string& id) { return std::stoll(id.substr(2)); };
  InTx([&](Tx& tx) {
    for (const auto& id : taken) ASSERT_TRUE(tx.InsertAccount(MakeAccount(id, id)).ok()) << id;
    EXPECT_EQ(*tx.NextIdOfMany("A"), "A-000001");
    long long last = 1;
    for (int i = 0; i < 6000; ++i) {
      auto id = tx.NextIdOfMany("A");
      ASSERT_TRUE(id.ok());
      EXPECT_FALSE(taken.count(*id)) << *id;
      EXPECT_GT(number(*id), last) << *id;
      last = number(*id);
    }
  });
}

TEST_F(StoreContract, NextIdOfManyPassesTakenIdsWhereTheyGrowADigit) {
  const std::set<std::string> taken = {"A-000001", "A-999997", "A-999999", "A-1000000",
                                       "A-1000002"};
  const auto number = [](const std::string& id) { return std::stoll(id.substr(2)); };
  long long last = 0;
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-000001", "One")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-999997", "Last but two")).ok());
    // NextId meets a taken id and passes the highest number in use.
    EXPECT_EQ(*tx.NextId("A"), "A-999998");
    last = 999998;
    for (const char* id : {"A-999999", "A-1000000", "A-1000002"})
      ASSERT_TRUE(tx.InsertAccount(MakeAccount(id, id)).ok()) << id;
    for (int i = 0; i < 3; ++i) {
      auto id = tx.NextIdOfMany("A");
      ASSERT_TRUE(id.ok());
      EXPECT_FALSE(taken.count(*id)) << *id;
      EXPECT_GT(number(*id), last) << *id;
      last = number(*id);
    }
  });
  // What a transaction took is not handed out again by the next one.
  InTx([&](Tx& tx) { EXPECT_GT(number(*tx.NextIdOfMany("A")), last); });
}

TEST_F(StoreContract, NameIndexFollowsRenamesAndMerges) {
  InTx([&](Tx& tx) {
    Account a = MakeAccount("A-1", "Alpha Motors");
    ASSERT_TRUE(tx.InsertAccount(a).ok());
    a.name = "Gamma Motors";
    ASSERT_TRUE(tx.UpdateAccount(a).ok());
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "alpha", 10)->empty());
    EXPECT_EQ(tx.IdsByWord(NameKind::kAccount, "gamma", 10)->size(), 1u);
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Delta")).ok());
    a.merged_into = "A-2";
    ASSERT_TRUE(tx.UpdateAccount(a).ok());
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "gamma", 10)->empty());
  });
}

// The id counters live in memory during a transaction and are written back at commit; a
// rolled-back transaction hands its numbers out again.
TEST_F(StoreContract, NextIdCountersPersistAcrossTransactions) {
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.NextId("K"), "K-000001");
    EXPECT_EQ(*tx.NextId("K"), "K-000002");
  });
  InTx([&](Tx& tx) { EXPECT_EQ(*tx.NextId("K"), "K-000003"); });
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    EXPECT_EQ(*tx.NextId("K"), "K-000004");
    return Invalid("a later step failed");
  });
  EXPECT_FALSE(st.ok());
  InTx([&](Tx& tx) { EXPECT_EQ(*tx.NextId("K"), "K-000004"); });
}

// Word use counts add up over buffered batches and transactions, and a word first
// indexed in a batch is found through its typo variants.
TEST_F(StoreContract, NameIndexCountsAddUpAcrossBatches) {
  InTx([&](Tx& tx) {
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-" + std::to_string(i), "Alpha Trading")).ok());
  });
  InTx([&](Tx& tx) {
    for (int i = 4; i <= 5; ++i)
      ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-" + std::to_string(i), "Alpha Foods")).ok());
    auto words = tx.WordsByPrefix(NameKind::kAccount, "alph", 5);
    ASSERT_EQ(words->size(), 1u);
    EXPECT_EQ((*words)[0].word, "alpha");
    EXPECT_EQ((*words)[0].records, 5);
    auto near = tx.WordsByVariants(NameKind::kAccount, DeletionVariants("alpa"));  // typo
    ASSERT_EQ(near->size(), 1u);
    EXPECT_EQ((*near)[0].word, "alpha");
    EXPECT_EQ(tx.IdsByWord(NameKind::kAccount, "foods", 10)->size(), 2u);
  });
}

// Renames, creations and merges in any order, within one transaction and across several,
// leave the name index exactly what indexing the final names from scratch gives: every live
// account under each of its words, and each word's count of records.
TEST_F(StoreContract, NameIndexMatchesTheNamesAfterRandomRenames) {
  const char* words[] = {"Alpha", "Beta", "Gamma", "Delta", "Trading", "Foods", "Motors", "12"};
  std::mt19937 rng(11);
  auto name = [&] {
    std::string n;
    for (int w = 0, k = 1 + int(rng() % 3); w < k; ++w)
      n += std::string(n.empty() ? "" : " ") + words[rng() % 8];
    return n;
  };
  std::map<std::string, Account> accounts;
  for (int round = 0; round < 6; ++round) {
    InTx([&](Tx& tx) {
      for (int step = 0; step < 60; ++step) {
        const std::string id = "A-" + std::to_string(rng() % 30);
        auto it = accounts.find(id);
        if (it == accounts.end()) {
          Account a = MakeAccount(id, name());
          ASSERT_TRUE(tx.InsertAccount(a).ok());
          accounts.emplace(id, a);
        } else if (rng() % 8 == 0 && it->second.merged_into.empty() && id != "A-0") {
          it->second.merged_into = accounts.count("A-0") ? "A-0" : "";
          ASSERT_TRUE(tx.UpdateAccount(it->second).ok());
        } else {
          it->second.name = name();
          ASSERT_TRUE(tx.UpdateAccount(it->second).ok());
        }
      }
    });
    std::map<std::string, std::set<std::string>> want;  // word → ids
    for (const auto& [id, a] : accounts)
      if (a.merged_into.empty())
        for (const auto& w : CompanyWords(a.name)) want[w].insert(id);
    InTx([&](Tx& tx) {
      for (const char* w : words) {
        const std::string word = CompanyWords(w).empty() ? "" : CompanyWords(w)[0];
        if (word.empty()) continue;
        auto ids = tx.IdsByWord(NameKind::kAccount, word, 1000);
        ASSERT_TRUE(ids.ok());
        std::set<std::string> got(ids->begin(), ids->end());
        EXPECT_EQ(got, want[word]) << "round " << round << ", word " << word;
        auto vocab = tx.WordsByPrefix(NameKind::kAccount, word, 50);
        ASSERT_TRUE(vocab.ok());
        int64_t records = 0;
        for (const auto& v : *vocab)
          if (v.word == word) records = v.records;
        EXPECT_EQ(records, int64_t(want[word].size())) << "round " << round << ", word " << word;
      }
    });
  }
}

// Many interactions at once: all stored, or, when one is already there, none of its
// statement and an error naming it.
TEST_F(StoreContract, InsertInteractionsStoresManyAndNamesAConflict) {
  auto make = [](int n) {
    Interaction i;
    i.id = "I-" + std::to_string(n);
    i.at = 1000 + n;
    i.contact_id = "C-1";
    i.channel = "phone";
    i.notes = "call " + std::to_string(n);
    i.created_at = 1;
    return i;
  };
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    Contact c;
    c.id = "C-1";
    c.full_name = "Ada Obi";
    c.account_id = "A-1";
    ASSERT_TRUE(tx.InsertContact(c).ok());
    std::vector<Interaction> rows;
    for (int n = 1; n <= 70; ++n) rows.push_back(make(n));  // more than one statement's worth
    ASSERT_TRUE(tx.InsertInteractions(rows).ok());
    auto back = tx.GetInteraction("I-70");
    ASSERT_TRUE(back.ok() && back->has_value());
    EXPECT_EQ((*back)->notes, "call 70");
    EXPECT_EQ((*back)->at, 1070);
    EXPECT_EQ((*back)->checklist, "{}");
  });
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.InsertInteractions({make(71), make(5), make(72)}));
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_NE(st.message().find("I-5"), std::string::npos) << st.message();
  InTx([&](Tx& tx) {
    auto all = tx.ListInteractions(InteractionFilter{});
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 70u);
  });
}

TEST_F(StoreContract, InsertAccountsStoresManyAndNamesAConflict) {
  auto make = [](int n) {
    Account a = MakeAccount("A-" + std::to_string(n), "Firm " + std::to_string(n) + " Ltd");
    a.erp_customer_id = "E" + std::to_string(n);
    a.phone = "0803 000 " + std::to_string(1000 + n);
    return KeyAccount(a);
  };
  std::vector<KeyedAccount> rows;
  for (int n = 1; n <= 70; ++n) rows.push_back(make(n));  // more than one statement's worth
  InTx([&](Tx& tx) {
    std::vector<const KeyedAccount*> batch;
    for (const auto& k : rows) batch.push_back(&k);
    ASSERT_TRUE(tx.InsertAccounts(batch).ok());
    auto back = tx.GetAccount("A-70");
    ASSERT_TRUE(back.ok() && back->has_value());
    EXPECT_EQ((*back)->erp_customer_id, "E70");
    EXPECT_EQ(*tx.IdsByWord(NameKind::kAccount, "70", 5), std::vector<std::string>{"A-70"});
    auto by_key = tx.FindByKeys(NameKind::kAccount, "70 firm", PhoneKey("0803 000 1070"), "");
    ASSERT_TRUE(by_key.ok());
    ASSERT_EQ(by_key->size(), 1u);
    EXPECT_EQ((*by_key)[0].id, "A-70");
  });
  // A taken ERP id in the middle of a statement: that account is named, nothing is written.
  KeyedAccount a71 = make(71), again = make(5), a72 = make(72);
  again.account.id = "A-500";
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    return tx.InsertAccounts({&a71, &again, &a72});
  });
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_NE(st.message().find("account A-500"), std::string::npos) << st.message();
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 70);
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "71", 5)->empty());
  });
}

}  // namespace
}  // namespace cx
