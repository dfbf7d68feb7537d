// When an aggregate the store keeps is brought up to date record by record, and when it is
// rebuilt from every fact instead: the same rule for every aggregate and every backend.
#pragma once

#include <cstdint>

namespace cx {

// Up to this many changed records, an aggregate is always refreshed record by record.
inline constexpr int64_t kRefreshOneByOneUpTo = 1000;

// Whether rebuilding an aggregate over `held` records reads less than refreshing `changed` of
// them one at a time would: more than a tenth of them changed (and more than
// kRefreshOneByOneUpTo).
inline bool FullRebuildCheaper(int64_t changed, int64_t held) {
  return changed > kRefreshOneByOneUpTo && changed * 10 > held;
}

}  // namespace cx
