// PostgreSQL Tx: the facts behind the KPIs and the weekly review (kpi_store.h), read through the
// covering indexes of 0003_kpi.sql and the first stage entries of 0009_kpi_stage_first.sql.
// The answers, orders and rounding are the SQLite store's (docs/postgresql.md "KPI facts").
#include <algorithm>
#include <set>
#include <unordered_map>

#include "store/logic/repeat_rule.h"
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

using pg::Params;
using pgkpi::DivisionCond;

// The earliest Stage History row of a stage (SQL `stage_sql`) for opportunity column `col`.
std::string FirstEntry(const std::string& col, const std::string& stage_sql) {
  return "(SELECT x.entered FROM kpi_stage_first x WHERE x.opportunity_id = " + col +
         " AND x.stage = kpi_fold(" + stage_sql + "))";
}

template <typename T, typename F>
Result<std::vector<T>> Collect(Result<pg::Rows> rows, F row) {
  if (!rows.ok()) return rows.status();
  std::vector<T> out;
  out.reserve(size_t(rows->size()));
  while (rows->Next()) out.push_back(row(*rows));
  return out;
}

const char* kOppCols =
    "o.id, o.division, o.owner, o.outcome, o.stage, o.account_id, o.lost_reason, o.created, "
    "o.closed, o.amount";

KpiOpportunityRow ReadOpp(const pg::Rows& r) {
  KpiOpportunityRow o;
  o.id = r.Text(0);
  o.division = r.Text(1);
  o.owner = r.Text(2);
  o.outcome = r.Text(3);
  o.stage = r.Text(4);
  o.account_id = r.Text(5);
  o.lost_reason = r.Text(6);
  o.created = r.Int(7);
  o.closed = r.OptInt(8);
  o.amount = r.OptReal(9);
  return o;
}

KpiCaseRow ReadCase(const pg::Rows& r) {
  KpiCaseRow c;
  c.id = r.Text(0);
  c.division = r.Text(1);
  c.kind = r.Text(2);
  c.owner = r.Text(3);
  c.account_id = r.Text(4);
  c.opened = r.Int(5);
  c.resolution_confirmed = r.OptInt(6);
  c.closed = r.OptInt(7);
  return c;
}

}  // namespace

Result<std::vector<KpiStageRow>> PgTx::KpiFirstStageEntries(const std::string& division,
                                                            const std::string& stage,
                                                            Timestamp from, Timestamp to,
                                                            const std::string& other_stage) {
  // First entries of the stage in the period, from the index (division, stage, entered).
  const std::string sql =
      "SELECT o.id, o.owner, o.outcome, f.entered, o.closed, " +
      FirstEntry("f.opportunity_id", "$4::text") + ", " + FirstEntry("f.opportunity_id", "'won'") +
      " FROM kpi_stage_first f JOIN opportunities o ON o.id = f.opportunity_id"
      " WHERE f.stage = kpi_fold($1::text) AND f.entered >= $2 AND f.entered < $3" +
      (division.empty() ? std::string(" AND f.division IS NOT NULL")
                        : DivisionCond(division, "f.division", 5)) +
      " ORDER BY o.id";
  Params p;
  p.Add(stage).Add(from).Add(to).Add(other_stage);
  if (!division.empty()) p.Add(division);
  return Collect<KpiStageRow>(db_->Query(sql, p), [](const pg::Rows& r) {
    KpiStageRow row;
    row.id = r.Text(0);
    row.owner = r.Text(1);
    row.outcome = r.Text(2);
    row.entered = r.Int(3);
    row.closed = r.OptInt(4);
    row.other_entered = r.OptInt(5);
    row.won_entered = r.OptInt(6);
    return row;
  });
}

Result<std::vector<KpiOpportunityRow>> PgTx::KpiClosedOpportunities(const std::string& division,
                                                                    Timestamp from, Timestamp to,
                                                                    const std::string& stage) {
  const std::string sql = std::string("SELECT ") + kOppCols + ", " +
                          FirstEntry("o.id", "$3::text") +
                          " FROM opportunities o WHERE o.closed >= $1 AND o.closed < $2" +
                          DivisionCond(division, "o.division", 4) + " ORDER BY o.closed, o.id";
  Params p;
  p.Add(from).Add(to).Add(stage);
  if (!division.empty()) p.Add(division);
  return Collect<KpiOpportunityRow>(db_->Query(sql, p), [](const pg::Rows& r) {
    KpiOpportunityRow o = ReadOpp(r);
    o.stage_entered = r.OptInt(10);
    return o;
  });
}

