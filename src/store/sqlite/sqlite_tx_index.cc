// SQLite Tx: the name index (symmetric-delete typo index), match keys, merges, settings.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <future>
#include <set>
#include <system_error>
#include <tuple>
#include <unordered_map>

#include "base/text.h"
#include "store/logic/merge_steps.h"
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

namespace {

// The name index keeps each word's records in blocks: one row of name_postings holds up to
// kBlockIds ids of one word (about kBlockBytes of text at most), in id order, joined by
// kIdSep, under the word and the block's first id (migration 0018). A first load writes a
// row per block, not per entry: a million names of three words each are a million rows, not
// four (three million entries and a million vocabulary rows), and a word's count of records is
// the sum of its blocks'. A change rewrites one block of at most kBlockIds ids.
constexpr char kIdSep = '\x1f';
constexpr size_t kBlockIds = 64;
constexpr size_t kBlockBytes = 768;
constexpr size_t kRows = 128;  // rows per multi-row INSERT

int KindCode(NameKind k) { return k == NameKind::kAccount ? 0 : 1; }

void SplitIds(std::string_view text, std::vector<std::string>* out) {
  out->clear();
  while (!text.empty()) {
    const size_t end = std::min(text.find(kIdSep), text.size());
    out->emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

// Blocks of name_postings waiting for multi-row INSERTs of kRows rows, their text in one
// arena. Without a database they are only cut and kept (a plan made on another thread), for
// Flush to write later.
class BlockWriter {
 public:
  explicit BlockWriter(sqlite::Db* db) : db_(db) {}

  // Cuts `ids` (in order, distinct) into blocks of (kind, word) and queues them.
  Status Add(int kind, std::string_view word, const std::vector<std::string_view>& ids) {
    size_t word_at = text_.size();
    text_ += word;
    for (size_t at = 0; at < ids.size();) {
      Row row{kind, word_at, word.size(), text_.size(), 0, ids[at].size(), 0};
      for (; at < ids.size() && size_t(row.records) < kBlockIds; ++at) {
        if (row.records > 0 && row.ids_len + 1 + ids[at].size() > kBlockBytes) break;
        if (row.records > 0) {
          text_ += kIdSep;
          ++row.ids_len;
        }
        text_ += ids[at];
        row.ids_len += ids[at].size();
        ++row.records;
      }
      rows_.push_back(row);
      if (db_ && rows_.size() >= kRows && at < ids.size()) {
        CX_RETURN_IF_ERROR(Flush(db_));
        word_at = text_.size();  // the flush emptied the arena
        text_ += word;
      }
    }
    return Status::Ok();
  }

  Status Flush() { return Flush(db_); }

  // Writes every queued block into `db`.
  Status Flush(sqlite::Db* db) {
    struct Clear {
      BlockWriter* w;
      ~Clear() {
        w->rows_.clear();
        w->text_.clear();
      }
    } clear{this};
    const std::string_view text(text_);
    for (size_t at = 0; at < rows_.size();) {
      const size_t n = std::min(kRows, rows_.size() - at);
      CX_ASSIGN_OR_RETURN(
          Stmt * s, db->Prepare(sqlite::MultiRowSql(
                        "INSERT INTO name_postings (kind, word, first, records, ids)", 5, int(n))));
      for (size_t r = 0; r < n; ++r) {
        const Row& row = rows_[at + r];
        const int i = int(r) * 5;
        s->Bind(i + 1, int64_t(row.kind)).BindStatic(i + 2, text.substr(row.word_at, row.word_len));
        s->BindStatic(i + 3, text.substr(row.ids_at, row.first_len)).Bind(i + 4, row.records);
        s->BindStatic(i + 5, text.substr(row.ids_at, row.ids_len));
      }
      CX_RETURN_IF_ERROR(sqlite::RunAndRewind(s));
      at += n;
    }
    return Status::Ok();
  }

 private:
  struct Row {
    int kind;
    size_t word_at, word_len;           // the word, in text_
    size_t ids_at, ids_len, first_len;  // the ids joined by kIdSep, the first one's length
    int64_t records;
  };
  sqlite::Db* db_;
  std::string text_;
  std::vector<Row> rows_;
};

struct Block {
  std::string first, ids;
};

// The block of (kind, word) that holds `id` if any does: the last one that starts at or before
// it, else the first one (which `id` would join). None when the word has no block.
Result<std::optional<Block>> BlockAt(sqlite::Db* db, int kind, std::string_view word,
                                     std::string_view id) {
  for (const bool before : {true, false}) {
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db->Prepare(before ? "SELECT first, ids FROM name_postings WHERE kind = ?1 AND "
                                       "word = ?2 AND first <= ?3 ORDER BY first DESC LIMIT 1"
                                     : "SELECT first, ids FROM name_postings WHERE kind = ?1 AND "
                                       "word = ?2 ORDER BY first LIMIT 1"));
    s->Bind(1, int64_t(kind)).BindStatic(2, word);
    if (before) s->BindStatic(3, id);
    std::optional<Block> found;
    if (s->Step()) found = Block{s->Text(0), s->Text(1)};
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    if (found) return found;
  }
  return std::optional<Block>();
}

// The first id of the block of (kind, word) after the one that starts at `first`.
Result<std::optional<std::string>> NextBlock(sqlite::Db* db, int kind, std::string_view word,
                                             std::string_view first) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db->Prepare("SELECT first FROM name_postings WHERE kind = ?1 AND word = ?2 "
                                  "AND first > ?3 ORDER BY first LIMIT 1"));
  s->Bind(1, int64_t(kind)).BindStatic(2, word).BindStatic(3, first);
  std::optional<std::string> next;
  if (s->Step()) next = s->Text(0);
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return next;
}

