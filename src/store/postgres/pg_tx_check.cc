// PostgreSQL Tx: the checks of `cxhub check` (check_store.h) with what PostgreSQL offers
// without extensions: every table read whole (a damaged page or a checksum failure stops the
// read and is reported), every index valid and ready in the catalog, and, when the amcheck
// extension is installed, each B-tree index checked against its own structure. Foreign keys
// are checked by query (PostgreSQL enforces them, but a restore or a replica role can skip the
// triggers), and the audit log's numbers and guards as on SQLite.
#include <vector>

#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::vector<std::string>> PgTx::CheckStorage(int limit) {
  std::vector<std::string> out;
  CX_ASSIGN_OR_RETURN(
      pg::Rows idx,
      db_->Query("SELECT c.relname, t.relname, i.indisvalid, i.indisready, am.amname "
                 "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                 "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam "
                 "WHERE t.relnamespace = current_schema()::regnamespace ORDER BY 2, 1"));
  std::vector<std::string> btrees;
  while (idx.Next()) {
    if (!idx.Bool(2) || !idx.Bool(3)) {
      if (int(out.size()) < limit)
        out.push_back("index " + idx.Text(0) + " of " + idx.Text(1) +
                      " is not valid (a failed build): REINDEX INDEX " + idx.Text(0));
    } else if (idx.Text(4) == "btree") {
      btrees.push_back(idx.Text(0));
    }
  }
  CX_ASSIGN_OR_RETURN(
      pg::Rows tables,
      db_->Query("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = "
                 "current_schema()::regnamespace ORDER BY relname"));
  // Every row of every table read from the heap (not from an index), in a savepoint each, so
  // that one damaged table does not hide the others.
  CX_RETURN_IF_ERROR(
      db_->ExecScript("SET LOCAL enable_indexscan = off; SET LOCAL "
                      "enable_indexonlyscan = off; SET LOCAL enable_bitmapscan = "
                      "off"));
  while (tables.Next() && int(out.size()) < limit) {
    const std::string t = tables.Text(0);
    CX_RETURN_IF_ERROR(db_->ExecScript("SAVEPOINT cx_check"));
    // Identifiers from the hub's own catalog, quoted: they cannot be bound as parameters.
    // Each row as text: every column read, long values fetched from their TOAST table too.
    Status st = db_->ExecScript("SELECT count(*) FROM " + pg::QuoteIdent(t) +
                                " AS t WHERE length(t::text) >= 0");
    if (!st.ok()) {
      out.push_back("table " + t + " cannot be read whole: " + st.message());
      CX_RETURN_IF_ERROR(db_->ExecScript("ROLLBACK TO SAVEPOINT cx_check"));
    }
    CX_RETURN_IF_ERROR(db_->ExecScript("RELEASE SAVEPOINT cx_check"));
  }
  CX_RETURN_IF_ERROR(
      db_->ExecScript("RESET enable_indexscan; RESET enable_indexonlyscan; "
                      "RESET enable_bitmapscan"));
  CX_ASSIGN_OR_RETURN(pg::Rows amcheck,
                      db_->Query("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'"));
  if (!amcheck.empty()) {
    for (const auto& name : btrees) {
      if (int(out.size()) >= limit) break;
      CX_RETURN_IF_ERROR(db_->ExecScript("SAVEPOINT cx_check"));
      Status st =
          db_->Exec("SELECT bt_index_check($1::regclass, true)", pg::Params().Add(name)).status();
      if (!st.ok()) {
        out.push_back("index " + name + " is damaged: " + st.message());
        CX_RETURN_IF_ERROR(db_->ExecScript("ROLLBACK TO SAVEPOINT cx_check"));
      }
      CX_RETURN_IF_ERROR(db_->ExecScript("RELEASE SAVEPOINT cx_check"));
    }
  }
  return out;
}

Result<std::vector<std::string>> PgTx::CheckReferences(int limit) {
  // Every single-column foreign key of the hub's tables (the schema has no other kind).
  CX_ASSIGN_OR_RETURN(
      pg::Rows fks,
      db_->Query("SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
                 "af.attname FROM pg_constraint c "
                 "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                 "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
                 "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 "
                 "AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2"));
  std::vector<std::string> out;
  while (fks.Next() && int(out.size()) < limit) {
    const std::string child = fks.Text(0), col = fks.Text(1), parent = fks.Text(2),
                      pcol = fks.Text(3);
    // A row is named by its id (or seq), else by its place in the table.
    CX_ASSIGN_OR_RETURN(
        pg::Rows bad,
        db_->Query("SELECT coalesce(to_jsonb(c) ->> 'id', to_jsonb(c) ->> 'seq', c.ctid::text) "
                   "FROM " +
                       pg::QuoteIdent(child) + " c WHERE c." + pg::QuoteIdent(col) +
                       " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + pg::QuoteIdent(parent) +
                       " p WHERE p." + pg::QuoteIdent(pcol) + " = c." + pg::QuoteIdent(col) +
                       ") LIMIT $1",
                   pg::Params().Add(limit)));
    while (bad.Next() && int(out.size()) < limit)
      out.push_back(child + " row " + bad.Text(0) + ": its reference to " + parent +
                    " names no row");
  }
  return out;
}

Result<AuditLogFacts> PgTx::GetAuditLogFacts() {
  AuditLogFacts f;
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db_->Query("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0), "
                 "coalesce((SELECT next FROM id_counters WHERE prefix = 'audit'), 0) FROM audit"));
  if (r.Next()) {
    f.rows = r.Int(0);
    f.min_seq = r.Int(1);
    f.max_seq = r.Int(2);
    f.highest_ever = r.Int(3);
  }
  // Each guard present and enabled, with the function that refuses the change.
  for (const char* guard : {"audit_no_update", "audit_no_delete", "audit_no_truncate"}) {
    CX_ASSIGN_OR_RETURN(
        pg::Rows g,
        db_->Query("SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid WHERE "
                   "t.tgrelid = 'audit'::regclass AND t.tgname = $1 AND t.tgenabled <> 'D' AND "
                   "p.proname = 'audit_append_only' AND p.prosrc LIKE '%RAISE EXCEPTION%'",
                   pg::Params().Add(guard)));
    if (g.empty()) f.missing_guards.push_back(guard);
  }
  return f;
}

}  // namespace cx
