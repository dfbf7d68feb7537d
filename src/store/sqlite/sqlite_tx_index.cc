// SQLite Tx: the name index (symmetric-delete typo index), match keys, merges, settings.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <future>
#include <map>
#include <set>
#include <system_error>
#include <tuple>

#include "base/text.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

const char* KindName(NameKind k) { return k == NameKind::kAccount ? "account" : "contact"; }
// The letter that stands for a kind in the pending name entries; in the order of KindName.
char KindLetter(NameKind k) { return k == NameKind::kAccount ? 'a' : 'c'; }
NameKind KindOfLetter(char c) { return c == 'a' ? NameKind::kAccount : NameKind::kContact; }
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
  std::optional<bool>& was_empty = name_index_was_empty_[k == NameKind::kAccount ? 0 : 1];
  if (!was_empty) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT 1 FROM name_words WHERE kind = ? LIMIT 1"));
    s->Bind(1, KindName(k));
    was_empty = !s->Step();
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  std::string key(1, KindLetter(k));
  key += id;
  const uint64_t record = pending_name_records_.Add(key);
  for (const auto& w : words) {
    key.resize(1);
    key += w;
    const auto word =
        uint64_t(pending_name_words_.Emplace(key, int64_t(pending_name_words_.size())).first);
    pending_names_.push_back(word << 32 | record);
  }
  // Bounded memory: 8 bytes an entry plus the text of each distinct word and record. Into an
  // empty index (a first load) everything waits for one sorted write, which fills the index
  // from front to back; otherwise each run goes in as it fills.
  const size_t limit = *was_empty ? size_t(1) << 25 : size_t(1) << 20;
  if (pending_names_.size() >= limit || pending_name_records_.size() >= limit ||
      pending_name_records_.bytes() >= (size_t(1) << 30))
    return FlushNames();
  return Status::Ok();
}

