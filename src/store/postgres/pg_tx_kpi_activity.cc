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

// Rows for kpi_activity, kpi_activity_firsts and kpi_activity_starts, sent with COPY a chunk at
// a time.
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
  // The pairs of one day of `series` (previous days ascending, counts > 0) as one row of
  // kpi_activity_starts: the previous days and the running sums of their counts (0079).
  Status Start(std::string_view series, int64_t day, const std::vector<int64_t>& prevs,
               const std::vector<int64_t>& cum) {
    if (prevs.empty()) return Status::Ok();
    starts_.Text(series).Int(day).Text(DaysArray(prevs)).Text(DaysArray(cum));
    starts_.EndRow();
    return starts_.rows() >= kChunk ? FlushStarts() : Status::Ok();
  }
  Status Flush() {
    CX_RETURN_IF_ERROR(FlushRows());
    CX_RETURN_IF_ERROR(FlushFirsts());
    return FlushStarts();
  }

 private:
  static constexpr size_t kChunk = 50000;
  static constexpr const char* kRowsCopy =
      "COPY kpi_activity (series, account_id, days) FROM STDIN";
  static constexpr const char* kFirstsCopy =
      "COPY kpi_activity_firsts (series, day, prev, n) FROM STDIN";
  static constexpr const char* kStartsCopy =
      "COPY kpi_activity_starts (series, day, prevs, cum) FROM STDIN";
  Status FlushRows() { return Flush(kRowsCopy, &rows_); }
  Status FlushFirsts() { return Flush(kFirstsCopy, &firsts_); }
  Status FlushStarts() { return Flush(kStartsCopy, &starts_); }
  // The rows gathered for one table, copied in and forgotten.
  Status Flush(const char* copy, pg::CopyRows* rows) {
    if (rows->rows() == 0) return Status::Ok();
    CX_RETURN_IF_ERROR(db_.Copy(copy, *rows));
    rows->Clear();
    return Status::Ok();
  }
  pg::Db& db_;
  pg::CopyRows rows_, firsts_, starts_;
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
  std::vector<std::string> touched_series;
  std::vector<int64_t> touched_days;
  for (const auto& [key, n] : delta) {
    if (n == 0) continue;
    if (touched_days.empty() || touched_series.back() != key.series ||
        touched_days.back() != key.day) {
      touched_series.push_back(key.series);
      touched_days.push_back(key.day);
    }
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
  if (touched_days.empty()) return Status::Ok();
  // The days whose pairs changed, their rows of kpi_activity_starts made again from the pairs.
  const std::string keys = "(series, day) IN (SELECT * FROM unnest($1::text[], $2::int4[]))";
  const Params params = Params().Add(TextArrayParam(touched_series)).Add(DaysArray(touched_days));
  CX_RETURN_IF_ERROR(db_->Exec("DELETE FROM kpi_activity_starts WHERE " + keys, params).status());
  return db_
      ->Exec(
          "INSERT INTO kpi_activity_starts (series, day, prevs, cum) SELECT series, day, "
          "array_agg(prev ORDER BY prev), array_agg(c ORDER BY prev) FROM (SELECT series, "
          "day, prev, (sum(n) OVER (PARTITION BY series, day ORDER BY prev))::bigint AS c "
          "FROM kpi_activity_firsts WHERE " +
              keys + ") f GROUP BY series, day",
          params)
      .status();
}

namespace {

// Rebuilds the aggregate from every interaction and order, in `zone` (the caller holds the
// state row's lock); `clean_from`: the oldest transaction running when the caller locked it.
Status Rebuild(pg::Db& db, const Zone& zone, const std::string& clean_from) {
  CX_RETURN_IF_ERROR(pgkpi::AnalyzeTablesWithoutStatistics(db, pgkpi::KpiFactTables()));
  // DELETE, not TRUNCATE: readers in other sessions keep their snapshot instead of waiting for
  // this transaction's lock.
  CX_RETURN_IF_ERROR(db.ExecScript(
      "DELETE FROM kpi_activity_dirty; DELETE FROM kpi_customer_dirty; DELETE FROM "
      "kpi_activity; DELETE FROM kpi_activity_firsts; DELETE FROM kpi_activity_starts"));
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
  std::vector<int64_t> prevs, cum;
  // The pairs of a series in (day, prev) order; each day's also as one row of starts.
  auto write_firsts = [&](const std::string& name,
                          const std::unordered_map<uint64_t, int64_t>& pairs) -> Status {
    counted.assign(pairs.begin(), pairs.end());
    std::sort(counted.begin(), counted.end());
    int64_t day = 0;
    prevs.clear(), cum.clear();
    for (const auto& [key, count] : counted) {
      const int64_t d = DayOfPairKey(key);
      if (!prevs.empty() && d != day) {
        CX_RETURN_IF_ERROR(out.Start(name, day, prevs, cum));
        prevs.clear(), cum.clear();
      }
      day = d;
      prevs.push_back(PrevOfPairKey(key));
      cum.push_back((cum.empty() ? 0 : cum.back()) + count);
      CX_RETURN_IF_ERROR(out.First(name, d, PrevOfPairKey(key), count));
    }
    return out.Start(name, day, prevs, cum);
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
  CX_RETURN_IF_ERROR(
      db.ExecScript("ANALYZE kpi_activity, kpi_activity_firsts, kpi_activity_starts"));
  return db
      .Exec("UPDATE kpi_activity_state SET zone = $1, stale = 0, clean_from = $2::xid8",
            Params().Add(zone.name()).Add(clean_from))
      .status();
}

}  // namespace
}  // namespace cx
