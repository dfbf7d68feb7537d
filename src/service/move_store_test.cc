// The checksum move-store compares on both sides of a copy: the same rows give the same sum,
// and a value of another type, another order or a row more do not.
#include "service/move_store.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

CopyTable Table() {
  CopyTable t;
  t.name = "things";
  t.columns = {{"id", CopyType::kText}, {"n", CopyType::kInt}, {"x", CopyType::kReal}};
  t.key = {"id"};
  return t;
}

std::string Sum(const CopyTable& t, const std::vector<CopyRow>& rows) {
  TableChecksum sum(t);
  sum.Add(rows);
  auto d = sum.Digest();
  EXPECT_TRUE(d.ok());
  return d.ok() ? *d : "";
}

TEST(MoveStoreChecksum, SameRowsSameSumWhateverTheBatches) {
  const CopyTable t = Table();
  const std::vector<CopyRow> rows = {{std::string("a"), int64_t(1), 0.1},
                                     {std::string("b"), CopyValue(), 2.5}};
  TableChecksum in_two(t);
  in_two.Add({rows[0]});
  in_two.Add({rows[1]});
  EXPECT_EQ(*in_two.Digest(), Sum(t, rows));
  EXPECT_EQ(Sum(t, rows).size(), 64u);
}

TEST(MoveStoreChecksum, TypesOrderNullsAndCountsAreSeen) {
  const CopyTable t = Table();
  const std::string base = Sum(t, {{std::string("a"), int64_t(1), 0.1}});
  // The text "1" is not the number 1; 1.0 is not 1; NULL is not 0 nor "".
  EXPECT_NE(base, Sum(t, {{std::string("a"), std::string("1"), 0.1}}));
  EXPECT_NE(base, Sum(t, {{std::string("a"), 1.0, 0.1}}));
  EXPECT_NE(Sum(t, {{std::string("a"), CopyValue(), 0.1}}),
            Sum(t, {{std::string("a"), int64_t(0), 0.1}}));
  EXPECT_NE(Sum(t, {{std::string(""), int64_t(0), 0.1}}), Sum(t, {{CopyValue(), int64_t(0), 0.1}}));
  // The last bit of a double counts.
  EXPECT_NE(base, Sum(t, {{std::string("a"), int64_t(1), 0.30000000000000004 - 0.2}}));
  // Values cannot slide from one column into the next.
  EXPECT_NE(Sum(t, {{std::string("ab"), CopyValue(), CopyValue()}}),
            Sum(t, {{std::string("a"), CopyValue(), CopyValue()}, {std::string("b")}}));
  // Order and count.
  const CopyRow a = {std::string("a"), int64_t(1), 0.1}, b = {std::string("b"), int64_t(2), 0.2};
  EXPECT_NE(Sum(t, {a, b}), Sum(t, {b, a}));
  EXPECT_NE(Sum(t, {a, b}), Sum(t, {a, b, b}));
  EXPECT_NE(Sum(t, {}), Sum(t, {a}));
}

}  // namespace
}  // namespace cx
