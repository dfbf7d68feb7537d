// SQLite Tx: the name index (symmetric-delete typo index), match keys, merges, settings.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

#include "base/text.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

const char* KindName(NameKind k) { return k == NameKind::kAccount ? "account" : "contact"; }
const char* Table(NameKind k) { return k == NameKind::kAccount ? "accounts" : "contacts"; }
const char* NameCol(NameKind k) { return k == NameKind::kAccount ? "name" : "full_name"; }
std::string AccountCol(NameKind k) {
  return k == NameKind::kAccount ? "''" : "COALESCE(account_id, '')";
}

Status RunAndReset(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

std::vector<std::string> Unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::string MatchSelect(NameKind k) {
  return std::string("SELECT id, ") + NameCol(k) + ", name_key, phone_key, email_key, " +
         AccountCol(k) + " FROM " + Table(k);
}

MatchKeys ReadKeys(const Stmt& s) {
  return MatchKeys{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)};
}

Status CollectKeys(Stmt* s, std::vector<MatchKeys>* out) {
  while (s->Step()) out->push_back(ReadKeys(*s));
  Status st = s->status();
  s->Reset();
  return st;
}

}  // namespace

Status SqliteTx::IndexName(NameKind k, const std::string& id,
                           const std::vector<std::string>& words) {
  for (auto& w : Unique(words)) pending_words_.push_back({k, std::move(w), id});
  if (pending_words_.size() >= (size_t(1) << 17)) return FlushNames();  // bounded memory
  return Status::Ok();
}

Status SqliteTx::FlushNames() {
  if (pending_words_.empty()) return Status::Ok();
  std::vector<PendingWord> batch = std::move(pending_words_);
  pending_words_.clear();
  std::sort(batch.begin(), batch.end(), [](const PendingWord& a, const PendingWord& b) {
    return std::tie(a.kind, a.word, a.id) < std::tie(b.kind, b.word, b.id);
  });
  batch.erase(std::unique(batch.begin(), batch.end(),
                          [](const PendingWord& a, const PendingWord& b) {
                            return a.kind == b.kind && a.word == b.word && a.id == b.id;
                          }),
              batch.end());
  // Many rows per statement, in key order. RETURNING names the rows really added (a
  // row already there is ignored), so each word's use count grows by exactly that.
  constexpr size_t kRows = 128;
  std::map<std::pair<std::string, std::string>, int64_t> added;  // (kind, word) → new uses
  for (size_t at = 0; at < batch.size();) {
    const size_t n = std::min(kRows, batch.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sqlite::MultiRowSql(
                                      "INSERT OR IGNORE INTO name_words (kind, word, id)", 3,
                                      int(n), "RETURNING kind, word")));
    for (size_t r = 0; r < n; ++r) {
      const PendingWord& p = batch[at + r];
      s->Bind(int(r) * 3 + 1, KindName(p.kind)).Bind(int(r) * 3 + 2, p.word);
      s->Bind(int(r) * 3 + 3, p.id);
    }
    while (s->Step()) ++added[{s->Text(0), s->Text(1)}];
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    at += n;
  }
  // The use counts; a word whose count is now exactly what was added was not in use
  // before, so its deletion variants go in (again, harmlessly, if it had been once).
  std::vector<std::pair<std::string, std::string>> fresh;  // (kind, word)
  std::vector<std::pair<const std::pair<std::string, std::string>, int64_t>*> words;
  for (auto& e : added) words.push_back(&e);
  for (size_t at = 0; at < words.size();) {
    const size_t n = std::min(kRows, words.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * v, db_->Prepare(sqlite::MultiRowSql(
                      "INSERT INTO word_vocab (kind, word, records)", 3, int(n),
                      "ON CONFLICT(kind, word) DO UPDATE SET records = records + excluded.records "
                      "RETURNING kind, word, records")));
    for (size_t r = 0; r < n; ++r) {
      const auto& [key, count] = *words[at + r];
      v->Bind(int(r) * 3 + 1, key.first).Bind(int(r) * 3 + 2, key.second);
      v->Bind(int(r) * 3 + 3, count);
    }
    while (v->Step()) {
      std::pair<std::string, std::string> key{v->Text(0), v->Text(1)};
      auto it = added.find(key);
      if (it != added.end() && v->Int(2) == it->second) fresh.push_back(std::move(key));
    }
    Status st = v->status();
    v->Reset();
    CX_RETURN_IF_ERROR(st);
    at += n;
  }
  std::vector<std::array<std::string, 3>> variants;  // kind, variant, word
  for (const auto& [kind, word] : fresh)
    for (auto& var : DeletionVariants(word)) variants.push_back({kind, std::move(var), word});
  std::sort(variants.begin(), variants.end());
  for (size_t at = 0; at < variants.size();) {
    const size_t n = std::min(kRows, variants.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * d, db_->Prepare(sqlite::MultiRowSql(
                      "INSERT OR IGNORE INTO word_variants (kind, variant, word)", 3, int(n))));
    for (size_t r = 0; r < n; ++r)
      for (int c = 0; c < 3; ++c) d->Bind(int(r) * 3 + c + 1, variants[at + r][size_t(c)]);
    CX_RETURN_IF_ERROR(RunAndReset(d));
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::UnindexName(NameKind k, const std::string& id,
                             const std::vector<std::string>& words) {
  CX_RETURN_IF_ERROR(FlushNames());
  for (const auto& w : Unique(words)) {
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("DELETE FROM name_words WHERE kind = ? AND word = ? AND id = ?"));
    s->Bind(1, KindName(k)).Bind(2, w).Bind(3, id);
    CX_RETURN_IF_ERROR(RunAndReset(s));
    if (db_->Changes() == 0) continue;
    CX_ASSIGN_OR_RETURN(
        Stmt * v,
        db_->Prepare("UPDATE word_vocab SET records = records - 1 WHERE kind = ? AND word = ?"));
    v->Bind(1, KindName(k)).Bind(2, w);
    CX_RETURN_IF_ERROR(RunAndReset(v));
  }
  return Status::Ok();
}

