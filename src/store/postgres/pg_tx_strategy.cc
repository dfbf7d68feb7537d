// PostgreSQL Tx: the strategy area (0035_strategy.sql): strategy versions, the seven steps,
// discovery answers, go-live plan progress, feedback on the hub and feedback tallies.
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

namespace {

std::optional<Date> OptDate(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

}  // namespace

Result<int64_t> PgTx::AppendStrategyVersion(Timestamp saved_at, const std::string& saved_by,
                                            const std::string& body) {
  // Writers take turns (the hub's write lock): the last number read is the last one stored.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("INSERT INTO strategy_versions (version, saved_at, saved_by, body) SELECT "
                 "COALESCE(max(version), 0) + 1, $1::bigint, $2::text, $3::text FROM "
                 "strategy_versions RETURNING "
                 "version",
                 pg::Params().Add(saved_at).Add(saved_by).Add(body)));
  if (!r.Next()) return Internal("strategy version not stored");
  return r.Int(0);
}

Result<std::optional<StoredStrategy>> PgTx::GetStrategyVersion(int64_t version) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT version, saved_at, saved_by, body FROM strategy_versions WHERE "
                 "version = CASE WHEN $1::bigint = 0 THEN (SELECT max(version) FROM "
                 "strategy_versions) ELSE $1::bigint END",
                 pg::Params().Add(version)));
  if (!r.Next()) return std::optional<StoredStrategy>();
  return std::optional<StoredStrategy>(StoredStrategy{r.Int(0), r.Int(1), r.Text(2), r.Text(3)});
}

Result<std::vector<StoredStrategy>> PgTx::ListStrategyVersions() {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT version, saved_at, saved_by FROM "
                                             "strategy_versions ORDER BY version DESC"));
  std::vector<StoredStrategy> out;
  while (r.Next()) out.push_back(StoredStrategy{r.Int(0), r.Int(1), r.Text(2), ""});
  return out;
}

Result<std::vector<CemStepState>> PgTx::ListCemSteps(int year) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT year, step, status, owner, note, started, updated_at, "
                                 "updated_by FROM cem_steps WHERE year = $1 ORDER BY step",
                                 pg::Params().Add(year)));
  std::vector<CemStepState> out;
  while (r.Next()) {
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
  }
  return out;
}

Status PgTx::SaveCemStep(const CemStepState& c) {
  return db()
      .Exec(
          "INSERT INTO cem_steps (year, step, status, owner, note, started, updated_at, "
          "updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (year, step) DO "
          "UPDATE SET status = excluded.status, owner = excluded.owner, note = excluded.note, "
          "started = excluded.started, updated_at = excluded.updated_at, updated_by = "
          "excluded.updated_by",
          pg::Params()
              .Add(c.year)
              .Add(c.step)
              .Add(c.status)
              .Add(c.owner)
              .Add(c.note)
              .Add(c.started ? FormatDate(*c.started) : std::string())
              .Add(c.updated_at)
              .Add(c.updated_by))
      .status();
}

Result<std::vector<DiscoveryQuestion>> PgTx::ListDiscoveryAnswers() {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT id, section, question, owner, answer, "
                                             "answered_at, answered_by FROM discovery_answers "
                                             "ORDER BY id"));
  std::vector<DiscoveryQuestion> out;
  while (r.Next()) {
    DiscoveryQuestion q;
    q.id = r.Text(0);
    q.section = r.Text(1);
    q.question = r.Text(2);
    q.owner = r.Text(3);
    q.answer = r.Text(4);
    q.answered_at = r.OptInt(5);
    q.answered_by = r.Text(6);
    out.push_back(std::move(q));
  }
  return out;
}

