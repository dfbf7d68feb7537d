// The store contract, the duplicate index: stale until first built, records filed under their
// hashes per kind, pairs replaced around the records that changed, and every change of a
// matching field (merges and bulk loads included) made known to the next refresh.
#include <gtest/gtest.h>

#include <algorithm>

#include "dup_test_util.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::Block;
using testing::File;
using testing::Hashes;

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<uint64_t> Sorted64(std::vector<uint64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> PairsOf(const std::vector<DupPair>& pairs) {
  std::vector<std::string> out;
  for (const auto& p : pairs) out.push_back(p.a + "+" + p.b + ":" + p.why);
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(StoreContract, ManyRecordsAreFiledInOneGo) {
  // More records than one statement of a store may carry, each under a block of its own and
  // one of seven shared ones.
  std::vector<DupFiling> all;
  for (int i = 0; i < 2500; ++i) {
    all.push_back(DupFiling{"A-" + std::to_string(i),
                            std::vector<uint64_t>{uint64_t(i % 7 + 1), uint64_t(1000 + i)}});
  }
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.FileDupRecords(NameKind::kAccount, all).ok()); });
  InTx([&](Tx& tx) {
    auto got = tx.DupHashes(NameKind::kAccount, {"A-5", "A-none", "A-2400"});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->size(), 3u);
    ASSERT_TRUE((*got)[0].has_value());
    EXPECT_EQ(Sorted64(*(*got)[0]), (std::vector<uint64_t>{6, 1005}));
    EXPECT_FALSE((*got)[1].has_value());
    EXPECT_EQ(Sorted64(*(*got)[2]), (std::vector<uint64_t>{7, 3400}));
    // Refiled, unfiled and new in one go; the rest stays as it was.
    ASSERT_TRUE(tx.FileDupRecords(
                      NameKind::kAccount,
                      {DupFiling{"A-5", std::vector<uint64_t>{99}}, DupFiling{"A-6", std::nullopt},
                       DupFiling{"A-9999", std::vector<uint64_t>{1}}})
                    .ok());
    // The same record twice in one go is refused.
    EXPECT_FALSE(tx.FileDupRecords(NameKind::kAccount, {DupFiling{"A-7", std::vector<uint64_t>{3}},
                                                        DupFiling{"A-7", std::vector<uint64_t>{4}}})
                     .ok());
  });
  InTx([&](Tx& tx) {
    auto blocks = tx.DupBlocks(NameKind::kAccount, {99, 1005, 1006, 6, 1}, 5000);
    ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
    EXPECT_EQ((*blocks)[0], std::vector<std::string>{"A-5"});
    EXPECT_TRUE((*blocks)[1].empty());
    EXPECT_TRUE((*blocks)[2].empty());
    EXPECT_EQ((*blocks)[3].size(), 2500u / 7 - 1);      // A-5 left block 6
    EXPECT_EQ((*blocks)[4].size(), 2500u / 7 + 1 + 1);  // A-9999 joined block 1
    auto gone = tx.DupHashes(NameKind::kAccount, {"A-6", "A-9999"});
    ASSERT_TRUE(gone.ok());
    EXPECT_FALSE((*gone)[0].has_value());
    EXPECT_EQ(*(*gone)[1], std::vector<uint64_t>{1});
  });
}

TEST_F(StoreContract, ManyBlocksAreReadInOneGoEachInItsPlace) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {"A-1", "A-2", "A-3"}, {7, 8, 7, 9, 7},
                                   {0, 2, 3, 5}, {})
                    .ok());
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kContact, {"C-1"}, {8}, {0, 1}, {}).ok());
  });
  InTx([&](Tx& tx) {
    // Absent and repeated hashes keep their places; each list is cut at the limit.
    auto got = tx.DupBlocks(NameKind::kAccount, {9, 11, 7, 8, 7}, 10);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_EQ(got->size(), 5u);
    EXPECT_EQ((*got)[0], std::vector<std::string>{"A-3"});
    EXPECT_TRUE((*got)[1].empty());
    EXPECT_EQ(Sorted((*got)[2]), (std::vector<std::string>{"A-1", "A-2", "A-3"}));
    EXPECT_EQ((*got)[3], std::vector<std::string>{"A-1"});  // not the contact's
    EXPECT_EQ(Sorted((*got)[4]), Sorted((*got)[2]));
    auto cut = tx.DupBlocks(NameKind::kAccount, {7, 9}, 2);
    ASSERT_TRUE(cut.ok());
    EXPECT_EQ((*cut)[0].size(), 2u);
    EXPECT_EQ((*cut)[1], std::vector<std::string>{"A-3"});
    auto none = tx.DupBlocks(NameKind::kContact, {}, 10);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    // More blocks than one statement of a store may carry.
    std::vector<uint64_t> many(4500, 100);
    many.push_back(8);
    auto big = tx.DupBlocks(NameKind::kContact, many, 10);
    ASSERT_TRUE(big.ok());
    ASSERT_EQ(big->size(), many.size());
    EXPECT_TRUE(big->front().empty());
    EXPECT_EQ(big->back(), std::vector<std::string>{"C-1"});
  });
}

