// PostgreSQL Tx: the duplicate index (0010_duplicates.sql). What is filed where and which pairs
// are probable duplicates is decided by service/dedupe.cc; this file only stores it.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_set>

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

constexpr size_t kChunk = 2000;  // records or blocks a statement

// The hashes each of `ids` is filed under (nullopt when it is not filed): one statement.
Result<std::vector<std::optional<std::vector<uint64_t>>>> FiledHashes(
    pg::Db& db, int kind, const std::vector<std::string>& ids) {
  std::vector<std::optional<std::vector<uint64_t>>> out(ids.size());
  if (ids.empty()) return out;
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db.Query("SELECT q.i, d.hashes FROM unnest($2::text[]) WITH ORDINALITY AS "
                               "q(id, i) JOIN dup_records d ON d.kind = $1 AND d.id = q.id",
                               pg::Params().Add(kind).Add(pgnames::TextArray(ids))));
  while (r.Next()) {
    const int64_t i = r.Int(0);
    if (i < 1 || size_t(i) > ids.size()) return Internal("duplicate index: a record out of range");
    CX_ASSIGN_OR_RETURN(std::vector<int64_t> stored, pgnames::ParseIntArray(r.TextView(1)));
    out[size_t(i) - 1] = std::vector<uint64_t>(stored.begin(), stored.end());
  }
  return out;
}

// `{1.5,0.25}`: doubles as an array literal, each exactly.
std::string RealArray(const std::vector<double>& values) {
  std::string out = "{";
  char buf[32];
  for (size_t i = 0; i < values.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.17g", values[i]);
    if (i) out += ',';
    out += buf;
  }
  return out + "}";
}

std::vector<int64_t> Firsts(const std::vector<std::pair<int64_t, std::string_view>>& v) {
  std::vector<int64_t> out;
  out.reserve(v.size());
  for (const auto& [h, id] : v) out.push_back(h);
  return out;
}

std::vector<std::string_view> Seconds(const std::vector<std::pair<int64_t, std::string_view>>& v) {
  std::vector<std::string_view> out;
  out.reserve(v.size());
  for (const auto& [h, id] : v) out.push_back(id);
  return out;
}

}  // namespace

Result<DupIndexInfo> PgTx::GetDupIndexInfo(NameKind k) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT stale, records FROM dup_state WHERE kind = $1",
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
      .Exec("UPDATE dup_state SET stale = false, records = $2 WHERE kind = $1",
            pg::Params().Add(kind).Add(int64_t(ids.size())))
      .status();
}

Result<std::vector<std::optional<std::vector<uint64_t>>>> PgTx::DupHashes(
    NameKind k, const std::vector<std::string>& ids) {
  std::vector<std::optional<std::vector<uint64_t>>> out;
  out.reserve(ids.size());
  for (size_t from = 0; from < ids.size(); from += kChunk) {
    const size_t to = std::min(ids.size(), from + kChunk);
    CX_ASSIGN_OR_RETURN(auto part,
                        FiledHashes(db(), KindCode(k),
                                    std::vector<std::string>(ids.begin() + ptrdiff_t(from),
                                                             ids.begin() + ptrdiff_t(to))));
    for (auto& h : part) out.push_back(std::move(h));
  }
  return out;
}

