// PostgreSQL Tx: the ERP sync's history and watermarks, the rows a --partial sync rejected, and
// the steward's ERP queue (0004_erp.sql, 0015_erp_rejected.sql).
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

namespace {

constexpr const char* kSyncCols =
    "seq, kind, actor, file_name, file_sha256, encoding, \"full\", partial, rows, created, "
    "updated, unchanged, skipped_older, rejected, flagged_missing, proposed_links, "
    "watermark_before, watermark_after, started_at, finished_at";

ErpSyncRecord ReadSync(const pg::Rows& r) {
  ErpSyncRecord s;
  s.seq = r.Int(0);
  s.kind = r.Text(1);
  s.actor = r.Text(2);
  s.file_name = r.Text(3);
  s.file_sha256 = r.Text(4);
  s.encoding = r.Text(5);
  s.full = r.Bool(6);
  s.partial = r.Bool(7);
  s.rows = r.Int(8);
  s.created = r.Int(9);
  s.updated = r.Int(10);
  s.unchanged = r.Int(11);
  s.skipped_older = r.Int(12);
  s.rejected = r.Int(13);
  s.flagged_missing = r.Int(14);
  s.proposed_links = r.Int(15);
  s.watermark_before = r.OptInt(16);
  s.watermark_after = r.OptInt(17);
  s.started_at = r.Int(18);
  s.finished_at = r.Int(19);
  return s;
}

constexpr const char* kQueueCols =
    "id, kind, account_id, erp_id, why, status, sync_seq, created_at, decided_at, decided_by, "
    "reason";

ErpQueueItem ReadQueue(const pg::Rows& r) {
  ErpQueueItem q;
  q.id = r.Int(0);
  q.kind = r.Text(1);
  q.account_id = r.Text(2);
  q.erp_id = r.Text(3);
  q.why = r.Text(4);
  q.status = r.Text(5);
  q.sync_seq = r.Int(6);
  q.created_at = r.Int(7);
  q.decided_at = r.OptInt(8);
  q.decided_by = r.Text(9);
  q.reason = r.Text(10);
  return q;
}

template <typename T, typename F>
std::vector<T> All(pg::Rows& r, F read) {
  std::vector<T> out;
  while (r.Next()) out.push_back(read(r));
  return out;
}

}  // namespace

Result<int64_t> PgTx::InsertErpSync(const ErpSyncRecord& s) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("INSERT INTO erp_syncs (kind, actor, file_name, file_sha256, encoding, \"full\", "
                 "partial, rows, created, updated, unchanged, skipped_older, rejected, "
                 "flagged_missing, proposed_links, watermark_before, watermark_after, started_at, "
                 "finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                 "$14, $15, $16, $17, $18, $19) RETURNING seq",
                 pg::Params()
                     .Add(s.kind)
                     .Add(s.actor)
                     .Add(s.file_name)
                     .Add(s.file_sha256)
                     .Add(s.encoding)
                     .Add(s.full)
                     .Add(s.partial)
                     .Add(s.rows)
                     .Add(s.created)
                     .Add(s.updated)
                     .Add(s.unchanged)
                     .Add(s.skipped_older)
                     .Add(s.rejected)
                     .Add(s.flagged_missing)
                     .Add(s.proposed_links)
                     .Add(std::optional<int64_t>(s.watermark_before))
                     .Add(std::optional<int64_t>(s.watermark_after))
                     .Add(s.started_at)
                     .Add(s.finished_at)));
  if (!r.Next()) return Internal("ERP sync record not stored");
  return r.Int(0);
}

Result<std::vector<ErpSyncRecord>> PgTx::ListErpSyncs(int limit) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query(std::string("SELECT ") + kSyncCols +
                                 " FROM erp_syncs ORDER BY seq DESC" + pgrows::Limit(limit, 0)));
  return All<ErpSyncRecord>(r, ReadSync);
}

Result<std::optional<Timestamp>> PgTx::ErpWatermark(const std::string& kind) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT watermark_after FROM erp_syncs WHERE kind = "
                                             "$1 ORDER BY seq DESC LIMIT 1",
                                             pg::Params().Add(kind)));
  if (!r.Next()) return std::optional<Timestamp>();
  return std::optional<Timestamp>(r.OptInt(0));
}

Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> PgTx::ErpRejectedKeys(
    const std::string& kind) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT key, last_modified FROM erp_rejected WHERE kind = $1 "
                                 "ORDER BY key",
                                 pg::Params().Add(kind)));
  std::vector<std::pair<std::string, std::optional<Timestamp>>> out;
  while (r.Next()) out.emplace_back(r.Text(0), r.OptInt(1));
  return out;
}