Status DeleteBlock(sqlite::Db* db, int kind, std::string_view word, std::string_view first) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db->Prepare("DELETE FROM name_postings WHERE kind = ?1 AND word = ?2 AND first = ?3"));
  s->Bind(1, int64_t(kind)).BindStatic(2, word).BindStatic(3, first);
  return RunAndReset(s);
}

// Adds `ids` (in order, distinct) to the blocks of (kind, word): each block that gains ids is
// rewritten through `out`. Returns whether the word had no block before (a new word).
Result<bool> MergePostings(sqlite::Db* db, int kind, std::string_view word,
                           const std::vector<std::string_view>& ids, BlockWriter* out) {
  std::vector<std::string> held;
  std::vector<std::string_view> merged;
  for (size_t at = 0; at < ids.size();) {
    CX_ASSIGN_OR_RETURN(std::optional<Block> block, BlockAt(db, kind, word, ids[at]));
    if (!block) {
      // Every id of a block that was rewritten is below the next block's first: the blocks
      // still there hold every later id.
      if (at > 0) return Internal("name index: a block of '" + std::string(word) + "' vanished");
      CX_RETURN_IF_ERROR(out->Add(kind, word, ids));
      return true;
    }
    CX_ASSIGN_OR_RETURN(std::optional<std::string> next, NextBlock(db, kind, word, block->first));
    size_t end = at;
    while (end < ids.size() && (!next || ids[end] < *next)) ++end;
    SplitIds(block->ids, &held);
    merged.clear();
    size_t h = 0;
    while (h < held.size() || at < end) {
      std::string_view v;
      if (at == end || (h < held.size() && std::string_view(held[h]) <= ids[at])) {
        v = held[h++];
      } else {
        v = ids[at++];
      }
      if (merged.empty() || merged.back() != v) merged.push_back(v);
    }
    if (merged.size() == held.size()) continue;  // every id was there already (a stale row)
    CX_RETURN_IF_ERROR(DeleteBlock(db, kind, word, block->first));
    CX_RETURN_IF_ERROR(out->Add(kind, word, merged));
    // The rewritten block waits in `out`; no later id of this word falls in it.
  }
  return false;
}

}  // namespace

Status SqliteTx::IndexName(NameKind k, const std::string& id,
                           const std::vector<std::string>& words) {
  if (id.find(kIdSep) != std::string::npos)
    return Invalid("record id '" + id + "' holds a control character");
  std::optional<bool>& was_empty = name_index_was_empty_[KindCode(k)];
  if (!was_empty) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare("SELECT 1 FROM name_postings WHERE kind = ? LIMIT 1"));
    s->Bind(1, int64_t(KindCode(k)));
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

namespace {

// A distinct (kind, word) among the sorted pending entries, and its run of them.
struct NameUse {
  std::string_view key;  // kind letter + word
  size_t begin = 0, end = 0;
  bool fresh = false;  // the word had no block: its deletion variants go in
  NameKind kind() const { return KindOfLetter(key[0]); }
  std::string_view word() const { return key.substr(1); }
};

// Deletion variants of words, their text in one arena, in key order.
struct Variants {
  struct Variant {
    uint32_t use;  // index into the uses
    uint32_t off, len;
  };
  std::string arena;
  std::vector<Variant> list;

