// Search over names and matching keys.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entity.h"
#include "domain/match_key_views.h"
#include "domain/match_keys.h"

namespace cx {

// The name index: the typo-tolerant word index over account and contact names, and the
// matching keys (name, phone, email) that search and duplicate detection read. It is kept up to
// date by the record writers of RecordStore: no caller writes it.
class NameIndexStore {
 public:
  virtual ~NameIndexStore() = default;

  // Words whose deletion variants include any of `variants` (typo tolerance).
  virtual Result<std::vector<IndexedWord>> WordsByVariants(
      NameKind k, const std::vector<std::string>& variants) = 0;
  // Words starting with `prefix`, most used first.
  virtual Result<std::vector<IndexedWord>> WordsByPrefix(NameKind k, const std::string& prefix,
                                                         int limit) = 0;
  // Ids of live (not merged) records whose name has `word`.
  virtual Result<std::vector<std::string>> IdsByWord(NameKind k, const std::string& word,
                                                     int limit) = 0;
  // Ids of live records whose name has a word of at least `min_groups` of the
  // groups (each group: the index words one query word may mean), those matching
  // the most groups first. Reads only the postings of the given words.
  virtual Result<std::vector<std::string>> IdsByWordGroups(
      NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups,
      int limit) = 0;
  // Search's candidates for two query words (docs/search.md): the ids under a word of both
  // groups, at most `limit`; when fewer than `few` are, they and then the first ids under a word
  // of either group, in id order, `either` ids in all. Distinct, in id order. By default
  // IdsByWordGroups twice; a store that learns every id of either group while finding those
  // under both answers without reading the postings again.
  virtual Result<std::vector<std::string>> IdsByTwoGroups(
      NameKind k, const std::array<std::vector<std::string>, 2>& groups, int limit, int few,
      int either);
  // Live records whose name key, phone key or email key equals the given one (empty keys are
  // ignored).
  virtual Result<std::vector<MatchKeys>> FindByKeys(NameKind k, const std::string& name_key,
                                                    const std::string& phone_key,
                                                    const std::string& email_key) = 0;
  // Live records whose phone key or email key (`f`) starts with `prefix` (search as one
  // types a number or an address), at most `limit`, in key order; an empty prefix finds
  // nothing. Reads the key's own index, never every record.
  virtual Result<std::vector<MatchKeys>> FindByKeyPrefix(NameKind k, KeyField f,
                                                         const std::string& prefix, int limit) = 0;
  // The keys of those of `ids` that exist (merged records included), in the order of `ids`.
  virtual Result<std::vector<MatchKeys>> GetMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) = 0;
  // The same as views into `out` (out->keys replaced; its text kept for as long as `out`
  // lives): a search reads the keys of hundreds of candidates. By default GetMatchKeys' copied.
  virtual Status GetMatchKeyViews(NameKind k, const std::vector<std::string>& ids,
                                  MatchKeyViews* out);
  // Calls `fn` for every live record's keys; stops early on a non-ok status.
  virtual Status ForEachMatchKeys(NameKind k,
                                  const std::function<Status(const MatchKeys&)>& fn) = 0;
  // From now on in this transaction, the name index's readers (search-first) skip the
  // entries this transaction has written but not yet flushed, instead of flushing them first:
  // for a bulk load whose search-first concerns only records that existed before it (a flush
  // per row would make loads into a full hub many times slower). The entries still go in at the
  // next run or at the commit.
  virtual void SearchOnlyFlushedNames() = 0;
  // From now on in this (write) transaction, GetMatchKeys may keep the keys it reads in memory
  // and answer from there, for a bulk load that searches once per row (search-first of each new
  // record, whose candidates are mostly the last row's): whatever this transaction changes is
  // read again. A store that keeps nothing ignores it (PostgreSQL).
  virtual void KeepMatchKeys() {}
  // A count that moves whenever this (write) transaction does something a search-first could
  // see other than inserting new accounts and contacts: a row of accounts or contacts updated or
  // deleted (triggers' writes included), name index entries written where searches read them
  // (under SearchOnlyFlushedNames, a flush). While it has not moved since the transaction began,
  // FindProbableDuplicates in it answers as it would on the hub as it was before (a sibling
  // store's Read) with the transaction's inserted records added. nullopt: the store cannot tell
  // (then nothing may be answered from such a read).
  virtual std::optional<uint64_t> SearchVisibleRewrites() { return std::nullopt; }
  // Calls `fn` for the keys of every live account without an ERP id (read through the index
  // of unlinked accounts: the cost follows their number, not the hub's); stops early on a
  // non-ok status.
  virtual Status ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) = 0;
  // The keys of those of `ids` that are live (not merged), in the order of `ids`.
  virtual Result<std::vector<MatchKeys>> GetLiveMatchKeys(NameKind k,
                                                          const std::vector<std::string>& ids) = 0;
};

}  // namespace cx
