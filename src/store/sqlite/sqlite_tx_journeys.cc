// SQLite Tx: checklist answers, journey next actions and the facts behind SLA clocks.
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

const char* kActionCols = "seq, opportunity_id, case_id, action, due, owner, done, created_at, created_by, rule";

JourneyAction ReadAction(const Stmt& s) {
  JourneyAction a;
  a.seq = s.Int(0);
  a.opportunity_id = s.Text(1);
  a.case_id = s.Text(2);
  a.action = s.Text(3);
  a.due = s.OptInt(4);
  a.owner = s.Text(5);
  a.done = s.Int(6) != 0;
  a.created_at = s.Int(7);
  a.created_by = s.Text(8);
  a.rule = s.Text(9);
  return a;
}

Result<std::vector<JourneyAction>> CollectActions(Stmt* s) {
  std::vector<JourneyAction> out;
  while (s->Step()) out.push_back(ReadAction(*s));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Status SqliteTx::AddChecklistAnswer(const ChecklistAnswer& a) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(
                                    "INSERT INTO checklist_answers (opportunity_id, item, answer, at, by) "
                                    "VALUES (?,?,?,?,?)"));
  s->Bind(1, a.opportunity_id).Bind(2, a.item).Bind(3, a.answer).Bind(4, a.at).Bind(5, a.by);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<std::vector<ChecklistAnswer>> SqliteTx::ChecklistAnswers(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(
                                    "SELECT opportunity_id, item, answer, at, by FROM checklist_answers "
                                    "WHERE opportunity_id = ? ORDER BY at, seq"));
  s->Bind(1, opportunity_id);
  std::vector<ChecklistAnswer> out;
  while (s->Step()) out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Int(3), s->Text(4)});
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> SqliteTx::InsertJourneyAction(const JourneyAction& a) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(
                                    "INSERT INTO journey_actions (opportunity_id, case_id, action, due, owner, done, "
                                    "created_at, created_by, rule) VALUES (?,?,?,?,?,?,?,?,?) RETURNING seq"));
  s->BindOrNull(1, a.opportunity_id).BindOrNull(2, a.case_id).Bind(3, a.action).Bind(4, a.due).Bind(5, a.owner);
  s->Bind(6, int64_t(a.done)).Bind(7, a.created_at).Bind(8, a.created_by).Bind(9, a.rule);
  int64_t seq = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  if (seq == 0) return Internal("storing a next action returned no id");
  return seq;
}

Result<std::optional<JourneyAction>> SqliteTx::GetJourneyAction(int64_t seq) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kActionCols +
                                             " FROM journey_actions WHERE seq = ?"));
  s->Bind(1, seq);
  CX_ASSIGN_OR_RETURN(auto rows, CollectActions(s));
  if (rows.empty()) return std::optional<JourneyAction>();
  return std::optional<JourneyAction>(rows.front());
}

Status SqliteTx::SetJourneyActionDone(int64_t seq, bool done) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("UPDATE journey_actions SET done = ? WHERE seq = ?"));
  s->Bind(1, int64_t(done)).Bind(2, seq);
  Status st = s->Run();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  if (db_->Changes() == 0) return NotFound("next action N-" + std::to_string(seq) + " does not exist");
  return Status::Ok();
}

Result<std::vector<JourneyAction>> SqliteTx::ListJourneyActions(const std::string& opportunity_id,
                                                                const std::string& case_id, bool open_only) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kActionCols +
                                             " FROM journey_actions WHERE (?1 = '' OR opportunity_id = ?1) "
                                             "AND (?2 = '' OR case_id = ?2) AND (?3 = 0 OR done = 0) "
                                             "ORDER BY due IS NULL, due, seq"));
  s->Bind(1, opportunity_id).Bind(2, case_id).Bind(3, int64_t(open_only));
  return CollectActions(s);
}

Status SqliteTx::ForEachSlaOpportunity(const std::string& division, Timestamp at,
                                       const std::function<Status(const SlaOpportunityFacts&)>& fn) {
  // The owner's response: logged by the owner's login or name (either side may hold either).
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT o.id, o.division, o.owner, o.created, "
                   " (SELECT MIN(i.at) FROM interactions i WHERE i.opportunity_id = o.id AND i.at <= ?2), "
                   " (SELECT MIN(i.at) FROM interactions i WHERE i.opportunity_id = o.id AND i.at <= ?2 "
                   "   AND o.owner <> '' AND (i.logged_by = o.owner COLLATE NOCASE "
                   "   OR EXISTS (SELECT 1 FROM users u WHERE "
                   "     (u.login = i.logged_by COLLATE NOCASE AND u.name = o.owner COLLATE NOCASE) "
                   "     OR (u.name = i.logged_by COLLATE NOCASE AND u.login = o.owner COLLATE NOCASE)))) "
                   "FROM opportunities o WHERE o.division = ?1 AND o.created <= ?2 ORDER BY o.id"));
  s->Bind(1, division).Bind(2, at);
  Status result;
  SlaOpportunityFacts f;
  while (s->Step()) {
    f.id = s->Text(0);
    f.division = s->Text(1);
    f.owner = s->Text(2);
    f.created = s->Int(3);
    f.first_response = s->OptInt(4);
    f.first_owner_response = s->OptInt(5);
    result = fn(f);
    if (!result.ok()) break;
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

Status SqliteTx::ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                                const std::function<Status(const SlaCaseFacts&)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(
                                    "SELECT id, division, owner, opened, "
                                    " CASE WHEN resolution_confirmed <= ?3 THEN resolution_confirmed END "
                                    "FROM cases WHERE kind = ?2 AND (?1 = '' OR division = ?1) AND opened <= ?3 "
                                    "ORDER BY id"));
  s->Bind(1, division).Bind(2, kind).Bind(3, at);
  Status result;
  SlaCaseFacts f;
  while (s->Step()) {
    f.id = s->Text(0);
    f.division = s->Text(1);
    f.owner = s->Text(2);
    f.opened = s->Int(3);
    f.resolution_confirmed = s->OptInt(4);
    result = fn(f);
    if (!result.ok()) break;
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

}  // namespace cx
