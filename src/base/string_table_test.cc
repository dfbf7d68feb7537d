#include "base/string_table.h"

#include <random>
#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

namespace cx {
namespace {

TEST(StringTable, AgreesWithAStandardMapOverManyKeys) {
  StringTable t;
  std::unordered_map<std::string, int64_t> ref;
  std::mt19937_64 rng(7);
  auto key = [&] {
    // Short ids, some repeated, some empty, and now and then a long one.
    const int kind = int(rng() % 100);
    if (kind == 0) return std::string();
    if (kind == 1) return std::string(300000 + rng() % 10, char('a' + rng() % 3));
    return "C" + std::to_string(rng() % 50000);
  };
  for (int64_t n = 0; n < 200000; ++n) {
    const std::string k = key();
    auto [value, added] = t.Emplace(k, n);
    auto [it, fresh] = ref.emplace(k, n);
    ASSERT_EQ(added, fresh) << k.substr(0, 20);
    ASSERT_EQ(value, it->second);
  }
  EXPECT_EQ(t.size(), ref.size());
  for (const auto& [k, v] : ref) {
    const int64_t* found = t.Find(k);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, v);
  }
  EXPECT_EQ(t.Find("C50001"), nullptr);
  EXPECT_FALSE(t.Contains("not there"));
  t.Clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.Find("C1"), nullptr);
  EXPECT_TRUE(t.Emplace("C1", 3).second);
}

TEST(StringTable, ReserveKeepsWhatIsThere) {
  StringTable t;
  t.Emplace("a", 1);
  t.Reserve(100000);
  ASSERT_NE(t.Find("a"), nullptr);
  EXPECT_EQ(*t.Find("a"), 1);
  EXPECT_FALSE(t.Emplace("a", 2).second);
  EXPECT_EQ(*t.Find("a"), 1);
}

}  // namespace
}  // namespace cx
