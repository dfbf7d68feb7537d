// PostgreSQL Tx: the duplicate index (0010_duplicates.sql). What is filed where and which pairs
// are probable duplicates is decided by service/dedupe.cc; this file only stores it.
#include <algorithm>
#include <iterator>
#include <tuple>

#include "store/postgres/pg_names_rows.h"
#include "store/postgres/pg_tx.h"

namespace cx {

using pgnames::IntArray;
using pgnames::KindCode;

namespace {

// Hashes are kept below 2^63 by the service (they are 36-bit): they fit a bigint as they are.
Status CheckHash(uint64_t h) {
  if (h >> 63) return Internal("duplicate index: a blocking hash does not fit a bigint");
  return Status::Ok();
}

std::string HashArray(const std::vector<uint64_t>& hashes) {
  return IntArray(std::vector<int64_t>(hashes.begin(), hashes.end()));
}

constexpr size_t kCopyRows = 50000;  // rows per COPY

// Sends `rows` when they are many (or `last`), then empties them.
Status CopyIfFull(pg::Db& db, const std::string& sql, pg::CopyRows* rows, bool last) {
  if (rows->rows() == 0 || (!last && rows->rows() < kCopyRows)) return Status::Ok();
  CX_RETURN_IF_ERROR(db.Copy(sql, *rows));
  rows->Clear();
  return Status::Ok();
}

// The hashes `id` is filed under (*found false when it is not filed).
Status FiledHashes(pg::Db& db, int kind, const std::string& id, bool* found,
                   std::vector<uint64_t>* hashes) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db.Query("SELECT hashes FROM dup_records WHERE kind = $1 AND "
                                           "id = $2",
                                           pg::Params().Add(kind).Add(id)));
  *found = r.Next();
  hashes->clear();
  if (!*found) return Status::Ok();
  CX_ASSIGN_OR_RETURN(std::vector<int64_t> stored, pgnames::ParseIntArray(r.TextView(0)));
  hashes->assign(stored.begin(), stored.end());
  return Status::Ok();
}

}  // namespace

Result<DupIndexInfo> PgTx::GetDupIndexInfo(NameKind k) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT stale, (SELECT count(*) FROM dup_records WHERE kind = "
                                 "$1) FROM dup_state WHERE kind = $1",
                                 pg::Params().Add(KindCode(k))));
  DupIndexInfo info;
  if (r.Next()) {
    info.stale = r.Bool(0);
    info.records = r.Int(1);
  }
  return info;
}

Result<std::vector<std::string>> PgTx::DupDirtyIds(NameKind k) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT DISTINCT id FROM dup_dirty WHERE kind = $1 ORDER BY id",
                                 pg::Params().Add(KindCode(k))));
  std::vector<std::string> out;
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

