// The store contract, search over names where one word is rare and the other common (the shape of
// a search-first lookup: a company's own word beside a word thousands of names share): the ids
// under both and under either come in the same order as for any other words, and the counts of
// records stay exact as records are added, renamed and merged away.
#include <gtest/gtest.h>

#include <cstdio>

#include "base/text.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::StoreContract;

std::vector<std::string> WordsOf(const std::vector<IndexedWord>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.word + ":" + std::to_string(w.records));
  return out;
}

std::string Id(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "A-%03d", i);
  return buf;
}

TEST_F(StoreContract, RareWordBesideACommonOneFindsTheSameIdsAndCounts) {
  // "nordic" under 80 records, "zephyr" under 2 (one of them also "nordic").
  InTx([&](Tx& tx) {
    for (int i = 1; i <= 79; ++i)
      ASSERT_TRUE(tx.InsertAccount(MakeAccount(Id(i), "Nordic Trading")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount(Id(80), "Zephyr Nordic")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount(Id(81), "Zephyr Vale")).ok());
  });
  InTx([&](Tx& tx) {
    const std::vector<std::vector<std::string>> groups = {{"zephyr"}, {"nordic"}};
    auto both = tx.IdsByWordGroups(NameKind::kAccount, groups, 2, 10);
    ASSERT_TRUE(both.ok()) << both.status().ToString();
    EXPECT_EQ(*both, std::vector<std::string>{"A-080"});
    // Under both first, then under one only, in id order; the groups in either order.
    const std::vector<std::string> either = {"A-080", "A-001", "A-002"};
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, groups, 1, 3), either);
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, {{"nordic"}, {"zephyr"}}, 1, 3), either);
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, groups, 1, 1),
              std::vector<std::string>{"A-080"});
    // A rare word under no common one: only the ids under one group.
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, {{"vale"}, {"nordic"}}, 1, 2),
              (std::vector<std::string>{"A-001", "A-002"}));
    EXPECT_TRUE(tx.IdsByWordGroups(NameKind::kAccount, {{"vale"}, {"nordic"}}, 2, 5)->empty());
    // One group, a word named twice: its ids once each, in id order.
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, {{"zephyr", "zephyr", "vale"}}, 1, 5),
              (std::vector<std::string>{"A-080", "A-081"}));
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "nor", 5)),
              std::vector<std::string>{"nordic:80"});
    EXPECT_EQ(WordsOf(*tx.WordsByVariants(NameKind::kAccount, DeletionVariants("zehpyr"))),
              std::vector<std::string>{"zephyr:2"});
    // Renamed, merged away, added: the counts follow within the transaction.
    ASSERT_TRUE(tx.UpdateAccount(MakeAccount(Id(80), "Zephyr Holdings")).ok());
    Account merged = MakeAccount(Id(1), "Nordic Trading");
    merged.merged_into = Id(2);
    ASSERT_TRUE(tx.UpdateAccount(merged).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount(Id(82), "Nordic Zephyr")).ok());
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "nor", 5)),
              std::vector<std::string>{"nordic:79"});
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "zep", 5)),
              std::vector<std::string>{"zephyr:3"});
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, groups, 2, 10),
              std::vector<std::string>{"A-082"});
  });
  // And after the commit, from a new transaction.
  InTx([&](Tx& tx) {
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "nor", 5)),
              std::vector<std::string>{"nordic:79"});
    EXPECT_EQ(WordsOf(*tx.WordsByVariants(NameKind::kAccount, {"holdings"})),
              std::vector<std::string>{"holdings:1"});
  });
}

}  // namespace
}  // namespace cx