TEST_F(StoreContract, TheDuplicateIndexIsRebuiltAndFiledPerKind) {
  InTx([&](Tx& tx) {
    auto info = tx.GetDupIndexInfo(NameKind::kAccount);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_TRUE(info->stale);  // never built
    EXPECT_EQ(info->records, 0);
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {"A-1", "A-2", "A-3"}, {7, 8, 7, 9, 9},
                                   {0, 2, 3, 5}, {{"A-1", "A-2", 0.9, "same name"}})
                    .ok());
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kContact, {"C-1"}, {7}, {0, 1}, {}).ok());
  });
  InTx([&](Tx& tx) {
    auto info = tx.GetDupIndexInfo(NameKind::kAccount);
    EXPECT_FALSE(info->stale);
    EXPECT_EQ(info->records, 3);
    EXPECT_EQ(tx.GetDupIndexInfo(NameKind::kContact)->records, 1);
    EXPECT_EQ(Sorted(*Block(tx, NameKind::kAccount, 7, 10)),
              (std::vector<std::string>{"A-1", "A-2"}));
    EXPECT_EQ(*Block(tx, NameKind::kContact, 7, 10), std::vector<std::string>{"C-1"});
    EXPECT_EQ(Block(tx, NameKind::kAccount, 7, 1)->size(), 1u);
    EXPECT_EQ(*Block(tx, NameKind::kAccount, 9, 10), std::vector<std::string>{"A-3"});
    EXPECT_TRUE(Block(tx, NameKind::kAccount, 10, 10)->empty());
    auto hashes = Hashes(tx, NameKind::kAccount, "A-1");
    ASSERT_TRUE(hashes.ok() && hashes->has_value());
    std::vector<uint64_t> h = **hashes;
    std::sort(h.begin(), h.end());
    EXPECT_EQ(h, (std::vector<uint64_t>{7, 8}));
    EXPECT_FALSE(Hashes(tx, NameKind::kContact, "A-1")->has_value());
    // Large hashes (36 bits) are kept exactly.
    const uint64_t big = (uint64_t(1) << 36) - 3;
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-1", std::vector<uint64_t>{8, big}).ok());
    EXPECT_EQ(*Block(tx, NameKind::kAccount, 7, 10), std::vector<std::string>{"A-2"});
    EXPECT_EQ(*Block(tx, NameKind::kAccount, big, 10), std::vector<std::string>{"A-1"});
    h = **Hashes(tx, NameKind::kAccount, "A-1");
    std::sort(h.begin(), h.end());
    EXPECT_EQ(h, (std::vector<uint64_t>{8, big}));
    // Unfiled, a record is in no block; filed anew, it counts again.
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-3", std::nullopt).ok());
    EXPECT_FALSE(Hashes(tx, NameKind::kAccount, "A-3")->has_value());
    EXPECT_TRUE(Block(tx, NameKind::kAccount, 9, 10)->empty());
    EXPECT_EQ(tx.GetDupIndexInfo(NameKind::kAccount)->records, 2);
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-4", std::vector<uint64_t>{9}).ok());
    EXPECT_EQ(*Block(tx, NameKind::kAccount, 9, 10), std::vector<std::string>{"A-4"});
    EXPECT_EQ(tx.GetDupIndexInfo(NameKind::kAccount)->records, 3);
    // Re-filing a filed record, or unfiling one that is not filed, counts no record more or less.
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-4", std::vector<uint64_t>{9, 10}).ok());
    ASSERT_TRUE(File(tx, NameKind::kAccount, "A-9", std::nullopt).ok());
    EXPECT_EQ(tx.GetDupIndexInfo(NameKind::kAccount)->records, 3);
    EXPECT_EQ(PairsOf(*tx.DupPairs(NameKind::kAccount)),
              std::vector<std::string>{"A-1+A-2:same name"});
    EXPECT_TRUE(tx.DupPairs(NameKind::kContact)->empty());
  });
  // A rebuild replaces everything of its kind and nothing of the other.
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {"A-5"}, {11}, {0, 1}, {}).ok());
    EXPECT_EQ(tx.GetDupIndexInfo(NameKind::kAccount)->records, 1);
    EXPECT_TRUE(Block(tx, NameKind::kAccount, 8, 10)->empty());
    EXPECT_TRUE(tx.DupPairs(NameKind::kAccount)->empty());
    EXPECT_EQ(*Block(tx, NameKind::kContact, 7, 10), std::vector<std::string>{"C-1"});
  });
}

