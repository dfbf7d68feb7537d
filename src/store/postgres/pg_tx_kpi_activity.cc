// PostgreSQL Tx: the storage of the aggregate of active days (0008_kpi_activity.sql); its rules
// (local days, their encoding, the pair counts, the repeat rule) are
// store/logic/activity_days.h's, the same as the SQLite store's.
#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

#include "store/logic/activity_days.h"
#include "store/logic/refresh_policy.h"
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

using pg::Params;
using pgkpi::TextArrayParam;

// A subject's active days (sorted, distinct) as the text of an int4[] (0060): the server
// searches them itself (docs/postgresql.md, "KPI facts").
std::string DaysArray(const std::vector<int64_t>& days) {
  std::string out = "{";
  for (size_t i = 0; i < days.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(days[i]);
  }
  return out + "}";
}

// Reads the text of an int4[] of days back; false when it is not one.
bool ParseDaysArray(std::string_view text, std::vector<int64_t>* days) {
  days->clear();
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  text = text.substr(1, text.size() - 2);
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    int64_t v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size()) return false;
    days->push_back(v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return true;
}

// Rows for kpi_activity and kpi_activity_firsts, sent with COPY a chunk at a time.
class ActivityWriter {
 public:
  explicit ActivityWriter(pg::Db& db) : db_(db) {}
  Status Row(std::string_view series, std::string_view subject, const std::vector<int64_t>& days) {
    rows_.Text(series).Text(subject).Text(DaysArray(days));
    rows_.EndRow();
    return rows_.rows() >= kChunk ? FlushRows() : Status::Ok();
  }
  Status First(std::string_view series, int64_t day, int64_t prev, int64_t n) {
    firsts_.Text(series).Int(day).Int(prev).Int(n);
    firsts_.EndRow();
    return firsts_.rows() >= kChunk ? FlushFirsts() : Status::Ok();
  }
  Status Flush() {
    CX_RETURN_IF_ERROR(FlushRows());
    return FlushFirsts();
  }

 private:
  static constexpr size_t kChunk = 50000;
  Status FlushRows() {
    if (rows_.rows() == 0) return Status::Ok();
    CX_RETURN_IF_ERROR(db_.Copy("COPY kpi_activity (series, account_id, days) FROM STDIN", rows_));
    rows_.Clear();
    return Status::Ok();
  }
  Status FlushFirsts() {
    if (firsts_.rows() == 0) return Status::Ok();
    CX_RETURN_IF_ERROR(
        db_.Copy("COPY kpi_activity_firsts (series, day, prev, n) FROM STDIN", firsts_));
    firsts_.Clear();
    return Status::Ok();
  }
  pg::Db& db_;
  pg::CopyRows rows_, firsts_;
};

// The distinct texts of the first column of `rows`.
std::vector<std::string> Distinct(pg::Rows& rows) {
  std::vector<std::string> out;
  while (rows.Next())
    if (!rows.IsNull(0)) out.push_back(rows.Text(0));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status Rebuild(pg::Db& db, const Zone& zone, const std::string& clean_from);

}  // namespace

