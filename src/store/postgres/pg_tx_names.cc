// PostgreSQL Tx: keeping the name index (0018_name_postings.sql) and its words' counts of
// records (0057_name_word_counts.sql) up to date. The account and contact writers hand over
// each live record's words; they wait in the transaction and go in many rows per statement
// before the next read of the index and before the commit. Into an index that held no entry of
// a kind (a first load), every entry goes in with COPY and the words' counts wait in the client
// (docs/postgresql.md, "Bulk loads").
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <tuple>
#include <utility>

#include "base/text.h"
#include "store/postgres/pg_names_rows.h"
#include "store/postgres/pg_tx.h"

namespace cx {

using pgnames::KindCode;
using pgnames::TextArray;

namespace {

// The first eight bytes of `w` as a number that orders as the bytes do (zeros past its end).
uint64_t Head(std::string_view w) {
  uint64_t h = 0;
  for (size_t i = 0; i < 8; ++i) h = (h << 8) | (i < w.size() ? uint8_t(w[i]) : 0);
  return h;
}

struct Entry {
  int kind;
  uint64_t head;  // Head(word): most comparisons of a sort end on it, without a memcmp
  std::string word, id;
  bool operator<(const Entry& o) const {
    if (kind != o.kind) return kind < o.kind;
    if (head != o.head) return head < o.head;
    const int c = word.compare(o.word);
    return c != 0 ? c < 0 : id < o.id;
  }
  bool operator==(const Entry& o) const { return kind == o.kind && word == o.word && id == o.id; }
};

// A first load of one kind: the index held no entry of it when this transaction first wrote
// one, so the entries of its new records cannot meet a stored entry and go in with COPY, the
// variants of each word go in once (with COPY when none of the kind was stored), and the words'
// counts of records add up here until they are written in one pass (SettleCounts).
struct BulkKind {
  bool on = false;
  bool copy_variants = false;  // name_variants held none of the kind
  bool counts_stored = false;  // name_words has rows of this load
  // Both in word order, merged with each run of entries (which come sorted): cheaper than a
  // hash table when nearly every record brings a word of its own (a number, a street).
  std::vector<std::string> seen;                        // words whose variants are written
  std::vector<std::pair<std::string, int64_t>> counts;  // records per word, not yet written
  // The records indexed so far while the keys are off (sorted): a record indexed twice would
  // otherwise go unseen until the keys are built again.
  std::vector<std::string> ids;
};

// The entries this transaction added and has not written yet.
struct PendingNames {
  BulkKind bulk[2];
  std::vector<Entry> entries;
  std::set<std::pair<int, std::string>> records;  // (kind, id) of the entries
  bool hooked = false;                            // written before the commit
  bool only_flushed = false;                      // SearchOnlyFlushedNames
  // A first load of accounts or contacts was announced (ExpectBulkLoad into an empty table) and
  // nothing has read the index in this transaction: the index's keys may go off (DeferKeys).
  bool may_defer_keys = false;
  std::vector<std::string> restore_keys;  // ALTER TABLE … ADD CONSTRAINT of the keys taken off
};

constexpr const char* kState = "names.pending";
constexpr size_t kKeep = size_t(1) << 19;  // entries held before they are written
constexpr size_t kChunk = 4000;            // values per statement
constexpr size_t kCopyRows = 50000;        // rows per COPY

// The keys of the name index's three tables (their primary keys, their only indexes) during a
// first load into an index that holds nothing at all: each COPY'd entry would be put into its
// key's B-tree one at a time, in an order that jumps about the tree from one run of entries to
// the next, where one sort builds the key at the commit (docs/postgresql.md, "The name index's
// keys during a first load"). Only before anything reads the index in the transaction (a read puts
// them back first and keeps them: NeedKeys). The tables are locked until the commit, as the
// accounts table is for its dropped indexes; a role that may not alter them keeps the keys.
Status DeferKeys(pg::Db& db, PendingNames& p) {
  if (!p.may_defer_keys) return Status::Ok();
  p.may_defer_keys = false;  // once a transaction
  CX_ASSIGN_OR_RETURN(pg::Rows e, db.Query("SELECT NOT EXISTS (SELECT 1 FROM name_entries) AND "
                                           "NOT EXISTS (SELECT 1 FROM name_variants) AND NOT "
                                           "EXISTS (SELECT 1 FROM name_words)"));
  if (!(e.Next() && e.Bool(0))) return Status::Ok();
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
               "JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'p' AND c.oid IN "
               "('name_entries'::regclass, 'name_variants'::regclass, 'name_words'::regclass) "
               "ORDER BY 1"));
  std::string drop =
      "LOCK TABLE name_entries, name_variants, name_words IN ACCESS EXCLUSIVE MODE; ";
  std::vector<std::string> restore;
  while (r.Next()) {
    // The table names come from the list above, never from input.
    drop += "ALTER TABLE " + r.Text(0) + " DROP CONSTRAINT " + pg::QuoteIdent(r.Text(1)) + "; ";
    restore.push_back("ALTER TABLE " + r.Text(0) + " ADD CONSTRAINT " + pg::QuoteIdent(r.Text(1)) +
                      " " + r.Text(2));
  }
  if (restore.empty()) return Status::Ok();
  Status st = db.ExecScript("SAVEPOINT cx_name_keys; " + drop + "RELEASE SAVEPOINT cx_name_keys");
  if (!st.ok() && db.last_sqlstate() == "42501") {
    return db.ExecScript("ROLLBACK TO SAVEPOINT cx_name_keys; RELEASE SAVEPOINT cx_name_keys");
  }
  CX_RETURN_IF_ERROR(st);
  p.restore_keys = std::move(restore);
  return Status::Ok();
}

