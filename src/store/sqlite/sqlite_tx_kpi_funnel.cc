// SQLite Tx: the storage of the funnel aggregate (0011_kpi_funnel.sql), one row per opportunity
// with its funnel stage entries and first owner response, so each funnel KPI reads one index
// range. The rules (which stages, whose response) are store/logic/funnel_rules.h's.
#include <utility>

#include "store/logic/funnel_rules.h"
#include "store/logic/refresh_policy.h"
#include "store/sqlite/kpi_people.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::RunAndReset;
using sqlite::Stmt;

Result<bool> FunnelReady(sqlite::Db* db) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db->Prepare("SELECT stale = 0 AND NOT EXISTS (SELECT 1 FROM "
                                            "kpi_funnel_dirty) FROM kpi_funnel_state"));
  bool ready = s->Step() && s->Int(0) != 0;
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return ready;
}

}  // namespace

Status SqliteTx::RefreshKpiFunnel() {
  CX_ASSIGN_OR_RETURN(Stmt * state, db_->Prepare("SELECT stale FROM kpi_funnel_state"));
  if (!state->Step()) {
    Status s = state->status();
    state->Reset();
    return s.ok() ? Internal("kpi_funnel_state has no row") : s;
  }
  bool stale = state->Int(0) != 0;
  state->Reset();
  if (stale) return RebuildKpiFunnel();

  std::vector<std::string> dirty;
  {
    CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare("SELECT DISTINCT opportunity_id FROM "
                                               "kpi_funnel_dirty WHERE opportunity_id IS NOT "
                                               "NULL"));
    while (d->Step()) dirty.push_back(d->Text(0));
    Status s = d->status();
    d->Reset();
    CX_RETURN_IF_ERROR(s);
  }
  if (dirty.empty()) return db_->Exec("DELETE FROM kpi_funnel_dirty");
  if (int64_t(dirty.size()) > kRefreshOneByOneUpTo) {
    CX_ASSIGN_OR_RETURN(Stmt * c, db_->Prepare("SELECT max(rowid) FROM opportunities"));
    int64_t held = c->Step() ? c->Int(0) : 0;
    Status s = c->status();
    c->Reset();
    CX_RETURN_IF_ERROR(s);
    if (FullRebuildCheaper(int64_t(dirty.size()), held)) return RebuildKpiFunnel();
  }

  KpiPeople people;
  CX_RETURN_IF_ERROR(LoadKpiPeople(db_, &people));
  CX_ASSIGN_OR_RETURN(Stmt * del, db_->Prepare("DELETE FROM kpi_funnel WHERE id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * opp, db_->Prepare("SELECT owner FROM opportunities WHERE id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * talks, db_->Prepare("SELECT at, logged_by FROM interactions WHERE "
                                                 "opportunity_id = ?1 ORDER BY at"));
  std::string sql =
      "INSERT INTO kpi_funnel(id, division, owner, outcome, created, closed, qualified, quote, "
      "proposal, won, signed, first_response) SELECT o.id, o.division, o.owner, o.outcome, "
      "o.created, o.closed";
  for (const char* stage : kFunnelStages) {
    sql += std::string(
               ", (SELECT f.entered FROM kpi_stage_first f WHERE f.opportunity_id = o.id "
               "AND f.stage = '") +
           stage + "')";
  }
  sql += ", ?2 FROM opportunities o WHERE o.id = ?1";
  CX_ASSIGN_OR_RETURN(Stmt * ins, db_->Prepare(sql));
  for (const auto& id : dirty) {
    del->Bind(1, id);
    CX_RETURN_IF_ERROR(RunAndReset(del));
    opp->Bind(1, id);
    std::optional<std::string> owner;
    if (opp->Step()) owner = opp->Text(0);
    Status s = opp->status();
    opp->Reset();
    CX_RETURN_IF_ERROR(s);
    if (!owner) continue;  // deleted
    talks->Bind(1, id);
    std::optional<Timestamp> first =
        FirstResponse(people, *owner, [&](Timestamp* at, std::string* by) {
          if (!talks->Step()) return false;
          *at = talks->Int(0);
          by->assign(talks->TextView(1));
          return true;
        });
    s = talks->status();
    talks->Reset();
    CX_RETURN_IF_ERROR(s);
    ins->Bind(1, id).Bind(2, first);
    CX_RETURN_IF_ERROR(RunAndReset(ins));
  }
  return db_->Exec("DELETE FROM kpi_funnel_dirty");
}

