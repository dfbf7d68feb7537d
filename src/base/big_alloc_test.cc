#include "base/big_alloc.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cx {
namespace {

TEST(BigAllocator, LargeVectorsKeepTheirContentsThroughGrowth) {
  std::vector<std::string, BigAllocator<std::string>> v;
  for (int i = 0; i < 300000; ++i) v.push_back("item-" + std::to_string(i));  // > 2 MiB
  ASSERT_EQ(v.size(), 300000u);
  EXPECT_EQ(v.front(), "item-0");
  EXPECT_EQ(v[123456], "item-123456");
  EXPECT_EQ(v.back(), "item-299999");
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % (2u << 20), 0u);  // huge-page aligned
}

TEST(BigAllocator, SmallBlocksComeFromTheHeap) {
  std::vector<int, BigAllocator<int>> v(10, 7);
  EXPECT_EQ(v[9], 7);
  v.shrink_to_fit();
  EXPECT_EQ(v.size(), 10u);
}

}  // namespace
}  // namespace cx