// Builds the keys DeferKeys took off again, each with one sort of the entries (a duplicate
// entry, which the client's checks rule out, would fail the transaction here).
Status RestoreKeys(pg::Db& db, PendingNames& p) {
  if (p.restore_keys.empty()) return Status::Ok();
  std::string build = "SET LOCAL maintenance_work_mem = '256MB'; ";
  for (const auto& s : p.restore_keys) build += s + "; ";
  p.restore_keys.clear();
  for (BulkKind& b : p.bulk) b.ids = {};
  return db.ExecScript(build + "RESET maintenance_work_mem");
}

// Before any read of the index, a removal, or an insert beside stored entries: the keys are
// (back) on for the rest of the transaction.
Status NeedKeys(pg::Db& db, PendingNames& p) {
  p.may_defer_keys = false;
  return RestoreKeys(db, p);
}

// Whether `table` holds no row of kind `kind`.
Result<bool> NoneOfKind(pg::Db& db, const char* table, int kind) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db.Query(std::string("SELECT EXISTS (SELECT 1 FROM ") + table +
                                               " WHERE kind = $1)",
                                           pg::Params().Add(kind)));
  return !(r.Next() && r.Bool(0));
}

// Sends the (kind, a, b) rows of `a` and `b` into `table` with COPY: only into a table that
// holds no row of the kind (a first load), which no row can then conflict with.
Status CopyPairs(pg::Db& db, const char* table, const char* cols, int kind,
                 const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const std::string sql = std::string("COPY ") + table + " (" + cols + ") FROM STDIN";
  pg::CopyRows rows;
  for (size_t i = 0; i < a.size(); ++i) {
    rows.Int(kind).Text(a[i]).Text(b[i]);
    rows.EndRow();
    if (rows.rows() >= kCopyRows || i + 1 == a.size()) {
      CX_RETURN_IF_ERROR(db.Copy(sql, rows));
      rows.Clear();
    }
  }
  return Status::Ok();
}

