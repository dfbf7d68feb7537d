// PostgreSQL Tx: reading the name index and the match keys (search-first, duplicates, the ERP
// sync's proposed links).
#include <algorithm>
#include <array>
#include <set>
#include <tuple>
#include <unordered_map>

#include "store/match_keys_by_id.h"
#include "store/postgres/pg_names_rows.h"
#include "store/postgres/pg_tx.h"

namespace cx {

using pgnames::KindCode;
using pgnames::MatchSelect;
using pgnames::ReadKeys;
using pgnames::TextArray;

namespace {

// The statements of this file read the name index (name_entries, name_variants, name_words) a
// word at a time, each word's rows in a LATERAL subquery with OFFSET 0 or LIMIT, which the
// planner keeps as written and runs once per word. The tables' keys begin with the kind, of
// which there are two: before the planner has statistics of a table (just after a first load)
// it takes `kind = 0` for a rare value, and chose to read every entry of the kind and filter
// the words rather than look each word up (pg_search_reads_test.cc checks the reads).

// A LIMIT parameter: none (NULL) for a negative limit, as SQLite's LIMIT -1 reads.
std::optional<int64_t> LimitOf(int limit) {
  if (limit < 0) return std::nullopt;
  return int64_t(limit);
}

Result<std::vector<MatchKeys>> KeysOf(pg::Db& db, const std::string& sql, const pg::Params& p) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db.Query(sql, p));
  std::vector<MatchKeys> out;
  while (r.Next()) out.push_back(ReadKeys(r));
  return out;
}

// Runs `fn` on the match keys of every row `sql` selects, a batch at a time; stops at the first
// error of `fn` and returns it.
Status EachKeys(pg::Db& db, const std::string& sql,
                const std::function<Status(const MatchKeys&)>& fn) {
  return db.ForEachBatch(sql, pg::Params(), [&](pg::Rows& r) -> Status {
    while (r.Next()) CX_RETURN_IF_ERROR(fn(ReadKeys(r)));
    return Status::Ok();
  });
}

}  // namespace

Result<std::vector<IndexedWord>> PgTx::WordsByVariants(NameKind k,
                                                       const std::vector<std::string>& variants) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  std::vector<IndexedWord> out;
  if (variants.empty()) return out;
  // The variants that are words themselves (0), and the words the variants are deletion
  // variants of (1), each with its count of records from name_words: index look-ups of the
  // given variants only, whatever the planner knows of the tables' sizes.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT 0, q.v, w.word, w.records FROM unnest($2::text[]) AS q(v) CROSS JOIN "
                 "LATERAL (SELECT word, records FROM name_words w WHERE w.kind = $1 AND w.word = "
                 "q.v OFFSET 0) w "
                 "UNION ALL "
                 "SELECT 1, q.v, n.word, w.records FROM unnest($2::text[]) AS q(v) CROSS JOIN "
                 "LATERAL (SELECT word FROM name_variants n WHERE n.kind = $1 AND n.variant = q.v "
                 "OFFSET 0) n CROSS JOIN LATERAL (SELECT records FROM name_words w WHERE w.kind "
                 "= $1 AND w.word = n.word OFFSET 0) w",
                 pg::Params().Add(KindCode(k)).Add(TextArray(variants))));
  // Per variant in the order given: the variant when it is a word itself, then the words it is
  // a deletion variant of (in word order); each word once, where first met.
  std::unordered_map<std::string, size_t> at;
  for (size_t i = 0; i < variants.size(); ++i) at.emplace(variants[i], i);
  struct Found {
    size_t at;
    int64_t type;
    std::string word;
    int64_t records;
  };
  std::vector<Found> found;
  while (r.Next()) {
    auto it = at.find(r.Text(1));
    if (it == at.end() || r.Int(3) <= 0) continue;
    found.push_back({it->second, r.Int(0), r.Text(2), r.Int(3)});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.at, a.type, a.word) < std::tie(b.at, b.type, b.word);
  });
  std::set<std::string> seen;
  for (auto& f : found) {
    if (seen.insert(f.word).second) out.push_back({std::move(f.word), f.records});
  }
  return out;
}

Result<std::vector<IndexedWord>> PgTx::WordsByPrefix(NameKind k, const std::string& prefix,
                                                     int limit) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  // The range of the prefix (byte order): the words from it up to it followed by the highest
  // code point, with their counts (name_words: one row a word, not one a record).
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT word, records FROM name_words WHERE kind = $1 AND word >= $2 AND word "
                 "< $2 || chr(1114111) ORDER BY records DESC, word LIMIT $3",
                 pg::Params().Add(KindCode(k)).Add(prefix).Add(LimitOf(limit))));
  std::vector<IndexedWord> out;
  while (r.Next()) out.push_back({r.Text(0), r.Int(1)});
  return out;
}

