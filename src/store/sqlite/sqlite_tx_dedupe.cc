// SQLite Tx: the duplicate index (0010_duplicates.sql). What is filed where and which pairs
// are probable duplicates is decided by service/dedupe.cc; this file only stores it.
#include <algorithm>
#include <cstring>
#include <iterator>
#include <string_view>
#include <unordered_set>

#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

int64_t KindNo(NameKind k) { return k == NameKind::kAccount ? 0 : 1; }

using sqlite::RunAndReset;

// Hashes are kept below 2^63 by the service (they are 36-bit), so they are stored as
// non-negative SQLite integers.
std::string Encode(const std::vector<uint64_t>& hashes) {
  std::string out(hashes.size() * 8, '\0');
  for (size_t i = 0; i < hashes.size(); ++i) {
    for (int b = 0; b < 8; ++b) out[i * 8 + b] = char((hashes[i] >> (8 * b)) & 0xFF);
  }
  return out;
}

Result<std::vector<uint64_t>> Decode(std::string_view bytes) {
  if (bytes.size() % 8 != 0) return Internal("duplicate index: a record's hashes are damaged");
  std::vector<uint64_t> out(bytes.size() / 8);
  for (size_t i = 0; i < out.size(); ++i) {
    uint64_t h = 0;
    for (int b = 0; b < 8; ++b)
      h |= uint64_t(static_cast<unsigned char>(bytes[i * 8 + b])) << (8 * b);
    out[i] = h;
  }
  return out;
}

Status CheckHash(uint64_t h) {
  if (h >> 63) return Internal("duplicate index: a blocking hash does not fit an SQLite integer");
  return Status::Ok();
}

}  // namespace

Status SqliteTx::TakeDupMarks(int64_t kind) {
  CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare("DELETE FROM dup_dirty WHERE kind = ?"));
  d->Bind(1, kind);
  CX_RETURN_IF_ERROR(RunAndReset(d));
  if (db_->Changes() == 0) return Status::Ok();
  CX_ASSIGN_OR_RETURN(Stmt * v,
                      db_->Prepare("UPDATE match_key_version SET n = n + 1 WHERE id = 1"));
  return RunAndReset(v);
}

Result<DupIndexInfo> SqliteTx::GetDupIndexInfo(NameKind k) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT stale, (SELECT count(*) FROM dup_records WHERE kind = "
                                   "?1) FROM dup_state WHERE kind = ?1"));
  s->Bind(1, KindNo(k));
  DupIndexInfo info;
  if (s->Step()) {
    info.stale = s->Int(0) != 0;
    info.records = s->Int(1);
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return info;
}

Result<std::vector<std::string>> SqliteTx::DupDirtyIds(NameKind k) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT DISTINCT id FROM dup_dirty WHERE kind = ? ORDER BY id"));
  s->Bind(1, KindNo(k));
  return sqlite::Texts(s);
}

