// PostgreSQL Tx: the reads of the aggregate of active days (0008_kpi_activity.sql, 0060, 0079):
// how many subjects of a series were active in a period, and which, in id order.
#include <algorithm>
#include <functional>

#include "store/logic/activity_days.h"
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

using pg::Params;
using pgkpi::TextArrayParam;

// How many subjects of each of `series` were active on a day of [from_day, to_day] (one pair
// each), in the order asked, when the aggregate is up to date in `zone`; none when it is not.
// One statement: the readiness and every count in one round trip, as each round trip costs a
// wait for the server (the weekly pack asks for some fifty counts). A subject active in the
// days has one pair (day, prev) with day in them and prev before them; a day's row of
// kpi_activity_starts (0079) holds its pairs' previous days ascending and the running sums of
// their counts, so each day of the period is one binary search (`width_bucket`): a quarter is
// some 90 rows a series, where summing the pairs themselves passed 11,600 (5 ms a series at
// the KPI benchmark's scale 0.2).
Result<std::optional<std::vector<int64_t>>> ActiveCounts(pg::Db& db, const Zone& zone,
                                                         const std::vector<std::string>& series,
                                                         int64_t from_day, int64_t to_day) {
  using Out = std::optional<std::vector<int64_t>>;
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT (SELECT zone = $1 AND stale = 0 AND " +
                   pgkpi::NothingChangedSince("kpi_activity_dirty", "kpi_activity_state") +
                   " AND " +
                   pgkpi::NothingChangedSince("kpi_customer_dirty", "kpi_activity_state") +
                   " FROM kpi_activity_state), (SELECT coalesce(sum(CASE WHEN x.k > 0 THEN "
                   "x.cum[x.k] END), 0)::bigint FROM (SELECT width_bucket(($3 - 1)::int4, "
                   "t.prevs) AS k, t.cum FROM kpi_activity_starts t WHERE t.series = s.name AND "
                   "t.day BETWEEN $3 AND $4) x) FROM unnest($2::text[]) WITH ORDINALITY AS s(name, "
                   "ord) ORDER BY "
                   "s.ord",
               Params().Add(zone.name()).Add(TextArrayParam(series)).Add(from_day).Add(to_day)));
  std::vector<int64_t> out;
  while (r.Next()) {
    if (r.IsNull(0) || !r.Bool(0)) return Out();
    out.push_back(r.Int(1));
  }
  if (out.size() != series.size()) return Internal("kpi_activity: counts of series went missing");
  return Out(std::move(out));
}

// Calls `fn` with the subjects of `series` active on a day of [from_day, to_day], in id order,
// while it returns true. The server picks the active subjects (two binary searches in each
// row's sorted days, 0060) and sends pages of `page` of them.
Status ForActive(pg::Db& db, const std::string& series, int64_t from_day, int64_t to_day, int page,
                 const std::function<Result<bool>(std::string_view)>& fn) {
  std::string after;
  bool first = true;
  page = std::clamp(page, 1, 2000);
  for (;;) {
    CX_ASSIGN_OR_RETURN(
        pg::Rows r,
        db.Query("SELECT account_id FROM kpi_activity WHERE series = $1 AND ($2 OR account_id > "
                 "$3) AND width_bucket($5::int4, days) > width_bucket($4::int4, days) ORDER BY "
                 "account_id LIMIT $6",
                 Params()
                     .Add(series)
                     .Add(first)
                     .Add(after)
                     .Add(from_day - 1)
                     .Add(to_day)
                     .Add(int64_t(page))));
    int seen = 0;
    while (r.Next()) {
      ++seen;
      after = r.Text(0);
      CX_ASSIGN_OR_RETURN(bool go_on, fn(after));
      if (!go_on) return Status::Ok();
    }
    first = false;
    if (seen < page) return Status::Ok();
  }
}