Result<std::vector<std::string>> PgTx::IdsByWord(NameKind k, const std::string& word, int limit) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  std::vector<std::string> out;
  if (limit <= 0) return out;
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query("SELECT id FROM name_entries WHERE kind = $1 AND word = $2 ORDER BY "
                             "id LIMIT $3",
                             pg::Params().Add(KindCode(k)).Add(word).Add(limit)));
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

namespace {

// `words` without repeats, in the order first met.
std::vector<std::string> Unique(const std::vector<std::string>& words) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& w : words)
    if (seen.insert(w).second) out.push_back(w);
  return out;
}

// The first `limit` ids under any of `words`, each once, in id order. Each word's entries are
// read in id order, and only its first `limit` (the LIMIT inside LATERAL keeps it a look-up per
// word).
Result<std::vector<std::string>> FirstIds(pg::Db& db, int kind,
                                          const std::vector<std::string>& words, int64_t limit) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT DISTINCT x.id FROM unnest($2::text[]) AS q(w) CROSS JOIN LATERAL (SELECT "
               "e.id FROM name_entries e WHERE e.kind = $1 AND e.word = q.w ORDER BY e.id LIMIT "
               "$3) x ORDER BY 1 LIMIT $3",
               pg::Params().Add(kind).Add(TextArray(words)).Add(limit)));
  std::vector<std::string> out;
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

// The sums of the counts of records of the words of each of two groups (name_words).
Result<std::array<int64_t, 2>> RecordsOf(pg::Db& db, int kind,
                                         const std::array<std::vector<std::string>, 2>& words) {
  std::vector<std::string> all;
  std::vector<int64_t> group_of;
  for (size_t g = 0; g < 2; ++g) {
    for (const auto& w : words[g]) {
      all.push_back(w);
      group_of.push_back(int64_t(g));
    }
  }
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT q.g, sum(w.records)::bigint FROM unnest($2::text[], $3::int[]) AS q(w, "
               "g) CROSS JOIN LATERAL (SELECT records FROM name_words w WHERE w.kind = $1 AND "
               "w.word = q.w LIMIT 1) w GROUP BY q.g",
               pg::Params().Add(kind).Add(TextArray(all)).Add(pgnames::IntArray(group_of))));
  std::array<int64_t, 2> out = {0, 0};
  while (r.Next()) out[size_t(r.Int(0) == 1)] = r.Int(1);
  return out;
}

}  // namespace

Result<std::vector<std::string>> PgTx::IdsByWordGroups(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  std::vector<std::string> out;
  if (limit <= 0 || groups.empty() || min_groups > int(groups.size())) return out;
  const int kind = KindCode(k);
  // The order asked for is: most groups first, then by id. With one group every id has as
  // many: its words' first ids.
  if (groups.size() == 1) {
    if (groups[0].empty()) return out;
    return FirstIds(db(), kind, Unique(groups[0]), limit);
  }
  if (groups.size() == 2 && !groups[0].empty() && !groups[1].empty()) {
    // Search-first takes its groups from a name's two rarest words, and the rarer often names
    // a handful of records where the other names thousands (a common word of company names):
    // the records under both are the rare group's, each looked up in the other's entries (a
    // probe of the primary key per word), as on SQLite (docs/search.md, "Search-first").
    // Reading both whole made a look-up's cost grow with the hub.
    const std::array<std::vector<std::string>, 2> words = {Unique(groups[0]), Unique(groups[1])};
    CX_ASSIGN_OR_RETURN(const auto records, RecordsOf(db(), kind, words));
    const size_t rare = records[0] <= records[1] ? 0 : 1, other = 1 - rare;
    constexpr int64_t kLookupCost = 32;  // a probe costs about a few dozen ids read in a row
    if (records[rare] * int64_t(words[other].size()) * kLookupCost <= records[other]) {
      // (The rare words' entries a word at a time; the check a probe per id, never a join of
      // the other's entries whole.)
      CX_ASSIGN_OR_RETURN(
          pg::Rows r,
          db().Query("SELECT DISTINCT e.id FROM unnest($2::text[]) AS q(w) CROSS JOIN LATERAL "
                     "(SELECT id FROM name_entries e WHERE e.kind = $1 AND e.word = q.w OFFSET 0) "
                     "e CROSS JOIN LATERAL (SELECT 1 FROM name_entries o WHERE o.kind = $1 AND "
                     "o.word = ANY($3::text[]) AND o.id = e.id LIMIT 1) x ORDER BY e.id LIMIT $4",
                     pg::Params()
                         .Add(kind)
                         .Add(TextArray(words[rare]))
                         .Add(TextArray(words[other]))
                         .Add(limit)));
      while (r.Next()) out.push_back(r.Text(0));
      if (int(out.size()) >= limit || min_groups >= 2) return out;
      // Then the ids under one group only, in id order: the first of them are among the
      // first (needed + under both) ids of each word.
      std::vector<std::string> all = words[0];
      all.insert(all.end(), words[1].begin(), words[1].end());
      CX_ASSIGN_OR_RETURN(auto either, FirstIds(db(), kind, Unique(all), int64_t(limit)));
      const std::set<std::string> both(out.begin(), out.end());
      for (auto& id : either) {
        if (int(out.size()) >= limit) break;
        if (!both.count(id)) out.push_back(std::move(id));
      }
      return out;
    }
  }
  std::vector<std::string> words;
  std::vector<int64_t> group_of;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& w : groups[g]) {
      words.push_back(w);
      group_of.push_back(int64_t(g));
    }
  }
  if (words.empty()) return out;
  // Per record: how many groups have a word of its name; most first, then by id. (Two common
  // words: both read whole.)
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT e.id, count(DISTINCT q.g) AS n FROM unnest($2::text[], $3::int[]) AS "
                 "q(word, g) CROSS JOIN LATERAL (SELECT id FROM name_entries e WHERE e.kind = $1 "
                 "AND e.word = q.word OFFSET 0) e GROUP BY e.id HAVING count(DISTINCT q.g) >= $4 "
                 "ORDER BY n DESC, e.id LIMIT $5",
                 pg::Params()
                     .Add(kind)
                     .Add(TextArray(words))
                     .Add(pgnames::IntArray(group_of))
                     .Add(min_groups)
                     .Add(limit)));
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

