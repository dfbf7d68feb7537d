// The name index's entries waiting within a transaction, and their plan: sorted, grouped by word,
// the new words' records handed over for cutting into blocks, their deletion variants made. Every
// backend buffers and plans its name index this way; only how it stores the plan is its own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/big_alloc.h"
#include "base/string_table.h"
#include "domain/entity.h"

namespace cx {

// The letter that stands for a kind in the pending entries' keys, and its number (0, 1).
inline char NameKindLetter(NameKind k) { return k == NameKind::kAccount ? 'a' : 'c'; }
inline NameKind NameKindOfLetter(char c) {
  return c == 'a' ? NameKind::kAccount : NameKind::kContact;
}
inline int NameKindCode(NameKind k) { return k == NameKind::kAccount ? 0 : 1; }

// A distinct (kind, word) among the sorted pending entries, and its run of them.
struct NameUse {
  std::string_view key;  // kind letter + word
  size_t begin = 0, end = 0;
  bool fresh = false;  // the word had no block: its deletion variants go in
  NameKind kind() const { return NameKindOfLetter(key[0]); }
  std::string_view word() const { return key.substr(1); }
};

// Deletion variants of words (those a word is found by besides itself), their text in one
// arena, in (kind, variant, word) order.
struct NameVariants {
  struct Variant {
    uint32_t use;  // index into the uses
    uint32_t off, len;
  };
  std::string arena;
  std::vector<Variant> list;

  std::string_view text(const Variant& v) const {
    return std::string_view(arena).substr(v.off, v.len);
  }
  void Sort(const std::vector<NameUse>& uses);
  // Those of the words `which`, sorted.
  static NameVariants Of(const std::vector<NameUse>& uses, const std::vector<uint32_t>& which);
  // Adds `more` and sorts again.
  void Append(NameVariants more, const std::vector<NameUse>& uses);
};

// The entries of the name index a transaction has written and not yet stored: each distinct
// word and record once (keyed by a kind letter and the text), each entry a word number << 32 |
// a record number.
class PendingNames {
 public:
  // The entries of record `id` of kind `k` under each of `words`.
  void Add(NameKind k, std::string_view id, const std::vector<std::string>& words);
  // Whether record `id` of kind `k` has entries waiting.
  bool HasRecord(NameKind k, std::string_view id);
  size_t entries() const { return entries_.size(); }
  size_t records() const { return records_.size(); }
  size_t record_bytes() const { return records_.bytes(); }
  bool empty() const { return entries_.empty(); }
  void Clear();

  // The pending entries in words: sorted, grouped, and for the words of a kind that has no
  // block yet (a first load), handed over whole and given their deletion variants.
  struct Plan {
    std::vector<uint32_t> word_order, record_order;  // rank -> number in the pending tables
    std::vector<NameUse> uses;
    std::vector<uint32_t> fresh;           // the words of such kinds, as indexes into `uses`
    std::optional<NameVariants> variants;  // theirs, when made with the plan
  };
  // A fresh word and the distinct ids of its records, in order.
  using FreshWord =
      std::function<void(NameKind, std::string_view word, const std::vector<std::string_view>&)>;
  // Sorts the entries (in place; the words and records in key order: a kind letter, then the
  // text) and groups them into `plan`. The words of a kind `no_blocks` marks are fresh:
  // `fresh_word` gets each, in key order, and with `with_variants` their variants are made too.
  // Reads only the entries: it may run on another thread while nothing else touches them.
  void MakePlan(const std::array<bool, 2>& no_blocks, bool with_variants,
                const FreshWord& fresh_word, Plan* plan);
  // The distinct ids of a planned word's entries, in order.
  void IdsOf(const Plan& plan, const NameUse& u, std::vector<std::string_view>* ids) const;

 private:
  // The records of the entries, numbered as added. They are looked up by text only when a
  // rename asks whether one waits (a first load never does), so adding one hashes nothing.
  class Records {
   public:
    uint32_t Add(std::string_view key);
    std::string_view Key(size_t n) const {
      const uint32_t begin = n == 0 ? 0 : end_[n - 1];
      return std::string_view(text_.data() + begin, end_[n] - begin);
    }
    bool Contains(std::string_view key);
    size_t size() const { return end_.size(); }
    size_t bytes() const { return text_.size(); }
    void Clear();

   private:
    std::vector<char, BigAllocator<char>> text_;
    std::vector<uint32_t, BigAllocator<uint32_t>> end_;
    StringTable lookup_;  // the first lookup_.size() records, filled in when asked
  };
  // The word of an entry, with its kind letter.
  std::string_view WordOf(const Plan& plan, uint64_t entry) const {
    return words_.Key(plan.word_order[entry >> 32]);
  }

  StringTable words_;
  Records records_;
  std::vector<uint64_t, BigAllocator<uint64_t>> entries_;
};

}  // namespace cx