// Writes a first load's counts of records per word of kind `kind` into name_words: with COPY
// while it holds no row of the load's, else added to those rows (chunks of kChunk words).
Status SettleCounts(pg::Db& db, PendingNames& p, int kind) {
  BulkKind& b = p.bulk[kind];
  if (b.counts.empty()) return Status::Ok();
  const std::vector<std::pair<std::string, int64_t>>& counts = b.counts;
  if (!b.counts_stored) {
    pg::CopyRows rows;
    for (size_t i = 0; i < counts.size(); ++i) {
      rows.Int(kind).Text(counts[i].first).Int(counts[i].second);
      rows.EndRow();
      if (rows.rows() >= kCopyRows || i + 1 == counts.size()) {
        CX_RETURN_IF_ERROR(db.Copy("COPY name_words (kind, word, records) FROM STDIN", rows));
        rows.Clear();
      }
    }
  } else {
    CX_RETURN_IF_ERROR(NeedKeys(db, p));  // ON CONFLICT reads the key
    for (size_t at = 0; at < counts.size(); at += kChunk) {
      std::vector<std::string_view> words;
      std::vector<std::string> numbers;
      for (size_t i = at; i < std::min(counts.size(), at + kChunk); ++i) {
        words.push_back(counts[i].first);
        numbers.push_back(std::to_string(counts[i].second));
      }
      CX_RETURN_IF_ERROR(
          db.Exec("INSERT INTO name_words (kind, word, records) SELECT $1, w, n::bigint FROM "
                  "unnest($2::text[], $3::text[]) AS q(w, n) ON CONFLICT (kind, word) DO UPDATE "
                  "SET records = name_words.records + EXCLUDED.records",
                  pg::Params().Add(kind).Add(TextArray(words)).Add(TextArray(numbers)))
              .status());
    }
  }
  b.counts_stored = true;
  b.counts.clear();
  return Status::Ok();
}

// The words of `words` that no record of kind `kind` has yet (new to the index).
Result<std::vector<std::string>> FreshWords(pg::Db& db, int kind,
                                            const std::vector<std::string_view>& words) {
  std::vector<std::string> fresh;
  for (size_t at = 0; at < words.size(); at += kChunk) {
    const std::vector<std::string_view> part(
        words.begin() + std::ptrdiff_t(at),
        words.begin() + std::ptrdiff_t(std::min(words.size(), at + kChunk)));
    CX_ASSIGN_OR_RETURN(
        pg::Rows r, db.Query("SELECT w FROM unnest($2::text[]) AS q(w) WHERE NOT EXISTS (SELECT "
                             "1 FROM name_entries e WHERE e.kind = $1 AND e.word = q.w)",
                             pg::Params().Add(kind).Add(TextArray(part))));
    while (r.Next()) fresh.push_back(r.Text(0));
  }
  return fresh;
}

// Inserts the (kind, a, b) rows of `a` and `b` (equal lengths) into `table` (name_entries or
// name_variants), a chunk per statement; rows already there are kept. Into name_entries, the
// words of the rows that went in add to their counts in name_words in the same statement.
Status InsertPairs(pg::Db& db, const char* table, const char* cols, int kind,
                   const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const std::string insert =
      std::string("INSERT INTO ") + table + " (" + cols +
      ") SELECT $1::smallint, x, y FROM unnest($2::text[], $3::text[]) AS q(x, y) "
      "ON CONFLICT DO NOTHING";
  const std::string sql =
      std::string_view(table) == "name_entries"
          ? "WITH added AS (" + insert +
                " RETURNING word) INSERT INTO name_words (kind, word, records) SELECT $1, word, "
                "count(*) FROM added GROUP BY word ON CONFLICT (kind, word) DO UPDATE SET "
                "records = name_words.records + EXCLUDED.records"
          : insert;
  for (size_t at = 0; at < a.size(); at += kChunk) {
    const auto end = std::ptrdiff_t(std::min(a.size(), at + kChunk));
    const std::vector<std::string_view> xa(a.begin() + std::ptrdiff_t(at), a.begin() + end);
    const std::vector<std::string_view> xb(b.begin() + std::ptrdiff_t(at), b.begin() + end);
    CX_RETURN_IF_ERROR(
        db.Exec(sql, pg::Params().Add(kind).Add(TextArray(xa)).Add(TextArray(xb))).status());
  }
  return Status::Ok();
}

