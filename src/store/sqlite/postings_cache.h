// A word's postings of the name index as a search reads them (sqlite_tx_name_search.cc): the
// ids of its first blocks, in id order, as views into the blocks' text. Kept in the hub's
// cache (match_key_cache.h) for the read transactions of the process: common words are read by
// many searches, and reading them (SQLite, splitting the blocks, one view per id) was a third
// of a search of typed names (docs/search.md, "Speed").
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cx::sqlite {

// A view of an id that compares as the id does, mostly in one integer comparison: the first
// eight bytes as a big-endian number (those an id lacks count as 0), then, when those are the
// same, the whole id. Ids that differ in those bytes first differ at a byte both have (the
// byte order, unsigned as std::string_view compares) or where one has ended (a prefix of the
// other, and before it): the number orders them so. Merging two common words' ids was mostly
// comparing them (memcmp through std::string_view for ids of eight bytes).
struct IdView {
  uint64_t head = 0;
  std::string_view s;

  IdView() = default;  // an empty id: room a merge writes over
  explicit IdView(std::string_view id) : s(id) {
    if (id.size() >= 8) {  // most ids: one load, its bytes put in big-endian order
      std::memcpy(&head, id.data(), 8);
      if constexpr (std::endian::native == std::endian::little) head = __builtin_bswap64(head);
      return;
    }
    for (size_t i = 0; i < 8; ++i)
      head = head << 8 | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
  }
  // With the same first eight bytes, an id of eight bytes or fewer is the start of the other
  // (the bytes it lacks count as 0 and are the other's), so the shorter comes first; longer ids
  // compare by the rest only. Ids of eight bytes (`C-000001`) never reach memcmp: merging
  // common words' ids compares many equal ones.
  friend bool operator<(const IdView& a, const IdView& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.s.size() <= 8 || b.s.size() <= 8) return a.s.size() < b.s.size();
    return TailLess(a, b);
  }
  // Ids longer than eight bytes with the same first eight, by the rest (out of line: the
  // comparisons above stay small enough to be inlined into the merges).
  [[gnu::noinline]] static bool TailLess(const IdView& a, const IdView& b) {
    return a.s.substr(8) < b.s.substr(8);
  }
  friend bool operator==(const IdView& a, const IdView& b) {
    return a.head == b.head && a.s.size() == b.s.size() &&
           (a.s.size() <= 8 || a.s.substr(8) == b.s.substr(8));
  }
};

// The first blocks of (kind, word), in order of their first id. Never changed once shared:
// reading further makes a longer one (the ids copied, the blocks' text shared), so a reader
// holding this one keeps its views.
struct WordPostings {
  std::vector<std::shared_ptr<const std::string>> text;  // each block's ids, as stored
  std::vector<IdView> ids;                               // every block's, in id order
  std::vector<size_t> ends;  // per block: the number of ids up to its end
  std::string last_first;    // the first id of the last block ("" before any)
  bool done = false;         // every block of the word is here

  size_t blocks() const { return ends.size(); }
  // What it holds in memory, about (the cache's bound).
  size_t bytes() const {
    size_t n = ids.size() * sizeof(IdView) + ends.size() * sizeof(size_t) + last_first.size();
    for (const auto& t : text) n += t->size() + sizeof(std::string) + 32;
    return n;
  }
};

}  // namespace cx::sqlite