Result<std::vector<KpiOpportunityRow>> PgTx::KpiCreatedOpportunities(const std::string& division,
                                                                     Timestamp from, Timestamp to,
                                                                     Timestamp response_before) {
  // A person is named by a user's login or name (store/logic/kpi_people.h).
  KpiPeople people;
  CX_RETURN_IF_ERROR(pgkpi::LoadKpiPeople(*db_, &people));
  // Each opportunity with its interactions before `response_before`, oldest first.
  const std::string sql =
      std::string("SELECT ") + kOppCols +
      ", i.at, i.logged_by FROM opportunities o LEFT JOIN interactions i ON i.opportunity_id = "
      "o.id AND i.at < $3 WHERE o.created >= $1 AND o.created < $2" +
      DivisionCond(division, "o.division", 4) + " ORDER BY o.created, o.id, i.at";
  Params p;
  p.Add(from).Add(to).Add(response_before);
  if (!division.empty()) p.Add(division);
  CX_ASSIGN_OR_RETURN(pg::Rows rows, db_->Query(sql, p));
  std::vector<KpiOpportunityRow> out;
  std::string owner;
  while (rows.Next()) {
    if (out.empty() || out.back().id != rows.TextView(0)) {
      out.push_back(ReadOpp(rows));
      owner = people.Of(out.back().owner);
    }
    auto& o = out.back();
    if (o.first_response || rows.IsNull(10) || owner.empty()) continue;
    if (people.Of(rows.TextView(11)) == owner) o.first_response = rows.Int(10);
  }
  return out;
}

Result<bool> PgTx::KpiAnyOpportunity(const std::string& division, Timestamp before) {
  CX_ASSIGN_OR_RETURN(pg::Rows rows,
                      db_->Query("SELECT EXISTS (SELECT 1 FROM opportunities WHERE division = $1 "
                                 "AND created < $2)",
                                 Params().Add(division).Add(before)));
  return rows.Next() && rows.Bool(0);
}

Result<std::vector<KpiCaseRow>> PgTx::KpiCases(const std::string& division, const std::string& kind,
                                               const std::string& field, Timestamp from,
                                               Timestamp to, Timestamp interactions_before) {
  if (field != "opened" && field != "closed" && field != "resolution_confirmed") {
    return Internal("KpiCases: unknown case time field '" + field + "'");
  }
  const std::string sql =
      "SELECT c.id, c.division, c.kind, c.owner, c.account_id, c.opened, c.resolution_confirmed, "
      "c.closed, (SELECT count(*) FROM interactions i WHERE i.case_id = c.id AND i.at < $4)"
      " FROM cases c WHERE c.kind = $1 AND c." +
      field + " >= $2 AND c." + field + " < $3" + DivisionCond(division, "c.division", 5) +
      " ORDER BY c." + field + ", c.id";
  Params p;
  p.Add(kind).Add(from).Add(to).Add(interactions_before);
  if (!division.empty()) p.Add(division);
  return Collect<KpiCaseRow>(db_->Query(sql, p), [](const pg::Rows& r) {
    KpiCaseRow c = ReadCase(r);
    c.interactions = r.Int(8);
    return c;
  });
}

namespace {

constexpr int64_t kDay = 86400;

// Floor and ceiling of a / kDay for any sign (C++ division truncates toward zero).
int64_t FloorDay(int64_t t) { return t / kDay - (t % kDay < 0 ? 1 : 0); }
int64_t CeilDay(int64_t t) { return t / kDay + (t % kDay > 0 ? 1 : 0); }

}  // namespace