Status PgTx::SaveDiscoveryAnswer(const DiscoveryQuestion& q, bool added) {
  return db()
      .Exec(
          "INSERT INTO discovery_answers (id, section, question, added, owner, answer, "
          "answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) "
          "DO UPDATE SET owner = excluded.owner, answer = excluded.answer, answered_at = "
          "excluded.answered_at, answered_by = excluded.answered_by",
          pg::Params()
              .Add(q.id)
              .Add(added ? q.section : std::string())
              .Add(added ? q.question : std::string())
              .Add(added)
              .Add(q.owner)
              .Add(q.answer)
              .Add(std::optional<int64_t>(q.answered_at))
              .Add(q.answered_by))
      .status();
}

Result<std::vector<PlanTask>> PgTx::ListPlanProgress() {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT number, status, note, updated_at, "
                                             "updated_by FROM golive_tasks ORDER BY number"));
  std::vector<PlanTask> out;
  while (r.Next()) {
    PlanTask t;
    t.number = int(r.Int(0));
    t.status = r.Text(1);
    t.note = r.Text(2);
    t.updated_at = r.Int(3);
    t.updated_by = r.Text(4);
    out.push_back(std::move(t));
  }
  return out;
}

Status PgTx::SavePlanProgress(const PlanTask& t) {
  return db()
      .Exec(
          "INSERT INTO golive_tasks (number, status, note, updated_at, updated_by) VALUES ($1, "
          "$2, $3, $4, $5) ON CONFLICT (number) DO UPDATE SET status = excluded.status, note = "
          "excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
          pg::Params()
              .Add(t.number)
              .Add(t.status)
              .Add(t.note)
              .Add(t.updated_at.value_or(0))
              .Add(t.updated_by))
      .status();
}

Status PgTx::InsertHubFeedback(const HubFeedback& h) {
  const Feedback& f = h.feedback;
  // A taken id inserts nothing rather than failing the statement (and the transaction).
  CX_ASSIGN_OR_RETURN(int64_t added,
                      db().Exec("INSERT INTO feedback (id, date, division, kind, score, comment, "
                                "given_by, source) VALUES ($1, $2, $3, 'hub', $4, $5, $6, "
                                "'staff') ON CONFLICT (id) DO NOTHING",
                                pg::Params()
                                    .Add(f.id)
                                    .Add(f.date)
                                    .Add(f.division)
                                    .Add(f.score)
                                    .Add(f.comment)
                                    .Add(h.given_by)));
  if (added == 0) return Conflict("feedback " + f.id + " cannot be stored: the id is taken");
  return Status::Ok();
}

Result<std::vector<HubFeedback>> PgTx::ListHubFeedback(Timestamp from, Timestamp to, int limit) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT id, date, division, score, comment, given_by FROM "
                                 "feedback WHERE kind = 'hub' AND date >= $1 AND date < $2 ORDER "
                                 "BY date DESC, id DESC" +
                                     pgrows::Limit(limit, 0),
                                 pg::Params().Add(from).Add(to)));
  std::vector<HubFeedback> out;
  while (r.Next()) {
    HubFeedback h;
    h.feedback.id = r.Text(0);
    h.feedback.date = r.Int(1);
    h.feedback.division = r.Text(2);
    h.feedback.kind = "hub";
    h.feedback.score = r.Real(3);
    h.feedback.comment = r.Text(4);
    h.given_by = r.Text(5);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<FeedbackTally>> PgTx::CountFeedback(Timestamp from, Timestamp to,
                                                       bool by_division_stage) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query(by_division_stage
                     ? "SELECT kind, division, stage, count(*) FROM feedback WHERE date >= $1 AND "
                       "date < $2 AND kind <> 'hub' GROUP BY kind, division, stage ORDER BY "
                       "kind, division, stage"
                     : "SELECT kind, '', '', count(*) FROM feedback WHERE date >= $1 AND date < "
                       "$2 AND kind <> 'hub' GROUP BY kind ORDER BY kind",
                 pg::Params().Add(from).Add(to)));
  std::vector<FeedbackTally> out;
  while (r.Next()) out.push_back(FeedbackTally{r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  return out;
}

}  // namespace cx