// The first `returning` customers (in id order) active in [from_day, to_day] in the returns
// series, and the first `others` active in the orders series but not in the returns one (a
// returns day is always an orders day too), in one statement: each side read in id order up to
// its count. Before, the active customers of the orders series came in pages of 2,000 with a
// join to their returns row, which the planner made a merge join over the index of every
// series' rows by id (55 ms before its first row at the KPI benchmark's scale 0.2), and a
// quarter's 200 ids of each kind read 2,000 customers where some 450 hold them.
Status RepeatIds(pg::Db& db, const std::string& orders, const std::string& returns,
                 int64_t from_day, int64_t to_day, int64_t returning, int64_t others,
                 KpiRepeatStats* out) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("(SELECT true, account_id FROM kpi_activity WHERE series = $2 AND "
               "width_bucket($4::int4, days) > width_bucket($3::int4, days) ORDER BY account_id "
               "LIMIT $5) UNION ALL (SELECT false, s.account_id FROM kpi_activity s WHERE "
               "s.series = $1 AND width_bucket($4::int4, s.days) > width_bucket($3::int4, s.days) "
               "AND (SELECT width_bucket($4::int4, b.days) > width_bucket($3::int4, b.days) FROM "
               "kpi_activity b WHERE b.series = $2 AND b.account_id = s.account_id) IS NOT TRUE "
               "ORDER BY s.account_id LIMIT $6)",
               Params()
                   .Add(orders)
                   .Add(returns)
                   .Add(from_day - 1)
                   .Add(to_day)
                   .Add(returning)
                   .Add(others)));
  while (r.Next()) (r.Bool(0) ? out->returning_ids : out->other_ids).push_back(r.Text(1));
  // Each side came in id order; sorted again, so that the answer does not rest on the order in
  // which the server appends them (ids compare as bytes, as the server's COLLATE "C").
  std::sort(out->returning_ids.begin(), out->returning_ids.end());
  std::sort(out->other_ids.begin(), out->other_ids.end());
  return Status::Ok();
}

}  // namespace

Result<std::optional<KpiRepeatStats>> PgTx::KpiRepeatCustomersByDay(const Zone& zone,
                                                                    const std::string& division,
                                                                    int64_t from_day,
                                                                    int64_t to_day, int id_limit) {
  using Out = std::optional<KpiRepeatStats>;
  const std::string orders = kOrdersPrefix + division, returns = kReturnsPrefix + division;
  CX_ASSIGN_OR_RETURN(auto counts, ActiveCounts(*db_, zone, {orders, returns}, from_day, to_day));
  if (!counts) return Out();
  KpiRepeatStats out;
  out.customers = (*counts)[0];
  out.returning = (*counts)[1];
  if (id_limit <= 0 || out.customers == 0) return Out(std::move(out));
  CX_RETURN_IF_ERROR(RepeatIds(*db_, orders, returns, from_day, to_day,
                               std::min<int64_t>(id_limit, out.returning),
                               std::min<int64_t>(id_limit, out.customers - out.returning), &out));
  return Out(std::move(out));
}

Result<std::optional<std::map<std::string, KpiActivityCount>>> PgTx::KpiActivityCounts(
    const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
    int id_limit) {
  using Out = std::optional<std::map<std::string, KpiActivityCount>>;
  // With no series asked, the readiness alone: the count of no series.
  const std::vector<std::string> asked =
      series.empty() ? std::vector<std::string>{kAllSeries} : series;
  CX_ASSIGN_OR_RETURN(auto counts, ActiveCounts(*db_, zone, asked, from_day, to_day));
  if (!counts) return Out();
  std::map<std::string, KpiActivityCount> out;
  for (size_t k = 0; k < series.size(); ++k) {
    const std::string& name = series[k];
    KpiActivityCount& c = out[name];
    c.accounts = (*counts)[k];
    if (id_limit <= 0 || c.accounts == 0) continue;
    CX_RETURN_IF_ERROR(
        ForActive(*db_, name, from_day, to_day, int(std::min<int64_t>(id_limit, c.accounts)),
                  [&](std::string_view id) -> Result<bool> {
                    c.ids.emplace_back(id);
                    return int(c.ids.size()) < id_limit && int64_t(c.ids.size()) < c.accounts;
                  }));
  }
  return Out(std::move(out));
}

}  // namespace cx
