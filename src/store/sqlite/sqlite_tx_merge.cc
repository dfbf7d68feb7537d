// SQLite Tx: merges (moving references, the merge records) and settings.
#include <nlohmann/json.hpp>

#include "store/logic/merge_steps.h"

#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using namespace sqlite;  // Stmt and the name index rows of sqlite_name_rows.h

namespace {
// The column of a row that references an account or a contact.
const char* ReferenceColumn(NameKind k) {
  return k == NameKind::kAccount ? "account_id" : "contact_id";
}
}  // namespace

Result<std::vector<MergeStep>> SqliteTx::MoveReferences(NameKind k, const std::string& from,
                                                        const std::string& to) {
  // The kinds of row that point at an account or a contact. Fixed strings only.
  static const std::vector<Entity> kAccountRefs = {Entity::kContact, Entity::kOpportunity,
                                                   Entity::kCase, Entity::kFeedback};
  static const std::vector<Entity> kContactRefs = {Entity::kInteraction, Entity::kCase,
                                                   Entity::kFeedback};
  const auto& refs = k == NameKind::kAccount ? kAccountRefs : kContactRefs;
  const std::string column = ReferenceColumn(k);
  std::vector<MergeStep> moved;
  for (Entity e : refs) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(std::string("UPDATE ") + EntityPlural(e) + " SET " + column +
                                     " = ?1 WHERE " + column + " = ?2 RETURNING id"));
    s->Bind(1, to).Bind(2, from);
    while (s->Step()) moved.push_back(MergeStep::Moved(e, s->Text(0), k));
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  return moved;
}

Status SqliteTx::RestoreReferences(const std::vector<MergeStep>& moved,
                                   const std::string& original) {
  for (const auto& m : moved) {
    if (m.type != MergeStep::Type::kMovedRow) return Invalid("only moved rows can be put back");
    const bool allowed = m.reference == NameKind::kAccount
                             ? (m.entity == Entity::kContact || m.entity == Entity::kOpportunity ||
                                m.entity == Entity::kCase || m.entity == Entity::kFeedback)
                             : (m.entity == Entity::kInteraction || m.entity == Entity::kCase ||
                                m.entity == Entity::kFeedback);
    if (!allowed)
      return Internal(std::string("merge record names rows that cannot move: ") +
                      EntityPlural(m.entity));
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(std::string("UPDATE ") + EntityPlural(m.entity) + " SET " +
                                     ReferenceColumn(m.reference) + " = ? WHERE id = ?"));
    s->Bind(1, original).Bind(2, m.id);
    CX_RETURN_IF_ERROR(RunAndReset(s));
  }
  return Status::Ok();
}

Status SqliteTx::SaveMerge(const MergeRecord& m) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO merges (id, kind, survivor, merged, moved, at, actor, reason, undone_at) "
          "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(id) DO UPDATE SET "
          "undone_at = excluded.undone_at"));
  s->Bind(1, m.id)
      .Bind(2, KindName(m.kind))
      .Bind(3, m.survivor)
      .Bind(4, nlohmann::json(m.merged).dump());
  s->Bind(5, MergeStepsToText(m.moved)).Bind(6, m.at).Bind(7, m.actor).Bind(8, m.reason);
  s->Bind(9, std::optional<int64_t>(m.undone_at));
  return RunAndReset(s);
}

namespace {
Result<std::vector<MergeRecord>> ReadMerges(Stmt* s) {
  std::vector<MergeRecord> out;
  Status bad;
  while (s->Step()) {
    MergeRecord m;
    m.id = s->Text(0);
    m.kind = s->Text(1) == "account" ? NameKind::kAccount : NameKind::kContact;
    m.survivor = s->Text(2);
    auto merged = nlohmann::json::parse(s->Text(3), nullptr, false);
    auto moved = MergeStepsFromText(s->Text(4), m.id);
    if (merged.is_discarded() || !merged.is_array() || !moved.ok()) {
      bad = Internal("merge record " + m.id + " is corrupt");
      continue;
    }
    for (const auto& id : merged) m.merged.push_back(id.get<std::string>());
    m.moved = std::move(*moved);
    m.at = s->Int(5);
    m.actor = s->Text(6);
    m.reason = s->Text(7);
    m.undone_at = s->OptInt(8);
    out.push_back(std::move(m));
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_RETURN_IF_ERROR(bad);
  return out;
}
}  // namespace

Result<std::optional<MergeRecord>> SqliteTx::GetMerge(const std::string& id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, kind, survivor, merged, moved, at, actor, reason, undone_at "
                   "FROM merges WHERE id = ?"));
  s->Bind(1, id);
  CX_ASSIGN_OR_RETURN(auto rows, ReadMerges(s));
  if (rows.empty()) return std::optional<MergeRecord>();
  return std::optional<MergeRecord>(rows.front());
}

Result<std::vector<MergeRecord>> SqliteTx::ListMerges(int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, kind, survivor, merged, moved, at, actor, reason, undone_at "
                   "FROM merges ORDER BY at DESC, id DESC LIMIT ?"));
  s->Bind(1, int64_t(limit));
  return ReadMerges(s);
}

Result<std::optional<std::string>> SqliteTx::GetSetting(const std::string& key) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT value FROM settings WHERE key = ?"));
  s->Bind(1, key);
  std::optional<std::string> v;
  if (s->Step()) v = s->Text(0);
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return v;
}

Status SqliteTx::SetSetting(const std::string& key, const std::string& value) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  s->Bind(1, key).Bind(2, value);
  return RunAndReset(s);
}

}  // namespace cx
