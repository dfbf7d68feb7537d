// A word's postings of the name index read for a search, through the hub's cache of them
// when the transaction may use it (postings_cache.h; sqlite_tx_name_search.cc reads them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/sqlite/db.h"
#include "store/sqlite/match_key_cache.h"
#include "store/sqlite/postings_cache.h"

namespace cx::sqlite {

// The hub's cache of the name index for a read transaction (null: read the index): its
// postings (postings_cache.h) and the facts WordsByVariants, WordsByPrefix and WordRecords read.
struct PostingsSource {
  MatchKeyCache* cache = nullptr;
  uint64_t gen = 0;
};

// The number of records under (kind, word), the sum of its blocks' counts, read from at most
// `blocks` blocks (-1: all; a lower bound for a very common word otherwise); through the hub's
// cache when `src` has one.
Result<int64_t> WordRecords(Db* db, const PostingsSource& src, int kind, const std::string& word,
                            int64_t blocks);

// The name of the fact that keeps WordsByVariants' whole answer for `variants` (one query
// word's): its words, each with its count of records.
std::string ExpansionFactKey(const std::vector<std::string>& variants);

// One word's postings read in id order, a growing number of blocks at a time: the first
// `blocks_read` of `all`'s, which are shared with the hub's cache when the transaction may use it
// (a common word is read by many searches: postings_cache.h).
struct Postings {
  std::string word;
  std::shared_ptr<const WordPostings> all;  // at least the blocks read so far
  const IdView* ids = nullptr;              // the ids of the blocks read so far, in id order
  size_t n = 0;                             // how many
  size_t blocks_read = 0;
  size_t merged = 0;   // the first `merged` are among their group's ids (Intersect)
  bool done = false;   // every block read
  int64_t blocks = 8;  // to read next time

  explicit Postings(std::string w) : word(std::move(w)) {}
  const IdView& back() const { return ids[n - 1]; }

  // Reads `blocks` more blocks (fewer at the end: then `done`): from the cache when it holds
  // them, else from the index after the last block known, and those are kept.
  Status More(Db* db, int kind, const PostingsSource& src);
};

}  // namespace cx::sqlite