Result<KpiOrderStats> PgTx::KpiOrders(const std::string& division, Timestamp from, Timestamp to) {
  // The sum is exact (numeric), rounded once to a double: the order rows are met in must not
  // change the last digits. The whole UTC days of the period come from kpi_order_days (0077: a
  // day's count and exact sum, in one row or a few not yet folded), the part-days at its two ends
  // from the orders; the same exact sum as adding every order's amount.
  const int64_t first_day = CeilDay(from), end_day = FloorDay(to);
  constexpr int64_t kFar = int64_t(1) << 50;  // seconds: far beyond any real date
  if (end_day - first_day < 1 || from < -kFar || to > kFar) {
    CX_ASSIGN_OR_RETURN(
        pg::Rows rows,
        db_->Query("SELECT count(*), coalesce(sum(amount::numeric), 0)::float8 FROM orders "
                   "WHERE division = $1 AND date >= $2 AND date < $3",
                   Params().Add(division).Add(from).Add(to)));
    KpiOrderStats out;
    if (rows.Next()) {
      out.orders = rows.Int(0);
      out.amount = rows.Real(1);
    }
    return out;
  }
  // Each end its own range of the covering index (an index-only scan; an OR of the two would
  // be a bitmap scan, which visits the table).
  CX_ASSIGN_OR_RETURN(
      pg::Rows rows,
      db_->Query("SELECT coalesce(sum(n), 0)::bigint, coalesce(sum(a), 0)::float8 FROM ("
                 "SELECT sum(orders) AS n, sum(amount) AS a FROM kpi_order_days "
                 "WHERE division = $1 AND day >= $4 AND day < $5 "
                 "UNION ALL SELECT count(*), sum(amount::numeric) FROM orders "
                 "WHERE division = $1 AND date >= $2 AND date < $4::bigint * 86400 "
                 "UNION ALL SELECT count(*), sum(amount::numeric) FROM orders "
                 "WHERE division = $1 AND date >= $5::bigint * 86400 AND date < $3) AS parts",
                 Params().Add(division).Add(from).Add(to).Add(first_day).Add(end_day)));
  KpiOrderStats out;
  if (rows.Next()) {
    out.orders = rows.Int(0);
    out.amount = rows.Real(1);
  }
  return out;
}

Status PgTx::FoldKpiOrderDays() {
  // The days with rows the triggers added since, each folded into one row (none when its orders
  // cancel out). Rows another transaction adds meanwhile are not seen, so not deleted: they stay
  // for the next fold. Refreshes run one at a time (the caller holds kpi_activity_state's lock).
  return db_
      ->Exec(
          "WITH f AS (SELECT DISTINCT division, day FROM kpi_order_days WHERE fresh), "
          "d AS (DELETE FROM kpi_order_days k USING f WHERE k.division = f.division AND "
          "k.day = f.day RETURNING k.division, k.day, k.orders, k.amount) "
          "INSERT INTO kpi_order_days (division, day, orders, amount, fresh) "
          "SELECT division, day, sum(orders), sum(amount), false FROM d GROUP BY division, day "
          "HAVING sum(orders) <> 0 OR sum(amount) <> 0")
      .status();
}

Result<std::vector<std::string>> PgTx::KpiOrderIds(const std::string& division, Timestamp from,
                                                   Timestamp to, int limit) {
  return Collect<std::string>(
      db_->Query("SELECT id FROM orders WHERE division = $1 AND date >= $2 AND date < $3 "
                 "ORDER BY date, id LIMIT $4",
                 Params().Add(division).Add(from).Add(to).Add(int64_t(limit))),
      [](const pg::Rows& r) { return r.Text(0); });
}

Result<KpiRepeatStats> PgTx::KpiRepeatCustomers(const std::string& division, Timestamp from,
                                                Timestamp to, int64_t gap, int id_limit) {
  // The division's orders from `gap` before the period to its end, in date order, read in
  // batches; per customer the repeat rule (store/logic/repeat_rule.h).
  struct Customer {
    CustomerOrders orders;
    bool in_period = false, back = false;
  };
  std::unordered_map<std::string, Customer> customers;
  std::string id;
  CX_RETURN_IF_ERROR(db_->ForEachBatch(
      "SELECT erp_customer_id, date FROM orders WHERE division = $1 AND date >= $2::bigint - "
      "$4::bigint AND date < $3 ORDER BY date",
      Params().Add(division).Add(from).Add(to).Add(gap),
      [&](pg::Rows& rows) -> Status {
        while (rows.Next()) {
          if (!IsCustomerId(rows.TextView(0))) continue;
          id.assign(rows.TextView(0));
          const Timestamp d = rows.Int(1);
          Customer& c = customers[id];
          const bool returns = c.orders.Add(d, gap);
          if (d >= from) {
            c.in_period = true;
            if (returns) c.back = true;
          }
        }
        return Status::Ok();
      },
      20000));
  std::vector<std::pair<std::string_view, bool>> listed;
  for (const auto& [cid, c] : customers)
    if (c.in_period) listed.emplace_back(cid, c.back);
  std::sort(listed.begin(), listed.end());
  KpiRepeatStats out;
  for (const auto& [cid, back] : listed) {
    ++out.customers;
    if (back) ++out.returning;
    auto& ids = back ? out.returning_ids : out.other_ids;
    if (int(ids.size()) < id_limit) ids.emplace_back(cid);
  }
  return out;
}