  std::string_view text(const Variant& v) const {
    return std::string_view(arena).substr(v.off, v.len);
  }
  void Sort(const std::vector<NameUse>& uses) {
    std::sort(list.begin(), list.end(), [&](const Variant& a, const Variant& b) {
      const NameUse &ua = uses[a.use], &ub = uses[b.use];
      return std::tuple(ua.kind(), text(a), ua.word()) < std::tuple(ub.kind(), text(b), ub.word());
    });
  }
  // Those of the words `which`, sorted.
  static Variants Of(const std::vector<NameUse>& uses, const std::vector<uint32_t>& which) {
    Variants v;
    for (uint32_t i : which) {
      for (const auto& var : DeletionVariants(uses[i].word())) {
        if (var == uses[i].word()) continue;  // a word is found as itself in its blocks
        v.list.push_back({i, uint32_t(v.arena.size()), uint32_t(var.size())});
        v.arena += var;
      }
    }
    v.Sort(uses);
    return v;
  }
  void Append(Variants more, const std::vector<NameUse>& uses) {
    const uint32_t shift = uint32_t(arena.size());
    arena += more.arena;
    for (Variant v : more.list) {
      v.off += shift;
      list.push_back(v);
    }
    Sort(uses);
  }
};

}  // namespace

// The pending entries in words: sorted, grouped, and for the words of a kind that has no block
// yet (a first load), cut into blocks and given their deletion variants.
struct SqliteTx::NamePlan {
  std::vector<uint32_t> word_order, record_order;  // rank -> number in the pending tables
  std::vector<NameUse> uses;
  BlockWriter fresh_blocks{nullptr};  // the blocks of the words of such kinds
  std::vector<uint32_t> fresh;        // those words, as indexes into `uses`
  std::optional<Variants> variants;   // theirs, when made with the plan

  // The word of an entry, with its kind letter.
  std::string_view WordOf(const SqliteTx& tx, uint64_t entry) const {
    return tx.pending_name_words_.Key(word_order[entry >> 32]);
  }
  // The distinct ids of a word's entries, in order.
  void IdsOf(const SqliteTx& tx, const NameUse& u, std::vector<std::string_view>* ids) const {
    ids->clear();
    for (size_t e = u.begin; e < u.end; ++e) {
      const uint32_t record = record_order[tx.pending_names_[e] & 0xffffffffu];
      const std::string_view id = tx.pending_name_records_.Key(record).substr(1);
      if (ids->empty() || ids->back() != id) ids->push_back(id);  // a record added twice
    }
  }
};

void SqliteTx::ClearPendingNames() {
  pending_names_.clear();
  pending_name_words_.Clear();
  pending_name_records_.Clear();
}

Result<std::array<bool, 2>> SqliteTx::KindsWithoutBlocks() {
  std::array<bool, 2> none{};
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    CX_ASSIGN_OR_RETURN(Stmt * e,
                        db_->Prepare("SELECT 1 FROM name_postings WHERE kind = ? LIMIT 1"));
    e->Bind(1, int64_t(KindCode(k)));
    none[size_t(KindCode(k))] = !e->Step();
    Status st = e->status();
    e->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  return none;
}

Status SqliteTx::FlushNames() {
  struct Clear {
    SqliteTx* tx;
    ~Clear() { tx->ClearPendingNames(); }
  } clear{this};
  if (pending_names_.empty()) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto no_blocks, KindsWithoutBlocks());
  NamePlan plan;
  // The variants of the new words are made on a second thread while this one writes.
  PlanNames(no_blocks, /*with_variants=*/false, &plan);
  return WriteNames(&plan);
}

Status SqliteTx::FlushNamesAlongside(const std::function<Status()>& work) {
  if (deferred_indexes_.empty() || pending_names_.size() < kNamesPlannedAside) {
    CX_RETURN_IF_ERROR(FlushNames());
    return work();
  }
  // Declared in this order, the thread is joined before the plan goes and the entries it
  // reads are cleared.
  struct Clear {
    SqliteTx* tx;
    ~Clear() { tx->ClearPendingNames(); }
  } clear{this};
  CX_ASSIGN_OR_RETURN(const auto no_blocks, KindsWithoutBlocks());
  NamePlan plan;
  auto make = [this, no_blocks, &plan] { PlanNames(no_blocks, /*with_variants=*/true, &plan); };
  std::future<void> planned;
  try {
    planned = std::async(std::launch::async, make);
  } catch (const std::system_error&) {
    planned = std::async(std::launch::deferred, make);  // no thread to spare: after `work`
  }
  Status done = work();
  planned.get();
  CX_RETURN_IF_ERROR(done);
  return WriteNames(&plan);
}

