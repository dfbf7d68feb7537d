// The hub's accounts without an ERP id, held in memory while an ERP sync proposes links.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "service/match.h"
#include "store/store.h"

namespace cx {

// Finds, for each ERP customer of a sync, the unlinked accounts it probably is: the same
// pair rule as search-first (PairMatch ≥ kProbableDuplicate: same normalised name, phone or
// email, or a name within a typo), with candidates blocked as `duplicates` blocks them (the
// phone, the email, and every one-deletion variant of the name key and of the name as typed).
// A sync never links nor unlinks an account, so the set loaded at its start stays right to
// its end, and each customer costs a few hash look-ups whatever the hub holds; searching the
// whole hub's name index for each customer cost a flush of the index and hundreds of reads
// per row (docs/store.md). Load is not thread-safe; once loaded, Find may run on several
// threads at once (it only reads). Lives for one sync.
class UnlinkedAccounts {
 public:
  // Beyond this many unlinked accounts the blocks would take too much memory (about 1 KiB
  // an account); Load then reports `loaded() == false` and the caller searches per row.
  static constexpr int64_t kMaxAccounts = 100000;

  // Reads every live account without an ERP id. Errors: the store's.
  Status Load(Tx& tx, int64_t expected);
  bool loaded() const { return loaded_; }
  // The unlinked accounts probably the same company as `record` (never `record` itself),
  // best first (score, then id), as FindProbableDuplicates orders them.
  std::vector<Match> Find(const MatchKeys& record) const;
  // The same, given OrderedKey(kAccount, record.name) (`typed`), made beforehand.
  std::vector<Match> Find(const MatchKeys& record, const std::string& typed) const;
  // OrderedKey(kAccount, name) from the name's CompanyWords, which a bulk load has already made
  // for the name index (KeyedAccount::words): the words joined by spaces, in their order.
  static std::string TypedKey(const std::vector<std::string>& company_words);
  // How many look-ups got past the filter to the hash table since Load (a customer like no
  // account should cost almost none: each is a cache miss).
  uint64_t slot_reads() const { return slot_reads_.load(std::memory_order_relaxed); }

 private:
  void Block(char what, std::string_view key, uint32_t account);
  // Adds the accounts under `hash` (of kind `what`), unless a variant's block is over `cap`
  // (too common to tell one company); an exact key's block gives at most `cap`.
  void Candidates(char what, uint64_t hash, size_t cap, std::vector<uint32_t>* out) const;

  bool loaded_ = false;
  std::vector<MatchKeys> accounts_;
  std::vector<std::string> typed_;                     // OrderedKey of each account's name
  std::vector<std::pair<uint64_t, uint32_t>> blocks_;  // (hash of kind + key, account), sorted
  // Where each hash's accounts are in blocks_ (count 0: an empty slot); a power of two long.
  struct Slot {
    uint64_t hash = 0;
    uint32_t begin = 0, count = 0;
  };
  std::vector<Slot> slots_;
  // A filter in front of slots_ (one 64-bit word per hash, three bits of it set): a hash in no
  // block is turned away here nearly always, without reading slots_.
  std::vector<uint64_t> filter_;
  mutable std::atomic<uint64_t> slot_reads_{0};
};

}  // namespace cx
