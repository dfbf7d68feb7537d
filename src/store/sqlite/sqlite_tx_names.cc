// SQLite Tx: writing the name index (symmetric-delete typo index): entries buffered within a
// transaction, then planned and written as blocks of ids and deletion variants.
#include <algorithm>
#include <array>
#include <functional>
#include <future>
#include <system_error>
#include <tuple>

#include "base/text.h"
#include "store/logic/name_plan.h"

#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

namespace {

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
  std::optional<bool>& was_empty = name_index_was_empty_[NameKindCode(k)];
  if (!was_empty) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare("SELECT 1 FROM name_postings WHERE kind = ? LIMIT 1"));
    s->Bind(1, int64_t(NameKindCode(k)));
    was_empty = !s->Step();
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  pending_names_.Add(k, id, words);
  // Bounded memory: 8 bytes an entry plus the text of each distinct word and record. Into an
  // empty index (a first load) everything waits for one sorted write, which fills the index
  // from front to back. So does a load that brings over four times the rows its table held
  // (its indexes are deferred: a first ERP sync into a hub holding a workbook): written in
  // runs of a million entries, each run read and rewrote the blocks of every common word
  // again, on the writing thread, where one merge at the end is planned on a second thread
  // beside the index builds (docs/store.md, "The SQLite backend: writing"). Otherwise
  // each run goes in as it fills.
  const bool one_write = *was_empty || !deferred_indexes_.empty();
  const size_t limit = one_write ? size_t(1) << 25 : size_t(1) << 20;
  if (pending_names_.entries() >= limit || pending_names_.records() >= limit ||
      pending_names_.record_bytes() >= (size_t(1) << 30))
    return FlushNames();
  return Status::Ok();
}

// The plan of the pending entries (store/logic/name_plan.h), and the blocks of its fresh words,
// cut while planning.
struct SqliteTx::NamePlan {
  PendingNames::Plan words;
  BlockWriter fresh_blocks{nullptr};
};

void SqliteTx::ClearPendingNames() { pending_names_.Clear(); }

Result<std::array<bool, 2>> SqliteTx::KindsWithoutBlocks() {
  std::array<bool, 2> none{};
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    CX_ASSIGN_OR_RETURN(Stmt * e,
                        db_->Prepare("SELECT 1 FROM name_postings WHERE kind = ? LIMIT 1"));
    e->Bind(1, int64_t(NameKindCode(k)));
    none[size_t(NameKindCode(k))] = !e->Step();
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
  if (deferred_indexes_.empty() || pending_names_.entries() < kNamesPlannedAside) {
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
  pending_names_.MakePlan(
      no_blocks, with_variants,
      [plan](NameKind k, std::string_view word, const std::vector<std::string_view>& ids) {
        // Without a database the writer only queues: nothing fails.
        plan->fresh_blocks.Add(NameKindCode(k), word, ids).ok();
      },
      &plan->words);
}

Status SqliteTx::WriteNames(NamePlan* plan) {
  ++name_index_writes_;  // searches of this transaction may now find what it wrote
  std::vector<NameUse>& uses = plan->words.uses;
  std::future<NameVariants> early_variants;
  if (!plan->words.variants) {
    auto make = [&uses, plan] { return NameVariants::Of(uses, plan->words.fresh); };
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
  // The words in key order, each asked of the index only when it is not below the least word
  // of the index at or after the last one asked: a sync of many new names into a hub that holds
  // others (a word per new number) skips the new words between two words of the index, where
  // looking each up cost two reads.
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < uses.size(); ++i)
    if (!uses[i].fresh) order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&uses](uint32_t a, uint32_t b) { return uses[a].key < uses[b].key; });
  std::string next;        // the least key of the index at or after the last one asked
  bool none_next = false;  // … there is none (of that kind)
  bool asked = false;
  for (const uint32_t i : order) {
    NameUse& u = uses[i];
    const int kind = NameKindCode(u.kind());
    if (!asked || u.key[0] != next[0] || (!none_next && u.key > std::string_view(next))) {
      CX_ASSIGN_OR_RETURN(Stmt * s,
                          db_->Prepare("SELECT word FROM name_postings WHERE kind = ?1 AND "
                                       "word >= ?2 ORDER BY word LIMIT 1"));
      s->Bind(1, int64_t(kind)).BindStatic(2, u.word());
      none_next = !s->Step();
      next = std::string(1, u.key[0]) + (none_next ? std::string() : s->Text(0));
      Status st = s->status();
      s->Reset();
      CX_RETURN_IF_ERROR(st);
      asked = true;
    }
    pending_names_.IdsOf(plan->words, u, &ids);
    if (none_next || u.key != std::string_view(next)) {
      CX_RETURN_IF_ERROR(out.Add(kind, u.word(), ids));  // no block: a new word
      u.fresh = true;
    } else {
      CX_ASSIGN_OR_RETURN(u.fresh, MergePostings(db_, kind, u.word(), ids, &out));
    }
    if (u.fresh) late.push_back(i);
  }
  std::sort(late.begin(), late.end());
  CX_RETURN_IF_ERROR(out.Flush());
  NameVariants made =
      plan->words.variants ? std::move(*plan->words.variants) : early_variants.get();
  if (!late.empty()) made.Append(NameVariants::Of(uses, late), uses);
  const std::vector<NameVariants::Variant>& variants = made.list;
  for (size_t at = 0; at < variants.size();) {
    const size_t n = std::min(kRows, variants.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * d, db_->Prepare(sqlite::MultiRowSql(
                      "INSERT OR IGNORE INTO word_variants (kind, variant, word)", 3, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const NameVariants::Variant& var = variants[at + r];
      const NameUse& u = uses[var.use];
      d->Bind(int(r) * 3 + 1, int64_t(NameKindCode(u.kind())))
          .BindStatic(int(r) * 3 + 2, made.text(var));
      d->BindStatic(int(r) * 3 + 3, u.word());
    }
    CX_RETURN_IF_ERROR(sqlite::RunAndRewind(d));
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::UnindexName(NameKind k, const std::string& id,
                             const std::vector<std::string>& words) {
  // Words of this record still waiting go in first, so that they can come out. Others may
  // wait: a word's count only adds up (a renamed record's new words wait, its old ones come
  // out now), and flushing for every rename in a sync of thousands cost most of its time.
  if (pending_names_.HasRecord(k, id)) {
    CX_RETURN_IF_ERROR(FlushNames());
  }
  ++name_index_writes_;
  BlockWriter out(db_);
  std::vector<std::string> held;
  std::vector<std::string_view> kept;
  for (const auto& w : Unique(words)) {
    CX_ASSIGN_OR_RETURN(std::optional<Block> block, BlockAt(db_, NameKindCode(k), w, id));
    if (!block) continue;
    SplitIds(block->ids, &held);
    kept.clear();
    for (const auto& h : held)
      if (h != id) kept.push_back(h);
    if (kept.size() == held.size()) continue;  // not under this word
    CX_RETURN_IF_ERROR(DeleteBlock(db_, NameKindCode(k), w, block->first));
    CX_RETURN_IF_ERROR(out.Add(NameKindCode(k), w, kept));  // copied: `kept` points into `held`
  }
  return out.Flush();
}

}  // namespace cx
