// SQLite Tx: the match keys of named records (search-first's candidates, duplicate detection),
// read through the hub's cache of them (match_key_cache.h) where a read transaction allows.
#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "store/match_keys_by_id.h"
#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

Result<std::vector<MatchKeys>> SqliteTx::FindByKeys(NameKind k, const std::string& name_key,
                                                    const std::string& phone_key,
                                                    const std::string& email_key) {
  std::vector<MatchKeys> out;
  // "col <> ''" lets the planner use the partial indexes of phone and email keys (WHERE
  // phone_key <> ''): it cannot prove a bound parameter is not empty, and without the term
  // every probe read the whole table (docs/store.md; store/sqlite/probe_plan_test.cc checks it).
  auto run = [&](const char* col, const std::string& key) -> Status {
    if (key.empty()) return Status::Ok();
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(MatchSelect(k) + " WHERE " + col + " = ? AND " +
                                               col + " <> '' AND merged_into IS NULL LIMIT 200"));
    s->Bind(1, key);
    return CollectKeys(s, &out);
  };
  CX_RETURN_IF_ERROR(run("name_key", name_key));
  CX_RETURN_IF_ERROR(run("phone_key", phone_key));
  CX_RETURN_IF_ERROR(run("email_key", email_key));
  SortUniqueById(&out);
  return out;
}

Result<std::vector<MatchKeys>> SqliteTx::FindByKeyPrefix(NameKind k, KeyField f,
                                                         const std::string& prefix, int limit) {
  std::vector<MatchKeys> out;
  if (prefix.empty() || limit <= 0) return out;
  // "<> ''" lets SQLite use the partial index on the key (0001_init.sql); the range is the
  // prefix's, so the index is read from the first key with it onwards.
  const char* col = f == KeyField::kPhone ? "phone_key" : "email_key";
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(MatchSelect(k) + " WHERE " + col + " <> '' AND " + col +
                                   " >= ?1 AND " + col + " < ?1 || char(1114111) AND " +
                                   "merged_into IS NULL ORDER BY " + col + " LIMIT ?2"));
  s->Bind(1, prefix).Bind(2, int64_t(limit));
  CX_RETURN_IF_ERROR(CollectKeys(s, &out));
  return out;
}

Result<std::vector<MatchKeys>> SqliteTx::ReadMisses(NameKind k, const std::vector<std::string>& ids,
                                                    const std::vector<bool>& hit,
                                                    MatchKeyCache* cache, uint64_t gen) {
  std::vector<std::string> misses;
  for (size_t i = 0; i < ids.size(); ++i)
    if (!hit[i]) misses.push_back(ids[i]);
  std::vector<MatchKeys> read;
  if (misses.empty()) return read;
  SortedUnique(&misses);
  CX_ASSIGN_OR_RETURN(read, ReadMatchKeys(k, misses));
  std::vector<const MatchKeys*> fill;
  fill.reserve(read.size());
  for (const auto& r : read) fill.push_back(&r);
  cache->Put(NameKindCode(k), fill, gen);
  return read;
}

Result<std::vector<MatchKeys>> SqliteTx::GetMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) {
  MatchKeyCache* cache = key_cache_;
  uint64_t gen = key_gen_;
  if (own_keys_) {
    // A write transaction's own: emptied when a record was rewritten since the last look (its
    // keys may have changed); the records it inserts were in no cache.
    if (db_->record_rewrites() != own_rewrites_) {
      own_keys_->Flush();
      own_rewrites_ = db_->record_rewrites();
    }
    cache = own_keys_.get();
    gen = own_keys_->generation();
  }
  if (!cache || ids.empty()) return ReadMatchKeys(k, ids);
  // The cache's, then the misses from the index in id order (as a search's candidates come),
  // kept for the next search; each record once, in the order of `ids`, as ReadMatchKeys.
  const int kind = NameKindCode(k);
  std::vector<MatchKeys> found;
  std::vector<bool> hit;
  cache->Get(kind, ids, gen, &found, &hit);
  CX_ASSIGN_OR_RETURN(std::vector<MatchKeys> read, ReadMisses(k, ids, hit, cache, gen));
  // `read` is in id order (that of `misses`).
  const auto by_id = [](const MatchKeys& a, const std::string& id) { return a.id < id; };
  std::vector<MatchKeys> out;
  out.reserve(ids.size());
  const bool sorted = std::is_sorted(ids.begin(), ids.end());
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (sorted ? i > 0 && ids[i] == ids[i - 1] : !seen.insert(ids[i]).second) continue;
    if (hit[i]) {
      out.push_back(std::move(found[i]));
      continue;
    }
    auto it = std::lower_bound(read.begin(), read.end(), ids[i], by_id);
    if (it != read.end() && it->id == ids[i]) out.push_back(*it);  // a copy: `read` stays sorted
  }
  return out;
}

