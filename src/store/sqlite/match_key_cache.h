// The match keys of accounts and contacts kept in memory for read transactions: a search reads
// the keys of hundreds of candidates, and reading each from the index was most of its CPU
// (docs/search.md, "Speed"). One cache per hub file, shared by every SQLite store of this
// process on that file (a server's workers); when it is emptied and why: docs/search.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/match_key_views.h"
#include "domain/match_keys.h"
#include "store/sqlite/postings_cache.h"

namespace cx::sqlite {

class MatchKeyCache {
 public:
  // About 50 MiB when full at the demo's names (200 bytes an entry; docs/search.md, "Speed").
  static constexpr size_t kDefaultCap = 262144;

  explicit MatchKeyCache(size_t cap = kDefaultCap) : cap_(cap) {}

  // $CXHUB_MATCH_KEY_CACHE when set to a whole number (0: no cache), else kDefaultCap.
  static size_t CapFromEnv();

  // The cache of the hub file `path` (as SQLite names it: a full path), made on first use and
  // shared by every store of this process on that file while one holds it.
  static std::shared_ptr<MatchKeyCache> ForFile(const std::string& path);

  // Raised by every Flush. A read transaction takes it before its snapshot begins; it reads
  // and fills the cache only while the generation is still that one.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Empties the cache and raises the generation.
  void Flush();

  // A read transaction whose snapshot holds match key version `version` (the table
  // match_key_version, raised at every change of an account's or contact's keys, migration
  // 0072) asks which generation it may read and fill the cache under. The cache holds the keys
  // of one version: another empties it first (a newer one, or an older snapshot still open,
  // or a hub put back from a backup), so that a reader never meets keys of another version.
  uint64_t AtVersion(int64_t version);

  // Per id of `ids` (kind 0 accounts, 1 contacts): its keys when held under generation `gen`
  // (found[i] set, hit[i] true); nothing is found once the generation has moved on.
  void Get(int kind, const std::vector<std::string>& ids, uint64_t gen,
           std::vector<MatchKeys>* found, std::vector<bool>* hit);
  // The same as views: each hit's keys copied into `into`'s text (one copy of the entry's text,
  // no string of its own per key) and viewed in found[i].
  void GetViews(int kind, const std::vector<std::string>& ids, uint64_t gen, MatchKeyViews* into,
                std::vector<MatchKeyView>* found, std::vector<bool>* hit);

  // Keeps `keys` read by a transaction that began under generation `gen`; dropped when the
  // cache was emptied since. Full, half of the entries are dropped first.
  void Put(int kind, const std::vector<const MatchKeys*>& keys, uint64_t gen);

  size_t size() const;
  size_t cap() const { return cap_; }

  // The name index's postings of (kind, word) read so far under generation `gen`, or null
  // (none kept, or the generation has moved on). Emptied with the keys: the name index changes
  // only with a record's name, which raises the match key version (docs/search.md, "Speed").
  std::shared_ptr<const WordPostings> GetPostings(int kind, const std::string& word,
                                                  uint64_t gen) const;
  // Keeps `p`, read by a transaction that began under generation `gen`, unless the cache was
  // emptied since or holds as many of the word's blocks already. Past kPostingsCapBytes every
  // word's postings are dropped first. Nothing is kept when the cache is off (cap 0).
  void PutPostings(int kind, const std::string& word, std::shared_ptr<const WordPostings> p,
                   uint64_t gen);
  // Other facts of the name index under generation `gen`, as text: a deletion variant's words
  // (WordsByVariants), a word's count of records, the commonest words of a prefix. `key` names
  // the fact (the caller's tag, then its arguments). Kept, emptied and bounded as the postings.
  bool GetIndexFact(int kind, const std::string& key, uint64_t gen, std::string* value) const;
  void PutIndexFact(int kind, const std::string& key, std::string value, uint64_t gen);
  // The demo's whole name index is about 12 MiB so.
  static constexpr size_t kPostingsCapBytes = size_t(64) << 20;
  // What the postings and the facts hold, about.
  size_t postings_bytes() const;

 private:
  // One record's keys in a table of open addressing (linear probing): its id's hash, and one
  // allocation holding the id, name, name key, phone key, email key and account in a row, with
  // their lengths (the account's is the rest). A search looks up hundreds of ids scattered over
  // the hub: with std::unordered_map each was three dependent cache misses (bucket, node, its
  // key), most of a warm search's look-ups; here a look-up is the slot and the text, and Get
  // fetches both for every id before it reads any (docs/search.md, "Speed").
  struct Slot {
    uint64_t hash = 0;
    std::unique_ptr<char[]> text;  // null: an empty slot
    uint16_t len[5] = {};          // id, name, name key, phone key, email key
    uint16_t size = 0;             // the whole text
    std::string_view Id() const { return {text.get(), len[0]}; }
  };
  struct Table {
    std::vector<Slot> slots;  // a power of two, at most half full
    size_t used = 0;
  };

  static uint64_t HashOf(std::string_view id) { return std::hash<std::string_view>()(id); }
  static void Unpack(const Slot& s, MatchKeys* k);
  // Calls fn(i, slot) for each of `ids` held under generation `gen`, under the shared lock.
  template <typename Fn>
  void ForEachHeld(int kind, const std::vector<std::string>& ids, uint64_t gen, Fn&& fn) const;
  // Puts (or replaces) the keys under their id; `text` and `len` as in Slot.
  static void Insert(Table* t, uint64_t hash, std::unique_ptr<char[]> text, const uint16_t* len,
                     uint16_t size);
  static void Grow(Table* t, size_t slots);
  void DropHalf();

  void FlushLocked();

  const size_t cap_;
  std::atomic<uint64_t> generation_{1};
  int64_t version_ = -1;  // the match key version the entries are of (-1: none yet)
  // Readers (Get) share it; Put, Flush and AtVersion's flush hold it alone.
  mutable std::shared_mutex mu_;
  Table tables_[2];  // by kind
  // The postings kept, by kind then word, and the bytes they hold (WordPostings::bytes).
  std::unordered_map<std::string, std::shared_ptr<const WordPostings>> postings_[2];
  std::unordered_map<std::string, std::string> facts_[2];
  size_t postings_bytes_ = 0;
  // Drops every word's postings and facts (past the bound).
  void DropIndexLocked();
};

}  // namespace cx::sqlite
