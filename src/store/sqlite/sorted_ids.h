// Merging and intersecting sorted lists of ids (sqlite_tx_name_search.cc: common words'
// postings, a search's candidates).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

#include "store/sqlite/postings_cache.h"

namespace cx::sqlite {

// How many times longer one list must be than the other for the shorter one's ids to be looked
// for in it by galloping (a doubling step, then a binary search) rather than by walking both.
inline constexpr size_t kGallopRatio = 16;

// Appends to `out` the elements of sorted `small` that are also in sorted `large` (ranges of
// distinct elements, `<` their order), in order: for each, the place in `large` is found by
// doubling a step from the last place and then searching in the last step, so that the cost
// grows with the shorter list (times the logarithm of the gap), not with the longer one.
template <typename It, typename T>
void GallopIntersectionInto(It small, It small_end, It large, It large_end, std::vector<T>* out) {
  for (; small != small_end && large != large_end; ++small) {
    // The first element of `large` not before *small: past `large + step` while those are.
    size_t step = 1;
    const auto left = size_t(large_end - large);
    while (step < left && large[std::ptrdiff_t(step)] < *small) step *= 2;
    const It lo = large + std::ptrdiff_t(step / 2);
    const It hi = large + std::ptrdiff_t(std::min(step + 1, left));
    large = (*large < *small) ? std::lower_bound(lo, hi, *small) : large;
    if (large != large_end && !(*small < *large)) out->push_back(*large++);
  }
}

// Appends the intersection of sorted ranges of distinct ids `a` and `b` to `out`, in order:
// by galloping in the longer when one is kGallopRatio times longer than the other, else by
// walking both (std::set_intersection). The same ids either way.
inline void IntersectionInto(const IdView* a, const IdView* a_end, const IdView* b,
                             const IdView* b_end, std::vector<IdView>* out) {
  const auto na = size_t(a_end - a), nb = size_t(b_end - b);
  if (na * kGallopRatio <= nb) return GallopIntersectionInto(a, a_end, b, b_end, out);
  if (nb * kGallopRatio <= na) return GallopIntersectionInto(b, b_end, a, a_end, out);
  const size_t at = out->size();
  out->resize(at + std::min(na, nb));
  out->erase(std::set_intersection(a, a_end, b, b_end, out->begin() + std::ptrdiff_t(at)),
             out->end());
}

// Appends the union of sorted ranges of distinct ids `a` and `b` to `out`, in order, each id
// once, written into `out` after what it holds, not through std::back_inserter (a call of
// push_back per id was a twentieth of a search of typed names).
inline void UnionInto(const IdView* a, const IdView* a_end, const IdView* b, const IdView* b_end,
                      std::vector<IdView>* out) {
  const size_t at = out->size();
  out->resize(at + size_t(a_end - a) + size_t(b_end - b));
  out->erase(std::set_union(a, a_end, b, b_end, out->begin() + std::ptrdiff_t(at)), out->end());
}

}  // namespace cx::sqlite