// Writes the one-deletion variants of `fresh`, words new to the index of kind `kind`: with COPY
// when `copy` (the index holds no variant of those words), else beside those there.
Status WriteVariants(pg::Db& db, int kind, bool copy, const std::vector<std::string>& fresh) {
  std::vector<std::pair<std::string, std::string_view>> variants;  // (variant, word)
  for (const auto& w : fresh) {
    for (auto& v : DeletionVariants(w)) {
      if (v != w) variants.emplace_back(std::move(v), w);
    }
  }
  std::sort(variants.begin(), variants.end());
  variants.erase(std::unique(variants.begin(), variants.end()), variants.end());
  std::vector<std::string_view> vs, vw;
  for (const auto& [v, w] : variants) {
    vs.push_back(v);
    vw.push_back(w);
  }
  return copy ? CopyPairs(db, "name_variants", "kind, variant, word", kind, vs, vw)
              : InsertPairs(db, "name_variants", "kind, variant, word", kind, vs, vw);
}

// A first load's entries of kind `kind` (sorted, no repeats): the variants of the words not
// seen before, then the entries with COPY inside a savepoint, then their words' counts added
// up. Returns false, with nothing of them written, when an entry was stored already (a record
// indexed twice): the caller then writes them the ordinary way.
// `run_ids` are the run's records, sorted, each once.
Result<bool> WriteBulk(pg::Db& db, BulkKind& b, int kind, bool keys_off,
                       const std::vector<std::string_view>& words,
                       const std::vector<std::string_view>& ids,
                       const std::vector<std::string_view>& run_ids) {
  // With the keys off, a record of this run indexed in an earlier run is found here.
  if (keys_off) {
    size_t s = 0;
    for (std::string_view id : run_ids) {
      while (s < b.ids.size() && std::string_view(b.ids[s]) < id) ++s;
      if (s < b.ids.size() && std::string_view(b.ids[s]) == id) return false;
    }
  }
  // The run's words with their counts, and those not seen before.
  std::vector<std::pair<std::string_view, int64_t>> runs;
  for (size_t i = 0; i < words.size();) {
    size_t j = i;
    while (j < words.size() && words[j] == words[i]) ++j;
    runs.emplace_back(words[i], int64_t(j - i));
    i = j;
  }
  std::vector<std::string> fresh;
  {
    size_t s = 0;
    for (const auto& [w, n] : runs) {
      while (s < b.seen.size() && std::string_view(b.seen[s]) < w) ++s;
      if (s == b.seen.size() || std::string_view(b.seen[s]) != w) fresh.emplace_back(w);
    }
  }
  CX_RETURN_IF_ERROR(WriteVariants(db, kind, b.copy_variants, fresh));
  CX_RETURN_IF_ERROR(db.ExecScript("SAVEPOINT cx_names"));
  Status st = CopyPairs(db, "name_entries", "kind, word, id", kind, words, ids);
  if (!st.ok()) {
    const bool taken = db.last_sqlstate() == "23505";
    CX_RETURN_IF_ERROR(db.ExecScript("ROLLBACK TO SAVEPOINT cx_names; RELEASE SAVEPOINT cx_names"));
    if (!taken) return st;
    return false;
  }
  CX_RETURN_IF_ERROR(db.ExecScript("RELEASE SAVEPOINT cx_names"));
  std::vector<std::string> seen;
  seen.reserve(b.seen.size() + fresh.size());
  std::merge(std::make_move_iterator(b.seen.begin()), std::make_move_iterator(b.seen.end()),
             std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()),
             std::back_inserter(seen));
  b.seen = std::move(seen);
  if (keys_off) {
    std::vector<std::string> all;
    all.reserve(b.ids.size() + run_ids.size());
    size_t s = 0;
    for (std::string_view id : run_ids) {
      while (s < b.ids.size() && std::string_view(b.ids[s]) < id)
        all.push_back(std::move(b.ids[s++]));
      all.emplace_back(id);
    }
    for (; s < b.ids.size(); ++s) all.push_back(std::move(b.ids[s]));
    b.ids = std::move(all);
  }
  std::vector<std::pair<std::string, int64_t>> counts;
  counts.reserve(b.counts.size() + runs.size());
  size_t c = 0;
  for (const auto& [w, n] : runs) {
    while (c < b.counts.size() && std::string_view(b.counts[c].first) < w)
      counts.push_back(std::move(b.counts[c++]));
    if (c < b.counts.size() && std::string_view(b.counts[c].first) == w) {
      counts.emplace_back(std::move(b.counts[c].first), b.counts[c].second + n);
      ++c;
    } else {
      counts.emplace_back(std::string(w), n);
    }
  }
  for (; c < b.counts.size(); ++c) counts.push_back(std::move(b.counts[c]));
  b.counts = std::move(counts);
  return true;
}