Status PgTx::RebuildDupIndex(NameKind k, const std::vector<std::string>& ids,
                             const std::vector<uint64_t>& hashes,
                             const std::vector<size_t>& offsets,
                             const std::vector<DupPair>& pairs) {
  if (offsets.size() != ids.size() + 1 || offsets.back() != hashes.size())
    return Internal("duplicate index: rebuild given mismatched records and hashes");
  for (uint64_t h : hashes) CX_RETURN_IF_ERROR(CheckHash(h));
  const int kind = KindCode(k);
  for (const char* table : {"dup_blocks", "dup_records", "dup_pairs", "dup_dirty"}) {
    CX_RETURN_IF_ERROR(
        db().Exec(std::string("DELETE FROM ") + table + " WHERE kind = $1", pg::Params().Add(kind))
            .status());
  }
  // Everything of the kind is new: COPY, many rows at a time.
  const std::string records_sql = "COPY dup_records (kind, id, hashes) FROM STDIN";
  const std::string blocks_sql = "COPY dup_blocks (kind, hash, id) FROM STDIN";
  pg::CopyRows rows;
  std::vector<std::pair<uint64_t, size_t>> blocks;  // (hash, record)
  blocks.reserve(hashes.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::vector<uint64_t> mine(hashes.begin() + std::ptrdiff_t(offsets[i]),
                                     hashes.begin() + std::ptrdiff_t(offsets[i + 1]));
    for (uint64_t h : mine) blocks.emplace_back(h, i);
    rows.Int(kind).Text(ids[i]).Text(HashArray(mine));
    rows.EndRow();
    CX_RETURN_IF_ERROR(CopyIfFull(db(), records_sql, &rows, false));
  }
  CX_RETURN_IF_ERROR(CopyIfFull(db(), records_sql, &rows, true));
  std::sort(blocks.begin(), blocks.end(), [&](const auto& a, const auto& b) {
    return std::tie(a.first, ids[a.second]) < std::tie(b.first, ids[b.second]);
  });
  blocks.erase(std::unique(blocks.begin(), blocks.end(),
                           [&](const auto& a, const auto& b) {
                             return a.first == b.first && ids[a.second] == ids[b.second];
                           }),
               blocks.end());
  for (const auto& [h, i] : blocks) {
    rows.Int(kind).Int(int64_t(h)).Text(ids[i]);
    rows.EndRow();
    CX_RETURN_IF_ERROR(CopyIfFull(db(), blocks_sql, &rows, false));
  }
  CX_RETURN_IF_ERROR(CopyIfFull(db(), blocks_sql, &rows, true));
  const std::string pairs_sql = "COPY dup_pairs (kind, a, b, score, why) FROM STDIN";
  for (const auto& p : pairs) {
    rows.Int(kind).Text(p.a).Text(p.b).Real(p.score).Text(p.why);
    rows.EndRow();
    CX_RETURN_IF_ERROR(CopyIfFull(db(), pairs_sql, &rows, false));
  }
  CX_RETURN_IF_ERROR(CopyIfFull(db(), pairs_sql, &rows, true));
  // Statistics of the new contents: without them the planner took a record's
  // `DELETE … WHERE kind AND id AND hash = ANY(…)` for a scan of the kind's whole key range
  // (2.4 ms a record on a hub of 6,000 records, growing with the hub).
  CX_RETURN_IF_ERROR(db().ExecScript("ANALYZE dup_blocks, dup_records, dup_pairs"));
  return db()
      .Exec("UPDATE dup_state SET stale = false WHERE kind = $1", pg::Params().Add(kind))
      .status();
}

Result<std::optional<std::vector<uint64_t>>> PgTx::DupHashes(NameKind k, const std::string& id) {
  bool found = false;
  std::vector<uint64_t> hashes;
  CX_RETURN_IF_ERROR(FiledHashes(db(), KindCode(k), id, &found, &hashes));
  if (!found) return std::optional<std::vector<uint64_t>>();
  return std::optional<std::vector<uint64_t>>(std::move(hashes));
}

Status PgTx::FileDupRecord(NameKind k, const std::string& id,
                           const std::optional<std::vector<uint64_t>>& hashes) {
  const int kind = KindCode(k);
  bool found = false;
  std::vector<uint64_t> old;
  CX_RETURN_IF_ERROR(FiledHashes(db(), kind, id, &found, &old));
  // Only the blocks that differ are written: a new phone moves one entry, not all of them.
  std::vector<uint64_t> now = hashes ? *hashes : std::vector<uint64_t>{};
  for (uint64_t h : now) CX_RETURN_IF_ERROR(CheckHash(h));
  std::sort(now.begin(), now.end());
  std::sort(old.begin(), old.end());
  std::vector<uint64_t> gone, added;
  std::set_difference(old.begin(), old.end(), now.begin(), now.end(), std::back_inserter(gone));
  std::set_difference(now.begin(), now.end(), old.begin(), old.end(), std::back_inserter(added));
  if (!gone.empty()) {
    CX_RETURN_IF_ERROR(db().Exec("DELETE FROM dup_blocks WHERE kind = $1 AND id = $2 AND hash = "
                                 "ANY($3::bigint[])",
                                 pg::Params().Add(kind).Add(id).Add(HashArray(gone)))
                           .status());
  }
  if (!hashes) {
    return db()
        .Exec("DELETE FROM dup_records WHERE kind = $1 AND id = $2", pg::Params().Add(kind).Add(id))
        .status();
  }
  CX_RETURN_IF_ERROR(db().Exec("INSERT INTO dup_records (kind, id, hashes) VALUES ($1, $2, "
                               "$3::bigint[]) ON CONFLICT (kind, id) DO UPDATE SET hashes = "
                               "excluded.hashes",
                               pg::Params().Add(kind).Add(id).Add(HashArray(now)))
                         .status());
  if (added.empty()) return Status::Ok();
  return db()
      .Exec(
          "INSERT INTO dup_blocks (kind, hash, id) SELECT $1::smallint, h, $2::text FROM "
          "unnest($3::bigint[]) AS q(h) ON CONFLICT DO NOTHING",
          pg::Params().Add(kind).Add(id).Add(HashArray(added)))
      .status();
}