void SqliteTx::PlanNames(const std::array<bool, 2>& no_blocks, bool with_variants, NamePlan* plan) {
  const StringTable& words = pending_name_words_;
  const PendingRecords& records = pending_name_records_;
  // Words and records in key order (a kind letter, then the text: the order of the index's
  // (kind, word) and of the ids in a block), then each entry as two ranks in one integer:
  // sorting millions of entries compares integers, not strings all over memory.
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
  std::vector<uint32_t> word_rank, record_rank;
  std::future<void> words_sorted;
  try {
    words_sorted =
        std::async(std::launch::async, [&] { by_key(words, &plan->word_order, &word_rank); });
  } catch (const std::system_error&) {
    words_sorted =
        std::async(std::launch::deferred, [&] { by_key(words, &plan->word_order, &word_rank); });
  }
  by_key(records, &plan->record_order, &record_rank);
  words_sorted.get();
  for (uint64_t& e : pending_names_)
    e = uint64_t(word_rank[e >> 32]) << 32 | record_rank[e & 0xffffffffu];
  std::vector<uint32_t>().swap(word_rank);
  std::vector<uint32_t>().swap(record_rank);
  std::sort(pending_names_.begin(), pending_names_.end());
  pending_names_.erase(std::unique(pending_names_.begin(), pending_names_.end()),
                       pending_names_.end());
  std::vector<NameUse>& uses = plan->uses;
  for (size_t i = 0; i < pending_names_.size(); ++i) {
    const std::string_view key = plan->WordOf(*this, pending_names_[i]);
    if (uses.empty() || uses.back().key.data() != key.data()) uses.push_back({key, i, i});
    uses.back().end = i + 1;
  }
  // When a kind has no block yet (a first load), all its words are new and go in as blocks
  // cut from the sorted entries; else each word's new ids are merged into its blocks.
  std::vector<std::string_view> ids;
  for (uint32_t i = 0; i < uses.size(); ++i) {
    NameUse& u = uses[i];
    u.fresh = no_blocks[size_t(KindCode(u.kind()))];
    if (!u.fresh) continue;
    plan->fresh.push_back(i);
    plan->IdsOf(*this, u, &ids);
    // Without a database the writer only queues: nothing fails.
    plan->fresh_blocks.Add(KindCode(u.kind()), u.word(), ids).ok();
  }
  if (with_variants) plan->variants = Variants::Of(uses, plan->fresh);
}