// Writes the pending entries: first the deletion variants of the words new to the index
// (found before their entries go in), then the entries, in key order. With `settle` (a read
// of the index, a removal, the commit) a first load's counts are written too.
Status WriteNames(pg::Db& db, PendingNames& p, bool settle) {
  if (p.entries.empty()) {
    if (settle) {
      for (int kind : {0, 1}) CX_RETURN_IF_ERROR(SettleCounts(db, p, kind));
    }
    return Status::Ok();
  }
  std::vector<Entry> entries = std::move(p.entries);
  p.entries.clear();
  // The records of the entries, by kind, sorted (the set's order) and each once.
  const std::set<std::pair<int, std::string>> records = std::move(p.records);
  p.records.clear();
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  for (int kind : {0, 1}) {
    std::vector<std::string_view> words, ids;
    for (const auto& e : entries) {
      if (e.kind != kind) continue;
      if (words.empty() || words.back() != e.word) words.push_back(e.word);
    }
    BulkKind& b = p.bulk[kind];
    if (words.empty()) {
      if (settle) CX_RETURN_IF_ERROR(SettleCounts(db, p, kind));
      continue;
    }
    // Into an index that holds nothing of the kind, a first load begins. (name_words has a
    // row of a kind only while name_entries has one: a word leaves both.)
    if (!b.on && b.seen.empty()) {
      CX_ASSIGN_OR_RETURN(b.on, NoneOfKind(db, "name_entries", kind));
      if (b.on) {
        CX_ASSIGN_OR_RETURN(b.copy_variants, NoneOfKind(db, "name_variants", kind));
        CX_RETURN_IF_ERROR(DeferKeys(db, p));
      }
    }
    std::vector<std::string_view> all_words;
    for (const auto& e : entries) {
      if (e.kind != kind) continue;
      all_words.push_back(e.word);
      ids.push_back(e.id);
    }
    if (b.on) {
      std::vector<std::string_view> run_ids;
      for (const auto& [k, id] : records)
        if (k == kind) run_ids.push_back(id);
      CX_ASSIGN_OR_RETURN(const bool written,
                          WriteBulk(db, b, kind, !p.restore_keys.empty(), all_words, ids, run_ids));
      if (written) {
        if (settle) CX_RETURN_IF_ERROR(SettleCounts(db, p, kind));
        continue;
      }
      // A record indexed twice: the load's counts go in, and from here on its entries are
      // written as into an index that holds some.
      CX_RETURN_IF_ERROR(SettleCounts(db, p, kind));
      b.on = false;
    }
    // The new words are looked up and the rows inserted beside those stored.
    CX_RETURN_IF_ERROR(NeedKeys(db, p));
    CX_ASSIGN_OR_RETURN(std::vector<std::string> fresh, FreshWords(db, kind, words));
    CX_RETURN_IF_ERROR(WriteVariants(db, kind, false, fresh));
    CX_RETURN_IF_ERROR(InsertPairs(db, "name_entries", "kind, word, id", kind, all_words, ids));
  }
  return Status::Ok();
}

}  // namespace

Status pgnames::FlushNamesForRead(PgTx& tx) {
  PendingNames& p = tx.AreaState<PendingNames>(kState);
  CX_RETURN_IF_ERROR(NeedKeys(tx.db(), p));
  if (p.only_flushed) {
    // Entries written already are read with their words' counts.
    for (int kind : {0, 1}) CX_RETURN_IF_ERROR(SettleCounts(tx.db(), p, kind));
    return Status::Ok();
  }
  return WriteNames(tx.db(), p, true);
}

