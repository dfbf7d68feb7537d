// A set of strings, each with a 64-bit value, for millions of short keys (ERP customer ids,
// order ids): the text lives in one arena and the table is open addressing over 32-bit
// entry numbers, each beside 32 bits of its key's hash, so an entry costs its text plus
// about 40 bytes (24 for the entry, 16 for two slots), and a lookup touches two or three places in
// memory rather than a chain of nodes.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "base/big_alloc.h"

namespace cx {

class StringTable {
 public:
  // Room for about `n` strings without growing.
  void Reserve(size_t n);
  // Adds `key` with `value` unless it is there. Returns the value stored for `key` and
  // whether it was added.
  std::pair<int64_t, bool> Emplace(std::string_view key, int64_t value);
  // The value of `key`, or nullptr.
  const int64_t* Find(std::string_view key) const;
  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  size_t size() const { return entries_.size(); }
  // The text of entry `n`, entries numbered in the order they were added.
  std::string_view Key(size_t n) const { return {entries_[n].text, entries_[n].len}; }
  // Frees every string and the table.
  void Clear();
  StringTable() = default;
  StringTable(const StringTable&) = delete;
  StringTable& operator=(const StringTable&) = delete;
  ~StringTable() { Clear(); }

 private:
  struct Entry {
    const char* text;
    uint32_t len;
    int64_t value;
  };
  static uint64_t Hash(std::string_view key);
  // The slot holding `key` (its entry number + 1) or the empty slot where it would go.
  size_t Slot(std::string_view key, uint64_t hash) const;
  void Grow(size_t slots);
  const char* Store(std::string_view key);

  // Millions of entries: their arrays and text come in huge pages (a page fault per 2 MiB).
  std::vector<Entry, BigAllocator<Entry>> entries_;
  // 0: empty; else the entry number + 1 in the low half, and in the high half the high half
  // of the key's hash (a probe that meets another key mostly stops there, one cache miss
  // instead of three: slot, entry, text).
  std::vector<uint64_t, BigAllocator<uint64_t>> slots_;
  static constexpr uint64_t kTagMask = ~uint64_t(0xffffffffu);
  static uint64_t Tag(uint64_t hash) { return hash & kTagMask; }
  struct Block {
    char* p;
    size_t bytes;
  };
  std::vector<Block> blocks_;  // the arena
  char* free_ = nullptr;       // the rest of the current block
  size_t left_ = 0;
};

}  // namespace cx
