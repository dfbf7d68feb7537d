// PostgreSQL Tx: the audit log, buffered within a transaction and written in order, many rows
// per COPY (audit_store.h).
#include <algorithm>
#include <vector>

#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

namespace {

// The entries appended and not yet written. A bulk load appends one per record: writing them
// in runs of kRun rows (one COPY each) costs one round trip per run instead of one per entry.
struct PendingAudit {
  std::vector<AuditEntry> rows;
  bool flush_registered = false;
};
constexpr size_t kRun = 5000;  // about 1 MB of COPY text

// Takes the next `n` sequence numbers of the log: returns the first. The highest number ever
// handed out is kept in id_counters under 'audit' (a sequence would leave a gap for every
// rolled-back transaction, and `cxhub check` reads a gap as a removed entry). The upsert
// locks the counter's row until the commit, so the numbers follow the order of the commits.
Result<int64_t> TakeSeqs(pg::Db& db, size_t n) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db.Query("WITH m AS (SELECT coalesce(max(seq), 0) AS s FROM audit) "
                           "INSERT INTO id_counters (prefix, next) SELECT 'audit', m.s + $1 FROM m "
                           "ON CONFLICT (prefix) DO UPDATE SET next = greatest(id_counters.next, "
                           "(SELECT s FROM m)) + $1 RETURNING next",
                           pg::Params().Add(int64_t(n))));
  if (!r.Next()) return Internal("the audit log's counter cannot be read");
  return r.Int(0) - int64_t(n) + 1;
}

// Appends rows under new numbers, holding the log's counter row locked until the commit: it
// may run beside other writers (docs/postgresql.md, "Isolation"), which wait for that row and
// so number their entries after these, in the order of the commits.
Status FlushAudit(pg::Db& db, PendingAudit& pending) {
  pg::ConcurrentOk beside(db);
  std::vector<AuditEntry>& rows = pending.rows;
  if (rows.size() == 1) {
    // The usual write (one record, one entry): the number is taken and the row written in one
    // statement, so the counter's row is locked one round trip before the commit rather than
    // the three of a COPY, and other writers wait on it that much less.
    const AuditEntry& e = rows[0];
    Status st =
        db.Exec(
              "WITH m AS (SELECT coalesce(max(seq), 0) AS s FROM audit), "
              "c AS (INSERT INTO id_counters (prefix, next) SELECT 'audit', m.s + 1 FROM m "
              "ON CONFLICT (prefix) DO UPDATE SET next = greatest(id_counters.next, "
              "(SELECT s FROM m)) + 1 RETURNING next) "
              "INSERT INTO audit (seq, at, actor, action, entity, entity_id, field, before, "
              "after, reason) SELECT c.next, $1::bigint, $2::text, $3::text, $4::text, $5::text, "
              "$6::text, $7::text, $8::text, $9::text FROM c",
              pg::Params()
                  .Add(e.at)
                  .Add(e.actor)
                  .Add(e.action)
                  .Add(e.entity)
                  .Add(e.entity_id)
                  .Add(e.field)
                  .Add(e.before)
                  .Add(e.after)
                  .Add(e.reason))
            .status();
    rows.clear();
    return st;
  }
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(kRun, rows.size() - at);
    auto first = TakeSeqs(db, n);
    if (!first.ok()) {
      rows.clear();
      return first.status();
    }
    // COPY: no statement of 10,000 parameters to parse and plan per run.
    pg::CopyRows c;
    for (size_t r = 0; r < n; ++r) {
      const AuditEntry& e = rows[at + r];
      c.Int(*first + int64_t(r)).Int(e.at).Text(e.actor).Text(e.action).Text(e.entity);
      c.Text(e.entity_id).Text(e.field).Text(e.before).Text(e.after).Text(e.reason);
      c.EndRow();
    }
    Status st = db.Copy(
        "COPY audit (seq, at, actor, action, entity, entity_id, field, before, after, reason) "
        "FROM STDIN",
        c);
    if (!st.ok()) {
      rows.clear();
      return st;
    }
    at += n;
  }
  rows.clear();
  return Status::Ok();
}

}  // namespace

Status PgTx::AppendAudit(AuditEntry e) {
  PendingAudit& pending = AreaState<PendingAudit>("audit.pending");
  if (!pending.flush_registered) {
    pending.flush_registered = true;
    BeforeCommit([this]() { return FlushAudit(*db_, AreaState<PendingAudit>("audit.pending")); });
  }
  pending.rows.push_back(std::move(e));
  if (pending.rows.size() >= kRun) return FlushAudit(*db_, pending);  // bounded memory
  return Status::Ok();
}

Result<std::vector<AuditEntry>> PgTx::ListAudit(const AuditFilter& f) {
  CX_RETURN_IF_ERROR(FlushAudit(*db_, AreaState<PendingAudit>("audit.pending")));
  Where w;
  if (!f.entity.empty()) w.Add("entity = ?", f.entity);
  if (!f.entity_id.empty()) w.Add("entity_id = ?", f.entity_id);
  if (!f.actor.empty()) w.Add("actor = ?", f.actor);
  if (!f.action.empty()) w.Add("action = ?", f.action);
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db_->Query("SELECT seq, at, actor, action, entity, entity_id, field, before, after, reason "
                 "FROM audit" +
                     w.Sql() + (f.newest_first ? " ORDER BY at DESC, seq DESC" : " ORDER BY seq") +
                     Limit(f.limit, 0),
                 w.params()));
  return Collect<AuditEntry>(r, [](const pg::Rows& s, Status*) {
    return AuditEntry{s.Int(0),  s.Int(1),  s.Text(2), s.Text(3), s.Text(4),
                      s.Text(5), s.Text(6), s.Text(7), s.Text(8), s.Text(9)};
  });
}

}  // namespace cx
