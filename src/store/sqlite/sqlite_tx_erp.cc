// SQLite Tx: the ERP sync history, watermarks and the steward's ERP queue.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>

namespace cx {
namespace {

using sqlite::Stmt;

const char* kSyncCols =
    "seq, kind, actor, file_name, file_sha256, encoding, full, partial, rows, created, updated, "
    "unchanged, "
    "skipped_older, rejected, flagged_missing, proposed_links, watermark_before, watermark_after, "
    "started_at, "
    "finished_at";

ErpSyncRecord ReadSync(const Stmt& s) {
  ErpSyncRecord r;
  r.seq = s.Int(0);
  r.kind = s.Text(1);
  r.actor = s.Text(2);
  r.file_name = s.Text(3);
  r.file_sha256 = s.Text(4);
  r.encoding = s.Text(5);
  r.full = s.Int(6) != 0;
  r.partial = s.Int(7) != 0;
  r.rows = s.Int(8);
  r.created = s.Int(9);
  r.updated = s.Int(10);
  r.unchanged = s.Int(11);
  r.skipped_older = s.Int(12);
  r.rejected = s.Int(13);
  r.flagged_missing = s.Int(14);
  r.proposed_links = s.Int(15);
  r.watermark_before = s.OptInt(16);
  r.watermark_after = s.OptInt(17);
  r.started_at = s.Int(18);
  r.finished_at = s.Int(19);
  return r;
}

const char* kQueueCols =
    "id, kind, account_id, erp_id, why, status, sync_seq, created_at, decided_at, decided_by, "
    "reason";

ErpQueueItem ReadQueue(const Stmt& s) {
  ErpQueueItem q;
  q.id = s.Int(0);
  q.kind = s.Text(1);
  q.account_id = s.Text(2);
  q.erp_id = s.Text(3);
  q.why = s.Text(4);
  q.status = s.Text(5);
  q.sync_seq = s.Int(6);
  q.created_at = s.Int(7);
  q.decided_at = s.OptInt(8);
  q.decided_by = s.Text(9);
  q.reason = s.Text(10);
  return q;
}

template <typename T, typename F>
Result<std::vector<T>> All(Stmt* s, F read) {
  std::vector<T> out;
  while (s->Step()) out.push_back(read(*s));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Result<int64_t> SqliteTx::InsertErpSync(const ErpSyncRecord& r) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO erp_syncs (kind, actor, file_name, file_sha256, encoding, full, "
          "partial, rows, created, updated, unchanged, skipped_older, rejected, "
          "flagged_missing, proposed_links, watermark_before, watermark_after, started_at, "
          "finished_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
          "?18,?19) RETURNING seq"));
  s->Bind(1, r.kind)
      .Bind(2, r.actor)
      .Bind(3, r.file_name)
      .Bind(4, r.file_sha256)
      .Bind(5, r.encoding);
  s->Bind(6, int64_t(r.full))
      .Bind(7, int64_t(r.partial))
      .Bind(8, r.rows)
      .Bind(9, r.created)
      .Bind(10, r.updated);
  s->Bind(11, r.unchanged)
      .Bind(12, r.skipped_older)
      .Bind(13, r.rejected)
      .Bind(14, r.flagged_missing);
  s->Bind(15, r.proposed_links).Bind(16, r.watermark_before).Bind(17, r.watermark_after);
  s->Bind(18, r.started_at).Bind(19, r.finished_at);
  int64_t seq = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return seq;
}

Result<std::vector<ErpSyncRecord>> SqliteTx::ListErpSyncs(int limit) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kSyncCols +
                                             " FROM erp_syncs ORDER BY seq DESC LIMIT ?1"));
  s->Bind(1, int64_t(limit));
  return All<ErpSyncRecord>(s, ReadSync);
}