Status PgTx::FileDupRecords(NameKind k, const std::vector<DupFiling>& records) {
  const int kind = KindCode(k);
  std::unordered_set<std::string_view> seen;
  for (const auto& r : records) {
    if (!seen.insert(r.id).second) return Internal("duplicate index: " + r.id + " filed twice");
    if (r.hashes) {
      for (uint64_t h : *r.hashes) CX_RETURN_IF_ERROR(CheckHash(h));
    }
  }
  // A chunk of records in four statements: only the blocks that differ are written (a new
  // phone moves one entry, not all of them).
  int64_t grew = 0;  // records filed that were not, less records unfiled that were
  for (size_t from = 0; from < records.size(); from += kChunk) {
    const size_t to = std::min(records.size(), from + kChunk);
    std::vector<std::string> ids;
    for (size_t i = from; i < to; ++i) ids.push_back(records[i].id);
    CX_ASSIGN_OR_RETURN(auto old, FiledHashes(db(), kind, ids));
    std::vector<std::pair<int64_t, std::string_view>> gone, added;  // (hash, id)
    std::vector<std::string> unfiled, filed, filed_hashes;
    for (size_t i = 0; i < ids.size(); ++i) {
      std::vector<uint64_t> now = records[from + i].hashes.value_or(std::vector<uint64_t>{});
      std::vector<uint64_t> before = old[i].value_or(std::vector<uint64_t>{});
      std::sort(now.begin(), now.end());
      std::sort(before.begin(), before.end());
      std::vector<uint64_t> went, came;
      std::set_difference(before.begin(), before.end(), now.begin(), now.end(),
                          std::back_inserter(went));
      std::set_difference(now.begin(), now.end(), before.begin(), before.end(),
                          std::back_inserter(came));
      for (uint64_t h : went) gone.emplace_back(int64_t(h), ids[i]);
      for (uint64_t h : came) added.emplace_back(int64_t(h), ids[i]);
      if (records[from + i].hashes.has_value() != old[i].has_value()) grew += old[i] ? -1 : 1;
      if (records[from + i].hashes) {
        filed.push_back(ids[i]);
        filed_hashes.push_back(HashArray(now));
      } else {
        unfiled.push_back(ids[i]);
      }
    }
    // In key order, so that neighbouring look-ups share the index's pages.
    std::sort(gone.begin(), gone.end());
    std::sort(added.begin(), added.end());
    if (!gone.empty()) {
      // Each entry found by its key, then deleted by its row's address. A join of the entries
      // with the table was planned, for a chunk of renamed records (tens of thousands of
      // entries), as a hash join over a sequential scan of every entry of the index: 3.4 s a
      // week's renames on a hub of 40,000 accounts. The LIMIT keeps each look-up a look-up.
      CX_RETURN_IF_ERROR(db().Exec("DELETE FROM dup_blocks WHERE ctid = ANY(ARRAY(SELECT x.t "
                                   "FROM unnest($2::bigint[], $3::text[]) AS q(h, id) CROSS "
                                   "JOIN LATERAL (SELECT ctid AS t FROM dup_blocks WHERE kind = "
                                   "$1 AND hash = q.h AND id = q.id LIMIT 1) x))",
                                   pg::Params()
                                       .Add(kind)
                                       .Add(pgnames::IntArray(Firsts(gone)))
                                       .Add(pgnames::TextArray(Seconds(gone))))
                             .status());
    }
    if (!unfiled.empty()) {
      CX_RETURN_IF_ERROR(db().Exec("DELETE FROM dup_records WHERE kind = $1 AND id = "
                                   "ANY($2::text[])",
                                   pg::Params().Add(kind).Add(pgnames::TextArray(unfiled)))
                             .status());
    }
    if (!filed.empty()) {
      CX_RETURN_IF_ERROR(db().Exec("INSERT INTO dup_records (kind, id, hashes) SELECT "
                                   "$1::smallint, q.id, q.h::bigint[] FROM unnest($2::text[], "
                                   "$3::text[]) AS q(id, h) ON CONFLICT (kind, id) DO UPDATE SET "
                                   "hashes = excluded.hashes",
                                   pg::Params()
                                       .Add(kind)
                                       .Add(pgnames::TextArray(filed))
                                       .Add(pgnames::TextArray(filed_hashes)))
                             .status());
    }
    if (!added.empty()) {
      CX_RETURN_IF_ERROR(db().Exec("INSERT INTO dup_blocks (kind, hash, id) SELECT $1::smallint, "
                                   "q.h, q.id FROM unnest($2::bigint[], $3::text[]) AS q(h, id) "
                                   "ON CONFLICT DO NOTHING",
                                   pg::Params()
                                       .Add(kind)
                                       .Add(pgnames::IntArray(Firsts(added)))
                                       .Add(pgnames::TextArray(Seconds(added))))
                             .status());
    }
  }
  if (grew == 0) return Status::Ok();
  return db()
      .Exec("UPDATE dup_state SET records = records + $2 WHERE kind = $1",
            pg::Params().Add(kind).Add(grew))
      .status();
}

Result<std::vector<std::vector<std::string>>> PgTx::DupBlocks(NameKind k,
                                                              const std::vector<uint64_t>& hashes,
                                                              int limit) {
  for (uint64_t h : hashes) CX_RETURN_IF_ERROR(CheckHash(h));
  std::vector<std::vector<std::string>> out(hashes.size());
  // A round trip per chunk of blocks, not per block: each block's first ids by its index.
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
  // A pair given twice: the last one stands, as when they were written one by one.
  std::map<std::pair<std::string_view, std::string_view>, const DupPair*> last;
  for (const auto& p : pairs) last[{p.a, p.b}] = &p;
  std::vector<std::string> as, bs, whys;
  std::vector<double> scores;
  size_t left = last.size();
  for (const auto& [key, p] : last) {
    as.push_back(p->a);
    bs.push_back(p->b);
    scores.push_back(p->score);
    whys.push_back(p->why);
    if (--left > 0 && as.size() < kChunk) continue;
    CX_RETURN_IF_ERROR(db().Exec("INSERT INTO dup_pairs (kind, a, b, score, why) SELECT "
                                 "$1::smallint, q.a, q.b, q.s, q.w FROM unnest($2::text[], "
                                 "$3::text[], $4::float8[], $5::text[]) AS q(a, b, s, w) ON "
                                 "CONFLICT (kind, a, b) DO UPDATE SET score = excluded.score, "
                                 "why = excluded.why",
                                 pg::Params()
                                     .Add(kind)
                                     .Add(pgnames::TextArray(as))
                                     .Add(pgnames::TextArray(bs))
                                     .Add(RealArray(scores))
                                     .Add(pgnames::TextArray(whys)))
                           .status());
    as.clear(), bs.clear(), scores.clear(), whys.clear();
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