// Every change of a matching field marks the record; other fields do not. Replacing the pairs
// of some records keeps the others' and clears the marks.
TEST_F(StoreContract, ChangedRecordsAreMarkedUntilTheirPairsAreReplaced) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha Motors")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Alpha Motor")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-3", "Beta Foods")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {"A-1", "A-2", "A-3"}, {1, 1, 2},
                                   {0, 1, 2, 3},
                                   {{"A-1", "A-2", 0.9, "name"}, {"A-2", "A-3", 0.5, "phone"}})
                    .ok());
    EXPECT_TRUE(tx.DupDirtyIds(NameKind::kAccount)->empty());
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kContact), std::vector<std::string>{"C-1"});
  });
  InTx([&](Tx& tx) {
    Account a1 = *tx.GetAccount("A-1").value();
    a1.industry = "Retail";  // not a matching field
    ASSERT_TRUE(tx.UpdateAccount(a1).ok());
    EXPECT_TRUE(tx.DupDirtyIds(NameKind::kAccount)->empty());
    Account a3 = *tx.GetAccount("A-3").value();
    a3.phone = "0803 555 0101";
    ASSERT_TRUE(tx.UpdateAccount(a3).ok());
    a3.phone = "0803 555 0102";
    ASSERT_TRUE(tx.UpdateAccount(a3).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-4", "Gamma")).ok());
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kAccount), (std::vector<std::string>{"A-3", "A-4"}));
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kAccount), (std::vector<std::string>{"A-3", "A-4"}));
    ASSERT_TRUE(
        tx.ReplaceDupPairs(NameKind::kAccount, {"A-3", "A-4"}, {{"A-3", "A-4", 0.7, "email"}})
            .ok());
    EXPECT_TRUE(tx.DupDirtyIds(NameKind::kAccount)->empty());
    EXPECT_EQ(tx.DupDirtyIds(NameKind::kContact)->size(), 1u);  // another kind's marks stay
    EXPECT_EQ(PairsOf(*tx.DupPairs(NameKind::kAccount)),
              (std::vector<std::string>{"A-1+A-2:name", "A-3+A-4:email"}));
    // A merge marks the merged record; a renamed contact is marked too.
    Account a2 = *tx.GetAccount("A-2").value();
    a2.merged_into = "A-1";
    ASSERT_TRUE(tx.UpdateAccount(a2).ok());
    Contact c1 = *tx.GetContact("C-1").value();
    c1.full_name = "Ada Obi-Eze";
    ASSERT_TRUE(tx.UpdateContact(c1).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kAccount), std::vector<std::string>{"A-2"});
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kContact), std::vector<std::string>{"C-1"});
    auto pairs = tx.DupPairs(NameKind::kAccount);
    ASSERT_TRUE(pairs.ok());
    for (const auto& p : *pairs) {
      if (p.a == "A-3") {
        EXPECT_DOUBLE_EQ(p.score, 0.7);
      }
    }
  });
  // A transaction that fails leaves the marks as they were.
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.ReplaceDupPairs(NameKind::kAccount, {"A-2"}, {}));
    return Invalid("stop");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.DupDirtyIds(NameKind::kAccount), std::vector<std::string>{"A-2"});
    EXPECT_EQ(tx.DupPairs(NameKind::kAccount)->size(), 2u);
  });
}

// Records a bulk load writes reach the next refresh: either the kind is marked stale (rebuilt
// from scratch) or each record is marked changed.
TEST_F(StoreContract, ABulkLoadLeavesTheDuplicateIndexToBeRefreshed) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.RebuildDupIndex(NameKind::kAccount, {}, {}, {0}, {}).ok());
    EXPECT_FALSE(tx.GetDupIndexInfo(NameKind::kAccount)->stale);
  });
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.ExpectBulkLoad(Entity::kAccount, 100000).ok());
    for (int i = 1; i <= 20; ++i) {
      ASSERT_TRUE(
          tx.InsertAccount(MakeAccount("A-" + std::to_string(i), "Firm " + std::to_string(i)))
              .ok());
    }
  });
  InTx([&](Tx& tx) {
    const bool stale = tx.GetDupIndexInfo(NameKind::kAccount)->stale;
    const size_t marked = tx.DupDirtyIds(NameKind::kAccount)->size();
    EXPECT_TRUE(stale || marked == 20u) << "stale " << stale << ", marked " << marked;
  });
}

}  // namespace
}  // namespace cx
