#include "base/string_table.h"

#include <cstring>

namespace cx {

namespace {
constexpr size_t kBlock = size_t(2) << 20;  // arena block, bytes: one huge page
}  // namespace

uint64_t StringTable::Hash(std::string_view key) {
  // FNV-1a, then a final mix so that the low bits (the slot) depend on every byte.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ull;
  h ^= h >> 32;
  return h;
}

void StringTable::Reserve(size_t n) {
  entries_.reserve(n);
  size_t want = 16;
  while (want < 2 * n) want *= 2;
  if (want > slots_.size()) Grow(want);
}

size_t StringTable::Slot(std::string_view key, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = Tag(hash);
  for (size_t i = size_t(hash) & mask;; i = (i + 1) & mask) {
    const uint64_t s = slots_[i];
    if (s == 0) return i;
    if ((s & kTagMask) != tag) continue;  // another key, told without reaching its entry
    const Entry& e = entries_[uint32_t(s) - 1];
    if (e.len == key.size() && std::memcmp(e.text, key.data(), e.len) == 0) return i;
  }
}

void StringTable::Grow(size_t slots) {
  decltype(slots_)(slots, 0).swap(slots_);
  const size_t mask = slots - 1;
  for (size_t n = 0; n < entries_.size(); ++n) {
    const uint64_t h = Hash(Key(n));  // hashed again: the entries keep no hash
    size_t i = size_t(h) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = Tag(h) | uint32_t(n + 1);
  }
}

const char* StringTable::Store(std::string_view key) {
  if (key.empty()) return "";
  if (key.size() > kBlock / 4) {  // a long key gets a block of its own
    blocks_.reserve(blocks_.size() + 1);
    blocks_.push_back({static_cast<char*>(BigAllocate(key.size())), key.size()});
    std::memcpy(blocks_.back().p, key.data(), key.size());
    return blocks_.back().p;
  }
  if (key.size() > left_) {
    blocks_.reserve(blocks_.size() + 1);
    blocks_.push_back({static_cast<char*>(BigAllocate(kBlock)), kBlock});
    free_ = blocks_.back().p;
    left_ = kBlock;
  }
  char* at = free_;
  std::memcpy(at, key.data(), key.size());
  free_ += key.size();
  left_ -= key.size();
  return at;
}

std::pair<int64_t, bool> StringTable::Emplace(std::string_view key, int64_t value) {
  if (2 * (entries_.size() + 1) > slots_.size()) Grow(slots_.empty() ? 16 : 2 * slots_.size());
  const uint64_t h = Hash(key);
  const size_t i = Slot(key, h);
  if (slots_[i] != 0) return {entries_[uint32_t(slots_[i]) - 1].value, false};
  entries_.push_back({Store(key), uint32_t(key.size()), value});
  slots_[i] = Tag(h) | uint32_t(entries_.size());
  return {value, true};
}

const int64_t* StringTable::Find(std::string_view key) const {
  if (slots_.empty()) return nullptr;
  const size_t i = Slot(key, Hash(key));
  return slots_[i] == 0 ? nullptr : &entries_[uint32_t(slots_[i]) - 1].value;
}

void StringTable::Clear() {
  decltype(entries_)().swap(entries_);
  decltype(slots_)().swap(slots_);
  for (const Block& b : blocks_) BigFree(b.p, b.bytes);
  std::vector<Block>().swap(blocks_);
  free_ = nullptr;
  left_ = 0;
}

}  // namespace cx