Result<std::vector<MatchKeys>> PgTx::FindByKeys(NameKind k, const std::string& name_key,
                                                const std::string& phone_key,
                                                const std::string& email_key) {
  std::vector<MatchKeys> out;
  // Each key read from its own index (the phone and email ones are partial: `<> ''`), at most
  // 200 records each.
  const std::pair<const char*, const std::string*> keys[] = {
      {"name_key", &name_key}, {"phone_key", &phone_key}, {"email_key", &email_key}};
  for (const auto& [col, key] : keys) {
    if (key->empty()) continue;
    CX_ASSIGN_OR_RETURN(auto found, KeysOf(db(),
                                           MatchSelect(k) + " WHERE t." + col + " = $1 AND t." +
                                               col + " <> '' AND t.merged_into IS NULL LIMIT 200",
                                           pg::Params().Add(*key)));
    for (auto& m : found) out.push_back(std::move(m));
  }
  SortUniqueById(&out);
  return out;
}

Result<std::vector<MatchKeys>> PgTx::FindByKeyPrefix(NameKind k, KeyField f,
                                                     const std::string& prefix, int limit) {
  if (prefix.empty() || limit <= 0) return std::vector<MatchKeys>();
  const std::string col = f == KeyField::kPhone ? "t.phone_key" : "t.email_key";
  return KeysOf(db(),
                MatchSelect(k) + " WHERE " + col + " <> '' AND " + col + " >= $1 AND " + col +
                    " < $1 || chr(1114111) AND t.merged_into IS NULL ORDER BY " + col +
                    ", t.id LIMIT $2",
                pg::Params().Add(prefix).Add(limit));
}

namespace {

// The keys of the records `ids` names, in that order, live ones only when `live`: a look-up of
// the id index per id (LIMIT 1 inside LATERAL keeps it so), never a join of the whole table,
// which the planner chose for a few hundred ids before it had statistics of the table (just
// after a first load).
Result<std::vector<MatchKeys>> KeysById(pg::Db& db, NameKind k, const std::vector<std::string>& ids,
                                        bool live) {
  if (ids.empty()) return std::vector<MatchKeys>();
  return KeysOf(db,
                "SELECT t.* FROM unnest($1::text[]) WITH ORDINALITY AS q(id, ord) CROSS JOIN "
                "LATERAL (SELECT " +
                    pgnames::MatchCols(k) + " FROM " + pgnames::MatchTable(k) +
                    " t WHERE t.id = q.id" + (live ? " AND t.merged_into IS NULL" : "") +
                    " LIMIT 1) t ORDER BY q.ord",
                pg::Params().Add(TextArray(ids)));
}

}  // namespace

Result<std::vector<MatchKeys>> PgTx::GetMatchKeys(NameKind k, const std::vector<std::string>& ids) {
  return KeysById(db(), k, ids, false);
}

Result<std::vector<MatchKeys>> PgTx::GetLiveMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) {
  return KeysById(db(), k, ids, true);
}

Status PgTx::ForEachMatchKeys(NameKind k, const std::function<Status(const MatchKeys&)>& fn) {
  return EachKeys(db(), MatchSelect(k) + " WHERE t.merged_into IS NULL ORDER BY t.id", fn);
}

Status PgTx::ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) {
  // Read through the partial index accounts_unlinked (0007_unlinked_accounts.sql).
  return EachKeys(db(),
                  MatchSelect(NameKind::kAccount) +
                      " WHERE t.erp_customer_id IS NULL AND t.merged_into IS NULL ORDER BY t.id",
                  fn);
}

}  // namespace cx
