// SQLite Tx: touchpoints and the touchpoint an opportunity came from (0029).
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using sqlite::Stmt;

namespace {

constexpr const char* kTouchpointCols =
    "id, name, division, stage, channel, owner, yearly_budget, created_at, updated_at";

Touchpoint ReadTouchpoint(const Stmt& r) {
  Touchpoint t;
  t.id = r.Text(0);
  t.name = r.Text(1);
  t.division = r.Text(2);
  t.stage = r.Text(3);
  t.channel = r.Text(4);
  t.owner = r.Text(5);
  t.yearly_budget = r.Real(6);
  t.created_at = r.Int(7);
  t.updated_at = r.Int(8);
  return t;
}

Status RunOnce(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

}  // namespace

Status SqliteTx::InsertTouchpoint(const Touchpoint& t) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("INSERT INTO touchpoints (") + kTouchpointCols +
                                   ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"));
  s->Bind(1, t.id).Bind(2, t.name).Bind(3, t.division).Bind(4, t.stage).Bind(5, t.channel);
  s->Bind(6, t.owner).Bind(7, t.yearly_budget).Bind(8, t.created_at).Bind(9, t.updated_at);
  Status st = RunOnce(s);
  if (st.code() == Code::kConflict) return Conflict("touchpoint " + t.id + " exists already");
  return st;
}

Status SqliteTx::UpdateTouchpoint(const Touchpoint& t) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("UPDATE touchpoints SET name=?2, division=?3, "
                                             "stage=?4, channel=?5, owner=?6, yearly_budget=?7, "
                                             "updated_at=?8 WHERE id=?1"));
  s->Bind(1, t.id).Bind(2, t.name).Bind(3, t.division).Bind(4, t.stage).Bind(5, t.channel);
  s->Bind(6, t.owner).Bind(7, t.yearly_budget).Bind(8, t.updated_at);
  CX_RETURN_IF_ERROR(RunOnce(s));
  if (db_->Changes() == 0) return NotFound("touchpoint " + t.id + " does not exist");
  return Status::Ok();
}

Result<std::optional<Touchpoint>> SqliteTx::GetTouchpoint(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kTouchpointCols +
                                             " FROM touchpoints WHERE id = ?1"));
  s->Bind(1, id);
  std::optional<Touchpoint> out;
  if (s->Step()) out = ReadTouchpoint(*s);
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Touchpoint>> SqliteTx::ListTouchpoints(const std::string& division) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("SELECT ") + kTouchpointCols +
                                   " FROM touchpoints WHERE ?1 = '' OR division = ?1 ORDER BY id"));
  s->Bind(1, division);
  std::vector<Touchpoint> out;
  while (s->Step()) out.push_back(ReadTouchpoint(*s));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Status SqliteTx::SetOpportunitySource(const std::string& opportunity_id,
                                      const std::string& touchpoint_id) {
  if (touchpoint_id.empty()) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare("DELETE FROM opportunity_sources WHERE opportunity_id = ?1"));
    s->Bind(1, opportunity_id);
    return RunOnce(s);
  }
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("INSERT INTO opportunity_sources (opportunity_id, touchpoint_id) "
                             "VALUES (?1, ?2) ON CONFLICT (opportunity_id) DO UPDATE SET "
                             "touchpoint_id = excluded.touchpoint_id"));
  s->Bind(1, opportunity_id).Bind(2, touchpoint_id);
  Status st = RunOnce(s);
  if (st.code() == Code::kConflict) {
    return Conflict("opportunity " + opportunity_id + " cannot name touchpoint " + touchpoint_id +
                    ": one of them does not exist");
  }
  return st;
}

Result<std::string> SqliteTx::OpportunitySource(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT touchpoint_id FROM opportunity_sources "
                                             "WHERE opportunity_id = ?1"));
  s->Bind(1, opportunity_id);
  std::string out;
  if (s->Step()) out = s->Text(0);
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteTx::OpportunitySources() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT opportunity_id, touchpoint_id FROM "
                                             "opportunity_sources ORDER BY opportunity_id"));
  std::vector<std::pair<std::string, std::string>> out;
  while (s->Step()) out.emplace_back(s->Text(0), s->Text(1));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<TouchpointLeads>> SqliteTx::TouchpointLeadCounts(Timestamp from, Timestamp to,
                                                                    Timestamp won_before) {
  // Driven by the sources (few next to the opportunities), each opportunity read by its key.
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT s.touchpoint_id, count(*), "
                   "sum(o.outcome = 'won' AND (o.closed IS NULL OR o.closed < ?3)), "
                   "total(CASE WHEN o.outcome = 'won' AND (o.closed IS NULL OR o.closed < ?3) "
                   "THEN o.amount END) "
                   "FROM opportunity_sources s JOIN opportunities o ON o.id = s.opportunity_id "
                   "WHERE o.created >= ?1 AND o.created < ?2 GROUP BY s.touchpoint_id"));
  s->Bind(1, from).Bind(2, to).Bind(3, won_before);
  std::vector<TouchpointLeads> out;
  while (s->Step()) out.push_back(TouchpointLeads{s->Text(0), s->Int(1), s->Int(2), s->Real(3)});
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
