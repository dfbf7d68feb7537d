// SQLite Tx: the strategy area (0035_strategy.sql): strategy versions, the seven steps,
// discovery answers, go-live plan progress, feedback on the hub and feedback tallies.
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using sqlite::Stmt;

namespace {

Status RunReset(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

// Steps through `s`, calling `row` for each row, and resets it.
template <typename Fn>
Status EachRow(Stmt* s, Fn row) {
  while (s->Step()) row(*s);
  Status st = s->status();
  s->Reset();
  return st;
}

std::optional<Date> OptDate(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

Result<int64_t> SqliteTx::AppendStrategyVersion(Timestamp saved_at, const std::string& saved_by,
                                                const std::string& body) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("INSERT INTO strategy_versions (version, saved_at, saved_by, body) "
                             "SELECT COALESCE(MAX(version), 0) + 1, ?1, ?2, ?3 "
                             "FROM strategy_versions RETURNING version"));
  s->Bind(1, saved_at).Bind(2, saved_by).Bind(3, body);
  int64_t version = 0;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) { version = r.Int(0); }));
  if (version == 0) return Internal("strategy version not stored");
  return version;
}

Result<std::optional<StoredStrategy>> SqliteTx::GetStrategyVersion(int64_t version) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT version, saved_at, saved_by, body FROM "
                                   "strategy_versions WHERE version = ?1 OR (?1 = 0 AND version = "
                                   "(SELECT MAX(version) FROM strategy_versions))"));
  s->Bind(1, version);
  std::optional<StoredStrategy> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    out = StoredStrategy{r.Int(0), r.Int(1), r.Text(2), r.Text(3)};
  }));
  return out;
}

Result<std::vector<StoredStrategy>> SqliteTx::ListStrategyVersions() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT version, saved_at, saved_by FROM "
                                             "strategy_versions ORDER BY version DESC"));
  std::vector<StoredStrategy> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    out.push_back(StoredStrategy{r.Int(0), r.Int(1), r.Text(2), ""});
  }));
  return out;
}

Result<std::vector<CemStepState>> SqliteTx::ListCemSteps(int year) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT year, step, status, owner, note, started, updated_at, "
                                   "updated_by FROM cem_steps WHERE year = ?1 ORDER BY step"));
  s->Bind(1, year);
  std::vector<CemStepState> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    CemStepState c;
    c.year = int(r.Int(0));
    c.step = int(r.Int(1));
    c.status = r.Text(2);
    c.owner = r.Text(3);
    c.note = r.Text(4);
    c.started = OptDate(r.Text(5));
    c.updated_at = r.Int(6);
    c.updated_by = r.Text(7);
    out.push_back(std::move(c));
  }));
  return out;
}

Status SqliteTx::SaveCemStep(const CemStepState& c) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO cem_steps (year, step, status, owner, note, started, updated_at, "
                   "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (year, step) "
                   "DO UPDATE SET status = excluded.status, owner = excluded.owner, note = "
                   "excluded.note, started = excluded.started, updated_at = excluded.updated_at, "
                   "updated_by = excluded.updated_by"));
  s->Bind(1, c.year).Bind(2, c.step).Bind(3, c.status).Bind(4, c.owner).Bind(5, c.note);
  s->Bind(6, c.started ? FormatDate(*c.started) : std::string()).Bind(7, c.updated_at);
  s->Bind(8, c.updated_by);
  return RunReset(s);
}

Result<std::vector<DiscoveryQuestion>> SqliteTx::ListDiscoveryAnswers() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT id, section, question, owner, answer, "
                                             "answered_at, answered_by FROM discovery_answers "
                                             "ORDER BY id"));
  std::vector<DiscoveryQuestion> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    DiscoveryQuestion q;
    q.id = r.Text(0);
    q.section = r.Text(1);
    q.question = r.Text(2);
    q.owner = r.Text(3);
    q.answer = r.Text(4);
    q.answered_at = r.OptInt(5);
    q.answered_by = r.Text(6);
    out.push_back(std::move(q));
  }));
  return out;
}

