// SQLite Tx: the audit log, buffered within a transaction and written in order.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>

#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt and the row helpers of sqlite_tx_rows.h

// ---- audit ----

Status SqliteTx::AppendAudit(AuditEntry e) {
  if (pending_audit_.empty()) pending_audit_.reserve(4096);
  pending_audit_.push_back(std::move(e));
  if (pending_audit_.size() >= 4096) return FlushAudit();  // bounded memory
  return Status::Ok();
}

Status SqliteTx::FlushAudit() {
  constexpr size_t kRows = 64;  // 9 values each, well under SQLite's parameter limit
  for (size_t at = 0; at < pending_audit_.size();) {
    const size_t n = std::min(kRows, pending_audit_.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare(sqlite::MultiRowSql("INSERT INTO audit (at, actor, action, entity, "
                                                   "entity_id, field, before, after, reason)",
                                                   9, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const AuditEntry& e = pending_audit_[at + r];
      const int b = int(r) * 9;
      s->Bind(b + 1, e.at).BindStatic(b + 2, e.actor).BindStatic(b + 3, e.action);
      s->BindStatic(b + 4, e.entity).BindStatic(b + 5, e.entity_id).BindStatic(b + 6, e.field);
      s->BindStatic(b + 7, e.before).BindStatic(b + 8, e.after).BindStatic(b + 9, e.reason);
    }
    Status st = sqlite::RunAndRewind(s);
    if (!st.ok()) {
      pending_audit_.clear();
      return st;
    }
    at += n;
  }
  pending_audit_.clear();
  return Status::Ok();
}

Result<std::vector<AuditEntry>> SqliteTx::ListAudit(const AuditFilter& f) {
  CX_RETURN_IF_ERROR(FlushAudit());
  Where w;
  if (!f.entity.empty()) w.Add("entity = ?", f.entity);
  if (!f.entity_id.empty()) w.Add("entity_id = ?", f.entity_id);
  if (!f.actor.empty()) w.Add("actor = ?", f.actor);
  if (!f.action.empty()) w.Add("action = ?", f.action);
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT seq, at, actor, action, entity, entity_id, field, before, after, reason "
                   "FROM audit" +
                   w.Sql() + (f.newest_first ? " ORDER BY at DESC, seq DESC" : " ORDER BY seq") +
                   Limit(f.limit, 0)));
  w.Bind(s);
  return Collect<AuditEntry>(s, [](const Stmt& r, Status*) {
    return AuditEntry{r.Int(0),  r.Int(1),  r.Text(2), r.Text(3), r.Text(4),
                      r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
  });
}

}  // namespace cx