Result<std::optional<Timestamp>> SqliteTx::ErpWatermark(const std::string& kind) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT watermark_after FROM erp_syncs WHERE kind = ?1 ORDER BY seq DESC LIMIT 1"));
  s->Bind(1, kind);
  std::optional<Timestamp> w;
  if (s->Step()) w = s->OptInt(0);
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return w;
}

Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> SqliteTx::ErpRejectedKeys(
    const std::string& kind) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT key, last_modified FROM erp_rejected WHERE kind = ?1"));
  s->Bind(1, kind);
  std::vector<std::pair<std::string, std::optional<Timestamp>>> out;
  while (s->Step()) out.emplace_back(s->Text(0), s->OptInt(1));
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Status SqliteTx::PutErpRejected(const std::string& kind, const std::string& key,
                                std::optional<Timestamp> last_modified, int64_t sync_seq,
                                int64_t line, const std::string& reason) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("INSERT OR REPLACE INTO erp_rejected (kind, key, "
                                             "last_modified, sync_seq, line, reason) VALUES (?1, "
                                             "?2, ?3, ?4, ?5, ?6)"));
  s->Bind(1, kind).Bind(2, key).Bind(3, std::optional<int64_t>(last_modified)).Bind(4, sync_seq);
  s->Bind(5, line).Bind(6, reason);
  Status st = s->Run();
  s->Reset();
  return st;
}

Status SqliteTx::DeleteErpRejected(const std::string& kind, const std::string& key) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("DELETE FROM erp_rejected WHERE kind = ?1 AND key = ?2"));
  s->Bind(1, kind).Bind(2, key);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<std::optional<std::string>> SqliteTx::AccountIdByErpId(const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT id FROM accounts WHERE erp_customer_id = ?1"));
  s->Bind(1, erp_id);
  std::optional<std::string> id;
  if (s->Step()) id = s->Text(0);
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return id;
}

Result<std::vector<std::string>> SqliteTx::ErpCustomerIds() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT erp_customer_id FROM accounts "
                                             "WHERE erp_customer_id IS NOT NULL"));
  return sqlite::Texts(s);
}

Result<int64_t> SqliteTx::InsertErpQueueItem(const ErpQueueItem& q) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO erp_queue (kind, account_id, erp_id, why, status, sync_seq, "
                   "created_at, decided_at, decided_by, reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                   "?10) RETURNING id"));
  s->Bind(1, q.kind).Bind(2, q.account_id).Bind(3, q.erp_id).Bind(4, q.why).Bind(5, q.status);
  s->Bind(6, q.sync_seq).Bind(7, q.created_at).Bind(8, std::optional<int64_t>(q.decided_at));
  s->Bind(9, q.decided_by).Bind(10, q.reason);
  int64_t id = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return id;
}

Status SqliteTx::UpdateErpQueueItem(const ErpQueueItem& q) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "UPDATE erp_queue SET why=?2, status=?3, decided_at=?4, decided_by=?5, reason=?6 "
          "WHERE id=?1"));
  s->Bind(1, q.id).Bind(2, q.why).Bind(3, q.status).Bind(4, std::optional<int64_t>(q.decided_at));
  s->Bind(5, q.decided_by).Bind(6, q.reason);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<std::optional<ErpQueueItem>> SqliteTx::GetErpQueueItem(int64_t id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kQueueCols +
                                             " FROM erp_queue WHERE id = ?1"));
  s->Bind(1, id);
  CX_ASSIGN_OR_RETURN(auto rows, All<ErpQueueItem>(s, ReadQueue));
  if (rows.empty()) return std::optional<ErpQueueItem>();
  return std::optional<ErpQueueItem>(rows.front());
}

Result<std::optional<ErpQueueItem>> SqliteTx::FindErpQueueItem(const std::string& kind,
                                                               const std::string& account_id,
                                                               const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kQueueCols +
                             " FROM erp_queue WHERE kind = ?1 AND account_id = ?2 AND erp_id = ?3 "
                             "ORDER BY id DESC LIMIT 1"));
  s->Bind(1, kind).Bind(2, account_id).Bind(3, erp_id);
  CX_ASSIGN_OR_RETURN(auto rows, All<ErpQueueItem>(s, ReadQueue));
  if (rows.empty()) return std::optional<ErpQueueItem>();
  return std::optional<ErpQueueItem>(rows.front());
}

Result<std::vector<ErpQueueItem>> SqliteTx::ListErpQueue(const std::string& status, int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(std::string("SELECT ") + kQueueCols +
                   " FROM erp_queue WHERE (?1 = '' OR status = ?1) ORDER BY id LIMIT ?2"));
  s->Bind(1, status).Bind(2, int64_t(limit));
  return All<ErpQueueItem>(s, ReadQueue);
}

Status SqliteTx::ReserveLargeWriteMemory(int mib) {
  // The page cache holds the transaction's pages until the commit instead of spilling them early.
  // A negative cache_size is in KiB; the value is an integer, never user text.
  return db_->Exec("PRAGMA cache_size = -" + std::to_string(std::max(2, mib) * 1024));
}

}  // namespace cx
