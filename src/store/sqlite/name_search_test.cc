// The name index's reads give what reading every posting gives: IdsByWordGroups (the records of
// the most groups first, then by id) and WordsByVariants, however little of the postings they
// read (docs/search.md, "Search-first").
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "base/text.h"
#include "hub_fixture.h"

namespace cx {
namespace {

class NameSearchTest : public testing::HubTest {
 protected:
  void CompareWordGroups(const std::function<std::string(int)>& id);

  // What IdsByWordGroups must give, from every id under each word.
  std::vector<std::string> Expected(Tx& tx, const std::vector<std::vector<std::string>>& groups,
                                    int min_groups, int limit) {
    std::map<std::string, int> count;
    for (const auto& group : groups) {
      std::set<std::string> ids;
      for (const auto& w : group) {
        auto r = tx.IdsByWord(NameKind::kAccount, w, 1 << 20);
        EXPECT_TRUE(r.ok());
        if (r.ok()) ids.insert(r->begin(), r->end());
      }
      for (const auto& id : ids) ++count[id];
    }
    std::vector<std::pair<int, std::string>> found;
    for (const auto& [id, n] : count)
      if (n >= min_groups) found.emplace_back(-n, id);
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (size_t i = 0; i < found.size() && int(i) < limit; ++i) out.push_back(found[i].second);
    return out;
  }
};

// Five common words (hundreds of records each, many blocks), a number per account, and
// renames and merges that leave blocks part-full; `id` names the `i`th account.
void NameSearchTest::CompareWordGroups(const std::function<std::string(int)>& id) {
  const char* kCommon[] = {"alpha", "sahel", "delta", "niger", "zenith"};
  constexpr int kAccounts = 3000;
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; ++i) {
      Account a;
      a.id = id(i);
      a.name = std::string(kCommon[i % 5]) + " " + kCommon[(i / 5) % 5] + " " + std::to_string(i);
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  InTx([&](Tx& tx) {
    for (int i = 0; i < kAccounts; i += 7) {
      auto a = tx.GetAccount(id(i));
      ASSERT_TRUE(a.ok() && a->has_value());
      if (i % 2) {
        (*a)->name = "Zenith Crown " + std::to_string(i);
      } else {
        (*a)->merged_into = id(1);
      }
      ASSERT_TRUE(tx.UpdateAccount(**a).ok());
    }
  });
  const std::vector<std::vector<std::vector<std::string>>> cases = {
      {{"1234"}, {"alpha"}},                        // a rare word and a common one
      {{"alpha"}, {"1234"}},                        // the same, the other way round
      {{"1234"}, {"zenith"}},                       // … whose record is under both
      {{"1230", "1234", "1235"}, {"zenith"}},       // … some of them
      {{"alpha"}, {"sahel"}},                       // two common words
      {{"alpha", "delta"}, {"sahel", "crown"}},     // groups of several words
      {{"zenith"}, {"zenith"}},                     // one word in both groups
      {{"1234", "12340", "12341"}, {"niger"}},      // a number and its prefix expansion
      {{"nowhere"}, {"alpha"}},                     // a word without records
      {{"alpha"}},                                  // one group
      {{"17", "170", "1700", "1701"}, {"zenith"}},  // numbers of merged and renamed records
      {{"alpha", "sahel", "delta"}, {"niger", "zenith"}},
      // Words of very different sizes in a group (merged fewest first), and a word spread thin
      // over every id ("crown") beside dense ones: read on only while it is behind the others.
      {{"1234", "alpha", "2999", "17", "sahel"}, {"crown", "delta", "1500"}},
      {{"crown"}, {"alpha", "niger"}},
  };
  InTx([&](Tx& tx) {
    for (const auto& groups : cases) {
      for (int min_groups : {1, 2}) {
        for (int limit : {1, 5, 100, 400, 100000}) {
          auto got = tx.IdsByWordGroups(NameKind::kAccount, groups, min_groups, limit);
          ASSERT_TRUE(got.ok()) << got.status().ToString();
          EXPECT_EQ(*got, Expected(tx, groups, min_groups, limit))
              << groups.size() << " groups, first " << groups[0][0] << ", min " << min_groups
              << ", limit " << limit;
        }
      }
      if (groups.size() != 2) continue;
      // Search's candidates of two words: those under both, or when fewer than `few` are, those
      // and the first others under either, in id order. The store answers from what finding
      // those under both read when it read every posting (two common words): the same.
      for (const auto& [limit, few, either] :
           std::vector<std::array<int, 3>>{{400, 100, 200}, {5, 3, 10}, {50, 40, 45}}) {
        auto got =
            tx.IdsByTwoGroups(NameKind::kAccount, {groups[0], groups[1]}, limit, few, either);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        std::vector<std::string> want = Expected(tx, groups, 2, limit);
        if (int(want.size()) < few) {
          std::vector<std::string> words = groups[0];
          words.insert(words.end(), groups[1].begin(), groups[1].end());
          const size_t known = want.size();
          for (const auto& id : Expected(tx, {words}, 1, 1 << 20)) {
            if (int(want.size()) >= either) break;
            if (std::find(want.begin(), want.begin() + std::ptrdiff_t(known), id) ==
                want.begin() + std::ptrdiff_t(known))
              want.push_back(id);
          }
          std::sort(want.begin(), want.end());
        }
        EXPECT_EQ(*got, want) << "two groups, first " << groups[0][0] << ", limit " << limit;
      }
    }
  });
}

TEST_F(NameSearchTest, WordGroupsGiveWhatReadingEveryPostingGives) {
  CompareWordGroups([](int i) { return "A-" + std::to_string(10000 + i); });
}

// Two common words' ids are merged comparing their first eight bytes first: ids that share
// those (then compared whole), of different lengths (in text order "X-12" is before "X-9"),
// and shorter than eight bytes, one a prefix of another.
TEST_F(NameSearchTest, WordGroupsOrderIdsAsTextHoweverLong) {
  CompareWordGroups(
      [](int i) { return i % 3 == 0 ? "ERP-CUST-" + std::to_string(i) : "E" + std::to_string(i); });
}

TEST_F(NameSearchTest, WordsByVariantsCountEachWordsRecords) {
  InTx([&](Tx& tx) {
    for (int i = 0; i < 300; ++i) {
      Account a;
      a.id = "A-" + std::to_string(10000 + i);
      a.name = std::string(i % 3 ? "Alpha" : "Alpah") + " Trading " + std::to_string(i);
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  InTx([&](Tx& tx) {
    // "alph" is a deletion variant of both words; "alpha" is a word and a variant of "alpah".
    auto words = tx.WordsByVariants(NameKind::kAccount, DeletionVariants("alpha"));
    ASSERT_TRUE(words.ok());
    std::map<std::string, int64_t> got;
    for (const auto& w : *words) {
      EXPECT_EQ(got.count(w.word), 0u) << w.word << " twice";
      got[w.word] = w.records;
    }
    EXPECT_EQ(got, (std::map<std::string, int64_t>{{"alpha", 200}, {"alpah", 100}}));
  });
}

}  // namespace
}  // namespace cx