Status SqliteTx::RebuildDupIndex(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<uint64_t>& hashes,
                                 const std::vector<size_t>& offsets,
                                 const std::vector<DupPair>& pairs) {
  if (offsets.size() != ids.size() + 1 || offsets.back() != hashes.size())
    return Internal("duplicate index: rebuild given mismatched records and hashes");
  const int64_t kind = KindNo(k);
  // The recent changes go into dup_blocks first: after it, dup_blocks alone says what is filed,
  // so the entries of this kind are found through its records, and the numbers given below
  // meet no entry of a record that is gone.
  CX_RETURN_IF_ERROR(FoldDupBlocks());
  // Clear this kind: its blocks are found through its records.
  CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare("DELETE FROM dup_blocks WHERE n IN (SELECT n FROM "
                                             "dup_records WHERE kind = ?)"));
  d->Bind(1, kind);
  CX_RETURN_IF_ERROR(RunAndReset(d));
  for (const char* sql :
       {"DELETE FROM dup_records WHERE kind = ?", "DELETE FROM dup_pairs WHERE kind = ?"}) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
    s->Bind(1, kind);
    CX_RETURN_IF_ERROR(RunAndReset(s));
  }
  CX_RETURN_IF_ERROR(TakeDupMarks(kind));
  // Records get consecutive numbers after the largest in use, so that the blocks below can be
  // written in key order (an append to the B-tree).
  CX_ASSIGN_OR_RETURN(Stmt * m, db_->Prepare("SELECT COALESCE(max(n), 0) FROM dup_records"));
  int64_t base = m->Step() ? m->Int(0) : 0;
  Status st = m->status();
  m->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_ASSIGN_OR_RETURN(
      Stmt * r, db_->Prepare("INSERT INTO dup_records(n, kind, id, hashes) VALUES (?, ?, ?, ?)"));
  std::vector<std::pair<uint64_t, int64_t>> blocks;
  blocks.reserve(hashes.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const int64_t n = base + 1 + int64_t(i);
    std::vector<uint64_t> mine(hashes.begin() + std::ptrdiff_t(offsets[i]),
                               hashes.begin() + std::ptrdiff_t(offsets[i + 1]));
    for (uint64_t h : mine) {
      CX_RETURN_IF_ERROR(CheckHash(h));
      blocks.emplace_back(h, n);
    }
    r->Bind(1, n).Bind(2, kind).Bind(3, ids[i]).BindBlob(4, Encode(mine));
    CX_RETURN_IF_ERROR(RunAndReset(r));
  }
  std::sort(blocks.begin(), blocks.end());
  blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
  CX_ASSIGN_OR_RETURN(Stmt * b, db_->Prepare("INSERT INTO dup_blocks(hash, n) VALUES (?, ?)"));
  for (const auto& [h, n] : blocks) {
    b->Bind(1, int64_t(h)).Bind(2, n);
    CX_RETURN_IF_ERROR(RunAndReset(b));
  }
  CX_ASSIGN_OR_RETURN(
      Stmt * p,
      db_->Prepare("INSERT INTO dup_pairs(kind, a, b, score, why) VALUES (?, ?, ?, ?, ?)"));
  for (const auto& pair : pairs) {
    p->Bind(1, kind).Bind(2, pair.a).Bind(3, pair.b).Bind(4, pair.score).Bind(5, pair.why);
    CX_RETURN_IF_ERROR(RunAndReset(p));
  }
  CX_ASSIGN_OR_RETURN(Stmt * u, db_->Prepare("UPDATE dup_state SET stale = 0 WHERE kind = ?"));
  u->Bind(1, kind);
  return RunAndReset(u);
}

Result<std::vector<std::optional<std::vector<uint64_t>>>> SqliteTx::DupHashes(
    NameKind k, const std::vector<std::string>& ids) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT hashes FROM dup_records WHERE kind = ? AND id = ?"));
  std::vector<std::optional<std::vector<uint64_t>>> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    s->Bind(1, KindNo(k)).Bind(2, id);
    std::optional<std::vector<uint64_t>> hashes;
    Status st;
    if (s->Step()) {
      auto decoded = Decode(s->BlobView(0));
      if (decoded.ok()) {
        hashes = std::move(*decoded);
      } else {
        st = decoded.status();
      }
    }
    if (st.ok()) st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    out.push_back(std::move(hashes));
  }
  return out;
}

Status SqliteTx::FileDupRecords(NameKind k, const std::vector<DupFiling>& records) {
  std::unordered_set<std::string_view> seen;
  for (const auto& r : records) {
    if (!seen.insert(r.id).second) return Internal("duplicate index: " + r.id + " filed twice");
  }
  for (const auto& r : records) CX_RETURN_IF_ERROR(FileDupRecord(k, r));
  return Status::Ok();
}

