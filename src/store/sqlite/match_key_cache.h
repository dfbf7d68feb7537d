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
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/match_keys.h"

namespace cx::sqlite {

class MatchKeyCache {
 public:
  // About 50 MiB when full at the demo's names (197 bytes an entry; docs/search.md, "Speed").
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

  // Keeps `keys` read by a transaction that began under generation `gen`; dropped when the
  // cache was emptied since. Full, half of the entries are dropped first.
  void Put(int kind, const std::vector<const MatchKeys*>& keys, uint64_t gen);

  size_t size() const;
  size_t cap() const { return cap_; }

 private:
  // A record's keys but its id (the map's key), in one string: name, name key, phone key,
  // email key and account, with their lengths (a name is far shorter than 64 KiB).
  struct Entry {
    std::string text;
    uint16_t len[4];
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;

  static Entry Pack(const MatchKeys& k);
  static MatchKeys Unpack(std::string_view id, const Entry& e);
  void DropHalf();

  void FlushLocked();

  const size_t cap_;
  std::atomic<uint64_t> generation_{1};
  int64_t version_ = -1;  // the match key version the entries are of (-1: none yet)
  mutable std::mutex mu_;
  Map maps_[2];  // by kind
};

}  // namespace cx::sqlite