Status SqliteTx::WriteNames(NamePlan* plan) {
  std::vector<NameUse>& uses = plan->uses;
  std::future<Variants> early_variants;
  if (!plan->variants) {
    auto make = [&uses, plan] { return Variants::Of(uses, plan->fresh); };
    try {
      early_variants = std::async(std::launch::async, make);
    } catch (const std::system_error&) {
      early_variants = std::async(std::launch::deferred, make);
    }
  }
  CX_RETURN_IF_ERROR(plan->fresh_blocks.Flush(db_));
  BlockWriter out(db_);
  std::vector<uint32_t> late;  // words found new only while merging (none in a first load)
  std::vector<std::string_view> ids;
  for (uint32_t i = 0; i < uses.size(); ++i) {
    NameUse& u = uses[i];
    if (u.fresh) continue;
    plan->IdsOf(*this, u, &ids);
    CX_ASSIGN_OR_RETURN(u.fresh, MergePostings(db_, KindCode(u.kind()), u.word(), ids, &out));
    if (u.fresh) late.push_back(i);
  }
  CX_RETURN_IF_ERROR(out.Flush());
  Variants made = plan->variants ? std::move(*plan->variants) : early_variants.get();
  if (!late.empty()) made.Append(Variants::Of(uses, late), uses);
  const std::vector<Variants::Variant>& variants = made.list;
  for (size_t at = 0; at < variants.size();) {
    const size_t n = std::min(kRows, variants.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * d, db_->Prepare(sqlite::MultiRowSql(
                      "INSERT OR IGNORE INTO word_variants (kind, variant, word)", 3, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const Variants::Variant& var = variants[at + r];
      const NameUse& u = uses[var.use];
      d->Bind(int(r) * 3 + 1, int64_t(KindCode(u.kind())))
          .BindStatic(int(r) * 3 + 2, made.text(var));
      d->BindStatic(int(r) * 3 + 3, u.word());
    }
    CX_RETURN_IF_ERROR(sqlite::RunAndRewind(d));
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
  BlockWriter out(db_);
  std::vector<std::string> held;
  std::vector<std::string_view> kept;
  for (const auto& w : Unique(words)) {
    CX_ASSIGN_OR_RETURN(std::optional<Block> block, BlockAt(db_, KindCode(k), w, id));
    if (!block) continue;
    SplitIds(block->ids, &held);
    kept.clear();
    for (const auto& h : held)
      if (h != id) kept.push_back(h);
    if (kept.size() == held.size()) continue;  // not under this word
    CX_RETURN_IF_ERROR(DeleteBlock(db_, KindCode(k), w, block->first));
    CX_RETURN_IF_ERROR(out.Add(KindCode(k), w, kept));  // copied: `kept` points into `held`
  }
  return out.Flush();
}

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
    w->Bind(1, int64_t(KindCode(k))).Bind(2, var);
    CX_RETURN_IF_ERROR(collect(w));
    CX_ASSIGN_OR_RETURN(
        Stmt * s,
        db_->Prepare("SELECT word, n FROM (SELECT v.word AS word, (SELECT sum(p.records) "
                     "FROM name_postings p WHERE p.kind = v.kind AND p.word = v.word) AS n "
                     "FROM word_variants v WHERE v.kind = ?1 AND v.variant = ?2) WHERE n > 0"));
    s->Bind(1, int64_t(KindCode(k))).Bind(2, var);
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
  s->Bind(1, int64_t(KindCode(k))).Bind(2, prefix).Bind(3, int64_t(limit));
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
  CX_RETURN_IF_ERROR(ForEachId(db_, KindCode(k), word, [&](std::string_view id) {
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
      CX_RETURN_IF_ERROR(ForEachId(db_, KindCode(k), word, [&](std::string_view id) {
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
  // every probe read the whole table (issue 25; store/sqlite/probe_plan_test.cc checks it).
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

namespace {
// The column of a row that references an account or a contact.
const char* ReferenceColumn(NameKind k) {
  return k == NameKind::kAccount ? "account_id" : "contact_id";
}
}  // namespace

Result<std::vector<MergeStep>> SqliteTx::MoveReferences(NameKind k, const std::string& from,
                                                        const std::string& to) {
  // The kinds of row that point at an account or a contact. Fixed strings only.
  static const std::vector<Entity> kAccountRefs = {Entity::kContact, Entity::kOpportunity,
                                                   Entity::kCase, Entity::kFeedback};
  static const std::vector<Entity> kContactRefs = {Entity::kInteraction, Entity::kCase,
                                                   Entity::kFeedback};
  const auto& refs = k == NameKind::kAccount ? kAccountRefs : kContactRefs;
  const std::string column = ReferenceColumn(k);
  std::vector<MergeStep> moved;
  for (Entity e : refs) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(std::string("UPDATE ") + EntityTable(e) + " SET " + column +
                                     " = ?1 WHERE " + column + " = ?2 RETURNING id"));
    s->Bind(1, to).Bind(2, from);
    while (s->Step()) moved.push_back(MergeStep::Moved(e, s->Text(0), k));
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  return moved;
}

Status SqliteTx::RestoreReferences(const std::vector<MergeStep>& moved,
                                   const std::string& original) {
  for (const auto& m : moved) {
    if (m.type != MergeStep::Type::kMovedRow) return Invalid("only moved rows can be put back");
    const bool allowed = m.reference == NameKind::kAccount
                             ? (m.entity == Entity::kContact || m.entity == Entity::kOpportunity ||
                                m.entity == Entity::kCase || m.entity == Entity::kFeedback)
                             : (m.entity == Entity::kInteraction || m.entity == Entity::kCase ||
                                m.entity == Entity::kFeedback);
    if (!allowed)
      return Internal(std::string("merge record names rows that cannot move: ") +
                      EntityTable(m.entity));
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(std::string("UPDATE ") + EntityTable(m.entity) + " SET " +
                                     ReferenceColumn(m.reference) + " = ? WHERE id = ?"));
    s->Bind(1, original).Bind(2, m.id);
    CX_RETURN_IF_ERROR(RunAndReset(s));
  }
  return Status::Ok();
}

Status SqliteTx::SaveMerge(const MergeRecord& m) {
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
  s->Bind(5, MergeStepsToText(m.moved)).Bind(6, m.at).Bind(7, m.actor).Bind(8, m.reason);
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
    auto moved = MergeStepsFromText(s->Text(4), m.id);
    if (merged.is_discarded() || !merged.is_array() || !moved.ok()) {
      bad = Internal("merge record " + m.id + " is corrupt");
      continue;
    }
    for (const auto& id : merged) m.merged.push_back(id.get<std::string>());
    m.moved = std::move(*moved);
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