Result<std::vector<std::vector<std::string>>> PgTx::DupBlocks(NameKind k,
                                                              const std::vector<uint64_t>& hashes,
                                                              int limit) {
  for (uint64_t h : hashes) CX_RETURN_IF_ERROR(CheckHash(h));
  std::vector<std::vector<std::string>> out(hashes.size());
  // A round trip per chunk of blocks, not per block: each block's first ids by its index.
  constexpr size_t kChunk = 2000;
  for (size_t from = 0; from < hashes.size(); from += kChunk) {
    const size_t to = std::min(hashes.size(), from + kChunk);
    CX_ASSIGN_OR_RETURN(
        pg::Rows r,
        db().Query("SELECT q.i, b.id FROM unnest($2::bigint[]) WITH ORDINALITY AS q(h, i) CROSS "
                   "JOIN LATERAL (SELECT id FROM dup_blocks WHERE kind = $1 AND hash = q.h ORDER "
                   "BY id LIMIT $3) b ORDER BY q.i, b.id",
                   pg::Params()
                       .Add(KindCode(k))
                       .Add(HashArray(std::vector<uint64_t>(hashes.begin() + ptrdiff_t(from),
                                                            hashes.begin() + ptrdiff_t(to))))
                       .Add(limit < 0 ? std::optional<int64_t>() : std::optional<int64_t>(limit))));
    while (r.Next()) {
      const int64_t i = r.Int(0);
      if (i < 1 || size_t(i) > to - from) return Internal("duplicate index: a block out of range");
      out[from + size_t(i) - 1].push_back(r.Text(1));
    }
  }
  return out;
}

Status PgTx::ReplaceDupPairs(NameKind k, const std::vector<std::string>& ids,
                             const std::vector<DupPair>& pairs) {
  const int kind = KindCode(k);
  if (!ids.empty()) {
    CX_RETURN_IF_ERROR(db().Exec("DELETE FROM dup_pairs WHERE kind = $1 AND (a = ANY($2::text[]) "
                                 "OR b = ANY($2::text[]))",
                                 pg::Params().Add(kind).Add(pgnames::TextArray(ids)))
                           .status());
  }
  for (const auto& p : pairs) {
    CX_RETURN_IF_ERROR(db().Exec("INSERT INTO dup_pairs (kind, a, b, score, why) VALUES ($1, $2, "
                                 "$3, $4, $5) ON CONFLICT (kind, a, b) DO UPDATE SET score = "
                                 "excluded.score, why = excluded.why",
                                 pg::Params().Add(kind).Add(p.a).Add(p.b).Add(p.score).Add(p.why))
                           .status());
  }
  return db().Exec("DELETE FROM dup_dirty WHERE kind = $1", pg::Params().Add(kind)).status();
}

Result<std::vector<DupPair>> PgTx::DupPairs(NameKind k) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT a, b, score, why FROM dup_pairs WHERE kind "
                                             "= $1 ORDER BY a, b",
                                             pg::Params().Add(KindCode(k))));
  std::vector<DupPair> out;
  while (r.Next()) out.push_back(DupPair{r.Text(0), r.Text(1), r.Real(2), r.Text(3)});
  return out;
}

}  // namespace cx