Status PgTx::RefreshKpiActivity(const Zone& zone) {
  if (!writable_) return Status::Ok();  // a read: the readers fall back to the facts
  // The state row is locked: refreshes run one at a time, each seeing the last one's work. The
  // oldest transaction running now: every change list row this refresh cannot see was written
  // by it or a later one (0078: the readiness checks look no further back).
  CX_ASSIGN_OR_RETURN(
      pg::Rows state,
      db_->Query("SELECT zone, stale, pg_snapshot_xmin(pg_current_snapshot())::text "
                 "FROM kpi_activity_state FOR UPDATE"));
  if (!state.Next()) return Internal("kpi_activity_state has no row");
  const std::string clean_from = state.Text(2);
  // The orders' sums per day (0077) do not depend on the zone: folded under the same lock.
  CX_RETURN_IF_ERROR(FoldKpiOrderDays());
  const std::string built_zone = state.Text(0);
  bool stale = state.Int(1) != 0;
  if (!built_zone.empty() && built_zone != zone.name()) return Status::Ok();
  if (stale || built_zone.empty()) return Rebuild(*db_, zone, clean_from);

  // The changed subjects, taken: a change committed meanwhile stays for the next refresh.
  CX_ASSIGN_OR_RETURN(pg::Rows taken,
                      db_->Query("DELETE FROM kpi_activity_dirty RETURNING account_id"));
  std::vector<std::string> dirty = Distinct(taken);
  CX_ASSIGN_OR_RETURN(pg::Rows taken_customers,
                      db_->Query("DELETE FROM kpi_customer_dirty RETURNING erp_customer_id"));
  std::vector<std::string> dirty_customers = Distinct(taken_customers);
  const size_t changed = dirty.size() + dirty_customers.size();
  if (changed == 0) return Status::Ok();
  if (int64_t(changed) > kRefreshOneByOneUpTo) {
    CX_ASSIGN_OR_RETURN(pg::Rows c, db_->Query("SELECT count(*) FROM accounts"));
    const int64_t accounts = c.Next() ? c.Int(0) : 0;
    if (FullRebuildCheaper(int64_t(changed), accounts)) return Rebuild(*db_, zone, clean_from);
  }
  CX_RETURN_IF_ERROR(
      db_->Exec("UPDATE kpi_activity_state SET clean_from = $1::xid8", Params().Add(clean_from))
          .status());

  LocalDays local(zone);
  std::map<DayPair, int64_t> delta;
  std::vector<int64_t> days;
  // Takes the rows of the subjects out, counting their pairs out of the firsts. Account series
  // have no '/' in their name; customer series do.
  auto take_out = [&](const std::vector<std::string>& subjects, bool customer) -> Status {
    if (subjects.empty()) return Status::Ok();
    CX_ASSIGN_OR_RETURN(
        pg::Rows old,
        db_->Query("DELETE FROM kpi_activity WHERE account_id = ANY($1::text[]) AND "
                   "(strpos(series, '/') > 0) = $2 RETURNING series, account_id, days",
                   Params().Add(TextArrayParam(subjects)).Add(customer)));
    while (old.Next()) {
      if (!ParseDaysArray(old.TextView(2), &days))
        return Internal("kpi_activity: unreadable days of " + old.Text(1));
      CountDayPairs(old.Text(0), days, -1, &delta);
    }
    return Status::Ok();
  };
  ActivityWriter out(*db_);
  auto put = [&](const std::string& series, const std::string& subject,
                 const std::vector<int64_t>& list) -> Status {
    if (list.empty()) return Status::Ok();
    CountDayPairs(series, list, +1, &delta);
    return out.Row(series, subject, list);
  };

  CX_RETURN_IF_ERROR(take_out(dirty, false));
  if (!dirty.empty()) {
    // Every fact of the changed accounts, by account: interactions of their contacts and orders
    // of their ERP Customer ID.
    CX_ASSIGN_OR_RETURN(
        pg::Rows facts,
        db_->Query("SELECT c.account_id, i.division, i.at FROM contacts c JOIN interactions i ON "
                   "i.contact_id = c.id WHERE c.account_id = ANY($1::text[]) UNION ALL "
                   "SELECT a.id, o.division, o.date FROM accounts a JOIN orders o ON "
                   "o.erp_customer_id = a.erp_customer_id WHERE a.id = ANY($1::text[]) "
                   "ORDER BY 1",
                   Params().Add(TextArrayParam(dirty))));
    std::map<std::string, std::vector<int64_t>> by_series;
    std::string account;
    auto flush = [&]() -> Status {
      for (auto& [series, list] : by_series) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
        CX_RETURN_IF_ERROR(put(series, account, list));
      }
      by_series.clear();
      return Status::Ok();
    };
    while (facts.Next()) {
      if (facts.TextView(0) != account) {
        CX_RETURN_IF_ERROR(flush());
        account.assign(facts.TextView(0));
      }
      const int64_t day = local.Of(facts.Int(2));
      std::string_view division = facts.TextView(1);
      if (!division.empty()) by_series[std::string(division)].push_back(day);
      by_series[kAllSeries].push_back(day);
    }
    CX_RETURN_IF_ERROR(flush());
  }

  CX_RETURN_IF_ERROR(take_out(dirty_customers, true));
  std::vector<std::string> customers;
  for (const auto& c : dirty_customers)
    if (IsCustomerId(c)) customers.push_back(c);
  if (!customers.empty()) {
    CX_ASSIGN_OR_RETURN(
        pg::Rows orders,
        db_->Query("SELECT erp_customer_id, division, date FROM orders WHERE erp_customer_id = "
                   "ANY($1::text[]) ORDER BY erp_customer_id, division, date",
                   Params().Add(TextArrayParam(customers))));
    CustomerDays cd;
    std::string customer, division;
    bool open = false;
    auto put_customer = [&]() -> Status {
      if (!open) return Status::Ok();
      CX_RETURN_IF_ERROR(put(kOrdersPrefix + division, customer, cd.orders));
      return put(kReturnsPrefix + division, customer, cd.returns);
    };
    while (orders.Next()) {
      if (!open || orders.TextView(0) != customer || orders.TextView(1) != division) {
        CX_RETURN_IF_ERROR(put_customer());
        open = true;
        customer.assign(orders.TextView(0));
        division.assign(orders.TextView(1));
        cd.Clear();
      }
      const Timestamp t = orders.Int(2);
      cd.Add(t, local.Of(t));
    }
    CX_RETURN_IF_ERROR(put_customer());
  }
  CX_RETURN_IF_ERROR(out.Flush());

  // The pair counts, changed by their deltas; a count that falls to zero goes.
  for (const auto& [key, n] : delta) {
    if (n == 0) continue;
    CX_ASSIGN_OR_RETURN(
        pg::Rows now,
        db_->Query("INSERT INTO kpi_activity_firsts AS f (series, day, prev, n) VALUES ($1, $2, "
                   "$3, $4) ON CONFLICT (series, day, prev) DO UPDATE SET n = f.n + excluded.n "
                   "RETURNING n",
                   Params().Add(key.series).Add(key.day).Add(key.prev).Add(n)));
    const int64_t left = now.Next() ? now.Int(0) : 0;
    if (left < 0) return Internal("kpi_activity_firsts: a count fell below zero; rebuild needed");
    if (left == 0) {
      CX_RETURN_IF_ERROR(db_->Exec("DELETE FROM kpi_activity_firsts WHERE series = $1 AND day = "
                                   "$2 AND prev = $3",
                                   Params().Add(key.series).Add(key.day).Add(key.prev))
                             .status());
    }
  }
  return Status::Ok();
}

