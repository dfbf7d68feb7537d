// PostgreSQL Tx: copying a whole hub (copy_store.h): the tables as the catalog describes them,
// their rows in key order as typed values, appends through COPY, and the rebuild of what a copy
// leaves out (the name index, the aggregates).
#include <algorithm>

#include "base/text.h"
#include "store/logic/copy_tables.h"
#include "store/postgres/pg_tx.h"

namespace cx {

namespace {

// The name index of this backend (0018_name_postings.sql, 0057_name_word_counts.sql), the
// orders' sums per day (0077_kpi_order_days.sql: its triggers fill it as the orders come), the
// pairs of active days per day (0079_kpi_activity_starts.sql: the KPI rebuild fills it) and the
// migration runner's record.
const std::vector<std::string_view> kOwnTables = {"kpi_activity_starts", "kpi_order_days",
                                                  "name_entries",        "name_variants",
                                                  "name_words",          "schema_migrations"};

// The CopyType of a column type (pg_type.typname). Errors: kInternal naming the column for a
// type no CopyType holds (an array, say): such a table cannot be copied as it is.
Result<CopyType> TypeOf(const std::string& table, const std::string& column,
                        const std::string& type) {
  if (type == "int2" || type == "int4" || type == "int8" || type == "bool" || type == "oid")
    return CopyType::kInt;
  if (type == "float4" || type == "float8" || type == "numeric") return CopyType::kReal;
  if (type == "text" || type == "varchar" || type == "bpchar" || type == "name")
    return CopyType::kText;
  if (type == "bytea") return CopyType::kBlob;
  return Internal("table " + table + ": column " + column + " has the type " + type +
                  ", which move-store cannot copy");
}

const CopyColumn* ColumnOf(const CopyTable& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// The identity column of a table ("" when none): the column PostgreSQL numbers itself.
struct Numbered {
  std::string table, column;
};

Result<std::vector<Numbered>> IdentityColumns(pg::Db& db) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = "
               "a.attrelid WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = "
               "'r' AND a.attidentity <> '' AND NOT a.attisdropped ORDER BY 1"));
  std::vector<Numbered> out;
  while (r.Next()) out.push_back(Numbered{r.Text(0), r.Text(1)});
  return out;
}

}  // namespace

Result<std::vector<CopyTable>> PgTx::CopyTables() {
  CX_ASSIGN_OR_RETURN(
      pg::Rows names,
      db().Query("SELECT c.oid::text, c.relname FROM pg_class c WHERE c.relnamespace = "
                 "current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relispartition "
                 "ORDER BY c.relname COLLATE \"C\""));
  std::vector<CopyTable> tables;
  while (names.Next()) {
    const std::string oid = names.Text(0);
    CopyTable t;
    t.name = names.Text(1);
    if (CopyLeavesOut(t.name, kOwnTables)) continue;
    CX_ASSIGN_OR_RETURN(
        pg::Rows cols,
        db().Query("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = "
                   "a.atttypid WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT "
                   "a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
                   pg::Params().Add(oid)));
    while (cols.Next()) {
      CX_ASSIGN_OR_RETURN(CopyType type, TypeOf(t.name, cols.Text(0), cols.Text(1)));
      t.columns.push_back(CopyColumn{cols.Text(0), type});
    }
    CX_ASSIGN_OR_RETURN(
        pg::Rows key,
        db().Query("SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) "
                   "WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = "
                   "i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = $1::oid AND "
                   "i.indisprimary ORDER BY k.ord",
                   pg::Params().Add(oid)));
    while (key.Next()) t.key.push_back(key.Text(0));
    CX_ASSIGN_OR_RETURN(
        pg::Rows refs,
        db().Query("SELECT DISTINCT f.relname FROM pg_constraint c JOIN pg_class f ON f.oid = "
                   "c.confrelid WHERE c.conrelid = $1::oid AND c.contype = 'f' AND c.confrelid "
                   "<> c.conrelid",
                   pg::Params().Add(oid)));
    while (refs.Next()) t.references.push_back(refs.Text(0));
    tables.push_back(std::move(t));
  }
  return InDependencyOrder(std::move(tables));
}

