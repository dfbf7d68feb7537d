// The intersection of sorted lists of ids (sorted_ids.h): galloping in the longer list gives
// what walking both gives, whatever their lengths and however their elements interleave.
#include "store/sqlite/sorted_ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite/postings_cache.h"

namespace cx::sqlite {
namespace {

std::vector<int> SortedDistinct(std::mt19937& rng, size_t n, int range) {
  std::set<int> s;
  std::uniform_int_distribution<int> d(0, range);
  while (s.size() < n && s.size() < size_t(range) + 1) s.insert(d(rng));
  return {s.begin(), s.end()};
}

std::vector<int> Walked(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

TEST(SortedIdsTest, GallopingFindsWhatWalkingBothFinds) {
  std::mt19937 rng(21);
  const size_t sizes[] = {0, 1, 2, 3, 7, 16, 31, 100, 257, 1000, 5000};
  for (size_t na : sizes) {
    for (size_t nb : sizes) {
      // Dense (most of the short list is in the long one), sparse, and clustered at one end.
      for (int range : {int(std::max(na, nb)) + 3, 20 * int(std::max(na, nb)) + 10}) {
        auto a = SortedDistinct(rng, na, range);
        auto b = SortedDistinct(rng, nb, range);
        const auto want = Walked(a, b);
        std::vector<int> got = {-1};  // appended after what `out` holds
        GallopIntersectionInto(a.cbegin(), a.cend(), b.cbegin(), b.cend(), &got);
        ASSERT_EQ(got.front(), -1);
        got.erase(got.begin());
        EXPECT_EQ(got, want) << na << " in " << nb << " over " << range;
        got.clear();
        GallopIntersectionInto(b.cbegin(), b.cend(), a.cbegin(), a.cend(), &got);
        EXPECT_EQ(got, want) << nb << " in " << na << " over " << range;
      }
    }
  }
}

TEST(SortedIdsTest, GallopingAtTheEdgesOfTheLongList) {
  std::vector<int> large;
  for (int i = 0; i < 1000; ++i) large.push_back(2 * i);
  const std::vector<std::vector<int>> smalls = {{0},
                                                {1},
                                                {1998},
                                                {1999},
                                                {2000},
                                                {-1},
                                                {0, 1998},
                                                {-5, 0, 2, 3, 1997, 1998, 5000},
                                                {1000, 1001, 1002},
                                                {511, 512, 513, 1022, 1024}};
  for (const auto& small : smalls) {
    std::vector<int> got;
    GallopIntersectionInto(small.cbegin(), small.cend(), large.cbegin(), large.cend(), &got);
    EXPECT_EQ(got, Walked(small, large));
  }
}

// Ids as the search merges and intersects them (IdView: their first eight bytes as a number),
// of several lengths, sharing their first eight bytes or a start shorter than that: the order
// is the text's, and the walk without branches and galloping give std::set_union's and
// std::set_intersection's answers over the text, whatever the lengths of the lists.
TEST(SortedIdsTest, IdViewsMergeAndIntersectAsTheirText) {
  std::mt19937 rng(7);
  std::vector<std::string> pool;
  for (int i = 0; i < 4000; ++i) {
    std::string id = "C-" + std::to_string(100000 + int(rng() % 900000));
    if (i % 5 == 0) id += "-" + std::to_string(rng() % 100);       // longer, same first 8 bytes
    if (i % 11 == 0) id = id.substr(0, 3 + rng() % 6);             // shorter than 8 bytes
    if (i % 13 == 0) id = "A-00000" + std::to_string(rng() % 30);  // 8 or 9 bytes
    pool.push_back(id);
  }
  std::sort(pool.begin(), pool.end());
  pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
  const auto texts = [](const std::vector<IdView>& views) {
    std::vector<std::string> out;
    for (const auto& v : views) out.emplace_back(v.s);
    return out;
  };
  for (size_t a_every : {1, 2, 3, 7}) {
    for (size_t b_every : {1, 2, 5, 17, 40, 200, 1000, 5000}) {
      for (size_t shift : {0, 1}) {
        std::vector<std::string> a_text, b_text;
        for (size_t i = 0; i < pool.size(); ++i) {
          if ((i + shift) % a_every == 0) a_text.push_back(pool[i]);
          if (i % b_every == 0) b_text.push_back(pool[i]);
        }
        std::vector<IdView> a(a_text.begin(), a_text.end()), b(b_text.begin(), b_text.end());
        std::vector<std::string> both, either;
        std::set_intersection(a_text.begin(), a_text.end(), b_text.begin(), b_text.end(),
                              std::back_inserter(both));
        std::set_union(a_text.begin(), a_text.end(), b_text.begin(), b_text.end(),
                       std::back_inserter(either));
        std::vector<IdView> got;
        IntersectionInto(a.data(), a.data() + a.size(), b.data(), b.data() + b.size(), &got);
        EXPECT_EQ(texts(got), both) << a_every << " " << b_every << " " << shift;
        got.clear();
        IntersectionInto(b.data(), b.data() + b.size(), a.data(), a.data() + a.size(), &got);
        EXPECT_EQ(texts(got), both) << b_every << " " << a_every << " " << shift;
        got.assign(1, IdView(std::string_view("kept")));  // appended after what it holds
        UnionInto(a.data(), a.data() + a.size(), b.data(), b.data() + b.size(), &got);
        ASSERT_FALSE(got.empty());
        EXPECT_EQ(got.front().s, "kept");
        got.erase(got.begin());
        EXPECT_EQ(texts(got), either) << a_every << " " << b_every << " " << shift;
        got.clear();
        UnionInto(b.data(), b.data() + b.size(), a.data(), a.data() + a.size(), &got);
        EXPECT_EQ(texts(got), either) << b_every << " " << a_every << " " << shift;
      }
    }
  }
}

}  // namespace
}  // namespace cx::sqlite