namespace {

// Rebuilds the aggregate from every interaction and order, in `zone` (the caller holds the
// state row's lock); `clean_from`: the oldest transaction running when the caller locked it.
Status Rebuild(pg::Db& db, const Zone& zone, const std::string& clean_from) {
  CX_RETURN_IF_ERROR(pgkpi::AnalyzeTablesWithoutStatistics(db, pgkpi::KpiFactTables()));
  // DELETE, not TRUNCATE: readers in other sessions keep their snapshot instead of waiting for
  // this transaction's lock.
  CX_RETURN_IF_ERROR(
      db.ExecScript("DELETE FROM kpi_activity_dirty; DELETE FROM kpi_customer_dirty; DELETE FROM "
                    "kpi_activity; DELETE FROM kpi_activity_firsts"));
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Index = std::unordered_map<std::string, int32_t, Hash, std::equal_to<>>;
  std::vector<std::string> accounts;
  Index account_index, contact_account, erp_account;
  CX_RETURN_IF_ERROR(db.ForEachBatch(
      "SELECT id, erp_customer_id FROM accounts ORDER BY id", Params(),
      [&](pg::Rows& r) -> Status {
        while (r.Next()) {
          auto i = int32_t(accounts.size());
          accounts.push_back(r.Text(0));
          account_index.emplace(accounts.back(), i);
          if (!r.IsNull(1)) erp_account.emplace(r.Text(1), i);
        }
        return Status::Ok();
      },
      50000));
  CX_RETURN_IF_ERROR(db.ForEachBatch(
      "SELECT id, account_id FROM contacts WHERE account_id IS NOT NULL", Params(),
      [&](pg::Rows& r) -> Status {
        while (r.Next()) {
          auto it = account_index.find(r.TextView(1));
          if (it != account_index.end()) contact_account.emplace(r.Text(0), it->second);
        }
        return Status::Ok();
      },
      50000));
  const size_t n = accounts.size();
  std::vector<std::string> series{kAllSeries};
  // days[k * n + a]: the active days of account a in series k, in the order met.
  std::vector<std::vector<int32_t>> days(n);
  auto series_of = [&](std::string_view division) -> size_t {
    for (size_t k = 1; k < series.size(); ++k)
      if (series[k] == division) return k;
    series.emplace_back(division);
    days.resize(series.size() * n);
    return series.size() - 1;
  };
  LocalDays local(zone);
  // Interactions come in the heap's order, so an account's days come in any order: a list is
  // made sorted and distinct when it fills its capacity, and given twice the room when it is
  // still over half full then, so that it stays near its distinct days and each day is sorted
  // a few times at most.
  auto add = [&](size_t k, int32_t a, int32_t day) {
    auto& list = days[k * n + size_t(a)];
    if (!list.empty() && list.back() == day) return;
    if (list.size() >= 64 && list.size() == list.capacity()) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      if (list.size() * 2 > list.capacity()) list.reserve(list.capacity() * 2);
    }
    list.push_back(day);
  };
  auto add_fact = [&](int32_t a, int32_t day, std::string_view division, size_t* last_k,
                      std::string* last_division) {
    add(0, a, day);
    if (division.empty()) return;
    if (*last_k == 0 || division != *last_division) {
      *last_k = series_of(division);
      last_division->assign(division);
    }
    add(*last_k, a, day);
  };
  // Interactions in no order: a sequential scan. In time order (the covering index) it read
  // the table's rows one at a time in index order right after a load (no visibility map yet,
  // every row's page visited, and the rows' hint bits written): 2.2 s against 0.1 s at 500,000
  // interactions (docs/postgresql.md, "KPI facts").
  {
    size_t last_k = 0;
    std::string last_division;
    CX_RETURN_IF_ERROR(db.ForEachBatch(
        "SELECT contact_id, division, at FROM interactions", Params(),
        [&](pg::Rows& r) -> Status {
          while (r.Next()) {
            auto it = contact_account.find(r.TextView(0));
            if (it == contact_account.end()) continue;
            add_fact(it->second, int32_t(local.Of(r.Int(2))), r.TextView(1), &last_k,
                     &last_division);
          }
          return Status::Ok();
        },
        50000));
  }