Status PgTx::ReadCopyRows(const CopyTable& table, int batch,
                          const std::function<Status(std::vector<CopyRow>&)>& fn) {
  if (table.columns.empty()) return Invalid("table " + table.name + ": no columns to read");
  std::string sql = "SELECT ";
  for (size_t c = 0; c < table.columns.size(); ++c)
    sql += (c ? ", " : "") + pg::QuoteIdent(table.columns[c].name);
  sql += " FROM " + pg::QuoteIdent(table.name) + " ORDER BY ";
  // Text by its bytes (COLLATE "C", whatever the column's collation), NULL first: SQLite's
  // order, so that both sides list the rows alike.
  std::vector<std::string> order = table.key;
  if (order.empty())
    for (const auto& c : table.columns) order.push_back(c.name);
  for (size_t k = 0; k < order.size(); ++k) {
    const CopyColumn* c = ColumnOf(table, order[k]);
    sql += (k ? ", " : "") + pg::QuoteIdent(order[k]) +
           (c && c->type == CopyType::kText ? " COLLATE \"C\"" : "") + " NULLS FIRST";
  }
  std::vector<CopyRow> rows;
  return db().ForEachBatch(
      sql, pg::Params(),
      [&](pg::Rows& r) -> Status {
        rows.clear();
        while (r.Next()) {
          CopyRow row(table.columns.size());
          for (size_t c = 0; c < table.columns.size(); ++c) {
            const int col = int(c);
            if (r.IsNull(col)) continue;
            switch (table.columns[c].type) {
              case CopyType::kInt:
                row[c] = r.Int(col);
                break;
              case CopyType::kReal:
                row[c] = r.Real(col);
                break;
              case CopyType::kText:
                row[c] = r.Text(col);
                break;
              case CopyType::kBlob:
                row[c] = r.Bytes(col);
                break;
            }
          }
          rows.push_back(std::move(row));
        }
        return fn(rows);
      },
      std::max(batch, 1));
}

Result<std::optional<std::string>> PgTx::FirstHeldTable() {
  CX_ASSIGN_OR_RETURN(std::vector<CopyTable> tables, CopyTables());
  for (const auto& t : tables) {
    const bool settings = t.name == "settings";
    CX_ASSIGN_OR_RETURN(pg::Rows r,
                        db().Query("SELECT 1 FROM " + pg::QuoteIdent(t.name) +
                                       (settings ? " WHERE key <> $1" : "") + " LIMIT 1",
                                   settings ? pg::Params().Add(kHubIdSetting) : pg::Params()));
    if (!r.empty()) return std::optional<std::string>(t.name);
  }
  return std::optional<std::string>();
}

Result<std::map<std::string, int64_t>> PgTx::CopySerials() {
  std::map<std::string, int64_t> serials;
  CX_ASSIGN_OR_RETURN(std::vector<Numbered> numbered, IdentityColumns(db()));
  for (const auto& n : numbered) {
    if (CopyLeavesOut(n.table, kOwnTables)) continue;
    // A sequence is read outside the transaction's snapshot: its last value, or the highest
    // key when no value was ever taken (is_called false).
    CX_ASSIGN_OR_RETURN(pg::Rows seq,
                        db().Query("SELECT pg_get_serial_sequence($1, $2)",
                                   pg::Params().Add(pg::QuoteIdent(n.table)).Add(n.column)));
    int64_t last = 0;
    if (seq.Next() && !seq.IsNull(0)) {
      CX_ASSIGN_OR_RETURN(pg::Rows v, db().Query("SELECT CASE WHEN is_called THEN last_value "
                                                 "ELSE 0 END FROM " +
                                                 seq.Text(0)));
      if (v.Next()) last = v.Int(0);
    }
    CX_ASSIGN_OR_RETURN(pg::Rows m, db().Query("SELECT coalesce(max(" + pg::QuoteIdent(n.column) +
                                               "), 0) FROM " + pg::QuoteIdent(n.table)));
    if (m.Next()) last = std::max(last, m.Int(0));
    serials[n.table] = last;
  }
  // The audit log numbers its rows itself and keeps the highest number ever handed out in
  // id_counters (pg_tx_audit.cc).
  CX_ASSIGN_OR_RETURN(
      pg::Rows audit,
      db().Query("SELECT greatest(coalesce((SELECT next FROM id_counters WHERE prefix = 'audit'), "
                 "0), coalesce((SELECT max(seq) FROM audit), 0))"));
  if (audit.Next()) serials["audit"] = audit.Int(0);
  return serials;
}

Status PgTx::BeginCopy() {
  if (!Writable()) return Internal("a copy needs a write transaction");
  // Foreign keys are deferrable (0052): checked at the commit, so that a merged account may
  // name a survivor copied after it.
  CX_RETURN_IF_ERROR(db().ExecScript("SET CONSTRAINTS ALL DEFERRED"));
  CX_RETURN_IF_ERROR(
      db().Exec("DELETE FROM settings WHERE key = $1", pg::Params().Add(kHubIdSetting)).status());
  // The duplicate index's per-row marks are turned off for the load (pg_tx_bulk.cc).
  for (Entity e : {Entity::kAccount, Entity::kContact})
    CX_RETURN_IF_ERROR(ExpectBulkLoad(e, int64_t(1) << 40, BulkShape::kAny).status());
  return Status::Ok();
}