Status SqliteTx::SaveDiscoveryAnswer(const DiscoveryQuestion& q, bool added) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO discovery_answers (id, section, question, added, owner, answer, "
                   "answered_at, answered_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                   "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, answer = "
                   "excluded.answer, answered_at = excluded.answered_at, answered_by = "
                   "excluded.answered_by"));
  s->Bind(1, q.id).Bind(2, added ? q.section : std::string());
  s->Bind(3, added ? q.question : std::string()).Bind(4, int64_t(added ? 1 : 0));
  s->Bind(5, q.owner).Bind(6, q.answer).Bind(7, q.answered_at).Bind(8, q.answered_by);
  return RunReset(s);
}

Result<std::vector<PlanTask>> SqliteTx::ListPlanProgress() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT number, status, note, updated_at, "
                                             "updated_by FROM golive_tasks ORDER BY number"));
  std::vector<PlanTask> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    PlanTask t;
    t.number = int(r.Int(0));
    t.status = r.Text(1);
    t.note = r.Text(2);
    t.updated_at = r.Int(3);
    t.updated_by = r.Text(4);
    out.push_back(std::move(t));
  }));
  return out;
}

Status SqliteTx::SavePlanProgress(const PlanTask& t) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO golive_tasks (number, status, note, updated_at, updated_by) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (number) DO UPDATE SET status = "
                   "excluded.status, note = excluded.note, updated_at = excluded.updated_at, "
                   "updated_by = excluded.updated_by"));
  s->Bind(1, t.number).Bind(2, t.status).Bind(3, t.note).Bind(4, t.updated_at.value_or(0));
  s->Bind(5, t.updated_by);
  return RunReset(s);
}

Status SqliteTx::InsertHubFeedback(const HubFeedback& h) {
  const Feedback& f = h.feedback;
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("INSERT INTO feedback (id, date, division, kind, score, "
                                   "comment, given_by, source) "
                                   "VALUES (?1, ?2, ?3, 'hub', ?4, ?5, ?6, 'staff')"));
  s->Bind(1, f.id).Bind(2, f.date).Bind(3, f.division).Bind(4, f.score).Bind(5, f.comment);
  s->Bind(6, h.given_by);
  Status st = RunReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("feedback " + f.id + " cannot be stored: " + st.message());
  return st;
}

Result<std::vector<HubFeedback>> SqliteTx::ListHubFeedback(Timestamp from, Timestamp to,
                                                           int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT id, date, division, score, comment, given_by FROM feedback "
                             "WHERE kind = 'hub' AND date >= ?1 AND date < ?2 "
                             "ORDER BY date DESC, id DESC LIMIT ?3"));
  s->Bind(1, from).Bind(2, to).Bind(3, limit);
  std::vector<HubFeedback> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    HubFeedback h;
    h.feedback.id = r.Text(0);
    h.feedback.date = r.Int(1);
    h.feedback.division = r.Text(2);
    h.feedback.kind = "hub";
    h.feedback.score = r.Real(3);
    h.feedback.comment = r.Text(4);
    h.given_by = r.Text(5);
    out.push_back(std::move(h));
  }));
  return out;
}

Result<std::vector<FeedbackTally>> SqliteTx::CountFeedback(Timestamp from, Timestamp to,
                                                           bool by_division_stage) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(by_division_stage
                       ? "SELECT kind, division, stage, COUNT(*) FROM feedback WHERE date >= ?1 "
                         "AND date < ?2 AND kind <> 'hub' GROUP BY kind, division, stage "
                         "ORDER BY kind, division, stage"
                       : "SELECT kind, '', '', COUNT(*) FROM feedback WHERE date >= ?1 AND "
                         "date < ?2 AND kind <> 'hub' GROUP BY kind ORDER BY kind"));
  s->Bind(1, from).Bind(2, to);
  std::vector<FeedbackTally> out;
  CX_RETURN_IF_ERROR(EachRow(s, [&](Stmt& r) {
    out.push_back(FeedbackTally{r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  }));
  return out;
}

}  // namespace cx
