// PostgreSQL Tx: the storage of the funnel aggregate (0011_kpi_funnel.sql), one row per
// opportunity with its funnel stage entries and first owner response, so each funnel KPI reads
// one index range. The rules (which stages, whose response) are store/logic/funnel_rules.h's.
#include <utility>

#include "store/logic/funnel_rules.h"
#include "store/logic/refresh_policy.h"
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

using pg::Params;
using pgkpi::TextArrayParam;

// Writes the rows of the opportunities `where` picks (SQL on opportunities `o`, parameters
// `params`), without first responses, from the opportunities and their first stage entries.
Status InsertRows(pg::Db& db, const std::string& where, const std::string& stage_where,
                  const Params& params) {
  std::string firsts = "SELECT opportunity_id";
  std::string in;
  for (const char* stage : kFunnelStages) {
    firsts +=
        std::string(", max(entered) FILTER (WHERE stage = '") + stage + "') AS \"" + stage + "\"";
    in += std::string(in.empty() ? "" : ", ") + "'" + stage + "'";
  }
  firsts += " FROM kpi_stage_first WHERE stage IN (" + in + ")" + stage_where +
            " GROUP BY opportunity_id";
  return db
      .Exec(
          "INSERT INTO kpi_funnel (id, division, owner, outcome, created, closed, qualified, "
          "quote, proposal, won, signed) SELECT o.id, o.division, o.owner, o.outcome, "
          "o.created, o.closed, s.qualified, s.quote, s.proposal, s.won, s.signed FROM "
          "opportunities o LEFT JOIN (" +
              firsts + ") s ON s.opportunity_id = o.id" + where,
          params)
      .status();
}

// The first responses of the rows `where` picks (SQL on kpi_funnel `f`), computed by the shared
// rule from each opportunity's interactions in time order, and stored.
Status SetFirstResponses(pg::Db& db, const std::string& where, const Params& params) {
  KpiPeople people;
  CX_RETURN_IF_ERROR(pgkpi::LoadKpiPeople(db, &people));
  std::vector<std::string> ids;
  std::vector<Timestamp> ats;
  std::string id, owner;
  std::vector<std::pair<Timestamp, std::string>> talks;
  auto decide = [&] {
    if (id.empty()) return;
    size_t k = 0;
    std::optional<Timestamp> first =
        FirstResponse(people, owner, [&](Timestamp* at, std::string* by) {
          if (k == talks.size()) return false;
          *at = talks[k].first;
          *by = talks[k].second;
          ++k;
          return true;
        });
    if (first) {
      ids.push_back(id);
      ats.push_back(*first);
    }
    talks.clear();
  };
  CX_RETURN_IF_ERROR(db.ForEachBatch(
      "SELECT f.id, f.owner, i.at, i.logged_by FROM kpi_funnel f JOIN interactions i ON "
      "i.opportunity_id = f.id" +
          where + " ORDER BY f.id, i.at",
      params,
      [&](pg::Rows& r) -> Status {
        while (r.Next()) {
          if (r.TextView(0) != id) {
            decide();
            id.assign(r.TextView(0));
            owner.assign(r.TextView(1));
          }
          talks.emplace_back(r.Int(2), r.Text(3));
        }
        return Status::Ok();
      },
      20000));
  decide();
  constexpr size_t kChunk = 20000;
  for (size_t at = 0; at < ids.size(); at += kChunk) {
    const size_t end = std::min(ids.size(), at + kChunk);
    std::vector<std::string> chunk(ids.begin() + long(at), ids.begin() + long(end));
    std::string times = "{";
    for (size_t k = at; k < end; ++k) times += (k > at ? "," : "") + std::to_string(ats[k]);
    times += "}";
    CX_RETURN_IF_ERROR(db.Exec("UPDATE kpi_funnel f SET first_response = v.at FROM "
                               "unnest($1::text[], $2::bigint[]) AS v(id, at) WHERE f.id = v.id",
                               Params().Add(TextArrayParam(chunk)).Add(times))
                           .status());
  }
  return Status::Ok();
}

// Rebuilds every row from the facts (the caller holds the state row's lock); `clean_from`: the
// oldest transaction running when the caller locked it (0078).
Status Rebuild(pg::Db& db, const std::string& clean_from) {
  CX_RETURN_IF_ERROR(pgkpi::AnalyzeTablesWithoutStatistics(db, pgkpi::KpiFactTables()));
  CX_RETURN_IF_ERROR(db.ExecScript("DELETE FROM kpi_funnel; DELETE FROM kpi_funnel_dirty"));
  CX_RETURN_IF_ERROR(InsertRows(db, "", "", Params()));
  CX_RETURN_IF_ERROR(SetFirstResponses(db, "", Params()));
  // Statistics of the table just filled, for the readers' plans (as the activity aggregate's).
  CX_RETURN_IF_ERROR(db.ExecScript("ANALYZE kpi_funnel"));
  return db
      .Exec("UPDATE kpi_funnel_state SET stale = 0, clean_from = $1::xid8",
            Params().Add(clean_from))
      .status();
}

}  // namespace