Result<std::vector<IndexedWord>> SqliteTx::WordsByVariants(
    NameKind k, const std::vector<std::string>& variants) {
  CX_RETURN_IF_ERROR(FlushNames());
  std::set<std::string> seen;
  std::vector<IndexedWord> out;
  for (const auto& var : variants) {
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("SELECT v.word, w.records FROM word_variants v JOIN word_vocab w "
                               "ON w.kind = v.kind AND w.word = v.word "
                               "WHERE v.kind = ? AND v.variant = ? AND w.records > 0"));
    s->Bind(1, KindName(k)).Bind(2, var);
    while (s->Step()) {
      std::string word = s->Text(0);
      if (seen.insert(word).second) out.push_back({word, s->Int(1)});
    }
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  return out;
}

Result<std::vector<IndexedWord>> SqliteTx::WordsByPrefix(NameKind k, const std::string& prefix,
                                                         int limit) {
  CX_RETURN_IF_ERROR(FlushNames());
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT word, records FROM word_vocab WHERE kind = ?1 AND word >= ?2 "
          "AND word < ?2 || char(1114111) AND records > 0 ORDER BY records DESC LIMIT ?3"));
  s->Bind(1, KindName(k)).Bind(2, prefix).Bind(3, int64_t(limit));
  std::vector<IndexedWord> out;
  while (s->Step()) out.push_back({s->Text(0), s->Int(1)});
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<std::string>> SqliteTx::IdsByWord(NameKind k, const std::string& word,
                                                     int limit) {
  CX_RETURN_IF_ERROR(FlushNames());
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT id FROM name_words WHERE kind = ? AND word = ? LIMIT ?"));
  s->Bind(1, KindName(k)).Bind(2, word).Bind(3, int64_t(limit));
  std::vector<std::string> out;
  while (s->Step()) out.push_back(s->Text(0));
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<std::string>> SqliteTx::IdsByWordGroups(
    NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit) {
  CX_RETURN_IF_ERROR(FlushNames());
  std::string inner;
  std::vector<std::string> params;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].empty()) continue;
    if (!inner.empty()) inner += " UNION ALL ";
    inner +=
        "SELECT id, " + std::to_string(g) + " AS grp FROM name_words WHERE kind = ?1 AND word IN (";
    for (size_t w = 0; w < groups[g].size(); ++w) {
      inner += (w ? ",?" : "?") + std::to_string(params.size() + 2);
      params.push_back(groups[g][w]);
    }
    inner += ")";
  }
  std::vector<std::string> out;
  if (inner.empty()) return out;
  size_t n = params.size();
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT id, COUNT(DISTINCT grp) AS g FROM (" + inner +
                                   ") GROUP BY id HAVING g >= ?" + std::to_string(n + 2) +
                                   " ORDER BY g DESC, id LIMIT ?" + std::to_string(n + 3)));
  s->Bind(1, KindName(k));
  for (size_t i = 0; i < n; ++i) s->Bind(int(i + 2), params[i]);
  s->Bind(int(n + 2), int64_t(min_groups)).Bind(int(n + 3), int64_t(limit));
  while (s->Step()) out.push_back(s->Text(0));
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<MatchKeys>> SqliteTx::FindByKeys(NameKind k, const std::string& name_key,
                                                    const std::string& phone_key,
                                                    const std::string& email_key) {
  std::vector<MatchKeys> out;
  auto run = [&](const char* col, const std::string& key) -> Status {
    if (key.empty()) return Status::Ok();
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(MatchSelect(k) + " WHERE " + col +
                                               " = ? AND merged_into IS NULL LIMIT 200"));
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

Status SqliteTx::ForEachMatchKeys(NameKind k, const std::function<Status(const MatchKeys&)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(MatchSelect(k) + " WHERE merged_into IS NULL"));
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

Result<std::vector<MovedRef>> SqliteTx::MoveReferences(NameKind k, const std::string& from,
                                                       const std::string& to) {
  // The tables and columns that point at an account or a contact. Fixed strings only.
  static const std::vector<std::pair<const char*, const char*>> kAccountRefs = {
      {"contacts", "account_id"},
      {"opportunities", "account_id"},
      {"cases", "account_id"},
      {"feedback", "account_id"}};
  static const std::vector<std::pair<const char*, const char*>> kContactRefs = {
      {"interactions", "contact_id"}, {"cases", "contact_id"}, {"feedback", "contact_id"}};
  const auto& refs = k == NameKind::kAccount ? kAccountRefs : kContactRefs;
  std::vector<MovedRef> moved;
  for (const auto& [table, column] : refs) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("UPDATE ") + table + " SET " + column +
                                               " = ?1 WHERE " + column + " = ?2 RETURNING id"));
    s->Bind(1, to).Bind(2, from);
    while (s->Step()) moved.push_back({table, s->Text(0), column});
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  return moved;
}