  // Orders once, by (customer, division, date): each order is a fact of its customer's account
  // and, per customer and division, in time order, a day of the customer's series.
  ActivityWriter out(db);
  std::map<std::string, std::unordered_map<uint64_t, int64_t>> pair_counts;
  auto keep = [&](const std::string& name, const std::string& subject,
                  const std::vector<int64_t>& list) -> Status {
    if (list.empty()) return Status::Ok();
    auto& counts = pair_counts[name];
    int64_t prev = kNoPrevDay;
    for (int64_t d : list) {
      ++counts[DayPairKey(d, prev)];
      prev = d;
    }
    return out.Row(name, subject, list);
  };
  CustomerDays cd;
  std::string customer, division;
  bool open = false;
  auto flush = [&]() -> Status {
    if (!open || !IsCustomerId(customer)) return Status::Ok();
    CX_RETURN_IF_ERROR(keep(kOrdersPrefix + division, customer, cd.orders));
    return keep(kReturnsPrefix + division, customer, cd.returns);
  };
  {
    size_t last_k = 0;
    std::string last_division;
    int32_t account = -1;
    CX_RETURN_IF_ERROR(db.ForEachBatch(
        "SELECT erp_customer_id, division, date FROM orders ORDER BY erp_customer_id, "
        "division, date",
        Params(),
        [&](pg::Rows& r) -> Status {
          while (r.Next()) {
            std::string_view c = r.TextView(0), d = r.TextView(1);
            const bool new_customer = !open || c != customer;
            if (new_customer || d != division) {
              CX_RETURN_IF_ERROR(flush());
              customer.assign(c);
              division.assign(d);
              cd.Clear();
              open = true;
            }
            if (new_customer) {
              auto it = erp_account.find(c);
              account = it == erp_account.end() ? -1 : it->second;
            }
            const Timestamp t = r.Int(2);
            const int64_t day = local.Of(t);
            cd.Add(t, day);
            if (account >= 0) add_fact(account, int32_t(day), d, &last_k, &last_division);
          }
          return Status::Ok();
        },
        50000));
  }
  CX_RETURN_IF_ERROR(flush());