Status PgTx::RefreshKpiFunnel() {
  if (!writable_) return Status::Ok();  // a read: the readers fall back to the facts
  // The state row is locked: refreshes run one at a time, each seeing the last one's work.
  // With the oldest transaction running now, as the activity aggregate's refresh (0078).
  CX_ASSIGN_OR_RETURN(pg::Rows state,
                      db_->Query("SELECT stale, pg_snapshot_xmin(pg_current_snapshot())::text FROM "
                                 "kpi_funnel_state FOR UPDATE"));
  if (!state.Next()) return Internal("kpi_funnel_state has no row");
  const std::string clean_from = state.Text(1);
  if (state.Int(0) != 0) return Rebuild(*db_, clean_from);
  // The changed opportunities, taken: a change committed meanwhile stays for the next refresh.
  CX_ASSIGN_OR_RETURN(pg::Rows taken,
                      db_->Query("DELETE FROM kpi_funnel_dirty RETURNING opportunity_id"));
  std::vector<std::string> dirty;
  while (taken.Next())
    if (!taken.IsNull(0)) dirty.push_back(taken.Text(0));
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  if (dirty.empty()) return Status::Ok();
  if (int64_t(dirty.size()) > kRefreshOneByOneUpTo) {
    CX_ASSIGN_OR_RETURN(pg::Rows c, db_->Query("SELECT count(*) FROM opportunities"));
    const int64_t held = c.Next() ? c.Int(0) : 0;
    if (FullRebuildCheaper(int64_t(dirty.size()), held)) return Rebuild(*db_, clean_from);
  }
  CX_RETURN_IF_ERROR(
      db_->Exec("UPDATE kpi_funnel_state SET clean_from = $1::xid8", Params().Add(clean_from))
          .status());
  const std::string ids = TextArrayParam(dirty);
  CX_RETURN_IF_ERROR(
      db_->Exec("DELETE FROM kpi_funnel WHERE id = ANY($1::text[])", Params().Add(ids)).status());
  CX_RETURN_IF_ERROR(InsertRows(*db_, " WHERE o.id = ANY($1::text[])",
                                " AND opportunity_id = ANY($1::text[])", Params().Add(ids)));
  return SetFirstResponses(*db_, " WHERE f.id = ANY($1::text[])", Params().Add(ids));
}

Result<std::optional<std::vector<KpiFunnelRow>>> PgTx::KpiFunnel(KpiFunnelAxis axis,
                                                                 const std::string& division,
                                                                 Timestamp from, Timestamp to) {
  using Out = std::optional<std::vector<KpiFunnelRow>>;
  if (division.empty()) return Out();
  // Per axis: its time column, the columns its covering index holds (after id) and the order.
  const char* time = "";
  const char* cols = "";
  const char* order = "id";
  switch (axis) {
    case KpiFunnelAxis::kQualified:
      time = "qualified", cols = "quote";
      break;
    case KpiFunnelAxis::kQuote:
      time = "quote", cols = "outcome, closed, won";
      break;
    case KpiFunnelAxis::kSigned:
      time = "signed";
      break;
    case KpiFunnelAxis::kClosed:
      time = "closed", cols = "outcome, qualified, proposal";
      order = "closed, id";
      break;
    case KpiFunnelAxis::kCreated:
      time = "created", cols = "first_response";
      order = "created, id";
      break;
  }
  // Whether the aggregate is up to date comes in the same statement (its first column; a row
  // of nulls after it when no row is in the period): one round trip per read, not two.
  const std::string sql = std::string("SELECT r.ready, f.* FROM (SELECT stale = 0 AND ") +
                          pgkpi::NothingChangedSince("kpi_funnel_dirty", "kpi_funnel_state") +
                          " AS ready FROM kpi_funnel_state) r LEFT JOIN LATERAL (SELECT id, " +
                          time + (*cols ? ", " : "") + cols +
                          " FROM kpi_funnel WHERE r.ready AND division = $1 AND " + time +
                          " >= $2 AND " + time + " < $3) f ON true ORDER BY " + order;
  CX_ASSIGN_OR_RETURN(pg::Rows s, db_->Query(sql, Params().Add(division).Add(from).Add(to)));
  std::vector<KpiFunnelRow> out;
  out.reserve(size_t(s.size()));
  bool ready = false;
  while (s.Next()) {
    ready = !s.IsNull(0) && s.Bool(0);
    if (!ready) return Out();
    if (s.IsNull(1)) break;
    KpiFunnelRow r;
    r.id = s.Text(1);
    const Timestamp t = s.Int(2);
    switch (axis) {
      case KpiFunnelAxis::kQualified:
        r.qualified = t;
        r.quote = s.OptInt(3);
        break;
      case KpiFunnelAxis::kQuote:
        r.quote = t;
        r.outcome = s.Text(3);
        r.closed = s.OptInt(4);
        r.won = s.OptInt(5);
        break;
      case KpiFunnelAxis::kSigned:
        r.signed_at = t;
        break;
      case KpiFunnelAxis::kClosed:
        r.closed = t;
        r.outcome = s.Text(3);
        r.qualified = s.OptInt(4);
        r.proposal = s.OptInt(5);
        break;
      case KpiFunnelAxis::kCreated:
        r.created = t;
        r.first_response = s.OptInt(3);
        break;
    }
    out.push_back(std::move(r));
  }
  if (!ready) return Out();  // no state row
  return Out(std::move(out));
}

}  // namespace cx