Status SqliteTx::GetMatchKeyViews(NameKind k, const std::vector<std::string>& ids,
                                  MatchKeyViews* out) {
  // A write transaction's own cache, or none: the keys as GetMatchKeys gives them.
  if (own_keys_ || !key_cache_ || ids.empty()) return NameIndexStore::GetMatchKeyViews(k, ids, out);
  // As GetMatchKeys, but each hit's text copied once into `out` and viewed, not unpacked into
  // six strings (a search's candidates are hundreds; most names and emails needed a string of
  // their own, allocated and freed).
  const int kind = NameKindCode(k);
  std::vector<MatchKeyView> found;
  std::vector<bool> hit;
  key_cache_->GetViews(kind, ids, key_gen_, out, &found, &hit);
  CX_ASSIGN_OR_RETURN(std::vector<MatchKeys> read, ReadMisses(k, ids, hit, key_cache_, key_gen_));
  // `read` is in id order (that of `misses`); each record once, in the order of `ids`.
  const auto by_id = [](const MatchKeys& a, const std::string& id) { return a.id < id; };
  out->keys.clear();
  out->keys.reserve(ids.size());
  const bool sorted = std::is_sorted(ids.begin(), ids.end());
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (sorted ? i > 0 && ids[i] == ids[i - 1] : !seen.insert(ids[i]).second) continue;
    if (hit[i]) {
      out->keys.push_back(found[i]);
      continue;
    }
    auto it = std::lower_bound(read.begin(), read.end(), ids[i], by_id);
    if (it != read.end() && it->id == ids[i]) out->keys.push_back(out->Keep(*it));
  }
  return Status::Ok();
}

void SqliteTx::KeepMatchKeys() {
  if (!writable_ || own_keys_) return;
  const size_t cap = MatchKeyCache::CapFromEnv();
  if (cap == 0) return;
  own_keys_ = std::make_unique<MatchKeyCache>(cap);
  own_rewrites_ = db_->record_rewrites();
}

Result<std::vector<MatchKeys>> SqliteTx::ReadMatchKeys(NameKind k,
                                                       const std::vector<std::string>& ids) {
  std::vector<MatchKeys> out;
  if (ids.empty()) return out;
  out.reserve(ids.size());
  // kAtOnce ids a statement (the last run padded with its last id: IN takes each id once), in
  // the order of the index: a search reads the keys of hundreds of candidates, and a statement
  // per record cost twice the work of the look-ups themselves.
  constexpr size_t kAtOnce = 64;
  std::string in = "?";
  for (size_t i = 1; i < kAtOnce; ++i) in += ",?";
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(MatchSelectById(k) + " WHERE id IN (" + in + ")"));
  for (size_t at = 0; at < ids.size(); at += kAtOnce) {
    for (size_t i = 0; i < kAtOnce; ++i)
      s->BindStatic(int(i + 1), ids[std::min(at + i, ids.size() - 1)]);
    CX_RETURN_IF_ERROR(CollectKeys(s, &out));
  }
  // Each statement answers in the index's order; the contract's is that of `ids`, which is the
  // same when the ids come sorted (a search's candidates do): then there is nothing to reorder.
  const auto by_id = [](const MatchKeys& a, const MatchKeys& b) { return a.id < b.id; };
  if (std::is_sorted(ids.begin(), ids.end()) && std::is_sorted(out.begin(), out.end(), by_id))
    return out;
  std::unordered_map<std::string_view, size_t> place;
  for (size_t i = 0; i < ids.size(); ++i) place.emplace(ids[i], i);
  std::stable_sort(out.begin(), out.end(), [&](const MatchKeys& a, const MatchKeys& b) {
    return place[a.id] < place[b.id];
  });
  return out;
}

Result<std::vector<MatchKeys>> SqliteTx::GetLiveMatchKeys(NameKind k,
                                                          const std::vector<std::string>& ids) {
  std::vector<MatchKeys> out;
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(MatchSelectById(k) + " WHERE id = ? AND merged_into IS NULL"));
  for (const auto& id : ids) {
    s->Bind(1, id);
    CX_RETURN_IF_ERROR(CollectKeys(s, &out));
  }
  return out;
}

namespace {

// Runs `fn` on the match keys of every row `sql` selects (MatchSelect's columns); stops at the
// first error of `fn` or of the statement.
Status EachKeys(sqlite::Db& db, const std::string& sql,
                const std::function<Status(const MatchKeys&)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  Status result;
  while (s->Step()) {
    result = fn(ReadKeys(*s));
    if (!result.ok()) break;
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

}  // namespace

Status SqliteTx::ForEachMatchKeys(NameKind k, const std::function<Status(const MatchKeys&)>& fn) {
  return EachKeys(*db_, MatchSelect(k) + " WHERE merged_into IS NULL", fn);
}

Status SqliteTx::ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) {
  // Matches the partial index accounts_unlinked (merged_into WHERE erp_customer_id IS NULL).
  return EachKeys(
      *db_,
      MatchSelect(NameKind::kAccount) + " WHERE erp_customer_id IS NULL AND merged_into IS NULL",
      fn);
}

}  // namespace cx
