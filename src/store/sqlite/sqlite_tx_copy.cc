// SQLite Tx: copying a whole hub (copy_store.h): the tables as the catalog describes them, their
// rows in key order as typed values, multi-row appends, and the rebuild of what a copy leaves
// out (the name index, the aggregates).
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "base/text.h"
#include "store/logic/copy_tables.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using sqlite::Stmt;

namespace {

// The name index of this backend (0018_name_postings.sql), rebuilt by FinishCopy, the recent
// changes of its duplicate index (0064), the version of the match keys for its cache (0072,
// raised by FinishCopy), and the migration runner's record.
const std::vector<std::string_view> kOwnTables = {"name_postings", "word_variants",
                                                  "dup_blocks_recent", "match_key_version",
                                                  "schema_migrations"};

// An SQL identifier in double quotes.
std::string Ident(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

std::string Upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The CopyType of a declared column type, by SQLite's rules of type affinity
// (https://sqlite.org/datatype3.html, 3.1): INT → integer; CHAR, CLOB, TEXT → text; BLOB or
// nothing → blob; REAL, FLOA, DOUB → real; anything else is numeric, which a boolean is held as
// a whole number and the rest as a double.
CopyType TypeOfDeclared(const std::string& declared) {
  const std::string d = Upper(declared);
  auto has = [&](const char* w) { return d.find(w) != std::string::npos; };
  if (has("INT")) return CopyType::kInt;
  if (has("CHAR") || has("CLOB") || has("TEXT")) return CopyType::kText;
  if (d.empty() || has("BLOB")) return CopyType::kBlob;
  if (has("REAL") || has("FLOA") || has("DOUB")) return CopyType::kReal;
  if (has("BOOL")) return CopyType::kInt;
  return CopyType::kReal;
}

// A statement of our own (the cache of Db::Prepare holds one statement per SQL text, and a
// table's rows are read while other statements run).
using RawStmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Result<RawStmt> PrepareRaw(sqlite::Db* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(db->handle(), sql.c_str(), int(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return db->Error(rc, "preparing '" + sql + "'");
  }
  return RawStmt(s, &sqlite3_finalize);
}

const char* StorageName(int t) {
  switch (t) {
    case SQLITE_INTEGER:
      return "integer";
    case SQLITE_FLOAT:
      return "real";
    case SQLITE_TEXT:
      return "text";
    case SQLITE_BLOB:
      return "blob";
  }
  return "null";
}

std::string ColumnText(sqlite3_stmt* s, int col) {
  const void* p = sqlite3_column_blob(s, col);
  const int n = sqlite3_column_bytes(s, col);
  return p ? std::string(static_cast<const char*>(p), size_t(n)) : std::string();
}

// The first column of each row of `sql` (bound to `arg` when not empty).
Result<std::vector<std::string>> FirstColumn(sqlite::Db* db, const std::string& sql,
                                             const std::string& arg = "") {
  CX_ASSIGN_OR_RETURN(Stmt * s, db->Prepare(sql));
  if (!arg.empty()) s->Bind(1, arg);
  return sqlite::Texts(s);
}

}  // namespace

Result<std::vector<CopyTable>> SqliteTx::CopyTables() {
  CX_ASSIGN_OR_RETURN(std::vector<std::string> names,
                      FirstColumn(db_,
                                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                  "NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  std::vector<CopyTable> tables;
  for (const std::string& name : names) {
    if (CopyLeavesOut(name, kOwnTables)) continue;
    CopyTable t;
    t.name = name;
    CX_ASSIGN_OR_RETURN(Stmt * c, db_->Prepare("SELECT name, type, pk FROM pragma_table_info(?1) "
                                               "ORDER BY cid"));
    c->Bind(1, name);
    std::vector<std::pair<int64_t, std::string>> key;
    while (c->Step()) {
      t.columns.push_back(CopyColumn{c->Text(0), TypeOfDeclared(c->Text(1))});
      if (c->Int(2) > 0) key.emplace_back(c->Int(2), c->Text(0));
    }
    Status st = c->status();
    c->Reset();
    CX_RETURN_IF_ERROR(st);
    std::sort(key.begin(), key.end());
    for (const auto& k : key) t.key.push_back(k.second);
    CX_ASSIGN_OR_RETURN(
        std::vector<std::string> refs,
        FirstColumn(db_, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)", name));
    for (auto& r : refs)
      if (r != name) t.references.push_back(r);
    tables.push_back(std::move(t));
  }
  return InDependencyOrder(std::move(tables));
}

Status SqliteTx::ReadCopyRows(const CopyTable& table, int batch,
                              const std::function<Status(std::vector<CopyRow>&)>& fn) {
  if (table.columns.empty()) return Invalid("table " + table.name + ": no columns to read");
  std::string sql = "SELECT ";
  for (size_t c = 0; c < table.columns.size(); ++c)
    sql += (c ? ", " : "") + Ident(table.columns[c].name);
  sql += " FROM " + Ident(table.name) + " ORDER BY ";
  // Text by its bytes whatever the column's collation; NULL sorts first in SQLite.
  std::vector<std::string> order = table.key;
  if (order.empty())
    for (const auto& c : table.columns) order.push_back(c.name);
  for (size_t k = 0; k < order.size(); ++k)
    sql += (k ? ", " : "") + Ident(order[k]) + " COLLATE BINARY";
  CX_ASSIGN_OR_RETURN(RawStmt s, PrepareRaw(db_, sql));
  std::vector<CopyRow> rows;
  rows.reserve(size_t(std::max(batch, 1)));
  for (;;) {
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return db_->Error(rc, "reading table " + table.name);
    CopyRow row(table.columns.size());
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const int col = int(c);
      const int stored = sqlite3_column_type(s.get(), col);
      if (stored == SQLITE_NULL) continue;
      const CopyType want = table.columns[c].type;
      if (want == CopyType::kInt && stored == SQLITE_INTEGER) {
        row[c] = int64_t(sqlite3_column_int64(s.get(), col));
      } else if (want == CopyType::kReal && (stored == SQLITE_FLOAT || stored == SQLITE_INTEGER)) {
        row[c] = sqlite3_column_double(s.get(), col);
      } else if ((want == CopyType::kText && stored == SQLITE_TEXT) ||
                 (want == CopyType::kBlob && stored == SQLITE_BLOB)) {
        row[c] = ColumnText(s.get(), col);
      } else {
        std::string key;
        for (size_t k = 0; k < table.columns.size(); ++k) {
          if (std::find(table.key.begin(), table.key.end(), table.columns[k].name) ==
              table.key.end())
            continue;
          if (!key.empty()) key += ", ";
          const unsigned char* text = sqlite3_column_text(s.get(), int(k));
          key +=
              table.columns[k].name + " " + (text ? reinterpret_cast<const char*>(text) : "NULL");
        }
        return Invalid("table " + table.name + (key.empty() ? "" : " (" + key + ")") + ": column " +
                       table.columns[c].name + " holds " + StorageName(stored) +
                       " where its type is " + CopyTypeName(want) + "; another store cannot " +
                       "hold it as it is");
      }
    }
    rows.push_back(std::move(row));
    if (int(rows.size()) >= batch) {
      CX_RETURN_IF_ERROR(fn(rows));
      rows.clear();
    }
  }
  if (!rows.empty()) return fn(rows);
  return Status::Ok();
}

Result<std::optional<std::string>> SqliteTx::FirstHeldTable() {
  CX_ASSIGN_OR_RETURN(std::vector<CopyTable> tables, CopyTables());
  for (const auto& t : tables) {
    const bool settings = t.name == "settings";
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT 1 FROM " + Ident(t.name) +
                                               (settings ? " WHERE key <> ?1" : "") + " LIMIT 1"));
    if (settings) s->Bind(1, std::string(kHubIdSetting));
    const bool held = s->Step();
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    if (held) return std::optional<std::string>(t.name);
  }
  return std::optional<std::string>();
}

Result<std::map<std::string, int64_t>> SqliteTx::CopySerials() {
  // AUTOINCREMENT keeps the highest rowid ever handed out in sqlite_sequence.
  CX_ASSIGN_OR_RETURN(std::vector<CopyTable> tables, CopyTables());
  std::map<std::string, int64_t> serials;
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT name, seq FROM sqlite_sequence"));
  while (s->Step()) {
    const std::string name = s->Text(0);
    for (const auto& t : tables)
      if (t.name == name) serials[name] = s->Int(1);
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return serials;
}

Status SqliteTx::BeginCopy() {
  if (!writable_) return Internal("a copy needs a write transaction");
  // Checked at the commit instead: a merged account may name a survivor copied after it.
  CX_RETURN_IF_ERROR(db_->Exec("PRAGMA defer_foreign_keys = ON"));
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("DELETE FROM settings WHERE key = ?1"));
  s->Bind(1, std::string(kHubIdSetting));
  CX_RETURN_IF_ERROR(sqlite::RunAndReset(s));
  // The big tables go in as a first bulk load does: their secondary indexes and the triggers
  // that mark rows for the aggregates are put off until the commit (sqlite_tx_bulk.cc).
  for (Entity e : {Entity::kAccount, Entity::kContact, Entity::kInteraction, Entity::kOrder})
    CX_RETURN_IF_ERROR(ExpectBulkLoad(e, int64_t(1) << 40, BulkShape::kAny).status());
  return Status::Ok();
}

Status SqliteTx::AppendCopyRows(const CopyTable& table, const std::vector<CopyRow>& rows) {
  const int cols = int(table.columns.size());
  if (cols == 0) return Invalid("table " + table.name + ": no columns to write");
  std::string head = "INSERT INTO " + Ident(table.name) + " (";
  for (int c = 0; c < cols; ++c) head += (c ? ", " : "") + Ident(table.columns[size_t(c)].name);
  head += ")";
  // SQLite binds at most 32766 parameters per statement.
  const size_t per = size_t(std::max(1, std::min(256, 32766 / cols)));
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(per, rows.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sqlite::MultiRowSql(head, cols, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const CopyRow& row = rows[at + r];
      if (int(row.size()) != cols)
        return Invalid("table " + table.name + ": a row of " + std::to_string(row.size()) +
                       " values for " + std::to_string(cols) + " columns");
      for (int c = 0; c < cols; ++c) {
        const int i = int(r) * cols + c + 1;
        const CopyValue& v = row[size_t(c)];
        if (std::holds_alternative<int64_t>(v)) {
          s->Bind(i, std::get<int64_t>(v));
        } else if (std::holds_alternative<double>(v)) {
          s->Bind(i, std::get<double>(v));
        } else if (std::holds_alternative<std::string>(v)) {
          if (table.columns[size_t(c)].type == CopyType::kBlob) {
            s->BindBlob(i, std::get<std::string>(v));
          } else {
            s->BindStatic(i, std::get<std::string>(v));
          }
        } else {
          s->BindOrNull(i, "");
        }
      }
    }
    Status st = sqlite::RunAndRewind(s);
    if (!st.ok()) return Status(st.code(), "table " + table.name + ": " + st.message());
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::FinishCopy(const std::map<std::string, int64_t>& serials) {
  if (!writable_) return Internal("a copy needs a write transaction");
  // Serials: only the tables this store numbers itself (AUTOINCREMENT).
  for (const auto& [table, last] : serials) {
    CX_ASSIGN_OR_RETURN(Stmt * a, db_->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                               "AND name = ?1 AND sql LIKE '%AUTOINCREMENT%'"));
    a->Bind(1, table);
    const bool numbered = a->Step();
    Status st = a->status();
    a->Reset();
    CX_RETURN_IF_ERROR(st);
    if (!numbered) continue;
    CX_ASSIGN_OR_RETURN(Stmt * u, db_->Prepare("UPDATE sqlite_sequence SET seq = max(seq, ?2) "
                                               "WHERE name = ?1"));
    u->Bind(1, table).Bind(2, last);
    CX_RETURN_IF_ERROR(sqlite::RunAndReset(u));
    if (db_->Changes() > 0) continue;
    CX_ASSIGN_OR_RETURN(Stmt * i,
                        db_->Prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)"));
    i->Bind(1, table).Bind(2, last);
    CX_RETURN_IF_ERROR(sqlite::RunAndReset(i));
  }
  // The name index, from the live records, through the writers' own path (sqlite_tx_names.cc):
  // into an empty index it is written in one sorted pass at the commit.
  CX_ASSIGN_OR_RETURN(Stmt * a,
                      db_->Prepare("SELECT id, name FROM accounts WHERE merged_into IS NULL"));
  while (a->Step()) {
    Status st = IndexName(NameKind::kAccount, a->Text(0), CompanyWords(a->TextView(1)));
    if (!st.ok()) {
      a->Reset();
      return st;
    }
  }
  Status st = a->status();
  a->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_ASSIGN_OR_RETURN(Stmt * c,
                      db_->Prepare("SELECT id, full_name FROM contacts WHERE merged_into IS NULL"));
  while (c->Step()) {
    st = IndexName(NameKind::kContact, c->Text(0), Words(c->TextView(1)));
    if (!st.ok()) {
      c->Reset();
      return st;
    }
  }
  st = c->status();
  c->Reset();
  CX_RETURN_IF_ERROR(st);
  // The aggregates and the duplicate index are rebuilt whole at their next use, as after a
  // first import.
  return db_->Exec(
      "UPDATE kpi_activity_state SET stale = 1; UPDATE kpi_funnel_state SET stale = 1; "
      "UPDATE dup_state SET stale = 1; UPDATE match_key_version SET n = n + 1 WHERE id = 1");
}

}  // namespace cx
