// SQLite Tx: the checks of `cxhub check` (store/check_store.h): SQLite's integrity_check and
// foreign_key_check, the audit log's sequence and guards, the name index's blocks.
#include "store/sqlite/sqlite_tx.h"

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
  // integrity_check reads every page: the b-trees, the free list, and each index against
  // its table. One row "ok" when all is well.
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("PRAGMA integrity_check(" + std::to_string(limit) + ")"));
  CX_ASSIGN_OR_RETURN(auto lines, Lines(s, limit));
  if (lines.size() == 1 && lines[0] == "ok") lines.clear();
  return lines;
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
