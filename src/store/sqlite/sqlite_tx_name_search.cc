// SQLite Tx: reading the name index and the match keys (search-first, duplicates).
#include <algorithm>
#include <functional>
#include <set>

#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

Result<std::vector<IndexedWord>> SqliteTx::WordsByVariants(
    NameKind k, const std::vector<std::string>& variants) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  std::set<std::string> seen;
  std::vector<IndexedWord> out;
  auto collect = [&](Stmt* s) -> Status {
    while (s->Step()) {
      std::string word = s->Text(0);
      if (seen.insert(word).second) out.push_back({word, s->Int(1)});
    }
    Status st = s->status();
    s->Reset();
    return st;
  };
  for (const auto& var : variants) {
    // A variant that is itself a word of the index (the variants table does not repeat each
    // word as its own variant), then the words it is a deletion variant of that still name a
    // record.
    CX_ASSIGN_OR_RETURN(Stmt * w,
                        db_->Prepare("SELECT word, sum(records) AS n FROM name_postings "
                                     "WHERE kind = ?1 AND word = ?2 GROUP BY word HAVING n > 0"));
    w->Bind(1, int64_t(NameKindCode(k))).Bind(2, var);
    CX_RETURN_IF_ERROR(collect(w));
    CX_ASSIGN_OR_RETURN(
        Stmt * s,
        db_->Prepare("SELECT word, n FROM (SELECT v.word AS word, (SELECT sum(p.records) "
                     "FROM name_postings p WHERE p.kind = v.kind AND p.word = v.word) AS n "
                     "FROM word_variants v WHERE v.kind = ?1 AND v.variant = ?2) WHERE n > 0"));
    s->Bind(1, int64_t(NameKindCode(k))).Bind(2, var);
    CX_RETURN_IF_ERROR(collect(s));
  }
  return out;
}

Result<std::vector<IndexedWord>> SqliteTx::WordsByPrefix(NameKind k, const std::string& prefix,
                                                         int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT word, sum(records) AS n FROM name_postings WHERE kind = ?1 "
                             "AND word >= ?2 AND word < ?2 || char(1114111) GROUP BY word "
                             "ORDER BY n DESC, word LIMIT ?3"));
  s->Bind(1, int64_t(NameKindCode(k))).Bind(2, prefix).Bind(3, int64_t(limit));
  std::vector<IndexedWord> out;
  while (s->Step()) out.push_back({s->Text(0), s->Int(1)});
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

namespace {
// Calls fn with each id under (kind, word), in id order, until it returns false.
Status ForEachId(sqlite::Db* db, int kind, const std::string& word,
                 const std::function<bool(std::string_view)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db->Prepare("SELECT ids FROM name_postings WHERE kind = ?1 AND word = ?2 ORDER BY first"));
  s->Bind(1, int64_t(kind)).Bind(2, word);
  bool more = true;
  while (more && s->Step()) {
    std::string_view text = s->TextView(0);
    while (more && !text.empty()) {
      const size_t end = std::min(text.find(kIdSep), text.size());
      more = fn(text.substr(0, end));
      text.remove_prefix(std::min(end + 1, text.size()));
    }
  }
  Status st = s->status();
  s->Reset();
  return st;
}
}  // namespace

Result<std::vector<std::string>> SqliteTx::IdsByWord(NameKind k, const std::string& word,
                                                     int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  std::vector<std::string> out;
  if (limit <= 0) return out;
  CX_RETURN_IF_ERROR(ForEachId(db_, NameKindCode(k), word, [&](std::string_view id) {
    out.emplace_back(id);
    return out.size() < size_t(limit);
  }));
  return out;
}

Result<std::vector<std::string>> SqliteTx::IdsByWordGroups(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  CX_RETURN_IF_ERROR(FlushNamesForRead());
  // Per id: how many groups name it, and the last group that did.
  std::unordered_map<std::string, std::pair<int, size_t>> hits;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& word : Unique(groups[g])) {
      CX_RETURN_IF_ERROR(ForEachId(db_, NameKindCode(k), word, [&](std::string_view id) {
        auto& h = hits[std::string(id)];
        if (h.second != g + 1) {
          ++h.first;
          h.second = g + 1;
        }
        return true;
      }));
    }
  }
  std::vector<std::pair<int, std::string>> found;  // (groups, id)
  for (auto& [id, h] : hits)
    if (h.first >= min_groups) found.emplace_back(h.first, id);
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < found.size() && i < size_t(std::max(limit, 0)); ++i)
    out.push_back(std::move(found[i].second));
  return out;
}

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
  std::sort(out.begin(), out.end(),
            [](const MatchKeys& a, const MatchKeys& b) { return a.id < b.id; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const MatchKeys& a, const MatchKeys& b) { return a.id == b.id; }),
            out.end());
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

Result<std::vector<MatchKeys>> SqliteTx::GetMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) {
  std::vector<MatchKeys> out;
  for (const auto& id : ids) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(MatchSelect(k) + " WHERE id = ?"));
    s->Bind(1, id);
    CX_RETURN_IF_ERROR(CollectKeys(s, &out));
  }
  return out;
}

Result<std::vector<MatchKeys>> SqliteTx::GetLiveMatchKeys(NameKind k,
                                                          const std::vector<std::string>& ids) {
  std::vector<MatchKeys> out;
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(MatchSelect(k) + " WHERE id = ? AND merged_into IS NULL"));
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