Result<std::vector<KpiFeedbackRow>> PgTx::KpiFeedback(const std::string& kind, Timestamp from,
                                                      Timestamp to) {
  return Collect<KpiFeedbackRow>(
      db_->Query("SELECT id, division, score FROM feedback WHERE kind = $1 AND date >= $2 AND "
                 "date < $3 ORDER BY date, id",
                 Params().Add(kind).Add(from).Add(to)),
      [](const pg::Rows& r) {
        return KpiFeedbackRow{r.Text(0), r.Text(1), r.Real(2)};
      });
}

Result<std::vector<KpiActiveAccount>> PgTx::KpiActiveAccounts(Timestamp from, Timestamp to) {
  // Interactions by time; orders one division at a time from (division, date) — the divisions
  // found by a loose scan, as PostgreSQL 15 has no skip scan — mapped to their accounts; the
  // pairs made distinct and ordered by the server.
  return Collect<KpiActiveAccount>(
      db_->Query(
          "WITH RECURSIVE d(x) AS (SELECT (SELECT min(division) FROM orders) UNION ALL "
          "SELECT (SELECT min(division) FROM orders WHERE division > d.x) FROM d WHERE d.x IS "
          "NOT NULL) "
          "SELECT i.division, c.account_id FROM interactions i JOIN contacts c ON c.id = "
          "i.contact_id WHERE i.at >= $1 AND i.at < $2 AND c.account_id IS NOT NULL "
          "UNION SELECT o.division, a.id FROM d JOIN orders o ON o.division = d.x JOIN accounts "
          "a ON a.erp_customer_id = o.erp_customer_id WHERE o.date >= $1 AND o.date < $2 "
          "ORDER BY 1, 2",
          Params().Add(from).Add(to)),
      [](const pg::Rows& r) {
        return KpiActiveAccount{r.Text(0), r.Text(1)};
      });
}

Result<std::vector<ReviewNextAction>> PgTx::ReviewOverdueNextActions(Timestamp from,
                                                                     Timestamp before, int limit) {
  return Collect<ReviewNextAction>(
      db_->Query(
          "SELECT id, CASE WHEN next_action_owner <> '' THEN next_action_owner ELSE logged_by "
          "END, next_action, division, contact_id, next_action_due FROM interactions WHERE "
          "next_action <> '' AND next_action_done = 0 AND next_action_due >= $3 AND "
          "next_action_due < $1 AND at < $1 ORDER BY next_action_due, id LIMIT $2",
          Params().Add(before).Add(int64_t(limit)).Add(from)),
      [](const pg::Rows& r) {
        ReviewNextAction a;
        a.interaction_id = r.Text(0);
        a.owner = r.Text(1);
        a.next_action = r.Text(2);
        a.division = r.Text(3);
        a.contact_id = r.Text(4);
        a.due = r.Int(5);
        return a;
      });
}

Result<std::vector<ReviewOverdueCount>> PgTx::ReviewOverdueCounts(Timestamp before,
                                                                  Timestamp since) {
  // One pass over the partial index of open next actions (interactions_next_action).
  return Collect<ReviewOverdueCount>(
      db_->Query("SELECT CASE WHEN next_action_owner <> '' THEN next_action_owner ELSE "
                 "logged_by END AS who, count(*), count(*) FILTER (WHERE next_action_due >= $2), "
                 "min(next_action_due) FROM interactions WHERE next_action <> '' AND "
                 "next_action_done = 0 AND next_action_due < $1 AND at < $1 GROUP BY who "
                 "ORDER BY who",
                 Params().Add(before).Add(since)),
      [](const pg::Rows& r) {
        return ReviewOverdueCount{r.Text(0), r.Int(1), r.Int(2), r.Int(3)};
      });
}