// One record, as FileDupRecords says (in process, a statement per record costs no round trip).
Status SqliteTx::FileDupRecord(NameKind k, const DupFiling& record) {
  const std::string& id = record.id;
  const auto& hashes = record.hashes;
  const int64_t kind = KindNo(k);
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT n, hashes FROM dup_records WHERE kind = ? AND id = ?"));
  s->Bind(1, kind).Bind(2, id);
  std::optional<int64_t> n;
  std::vector<uint64_t> old;
  Status st;
  if (s->Step()) {
    n = s->Int(0);
    auto decoded = Decode(s->BlobView(1));
    if (decoded.ok()) {
      old = std::move(*decoded);
    } else {
      st = decoded.status();
    }
  }
  if (st.ok()) st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  // Only the blocks that differ are written: a new phone moves one entry, not all of them.
  std::vector<uint64_t> now = hashes ? *hashes : std::vector<uint64_t>{};
  std::sort(now.begin(), now.end());
  std::sort(old.begin(), old.end());
  std::vector<uint64_t> gone, added;
  std::set_difference(old.begin(), old.end(), now.begin(), now.end(), std::back_inserter(gone));
  std::set_difference(now.begin(), now.end(), old.begin(), old.end(), std::back_inserter(added));
  // The entries that change are noted in dup_blocks_recent (0064), which overrides dup_blocks
  // for them: a few pages, where dup_blocks would have one random page written per entry.
  CX_ASSIGN_OR_RETURN(Stmt * note, db_->Prepare("INSERT OR REPLACE INTO dup_blocks_recent(hash, "
                                                "n, filed) VALUES (?, ?, ?)"));
  if (n) {
    for (uint64_t h : gone) {
      note->Bind(1, int64_t(h)).Bind(2, *n).Bind(3, int64_t(0));
      CX_RETURN_IF_ERROR(RunAndReset(note));
    }
  }
  if (!hashes) {
    if (!n) return Status::Ok();
    // Its number may be given again (the largest one is): its entries are all noted as not
    // filed above, so a new record under it sees none of them.
    CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare("DELETE FROM dup_records WHERE n = ?"));
    d->Bind(1, *n);
    return RunAndReset(d);
  }
  for (uint64_t h : now) CX_RETURN_IF_ERROR(CheckHash(h));
  if (n) {
    CX_ASSIGN_OR_RETURN(Stmt * u, db_->Prepare("UPDATE dup_records SET hashes = ? WHERE n = ?"));
    u->BindBlob(1, Encode(now)).Bind(2, *n);
    CX_RETURN_IF_ERROR(RunAndReset(u));
  } else {
    CX_ASSIGN_OR_RETURN(
        Stmt * i,
        db_->Prepare("INSERT INTO dup_records(kind, id, hashes) VALUES (?, ?, ?) RETURNING n"));
    i->Bind(1, kind).Bind(2, id).BindBlob(3, Encode(now));
    if (i->Step()) n = i->Int(0);
    st = i->status();
    i->Reset();
    CX_RETURN_IF_ERROR(st);
    if (!n) return Internal("duplicate index: filing " + id + " returned no number");
  }
  for (uint64_t h : added) {
    note->Bind(1, int64_t(h)).Bind(2, *n).Bind(3, int64_t(1));
    CX_RETURN_IF_ERROR(RunAndReset(note));
  }
  return Status::Ok();
}

Status SqliteTx::FoldDupBlocks() {
  // In key order, so that each page of dup_blocks is visited once.
  CX_ASSIGN_OR_RETURN(Stmt * r, db_->Prepare("SELECT hash, n, filed FROM dup_blocks_recent "
                                             "ORDER BY hash, n"));
  CX_ASSIGN_OR_RETURN(Stmt * del, db_->Prepare("DELETE FROM dup_blocks WHERE hash = ? AND n = ?"));
  CX_ASSIGN_OR_RETURN(Stmt * ins,
                      db_->Prepare("INSERT OR IGNORE INTO dup_blocks(hash, n) VALUES (?, ?)"));
  Status st;
  while (st.ok() && r->Step()) {
    Stmt* w = r->Int(2) != 0 ? ins : del;
    w->Bind(1, r->Int(0)).Bind(2, r->Int(1));
    st = RunAndReset(w);
  }
  if (st.ok()) st = r->status();
  r->Reset();
  CX_RETURN_IF_ERROR(st);
  return db_->Exec("DELETE FROM dup_blocks_recent");
}