Status PgTx::PutErpRejected(const std::string& kind, const std::string& key,
                            std::optional<Timestamp> last_modified, int64_t sync_seq, int64_t line,
                            const std::string& reason) {
  return db()
      .Exec(
          "INSERT INTO erp_rejected (kind, key, last_modified, sync_seq, line, reason) VALUES "
          "($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, key) DO UPDATE SET last_modified = "
          "excluded.last_modified, sync_seq = excluded.sync_seq, line = excluded.line, reason "
          "= excluded.reason",
          pg::Params()
              .Add(kind)
              .Add(key)
              .Add(std::optional<int64_t>(last_modified))
              .Add(sync_seq)
              .Add(line)
              .Add(reason))
      .status();
}

Status PgTx::DeleteErpRejected(const std::string& kind, const std::string& key) {
  return db()
      .Exec("DELETE FROM erp_rejected WHERE kind = $1 AND key = $2",
            pg::Params().Add(kind).Add(key))
      .status();
}

Result<std::optional<std::string>> PgTx::AccountIdByErpId(const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT id FROM accounts WHERE erp_customer_id = $1",
                                             pg::Params().Add(erp_id)));
  if (!r.Next()) return std::optional<std::string>();
  return std::optional<std::string>(r.Text(0));
}

Result<std::vector<std::string>> PgTx::ErpCustomerIds() {
  std::vector<std::string> out;
  // A million customers: read in batches, never all rows of the result at once.
  CX_RETURN_IF_ERROR(db().ForEachBatch(
      "SELECT erp_customer_id FROM accounts WHERE erp_customer_id IS NOT NULL", pg::Params(),
      [&](pg::Rows& r) -> Status {
        while (r.Next()) out.push_back(r.Text(0));
        return Status::Ok();
      },
      20000));
  return out;
}

Result<int64_t> PgTx::InsertErpQueueItem(const ErpQueueItem& q) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("INSERT INTO erp_queue (kind, account_id, erp_id, why, status, sync_seq, "
                 "created_at, decided_at, decided_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                 "$8, $9, $10) RETURNING id",
                 pg::Params()
                     .Add(q.kind)
                     .Add(q.account_id)
                     .Add(q.erp_id)
                     .Add(q.why)
                     .Add(q.status)
                     .Add(q.sync_seq)
                     .Add(q.created_at)
                     .Add(std::optional<int64_t>(q.decided_at))
                     .Add(q.decided_by)
                     .Add(q.reason)));
  if (!r.Next()) return Internal("ERP queue item not stored");
  return r.Int(0);
}

Status PgTx::UpdateErpQueueItem(const ErpQueueItem& q) {
  return db()
      .Exec(
          "UPDATE erp_queue SET why = $2, status = $3, decided_at = $4, decided_by = $5, "
          "reason = $6 WHERE id = $1",
          pg::Params()
              .Add(q.id)
              .Add(q.why)
              .Add(q.status)
              .Add(std::optional<int64_t>(q.decided_at))
              .Add(q.decided_by)
              .Add(q.reason))
      .status();
}

Result<std::optional<ErpQueueItem>> PgTx::GetErpQueueItem(int64_t id) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query(std::string("SELECT ") + kQueueCols + " FROM erp_queue WHERE id = $1",
                             pg::Params().Add(id)));
  if (!r.Next()) return std::optional<ErpQueueItem>();
  return std::optional<ErpQueueItem>(ReadQueue(r));
}

Result<std::optional<ErpQueueItem>> PgTx::FindErpQueueItem(const std::string& kind,
                                                           const std::string& account_id,
                                                           const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query(std::string("SELECT ") + kQueueCols +
                                 " FROM erp_queue WHERE kind = $1 AND account_id = $2 AND erp_id "
                                 "= $3 ORDER BY id DESC LIMIT 1",
                             pg::Params().Add(kind).Add(account_id).Add(erp_id)));
  if (!r.Next()) return std::optional<ErpQueueItem>();
  return std::optional<ErpQueueItem>(ReadQueue(r));
}

Result<std::vector<ErpQueueItem>> PgTx::ListErpQueue(const std::string& status, int limit) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query(std::string("SELECT ") + kQueueCols +
                                     " FROM erp_queue WHERE ($1 = '' OR status = $1) ORDER BY id" +
                                     pgrows::Limit(limit, 0),
                                 pg::Params().Add(status)));
  return All<ErpQueueItem>(r, ReadQueue);
}

}  // namespace cx