Result<std::vector<ReviewLogCount>> PgTx::ReviewLogCounts(Timestamp from, Timestamp to) {
  return Collect<ReviewLogCount>(
      db_->Query("SELECT logged_by, division, count(*) FROM interactions WHERE at >= $1 AND "
                 "at < $2 GROUP BY logged_by, division ORDER BY logged_by, division",
                 Params().Add(from).Add(to)),
      [](const pg::Rows& r) {
        return ReviewLogCount{r.Text(0), r.Text(1), r.Int(2)};
      });
}

Result<std::vector<AuditEntry>> PgTx::ReviewAuditIn(const std::string& entity,
                                                    const std::string& field, Timestamp from,
                                                    Timestamp to) {
  // Field changes only (the time index holds no other rows).
  if (field.empty()) return Invalid("the review reads the audit rows of a field; none named");
  // Entries this transaction appended are written out first: ListAudit does that (asked for
  // an id no record has, it reads one index entry).
  AuditFilter none;
  none.entity_id = std::string(1, '\x01');
  none.limit = 1;
  none.newest_first = false;
  CX_RETURN_IF_ERROR(ListAudit(none).status());
  return Collect<AuditEntry>(
      db_->Query("SELECT seq, at, actor, action, entity, entity_id, field, before, after, "
                 "reason FROM audit WHERE at >= $3 AND at < $4 AND entity = $1 AND field = $2 "
                 "AND field <> '' ORDER BY seq",
                 Params().Add(entity).Add(field).Add(from).Add(to)),
      [](const pg::Rows& r) {
        AuditEntry e;
        e.seq = r.Int(0);
        e.at = r.Int(1);
        e.actor = r.Text(2);
        e.action = r.Text(3);
        e.entity = r.Text(4);
        e.entity_id = r.Text(5);
        e.field = r.Text(6);
        e.before = r.Text(7);
        e.after = r.Text(8);
        e.reason = r.Text(9);
        return e;
      });
}

Result<std::vector<KpiCaseRow>> PgTx::ReviewOpenCases(const std::string& kind, Timestamp before) {
  return Collect<KpiCaseRow>(
      db_->Query("SELECT id, division, kind, owner, account_id, opened, resolution_confirmed, "
                 "closed FROM cases WHERE kind = $1 AND opened < $2 AND (closed IS NULL OR "
                 "closed >= $2) ORDER BY opened, id",
                 Params().Add(kind).Add(before)),
      [](const pg::Rows& r) { return ReadCase(r); });
}

Result<std::vector<KpiTarget>> PgTx::KpiStoredTargets() {
  CX_ASSIGN_OR_RETURN(
      pg::Rows rows,
      db_->Query("SELECT key, division, value, direction FROM kpi_targets ORDER BY key, division"));
  std::vector<KpiTarget> out;
  while (rows.Next()) {
    KpiTarget t;
    t.key = rows.Text(0);
    t.division = rows.Text(1);
    t.value = rows.Real(2);
    auto d = ParseDirection(rows.Text(3));
    if (!d.ok()) {
      return Internal("stored KPI target " + t.key +
                      " has a corrupt direction: " + d.status().message());
    }
    t.direction = *d;
    out.push_back(t);
  }
  return out;
}

Status PgTx::SaveKpiTarget(const KpiTarget& t, const std::string& set_by, Timestamp at) {
  return db_
      ->Exec(
          "INSERT INTO kpi_targets (key, division, value, direction, set_by, set_at) VALUES "
          "($1, $2, $3, $4, $5, $6) ON CONFLICT (key, division) DO UPDATE SET value = "
          "excluded.value, direction = excluded.direction, set_by = excluded.set_by, "
          "set_at = excluded.set_at",
          Params()
              .Add(t.key)
              .Add(t.division)
              .Add(t.value)
              .Add(std::string(DirectionName(t.direction)))
              .Add(set_by)
              .Add(at))
      .status();
}

}  // namespace cx