Status PgTx::AppendCopyRows(const CopyTable& table, const std::vector<CopyRow>& rows) {
  if (table.columns.empty()) return Invalid("table " + table.name + ": no columns to write");
  std::string sql = "COPY " + pg::QuoteIdent(table.name) + " (";
  for (size_t c = 0; c < table.columns.size(); ++c)
    sql += (c ? ", " : "") + pg::QuoteIdent(table.columns[c].name);
  sql += ") FROM STDIN";
  pg::CopyRows data;
  for (const CopyRow& row : rows) {
    if (row.size() != table.columns.size())
      return Invalid("table " + table.name + ": a row of " + std::to_string(row.size()) +
                     " values for " + std::to_string(table.columns.size()) + " columns");
    for (size_t c = 0; c < row.size(); ++c) {
      const CopyValue& v = row[c];
      if (std::holds_alternative<int64_t>(v)) {
        data.Int(std::get<int64_t>(v));  // a boolean column reads 0 and 1 too
      } else if (std::holds_alternative<double>(v)) {
        data.Real(std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const std::string& s = std::get<std::string>(v);
        // bytea's hex input form; Text escapes its backslash for COPY.
        data.Text(table.columns[c].type == CopyType::kBlob ? "\\x" + Hex(s) : s);
      } else {
        data.Null();
      }
    }
    data.EndRow();
  }
  if (data.rows() == 0) return Status::Ok();
  Status st = db().Copy(sql, data);
  if (!st.ok()) return Status(st.code(), "table " + table.name + ": " + st.message());
  return Status::Ok();
}

Status PgTx::FinishCopy(const std::map<std::string, int64_t>& serials) {
  if (!Writable()) return Internal("a copy needs a write transaction");
  CX_ASSIGN_OR_RETURN(std::vector<Numbered> numbered, IdentityColumns(db()));
  for (const auto& n : numbered) {
    if (CopyLeavesOut(n.table, kOwnTables)) continue;
    auto given = serials.find(n.table);
    CX_ASSIGN_OR_RETURN(pg::Rows m, db().Query("SELECT coalesce(max(" + pg::QuoteIdent(n.column) +
                                               "), 0) FROM " + pg::QuoteIdent(n.table)));
    int64_t last = m.Next() ? m.Int(0) : 0;
    if (given != serials.end()) last = std::max(last, given->second);
    if (last <= 0) continue;
    CX_RETURN_IF_ERROR(db().Query("SELECT setval(pg_get_serial_sequence($1, $2), $3, true)",
                                  pg::Params().Add(pg::QuoteIdent(n.table)).Add(n.column).Add(last))
                           .status());
  }
  if (auto audit = serials.find("audit"); audit != serials.end() && audit->second > 0) {
    CX_RETURN_IF_ERROR(db().Exec("INSERT INTO id_counters (prefix, next) VALUES ('audit', $1) "
                                 "ON CONFLICT (prefix) DO UPDATE SET next = "
                                 "greatest(id_counters.next, excluded.next)",
                                 pg::Params().Add(audit->second))
                           .status());
  }
  // The name index, from the live records, through the writers' own path (pg_tx_names.cc).
  CX_RETURN_IF_ERROR(db().ForEachBatch(
      "SELECT id, name FROM accounts WHERE merged_into IS NULL ORDER BY id", pg::Params(),
      [&](pg::Rows& r) -> Status {
        while (r.Next())
          CX_RETURN_IF_ERROR(IndexName(NameKind::kAccount, r.Text(0), CompanyWords(r.Text(1))));
        return Status::Ok();
      }));
  CX_RETURN_IF_ERROR(db().ForEachBatch(
      "SELECT id, full_name FROM contacts WHERE merged_into IS NULL ORDER BY id", pg::Params(),
      [&](pg::Rows& r) -> Status {
        while (r.Next())
          CX_RETURN_IF_ERROR(IndexName(NameKind::kContact, r.Text(0), Words(r.Text(1))));
        return Status::Ok();
      }));
  // The aggregates and the duplicate index are rebuilt whole at their next use, as after a
  // first import; their change lists go with the rebuild.
  return db().ExecScript(
      "UPDATE kpi_activity_state SET stale = 1; UPDATE kpi_funnel_state SET stale = 1; "
      "UPDATE dup_state SET stale = true");
}

}  // namespace cx