Status SqliteTx::RestoreReferences(const std::vector<MovedRef>& moved,
                                   const std::string& original) {
  static const std::set<std::pair<std::string, std::string>> kAllowed = {
      {"contacts", "account_id"}, {"opportunities", "account_id"}, {"cases", "account_id"},
      {"feedback", "account_id"}, {"interactions", "contact_id"},  {"cases", "contact_id"},
      {"feedback", "contact_id"}};
  for (const auto& m : moved) {
    if (!kAllowed.count({m.table, m.column}))
      return Internal("merge record names unknown table " + m.table);
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("UPDATE " + m.table + " SET " + m.column + " = ? WHERE id = ?"));
    s->Bind(1, original).Bind(2, m.id);
    CX_RETURN_IF_ERROR(RunAndReset(s));
  }
  return Status::Ok();
}

Status SqliteTx::SaveMerge(const MergeRecord& m) {
  nlohmann::json moved = nlohmann::json::array();
  for (const auto& r : m.moved)
    moved.push_back({{"table", r.table}, {"id", r.id}, {"column", r.column}});
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO merges (id, kind, survivor, merged, moved, at, actor, reason, undone_at) "
          "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(id) DO UPDATE SET "
          "undone_at = excluded.undone_at"));
  s->Bind(1, m.id)
      .Bind(2, KindName(m.kind))
      .Bind(3, m.survivor)
      .Bind(4, nlohmann::json(m.merged).dump());
  s->Bind(5, moved.dump()).Bind(6, m.at).Bind(7, m.actor).Bind(8, m.reason);
  s->Bind(9, std::optional<int64_t>(m.undone_at));
  return RunAndReset(s);
}

namespace {
Result<std::vector<MergeRecord>> ReadMerges(Stmt* s) {
  std::vector<MergeRecord> out;
  Status bad;
  while (s->Step()) {
    MergeRecord m;
    m.id = s->Text(0);
    m.kind = s->Text(1) == "account" ? NameKind::kAccount : NameKind::kContact;
    m.survivor = s->Text(2);
    auto merged = nlohmann::json::parse(s->Text(3), nullptr, false);
    auto moved = nlohmann::json::parse(s->Text(4), nullptr, false);
    if (merged.is_discarded() || moved.is_discarded() || !merged.is_array() || !moved.is_array()) {
      bad = Internal("merge record " + m.id + " is corrupt");
      continue;
    }
    for (const auto& id : merged) m.merged.push_back(id.get<std::string>());
    for (const auto& r : moved) {
      m.moved.push_back({r.value("table", ""), r.value("id", ""), r.value("column", "")});
    }
    m.at = s->Int(5);
    m.actor = s->Text(6);
    m.reason = s->Text(7);
    m.undone_at = s->OptInt(8);
    out.push_back(std::move(m));
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_RETURN_IF_ERROR(bad);
  return out;
}
}  // namespace

Result<std::optional<MergeRecord>> SqliteTx::GetMerge(const std::string& id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, kind, survivor, merged, moved, at, actor, reason, undone_at "
                   "FROM merges WHERE id = ?"));
  s->Bind(1, id);
  CX_ASSIGN_OR_RETURN(auto rows, ReadMerges(s));
  if (rows.empty()) return std::optional<MergeRecord>();
  return std::optional<MergeRecord>(rows.front());
}

Result<std::vector<MergeRecord>> SqliteTx::ListMerges(int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, kind, survivor, merged, moved, at, actor, reason, undone_at "
                   "FROM merges ORDER BY at DESC, id DESC LIMIT ?"));
  s->Bind(1, int64_t(limit));
  return ReadMerges(s);
}

Result<std::optional<std::string>> SqliteTx::GetSetting(const std::string& key) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT value FROM settings WHERE key = ?"));
  s->Bind(1, key);
  std::optional<std::string> v;
  if (s->Step()) v = s->Text(0);
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return v;
}

Status SqliteTx::SetSetting(const std::string& key, const std::string& value) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  s->Bind(1, key).Bind(2, value);
  return RunAndReset(s);
}

}  // namespace cx