Status PgTx::IndexName(NameKind k, const std::string& id, const std::vector<std::string>& words) {
  // The same refusal as the SQLite store, whose index joins ids with this character.
  if (id.find('\x1f') != std::string::npos)
    return Invalid("record id '" + id + "' holds a control character");
  PendingNames& p = AreaState<PendingNames>(kState);
  if (!p.hooked) {
    p.hooked = true;
    BeforeCommit([this]() -> Status {
      PendingNames& later = AreaState<PendingNames>(kState);
      CX_RETURN_IF_ERROR(WriteNames(db(), later, true));
      return RestoreKeys(db(), later);
    });
  }
  const int kind = KindCode(k);
  for (const auto& w : words) p.entries.push_back(Entry{kind, Head(w), w, id});
  if (!words.empty()) p.records.emplace(kind, id);
  if (p.entries.size() >= kKeep) return WriteNames(db(), p, false);
  return Status::Ok();
}

Status PgTx::UnindexName(NameKind k, const std::string& id, const std::vector<std::string>& words) {
  PendingNames& p = AreaState<PendingNames>(kState);
  CX_RETURN_IF_ERROR(NeedKeys(db(), p));
  // Words of this record still waiting go in first, so that they can come out.
  // A first load's counts go in first, so that this removal can take from them.
  if (p.records.count({KindCode(k), id}) || !p.bulk[KindCode(k)].counts.empty())
    CX_RETURN_IF_ERROR(WriteNames(db(), p, true));
  if (words.empty()) return Status::Ok();
  // The entries and their words' counts in one statement: a word whose last record goes leaves
  // name_words, the others count one fewer (the two touch different rows).
  return db()
      .Exec(
          "WITH gone AS (DELETE FROM name_entries WHERE kind = $1 AND id = $2 AND word = "
          "ANY($3::text[]) RETURNING word), n AS (SELECT word, count(*) AS n FROM gone GROUP "
          "BY word), emptied AS (DELETE FROM name_words w USING n WHERE w.kind = $1 AND "
          "w.word = n.word AND w.records <= n.n) UPDATE name_words w SET records = w.records "
          "- n.n FROM n WHERE w.kind = $1 AND w.word = n.word AND w.records > n.n",
          pg::Params().Add(KindCode(k)).Add(id).Add(TextArray(words)))
      .status();
}

void pgnames::MayDeferNameKeys(PgTx& tx) {
  tx.AreaState<PendingNames>(kState).may_defer_keys = true;
}

void PgTx::SearchOnlyFlushedNames() { AreaState<PendingNames>(kState).only_flushed = true; }

Status PgTx::ForEachNamePosting(NameKind k, const std::function<Status(const NamePosting&)>& fn) {
  if (Writable()) {
    PendingNames& p = AreaState<PendingNames>(kState);
    CX_RETURN_IF_ERROR(NeedKeys(db(), p));
    CX_RETURN_IF_ERROR(WriteNames(db(), p, true));
  }
  // One posting per word: its records in id order.
  NamePosting p;
  bool open = false;
  CX_RETURN_IF_ERROR(
      db().ForEachBatch("SELECT word, id FROM name_entries WHERE kind = $1 ORDER BY word, id",
                        pg::Params().Add(KindCode(k)), [&](pg::Rows& r) -> Status {
                          while (r.Next()) {
                            std::string_view word = r.TextView(0);
                            if (open && word != p.word) {
                              p.records = int64_t(p.ids.size());
                              CX_RETURN_IF_ERROR(fn(p));
                              p.ids.clear();
                            }
                            p.word = std::string(word);
                            open = true;
                            p.ids.push_back(r.Text(1));
                          }
                          return Status::Ok();
                        }));
  if (!open) return Status::Ok();
  p.records = int64_t(p.ids.size());
  return fn(p);
}

}  // namespace cx
