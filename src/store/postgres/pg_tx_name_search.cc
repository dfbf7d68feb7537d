// PostgreSQL Tx: reading the name index and the match keys (search-first, duplicates, the ERP
// sync's proposed links).
#include <algorithm>
#include <set>

#include "store/postgres/pg_names_rows.h"
#include "store/postgres/pg_tx.h"

namespace cx {

using pgnames::KindCode;
using pgnames::MatchSelect;
using pgnames::ReadKeys;
using pgnames::TextArray;

namespace {

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
  // Per variant in the order given: the variant when it is a word itself, then the words it is
  // a deletion variant of (in word order), each with its count of records.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query(
          "SELECT v.ord, 0, e.word, count(*) FROM unnest($2::text[]) WITH ORDINALITY AS v(var, "
          "ord) "
          "JOIN name_entries e ON e.kind = $1 AND e.word = v.var GROUP BY v.ord, e.word "
          "UNION ALL "
          "SELECT v.ord, 1, n.word, (SELECT count(*) FROM name_entries e WHERE e.kind = $1 AND "
          "e.word = n.word) FROM unnest($2::text[]) WITH ORDINALITY AS v(var, ord) "
          "JOIN name_variants n ON n.kind = $1 AND n.variant = v.var "
          "ORDER BY 1, 2, 3",
          pg::Params().Add(KindCode(k)).Add(TextArray(variants))));
  std::set<std::string> seen;
  while (r.Next()) {
    const int64_t n = r.Int(3);
    if (n <= 0) continue;
    std::string word = r.Text(2);
    if (seen.insert(word).second) out.push_back({std::move(word), n});
  }
  return out;
}

Result<std::vector<IndexedWord>> PgTx::WordsByPrefix(NameKind k, const std::string& prefix,
                                                     int limit) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  // The range of the prefix (byte order): the words from it up to it followed by the highest
  // code point.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT word, count(*) AS n FROM name_entries WHERE kind = $1 AND word >= $2 "
                 "AND word < $2 || chr(1114111) GROUP BY word ORDER BY n DESC, word LIMIT $3",
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

Result<std::vector<std::string>> PgTx::IdsByWordGroups(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  CX_RETURN_IF_ERROR(pgnames::FlushNamesForRead(*this));
  std::vector<std::string> out;
  std::vector<std::string> words;
  std::vector<int64_t> group_of;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (const auto& w : groups[g]) {
      words.push_back(w);
      group_of.push_back(int64_t(g));
    }
  }
  if (words.empty() || limit <= 0) return out;
  // Per record: how many groups have a word of its name; most first, then by id.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT e.id, count(DISTINCT q.g) AS n FROM unnest($2::text[], $3::int[]) AS "
                 "q(word, g) JOIN name_entries e ON e.kind = $1 AND e.word = q.word GROUP BY e.id "
                 "HAVING count(DISTINCT q.g) >= $4 ORDER BY n DESC, e.id LIMIT $5",
                 pg::Params()
                     .Add(KindCode(k))
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
  std::sort(out.begin(), out.end(),
            [](const MatchKeys& a, const MatchKeys& b) { return a.id < b.id; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const MatchKeys& a, const MatchKeys& b) { return a.id == b.id; }),
            out.end());
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

Result<std::vector<MatchKeys>> PgTx::GetMatchKeys(NameKind k, const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<MatchKeys>();
  return KeysOf(db(),
                "SELECT " + pgnames::MatchCols(k) +
                    " FROM unnest($1::text[]) WITH ORDINALITY AS q(id, ord) JOIN " +
                    pgnames::MatchTable(k) + " t ON t.id = q.id ORDER BY q.ord",
                pg::Params().Add(TextArray(ids)));
}

Result<std::vector<MatchKeys>> PgTx::GetLiveMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<MatchKeys>();
  return KeysOf(db(),
                "SELECT " + pgnames::MatchCols(k) +
                    " FROM unnest($1::text[]) WITH ORDINALITY AS q(id, ord) JOIN " +
                    pgnames::MatchTable(k) +
                    " t ON t.id = q.id WHERE t.merged_into IS NULL ORDER BY q.ord",
                pg::Params().Add(TextArray(ids)));
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