Result<std::vector<std::vector<std::string>>> SqliteTx::DupBlocks(
    NameKind k, const std::vector<uint64_t>& hashes, int limit) {
  for (uint64_t h : hashes) CX_RETURN_IF_ERROR(CheckHash(h));
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT r.id FROM dup_blocks b JOIN dup_records r ON r.n = "
                                   "b.n WHERE b.hash = ?1 AND r.kind = ?2 AND NOT EXISTS (SELECT "
                                   "1 FROM dup_blocks_recent x WHERE x.hash = ?1 AND x.n = b.n) "
                                   "UNION ALL SELECT r.id FROM dup_blocks_recent x JOIN "
                                   "dup_records r ON r.n = x.n WHERE x.hash = ?1 AND x.filed = 1 "
                                   "AND r.kind = ?2 LIMIT ?3"));
  // In process, a statement per block costs no round trip.
  std::vector<std::vector<std::string>> out;
  out.reserve(hashes.size());
  for (uint64_t h : hashes) {
    s->Bind(1, int64_t(h)).Bind(2, KindNo(k)).Bind(3, int64_t(limit));
    CX_ASSIGN_OR_RETURN(auto ids, sqlite::Texts(s));
    out.push_back(std::move(ids));
  }
  return out;
}

Status SqliteTx::ReplaceDupPairs(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<DupPair>& pairs) {
  const int64_t kind = KindNo(k);
  for (const char* sql : {"DELETE FROM dup_pairs WHERE kind = ? AND a = ?",
                          "DELETE FROM dup_pairs WHERE kind = ? AND b = ?"}) {
    CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare(sql));
    for (const auto& id : ids) {
      d->Bind(1, kind).Bind(2, id);
      CX_RETURN_IF_ERROR(RunAndReset(d));
    }
  }
  CX_ASSIGN_OR_RETURN(Stmt * p, db_->Prepare("INSERT OR REPLACE INTO dup_pairs(kind, a, b, score, "
                                             "why) VALUES (?, ?, ?, ?, ?)"));
  for (const auto& pair : pairs) {
    p->Bind(1, kind).Bind(2, pair.a).Bind(3, pair.b).Bind(4, pair.score).Bind(5, pair.why);
    CX_RETURN_IF_ERROR(RunAndReset(p));
  }
  CX_RETURN_IF_ERROR(TakeDupMarks(kind));
  // The recent changes are folded into dup_blocks once they are as many as the records filed
  // (the largest number given stands for that count): reads stay one look-up in each table,
  // and the fold, which writes most of dup_blocks' pages, comes once in many refreshes.
  CX_ASSIGN_OR_RETURN(Stmt * size, db_->Prepare("SELECT (SELECT count(*) FROM dup_blocks_recent) "
                                                "> (SELECT COALESCE(max(n), 0) FROM dup_records)"));
  const bool fold = size->Step() && size->Int(0) != 0;
  Status st = size->status();
  size->Reset();
  CX_RETURN_IF_ERROR(st);
  return fold ? FoldDupBlocks() : Status::Ok();
}

Result<std::vector<DupPair>> SqliteTx::DupPairs(NameKind k) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT a, b, score, why FROM dup_pairs WHERE kind = ?"));
  s->Bind(1, KindNo(k));
  std::vector<DupPair> out;
  while (s->Step()) out.push_back(DupPair{s->Text(0), s->Text(1), s->Real(2), s->Text(3)});
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

}  // namespace cx
