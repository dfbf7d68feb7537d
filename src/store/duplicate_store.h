// The duplicate index of accounts and contacts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <cstddef>
#include "base/status.h"
#include "domain/entity.h"
#include "domain/match_keys.h"

namespace cx {

// The duplicate index, kept by service/dedupe: each live record filed under its blocking
// hashes, the probable-duplicate pairs, and the records changed since (the store marks a record
// changed whenever one of its matching fields changes, merges and deletions included).
class DuplicateStore {
 public:
  virtual ~DuplicateStore() = default;

  virtual Result<DupIndexInfo> GetDupIndexInfo(NameKind k) = 0;
  // The distinct ids marked changed since the index was brought up to date.
  virtual Result<std::vector<std::string>> DupDirtyIds(NameKind k) = 0;
  // Replaces the whole index of kind `k`: `ids[i]` is filed under the hashes
  // `hashes[offsets[i]]…hashes[offsets[i + 1] - 1]`, the pairs are `pairs`; clears the dirty
  // marks and the stale flag.
  virtual Status RebuildDupIndex(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<uint64_t>& hashes,
                                 const std::vector<size_t>& offsets,
                                 const std::vector<DupPair>& pairs) = 0;
  // The hashes each of `ids` is filed under (nullopt when it is not filed), in their order.
  virtual Result<std::vector<std::optional<std::vector<uint64_t>>>> DupHashes(
      NameKind k, const std::vector<std::string>& ids) = 0;
  // Files each record under its hashes instead of what it was filed under, or unfiles it
  // (nullopt), in their order (a store may write them all in a few statements).
  virtual Status FileDupRecords(NameKind k, const std::vector<DupFiling>& records) = 0;
  // Up to `limit` ids of kind `k` filed under each of `hashes`: one list per hash, in the order
  // of `hashes` (a store may read them all in one go: a refresh reads thousands of blocks).
  virtual Result<std::vector<std::vector<std::string>>> DupBlocks(
      NameKind k, const std::vector<uint64_t>& hashes, int limit) = 0;
  // Deletes every pair with one of `ids`, inserts `pairs` and clears the dirty marks of `k`.
  virtual Status ReplaceDupPairs(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<DupPair>& pairs) = 0;
  virtual Result<std::vector<DupPair>> DupPairs(NameKind k) = 0;
};

}  // namespace cx
