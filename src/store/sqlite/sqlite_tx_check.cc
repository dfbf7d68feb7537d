// SQLite Tx: the checks of `cxhub check` (store/check_store.h): SQLite's integrity_check and
// foreign_key_check, the audit log's sequence and guards, the name index's blocks.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <map>

namespace cx {
namespace {

using sqlite::Stmt;

// Reads the first column of every row as text.
Result<std::vector<std::string>> Lines(Stmt* s, int limit) {
  std::vector<std::string> out;
  while (s->Step()) {
    if (int(out.size()) < limit) out.push_back(s->Text(0));
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

}  // namespace

Result<std::vector<std::string>> SqliteTx::CheckStorage(int limit) {
  // SQLite names a damaged b-tree by its root page ("Tree 37 page 37 …"): the schema says
  // which table or index that is (when the schema itself is still readable).
  std::map<std::string, std::string> trees;
  if (auto q = db_->Prepare("SELECT rootpage, type, name FROM sqlite_master WHERE rootpage > 0");
      q.ok()) {
    Stmt* s = *q;
    while (s->Step()) trees["Tree " + s->Text(0) + " "] = s->Text(1) + " " + s->Text(2);
    s->Reset();
  }
  // integrity_check reads every page: the b-trees, the free list, and each index against
  // its table. One row "ok" when all is well.
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("PRAGMA integrity_check(" + std::to_string(limit) + ")"));
  auto checked = Lines(s, limit);
  // A page too damaged to parse stops integrity_check itself: then each table and index is
  // read on its own, so that the answer still names what is damaged.
  if (!checked.ok()) return TreeByTree(checked.status(), limit);
  auto lines = std::move(*checked);
  if (lines.size() == 1 && lines[0] == "ok") lines.clear();
  for (auto& l : lines) {
    const size_t at = l.find("Tree ");
    if (at == std::string::npos) continue;
    const size_t end = l.find(' ', at + 5);
    if (end == std::string::npos) continue;
    auto it = trees.find(l.substr(at, end + 1 - at));
    if (it != trees.end()) l.insert(end, " (" + it->second + ")");
  }
  return lines;
}

Result<std::vector<std::string>> SqliteTx::TreeByTree(const Status& why, int limit) {
  std::vector<std::pair<std::string, std::string>> objects;  // (type, name), then tbl_name
  std::vector<std::string> tables_of;
  {
    auto q = db_->Prepare(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE rootpage > 0 AND type IN "
        "('table', 'index') ORDER BY type DESC, name");
    if (!q.ok()) return std::vector<std::string>{"the schema cannot be read: " + why.message()};
    Stmt* s = *q;
    while (s->Step()) {
      objects.emplace_back(s->Text(0), s->Text(1));
      tables_of.push_back(s->Text(2));
    }
    Status st = s->status();
    s->Reset();
    if (!st.ok()) return std::vector<std::string>{"the schema cannot be read: " + st.message()};
  }
  auto quoted = [](const std::string& id) {
    std::string q = "\"";
    for (char c : id) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < objects.size() && int(out.size()) < limit; ++i) {
    const auto& [type, name] = objects[i];
    // Identifiers from the hub's own schema, quoted: they cannot be bound as parameters. A
    // count without WHERE reads the smallest index, whatever INDEXED BY says.
    const std::string sql = type == "table"
                                ? "SELECT count(*) FROM " + quoted(name) + " NOT INDEXED"
                                : "SELECT count(*) FROM " + quoted(tables_of[i]) + " INDEXED BY " +
                                      quoted(name) + " WHERE 1";
    sqlite3_stmt* raw = nullptr;
    // A partial index cannot serve a plain count ("no query solution"): not damage.
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
      const int rc = sqlite3_errcode(db_->handle());
      if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
        out.push_back(type + " " + name + ": " + sqlite3_errmsg(db_->handle()));
      sqlite3_finalize(raw);
      continue;
    }
    const int rc = sqlite3_step(raw);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      out.push_back(type + " " + name + " is damaged: " + sqlite3_errmsg(db_->handle()));
    sqlite3_finalize(raw);
  }
  if (out.empty()) out.push_back("the storage check stopped: " + why.message());
  return out;
}

Result<std::vector<std::string>> SqliteTx::CheckReferences(int limit) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("PRAGMA foreign_key_check"));
  std::vector<std::string> out;
  while (s->Step()) {
    if (int(out.size()) >= limit) continue;
    out.push_back(s->Text(0) + " row " + s->Text(1) + ": its reference to " + s->Text(2) +
                  " names no row");
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<AuditLogFacts> SqliteTx::GetAuditLogFacts() {
  AuditLogFacts f;
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) "
                                   "FROM audit"));
  if (s->Step()) {
    f.rows = s->Int(0);
    f.min_seq = s->Int(1);
    f.max_seq = s->Int(2);
  }
  CX_RETURN_IF_ERROR(s->status());
  s->Reset();
  // AUTOINCREMENT keeps the highest number ever handed out: rows cut off the end of the log
  // leave it above the highest present.
  CX_ASSIGN_OR_RETURN(
      s, db_->Prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'audit'"));
  if (s->Step()) f.highest_ever = s->Int(0);
  CX_RETURN_IF_ERROR(s->status());
  s->Reset();
  for (const char* guard : {"audit_no_update", "audit_no_delete"}) {
    CX_ASSIGN_OR_RETURN(
        s, db_->Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1 "
                        "AND tbl_name = 'audit' AND sql LIKE '%RAISE(ABORT%'"));
    s->Bind(1, std::string_view(guard));
    const bool present = s->Step() && s->Int(0) == 1;
    CX_RETURN_IF_ERROR(s->status());
    s->Reset();
    if (!present) f.missing_guards.push_back(guard);
  }
  return f;
}

Status SqliteTx::ForEachNamePosting(NameKind k,
                                    const std::function<Status(const NamePosting&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT word, records, ids FROM name_postings WHERE kind = ?1 ORDER BY word, "
                   "first"));
  s->Bind(1, int64_t(k == NameKind::kAccount ? 0 : 1));
  NamePosting p;
  Status st;
  while (st.ok() && s->Step()) {
    p.word = s->Text(0);
    p.records = s->Int(1);
    p.ids.clear();
    std::string_view text = s->TextView(2);
    while (!text.empty()) {
      const size_t end = std::min(text.find('\x1f'), text.size());
      p.ids.emplace_back(text.substr(0, end));
      text.remove_prefix(std::min(end + 1, text.size()));
    }
    st = fn(p);
  }
  if (st.ok()) st = s->status();
  s->Reset();
  return st;
}

}  // namespace cx