Status SqliteTx::FlushNames() {
  struct Clear {
    SqliteTx* tx;
    ~Clear() {
      tx->pending_names_.clear();
      tx->pending_name_words_.Clear();
      tx->pending_name_records_.Clear();
    }
  } clear{this};
  if (pending_names_.empty()) return Status::Ok();
  const StringTable& words = pending_name_words_;
  const PendingRecords& records = pending_name_records_;
  // Words and records in key order (a kind letter, then the text: the order of the index's
  // (kind, word) and (kind, id)), then each entry as two ranks in one integer: sorting
  // millions of entries compares integers, not strings all over memory.
  auto by_key = [](const auto& t, std::vector<uint32_t>* order, std::vector<uint32_t>* rank) {
    // Each key's first eight bytes as one big-endian integer beside its number: most
    // comparisons end there, without reaching for the text.
    std::vector<std::pair<uint64_t, uint32_t>> keyed(t.size());
    for (uint32_t i = 0; i < keyed.size(); ++i) {
      const std::string_view k = t.Key(i);
      uint64_t prefix = 0;
      for (size_t b = 0; b < 8; ++b)
        prefix = prefix << 8 | (b < k.size() ? static_cast<unsigned char>(k[b]) : 0u);
      keyed[i] = {prefix, i};
    }
    auto less = [&](const std::pair<uint64_t, uint32_t>& a,
                    const std::pair<uint64_t, uint32_t>& b) {
      if (a.first != b.first) return a.first < b.first;
      return t.Key(a.second) < t.Key(b.second);
    };
    // Records come mostly in key order (ids handed out in sequence): the sorted prefix is
    // kept and only the rest is sorted and merged in.
    const auto sorted_end = std::is_sorted_until(keyed.begin(), keyed.end(), less);
    std::sort(sorted_end, keyed.end(), less);
    std::inplace_merge(keyed.begin(), sorted_end, keyed.end(), less);
    order->resize(t.size());
    rank->resize(t.size());
    for (uint32_t i = 0; i < keyed.size(); ++i) {
      (*order)[i] = keyed[i].second;
      (*rank)[keyed[i].second] = i;
    }
  };
  // The two sorts run side by side (a first load has a million of each).
  std::vector<uint32_t> word_order, word_rank, record_order, record_rank;
  auto words_sorted =
      std::async(std::launch::async, [&] { by_key(words, &word_order, &word_rank); });
  by_key(records, &record_order, &record_rank);
  words_sorted.get();
  for (uint64_t& e : pending_names_)
    e = uint64_t(word_rank[e >> 32]) << 32 | record_rank[e & 0xffffffffu];
  std::vector<uint32_t>().swap(word_rank);
  std::vector<uint32_t>().swap(record_rank);
  std::sort(pending_names_.begin(), pending_names_.end());
  pending_names_.erase(std::unique(pending_names_.begin(), pending_names_.end()),
                       pending_names_.end());
  auto word_of = [&](uint64_t e) { return words.Key(word_order[e >> 32]); };  // with its letter
  auto id_of = [&](uint64_t e) { return records.Key(record_order[e & 0xffffffffu]).substr(1); };
  // Each distinct (kind, word) of the batch, in key order, and how many records it gained.
  struct Use {
    std::string_view key;  // kind letter + word
    int64_t added = 0;
    bool fresh = false;  // no vocabulary row yet: its deletion variants go in
    NameKind kind() const { return KindOfLetter(key[0]); }
    std::string_view word() const { return key.substr(1); }
  };
  std::vector<Use> uses;
  for (uint64_t e : pending_names_) {
    if (uses.empty() || uses.back().key.data() != word_of(e).data()) uses.push_back({word_of(e)});
    ++uses.back().added;
  }
  auto use_of = [&](std::string_view kind, std::string_view word) -> Use* {
    std::string key(1, KindLetter(kind == "account" ? NameKind::kAccount : NameKind::kContact));
    key += word;
    auto it = std::lower_bound(uses.begin(), uses.end(), key,
                               [](const Use& u, const std::string& k) { return u.key < k; });
    return it != uses.end() && it->key == key ? &*it : nullptr;
  };
  // New words get a vocabulary row; known ones a higher count. When a kind has no vocabulary
  // yet (a first load), all its words are new; else RETURNING names the new ones.
  bool no_vocabulary[2];
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    CX_ASSIGN_OR_RETURN(Stmt * e, db_->Prepare("SELECT 1 FROM word_vocab WHERE kind = ? LIMIT 1"));
    e->Bind(1, KindName(k));
    no_vocabulary[k == NameKind::kAccount ? 0 : 1] = !e->Step();
    Status st = e->status();
    e->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  std::vector<Use*> surely_new, maybe_new;
  for (Use& u : uses) {
    u.fresh = no_vocabulary[u.kind() == NameKind::kAccount ? 0 : 1];
    (u.fresh ? surely_new : maybe_new).push_back(&u);
  }
  // The deletion variants of new words, in key order, from one arena of text. Those of the
  // surely new words are made on a second thread while this one writes the entries.
  struct Variant {
    uint32_t use;  // index into `uses`
    uint32_t off, len;
  };
  struct Variants {
    std::string arena;
    std::vector<Variant> list;
  };
  auto sort_variants = [&uses](Variants* v) {
    auto text = [v](const Variant& x) { return std::string_view(v->arena).substr(x.off, x.len); };
    std::sort(v->list.begin(), v->list.end(), [&](const Variant& a, const Variant& b) {
      const Use &ua = uses[a.use], &ub = uses[b.use];
      return std::tuple(ua.kind(), text(a), ua.word()) < std::tuple(ub.kind(), text(b), ub.word());
    });
  };
  auto make_variants = [&uses, &sort_variants](const std::vector<uint32_t>& which) {
    Variants v;
    for (uint32_t i : which) {
      for (const auto& var : DeletionVariants(uses[i].word())) {
        if (var == uses[i].word()) continue;  // a word is found as itself in the vocabulary
        v.list.push_back({i, uint32_t(v.arena.size()), uint32_t(var.size())});
        v.arena += var;
      }
    }
    sort_variants(&v);
    return v;
  };
  std::vector<uint32_t> early;
  for (uint32_t i = 0; i < uses.size(); ++i) {
    if (no_vocabulary[uses[i].kind() == NameKind::kAccount ? 0 : 1]) early.push_back(i);
  }
  std::future<Variants> early_variants;
  try {
    early_variants = std::async(std::launch::async, make_variants, std::cref(early));
  } catch (const std::system_error&) {
    early_variants = std::async(std::launch::deferred, make_variants, std::cref(early));
  }
  // Many rows per statement, in key order. A row already there (which only a stale index
  // would hold) is ignored; should any be, the counts of that chunk's words are taken
  // from the index itself rather than from the batch.
  constexpr size_t kRows = 128;
  std::vector<std::string_view> recount;
  for (size_t at = 0; at < pending_names_.size();) {
    const size_t n = std::min(kRows, pending_names_.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(sqlite::MultiRowSql(
                            "INSERT OR IGNORE INTO name_words (kind, word, id)", 3, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const uint64_t e = pending_names_[at + r];
      const std::string_view word = word_of(e);
      s->BindStatic(int(r) * 3 + 1, KindName(KindOfLetter(word[0])));
      s->BindStatic(int(r) * 3 + 2, word.substr(1)).BindStatic(int(r) * 3 + 3, id_of(e));
    }
    CX_RETURN_IF_ERROR(RunAndReset(s));
    if (db_->Changes() != int64_t(n)) {
      for (size_t r = 0; r < n; ++r) recount.push_back(word_of(pending_names_[at + r]));
    }
    at += n;
  }
  for (const bool returning : {false, true}) {
    const std::vector<Use*>& list = returning ? maybe_new : surely_new;
    for (size_t at = 0; at < list.size();) {
      const size_t n = std::min(kRows, list.size() - at);
      CX_ASSIGN_OR_RETURN(Stmt * v, db_->Prepare(sqlite::MultiRowSql(
                                        "INSERT OR IGNORE INTO word_vocab (kind, word, records)", 3,
                                        int(n), returning ? "RETURNING kind, word" : "")));
      for (size_t r = 0; r < n; ++r) {
        const Use& u = *list[at + r];
        v->BindStatic(int(r) * 3 + 1, KindName(u.kind())).BindStatic(int(r) * 3 + 2, u.word());
        v->Bind(int(r) * 3 + 3, u.added);
      }
      while (v->Step()) {
        if (Use* u = use_of(v->TextView(0), v->TextView(1))) u->fresh = true;
      }
      Status st = v->status();
      v->Reset();
      CX_RETURN_IF_ERROR(st);
      at += n;
    }
  }
  for (const Use& u : uses) {
    if (u.fresh) continue;
    CX_ASSIGN_OR_RETURN(
        Stmt * v,
        db_->Prepare("UPDATE word_vocab SET records = records + ?3 WHERE kind = ?1 AND word = ?2"));
    v->BindStatic(1, KindName(u.kind())).BindStatic(2, u.word()).Bind(3, u.added);
    CX_RETURN_IF_ERROR(RunAndReset(v));
  }
  for (std::string_view key : recount) {
    CX_ASSIGN_OR_RETURN(Stmt * v, db_->Prepare("UPDATE word_vocab SET records = (SELECT count(*) "
                                               "FROM name_words WHERE kind = ?1 AND word = ?2) "
                                               "WHERE kind = ?1 AND word = ?2"));
    v->BindStatic(1, KindName(KindOfLetter(key[0]))).BindStatic(2, key.substr(1));
    CX_RETURN_IF_ERROR(RunAndReset(v));
  }
  // The variants of the words found new only now (none in a first load) join those made
  // beside the writes.
  std::vector<uint32_t> late;
  for (uint32_t i = 0; i < uses.size(); ++i) {
    if (uses[i].fresh && !no_vocabulary[uses[i].kind() == NameKind::kAccount ? 0 : 1])
      late.push_back(i);
  }
  Variants made = early_variants.get();
  if (!late.empty()) {
    Variants more = make_variants(late);
    const uint32_t shift = uint32_t(made.arena.size());
    made.arena += more.arena;
    for (Variant v : more.list) {
      v.off += shift;
      made.list.push_back(v);
    }
    sort_variants(&made);
  }
  const std::string& arena = made.arena;
  const std::vector<Variant>& variants = made.list;
  auto text = [&](const Variant& v) { return std::string_view(arena).substr(v.off, v.len); };
  for (size_t at = 0; at < variants.size();) {
    const size_t n = std::min(kRows, variants.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * d, db_->Prepare(sqlite::MultiRowSql(
                      "INSERT OR IGNORE INTO word_variants (kind, variant, word)", 3, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const Variant& var = variants[at + r];
      const Use& u = uses[var.use];
      d->BindStatic(int(r) * 3 + 1, KindName(u.kind())).BindStatic(int(r) * 3 + 2, text(var));
      d->BindStatic(int(r) * 3 + 3, u.word());
    }
    CX_RETURN_IF_ERROR(RunAndReset(d));
    at += n;
  }
  return Status::Ok();
}

uint32_t SqliteTx::PendingRecords::Add(std::string_view key) {
  text_.insert(text_.end(), key.begin(), key.end());
  end_.push_back(uint32_t(text_.size()));
  return uint32_t(end_.size() - 1);
}

bool SqliteTx::PendingRecords::Contains(std::string_view key) {
  for (size_t n = lookup_.size(); n < end_.size(); ++n) lookup_.Emplace(Key(n), int64_t(n));
  return lookup_.Contains(key);
}

void SqliteTx::PendingRecords::Clear() {
  decltype(text_)().swap(text_);
  decltype(end_)().swap(end_);
  lookup_.Clear();
}

Status SqliteTx::UnindexName(NameKind k, const std::string& id,
                             const std::vector<std::string>& words) {
  // Words of this record still waiting go in first, so that they can come out. Others may
  // wait: a word's count only adds up (a renamed record's new words wait, its old ones come
  // out now), and flushing for every rename in a sync of thousands cost most of its time.
  if (pending_name_records_.Contains(std::string(1, KindLetter(k)) + id)) {
    CX_RETURN_IF_ERROR(FlushNames());
  }
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
    // word as its own variant), then the words it is a deletion variant of.
    CX_ASSIGN_OR_RETURN(
        Stmt * w, db_->Prepare("SELECT word, records FROM word_vocab WHERE kind = ? AND word = ? "
                               "AND records > 0"));
    w->Bind(1, KindName(k)).Bind(2, var);
    CX_RETURN_IF_ERROR(collect(w));
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("SELECT v.word, w.records FROM word_variants v JOIN word_vocab w "
                               "ON w.kind = v.kind AND w.word = v.word "
                               "WHERE v.kind = ? AND v.variant = ? AND w.records > 0"));
    s->Bind(1, KindName(k)).Bind(2, var);
    CX_RETURN_IF_ERROR(collect(s));
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
  return sqlite::Texts(s);
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