Status SqliteTx::RebuildKpiFunnel() {
  CX_RETURN_IF_ERROR(db_->Exec("DELETE FROM kpi_funnel; DELETE FROM kpi_funnel_dirty"));
  // Filling an unindexed table and indexing it afterwards sorts once per index instead of
  // inserting every row into every index.
  std::vector<std::pair<std::string, std::string>> indexes;
  {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT name, sql FROM sqlite_master WHERE type = "
                                               "'index' AND tbl_name = 'kpi_funnel' AND sql IS "
                                               "NOT NULL"));
    while (s->Step()) indexes.emplace_back(s->Text(0), s->Text(1));
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  for (const auto& [name, sql] : indexes) {
    CX_RETURN_IF_ERROR(db_->Exec("DROP INDEX \"" + name + "\""));
  }
  // Stage entries: one pass over kpi_stage_first in key order, one row per opportunity.
  std::string firsts = "SELECT opportunity_id";
  std::string in;
  for (const char* stage : kFunnelStages) {
    firsts += std::string(", max(CASE WHEN stage = '") + stage + "' THEN entered END) AS \"" +
              stage + "\"";
    in += std::string(in.empty() ? "" : ", ") + "'" + stage + "'";
  }
  firsts += " FROM kpi_stage_first WHERE stage IN (" + in + ") GROUP BY opportunity_id";
  CX_RETURN_IF_ERROR(db_->Exec(
      "INSERT INTO kpi_funnel(id, division, owner, outcome, created, closed, qualified, quote, "
      "proposal, won, signed) SELECT o.id, o.division, o.owner, o.outcome, o.created, o.closed, "
      "s.qualified, s.quote, s.proposal, s.won, s.signed FROM opportunities o LEFT JOIN (" +
      firsts + ") s ON s.opportunity_id = o.id ORDER BY o.id"));

  // First responses: the rows (in id order) against the interactions carrying an opportunity id
  // (in (opportunity, time) order from the covering index), merged.
  KpiPeople people;
  CX_RETURN_IF_ERROR(LoadKpiPeople(db_, &people));
  std::vector<std::pair<std::string, Timestamp>> found;
  {
    CX_ASSIGN_OR_RETURN(Stmt * rows, db_->Prepare("SELECT id, owner FROM kpi_funnel ORDER BY id"));
    CX_ASSIGN_OR_RETURN(Stmt * talks,
                        db_->Prepare("SELECT opportunity_id, at, logged_by FROM interactions "
                                     "WHERE opportunity_id IS NOT NULL ORDER BY opportunity_id, "
                                     "at"));
    bool more = talks->Step();
    std::string id;
    while (rows->Step()) {
      id.assign(rows->TextView(0));
      while (more && talks->TextView(0) < std::string_view(id)) more = talks->Step();
      std::optional<Timestamp> first =
          FirstResponse(people, rows->Text(1), [&](Timestamp* at, std::string* by) {
            if (!more || talks->TextView(0) != std::string_view(id)) return false;
            *at = talks->Int(1);
            by->assign(talks->TextView(2));
            more = talks->Step();
            return true;
          });
      if (first) found.emplace_back(id, *first);
    }
    Status st = rows->status();
    if (st.ok()) st = talks->status();
    rows->Reset();
    talks->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  CX_ASSIGN_OR_RETURN(Stmt * set,
                      db_->Prepare("UPDATE kpi_funnel SET first_response = ?2 WHERE id = ?1"));
  for (const auto& [id, at] : found) {
    set->BindStatic(1, id).Bind(2, at);
    CX_RETURN_IF_ERROR(RunAndReset(set));
  }
  for (const auto& [name, sql] : indexes) CX_RETURN_IF_ERROR(db_->Exec(sql));
  return db_->Exec("UPDATE kpi_funnel_state SET stale = 0");
}

Result<std::optional<std::vector<KpiFunnelRow>>> SqliteTx::KpiFunnel(KpiFunnelAxis axis,
                                                                     const std::string& division,
                                                                     Timestamp from, Timestamp to) {
  using Out = std::optional<std::vector<KpiFunnelRow>>;
  if (division.empty()) return Out();
  CX_ASSIGN_OR_RETURN(bool ready, FunnelReady(db_));
  if (!ready) return Out();
  // Per axis: the index, its time column, the columns it covers (after id) and the order.
  const char* index = "";
  const char* time = "";
  const char* cols = "";
  const char* order = "id";
  switch (axis) {
    case KpiFunnelAxis::kQualified:
      index = "kpi_funnel_qualified", time = "qualified", cols = "quote";
      break;
    case KpiFunnelAxis::kQuote:
      index = "kpi_funnel_quote", time = "quote", cols = "outcome, closed, won";
      break;
    case KpiFunnelAxis::kSigned:
      index = "kpi_funnel_signed", time = "signed";
      break;
    case KpiFunnelAxis::kClosed:
      index = "kpi_funnel_closed", time = "closed", cols = "outcome, qualified, proposal";
      order = "closed, id";
      break;
    case KpiFunnelAxis::kCreated:
      index = "kpi_funnel_created", time = "created", cols = "first_response";
      order = "created, id";
      break;
  }
  std::string sql = std::string("SELECT id, ") + time + (*cols ? ", " : "") + cols +
                    " FROM kpi_funnel INDEXED BY " + index + " WHERE division = ?1 AND " + time +
                    " >= ?2 AND " + time + " < ?3 ORDER BY " + order;
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, division).Bind(2, from).Bind(3, to);
  std::vector<KpiFunnelRow> out;
  while (s->Step()) {
    KpiFunnelRow r;
    r.id = s->Text(0);
    const Timestamp t = s->Int(1);
    switch (axis) {
      case KpiFunnelAxis::kQualified:
        r.qualified = t;
        r.quote = s->OptInt(2);
        break;
      case KpiFunnelAxis::kQuote:
        r.quote = t;
        r.outcome = s->Text(2);
        r.closed = s->OptInt(3);
        r.won = s->OptInt(4);
        break;
      case KpiFunnelAxis::kSigned:
        r.signed_at = t;
        break;
      case KpiFunnelAxis::kClosed:
        r.closed = t;
        r.outcome = s->Text(2);
        r.qualified = s->OptInt(3);
        r.proposal = s->OptInt(4);
        break;
      case KpiFunnelAxis::kCreated:
        r.created = t;
        r.first_response = s->OptInt(2);
        break;
    }
    out.push_back(std::move(r));
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return Out(std::move(out));
}

}  // namespace cx
