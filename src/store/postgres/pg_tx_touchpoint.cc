// PostgreSQL Tx: touchpoints and the touchpoint an opportunity came from
// (0029_feedback_touchpoints.sql).
#include "store/postgres/pg_tx.h"

namespace cx {

namespace {

constexpr const char* kTouchpointCols =
    "id, name, division, stage, channel, owner, yearly_budget, created_at, updated_at";

Touchpoint ReadTouchpoint(const pg::Rows& r) {
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

}  // namespace

Status PgTx::InsertTouchpoint(const Touchpoint& t) {
  // A taken id inserts nothing (ON CONFLICT) instead of failing the statement, which would end
  // the whole transaction on PostgreSQL: the caller may go on, as on SQLite.
  CX_ASSIGN_OR_RETURN(int64_t added,
                      db().Exec(std::string("INSERT INTO touchpoints (") + kTouchpointCols +
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT "
                                    "(id) DO NOTHING",
                                pg::Params()
                                    .Add(t.id)
                                    .Add(t.name)
                                    .Add(t.division)
                                    .Add(t.stage)
                                    .Add(t.channel)
                                    .Add(t.owner)
                                    .Add(t.yearly_budget)
                                    .Add(t.created_at)
                                    .Add(t.updated_at)));
  if (added == 0) return Conflict("touchpoint " + t.id + " exists already");
  return Status::Ok();
}

Status PgTx::UpdateTouchpoint(const Touchpoint& t) {
  CX_ASSIGN_OR_RETURN(int64_t changed,
                      db().Exec("UPDATE touchpoints SET name = $2, division = $3, stage = $4, "
                                "channel = $5, owner = $6, yearly_budget = $7, updated_at = $8 "
                                "WHERE id = $1",
                                pg::Params()
                                    .Add(t.id)
                                    .Add(t.name)
                                    .Add(t.division)
                                    .Add(t.stage)
                                    .Add(t.channel)
                                    .Add(t.owner)
                                    .Add(t.yearly_budget)
                                    .Add(t.updated_at)));
  if (changed == 0) return NotFound("touchpoint " + t.id + " does not exist");
  return Status::Ok();
}

Result<std::optional<Touchpoint>> PgTx::GetTouchpoint(const std::string& id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query(std::string("SELECT ") + kTouchpointCols +
                                                 " FROM touchpoints WHERE id = $1",
                                             pg::Params().Add(id)));
  if (!r.Next()) return std::optional<Touchpoint>();
  return std::optional<Touchpoint>(ReadTouchpoint(r));
}

Result<std::vector<Touchpoint>> PgTx::ListTouchpoints(const std::string& division) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query(std::string("SELECT ") + kTouchpointCols +
                                     " FROM touchpoints WHERE $1 = '' OR division = $1 ORDER BY id",
                                 pg::Params().Add(division)));
  std::vector<Touchpoint> out;
  while (r.Next()) out.push_back(ReadTouchpoint(r));
  return out;
}

Status PgTx::SetOpportunitySource(const std::string& opportunity_id,
                                  const std::string& touchpoint_id) {
  if (touchpoint_id.empty()) {
    return db()
        .Exec("DELETE FROM opportunity_sources WHERE opportunity_id = $1",
              pg::Params().Add(opportunity_id))
        .status();
  }
  // Written only when both exist (a failed foreign key would end the transaction).
  CX_ASSIGN_OR_RETURN(
      int64_t set,
      db().Exec("INSERT INTO opportunity_sources (opportunity_id, touchpoint_id) SELECT $1::text, "
                "$2::text "
                "WHERE EXISTS (SELECT 1 FROM opportunities WHERE id = $1) AND EXISTS (SELECT 1 "
                "FROM touchpoints WHERE id = $2) ON CONFLICT (opportunity_id) DO UPDATE SET "
                "touchpoint_id = excluded.touchpoint_id",
                pg::Params().Add(opportunity_id).Add(touchpoint_id)));
  if (set == 0) {
    return Conflict("opportunity " + opportunity_id + " cannot name touchpoint " + touchpoint_id +
                    ": one of them does not exist");
  }
  return Status::Ok();
}

Result<std::string> PgTx::OpportunitySource(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT touchpoint_id FROM opportunity_sources "
                                             "WHERE opportunity_id = $1",
                                             pg::Params().Add(opportunity_id)));
  return r.Next() ? r.Text(0) : std::string();
}

Result<std::vector<std::pair<std::string, std::string>>> PgTx::OpportunitySources() {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT opportunity_id, touchpoint_id FROM "
                                             "opportunity_sources ORDER BY opportunity_id"));
  std::vector<std::pair<std::string, std::string>> out;
  while (r.Next()) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

Result<std::vector<TouchpointLeads>> PgTx::TouchpointLeadCounts(Timestamp from, Timestamp to,
                                                                Timestamp won_before) {
  // Driven by the sources (few next to the opportunities), each opportunity read by its key.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query(
          "SELECT s.touchpoint_id, count(*), "
          "count(*) FILTER (WHERE o.outcome = 'won' AND (o.closed IS NULL OR o.closed < $3)), "
          "COALESCE(sum(o.amount) FILTER (WHERE o.outcome = 'won' AND (o.closed IS NULL OR "
          "o.closed < $3)), 0) "
          "FROM opportunity_sources s JOIN opportunities o ON o.id = s.opportunity_id "
          "WHERE o.created >= $1 AND o.created < $2 GROUP BY s.touchpoint_id "
          "ORDER BY s.touchpoint_id",
          pg::Params().Add(from).Add(to).Add(won_before)));
  std::vector<TouchpointLeads> out;
  while (r.Next()) out.push_back(TouchpointLeads{r.Text(0), r.Int(1), r.Int(2), r.Real(3)});
  return out;
}

}  // namespace cx