  std::vector<size_t> order(series.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return series[a] < series[b]; });
  std::vector<std::pair<uint64_t, int64_t>> counted;
  auto write_firsts = [&](const std::string& name,
                          const std::unordered_map<uint64_t, int64_t>& pairs) -> Status {
    counted.assign(pairs.begin(), pairs.end());
    std::sort(counted.begin(), counted.end());
    for (const auto& [key, count] : counted) {
      CX_RETURN_IF_ERROR(out.First(name, DayOfPairKey(key), PrevOfPairKey(key), count));
    }
    return Status::Ok();
  };
  std::vector<int64_t> sorted;
  for (size_t k : order) {
    std::unordered_map<uint64_t, int64_t> pairs;
    for (size_t a = 0; a < n; ++a) {
      auto& list = days[k * n + a];
      if (list.empty()) continue;
      sorted.assign(list.begin(), list.end());
      std::vector<int32_t>().swap(list);
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      int64_t prev = kNoPrevDay;
      for (int64_t d : sorted) {
        ++pairs[DayPairKey(d, prev)];
        prev = d;
      }
      CX_RETURN_IF_ERROR(out.Row(series[k], accounts[a], sorted));
    }
    CX_RETURN_IF_ERROR(write_firsts(series[k], pairs));
  }

  for (const auto& [name, counts] : pair_counts) CX_RETURN_IF_ERROR(write_firsts(name, counts));
  CX_RETURN_IF_ERROR(out.Flush());
  // Statistics of the tables just filled: without them the planner guesses the readers' plans
  // (docs/postgresql.md, "KPI facts"). A role that does not own them gets a warning, not an
  // error, and the tables are analysed by autovacuum later.
  CX_RETURN_IF_ERROR(db.ExecScript("ANALYZE kpi_activity, kpi_activity_firsts"));
  return db
      .Exec("UPDATE kpi_activity_state SET zone = $1, stale = 0, clean_from = $2::xid8",
            Params().Add(zone.name()).Add(clean_from))
      .status();
}

// How many subjects of each of `series` were active on a day of [from_day, to_day] (one pair
// each), in the order asked, when the aggregate is up to date in `zone`; none when it is not.
// One statement: the readiness and every count in one round trip, as each round trip costs a
// wait for the server (the weekly pack asks for some fifty counts).
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
                   " FROM kpi_activity_state), (SELECT coalesce(sum(f.n), 0)::bigint FROM "
                   "kpi_activity_firsts f WHERE f.series = s.name AND f.day BETWEEN $3 AND $4 AND "
                   "f.prev < $3) FROM unnest($2::text[]) WITH ORDINALITY AS s(name, ord) ORDER BY "
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
