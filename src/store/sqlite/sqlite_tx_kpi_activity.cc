// SQLite Tx: the storage of the aggregate of active days (0008_kpi_activity.sql); its rules (local
// days, their encoding, the pair counts, the repeat rule) are store/logic/activity_days.h's.
#include <algorithm>
#include <unordered_map>

#include "store/logic/activity_days.h"
#include "store/logic/refresh_policy.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::RunAndReset;
using sqlite::Stmt;

// Reads one column of every row of `sql` (no parameters).
Result<std::vector<std::string>> Column(sqlite::Db* db, const char* sql) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db->Prepare(sql));
  std::vector<std::string> out;
  while (s->Step()) out.push_back(s->Text(0));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Status SqliteTx::RefreshKpiActivity(const Zone& zone) {
  CX_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT zone, stale FROM kpi_activity_state"));
  if (!st->Step()) {
    Status s = st->status();
    st->Reset();
    return s.ok() ? Internal("kpi_activity_state has no row") : s;
  }
  std::string built_zone = st->Text(0);
  bool stale = st->Int(1) != 0;
  st->Reset();
  if (!built_zone.empty() && built_zone != zone.name()) return Status::Ok();

  std::vector<std::string> dirty, dirty_customers;
  if (!stale && !built_zone.empty()) {
    CX_ASSIGN_OR_RETURN(
        dirty,
        Column(db_,
               "SELECT DISTINCT account_id FROM kpi_activity_dirty WHERE account_id IS NOT NULL"));
    CX_ASSIGN_OR_RETURN(dirty_customers,
                        Column(db_,
                               "SELECT DISTINCT erp_customer_id FROM kpi_customer_dirty WHERE "
                               "erp_customer_id IS NOT NULL"));
    size_t changed = dirty.size() + dirty_customers.size();
    if (changed == 0) return Status::Ok();
    if (int64_t(changed) > kRefreshOneByOneUpTo) {
      CX_ASSIGN_OR_RETURN(Stmt * c, db_->Prepare("SELECT count(*) FROM accounts"));
      int64_t accounts = c->Step() ? c->Int(0) : 0;
      Status s = c->status();
      c->Reset();
      CX_RETURN_IF_ERROR(s);
      if (FullRebuildCheaper(int64_t(changed), accounts)) stale = true;
    }
  } else {
    stale = true;
  }
  if (stale) return RebuildKpiActivity(zone);

  LocalDays local(zone);
  std::map<DayPair, int64_t> delta;
  std::vector<int64_t> days;
  // Account series have no '/' in their name; customer series do.
  CX_ASSIGN_OR_RETURN(Stmt * old_rows,
                      db_->Prepare("SELECT series, days FROM kpi_activity WHERE account_id = ?1 "
                                   "AND (instr(series, '/') > 0) = ?2"));
  CX_ASSIGN_OR_RETURN(Stmt * del, db_->Prepare("DELETE FROM kpi_activity WHERE account_id = ?1 "
                                               "AND (instr(series, '/') > 0) = ?2"));
  // Takes the rows of a subject out, counting their pairs out of the firsts.
  auto take_out = [&](const std::string& subject, bool customer) -> Status {
    old_rows->Bind(1, subject).Bind(2, int64_t(customer));
    while (old_rows->Step()) {
      std::string series = old_rows->Text(0);
      if (!DecodeDays(old_rows->BlobView(1), &days)) {
        old_rows->Reset();
        return Internal("kpi_activity: unreadable days of " + subject);
      }
      CountDayPairs(series, days, -1, &delta);
    }
    Status s = old_rows->status();
    old_rows->Reset();
    CX_RETURN_IF_ERROR(s);
    del->Bind(1, subject).Bind(2, int64_t(customer));
    return RunAndReset(del);
  };
  CX_ASSIGN_OR_RETURN(Stmt * talks,
                      db_->Prepare("SELECT i.division, i.at FROM contacts c JOIN interactions i ON "
                                   "i.contact_id = c.id WHERE c.account_id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * buys,
                      db_->Prepare("SELECT o.division, o.date FROM accounts a JOIN orders o ON "
                                   "o.erp_customer_id = a.erp_customer_id WHERE a.id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * ins, db_->Prepare("INSERT INTO kpi_activity(series, account_id, "
                                               "days) VALUES (?1, ?2, ?3)"));
  auto put = [&](const std::string& series, const std::string& subject,
                 const std::vector<int64_t>& list) -> Status {
    if (list.empty()) return Status::Ok();
    CountDayPairs(series, list, +1, &delta);
    ins->Bind(1, series).Bind(2, subject).BindBlob(3, EncodeDays(list));
    return RunAndReset(ins);
  };
  Status s;
  for (const auto& account : dirty) {
    CX_RETURN_IF_ERROR(take_out(account, false));
    std::map<std::string, std::vector<int64_t>> by_series;
    for (Stmt* facts : {talks, buys}) {
      facts->Bind(1, account);
      while (facts->Step()) {
        int64_t day = local.Of(facts->Int(1));
        std::string_view division = facts->TextView(0);
        if (!division.empty()) by_series[std::string(division)].push_back(day);
        by_series[kAllSeries].push_back(day);
      }
      s = facts->status();
      facts->Reset();
      CX_RETURN_IF_ERROR(s);
    }
    for (auto& [series, list] : by_series) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      CX_RETURN_IF_ERROR(put(series, account, list));
    }
  }
  CX_ASSIGN_OR_RETURN(Stmt * orders,
                      db_->Prepare("SELECT division, date FROM orders WHERE erp_customer_id = ?1 "
                                   "ORDER BY division, date"));
  CustomerDays cd;
  std::string division;
  auto put_customer = [&](const std::string& customer) -> Status {
    CX_RETURN_IF_ERROR(put(kOrdersPrefix + division, customer, cd.orders));
    return put(kReturnsPrefix + division, customer, cd.returns);
  };
  for (const auto& customer : dirty_customers) {
    CX_RETURN_IF_ERROR(take_out(customer, true));
    if (!IsCustomerId(customer)) continue;
    orders->Bind(1, customer);
    bool first = true;
    while (orders->Step()) {
      std::string_view d = orders->TextView(0);
      if (first || d != division) {
        if (!first) CX_RETURN_IF_ERROR(put_customer(customer));
        first = false;
        division.assign(d);
        cd.Clear();
      }
      Timestamp t = orders->Int(1);
      cd.Add(t, local.Of(t));
    }
    s = orders->status();
    orders->Reset();
    CX_RETURN_IF_ERROR(s);
    if (!first) CX_RETURN_IF_ERROR(put_customer(customer));
  }

  CX_ASSIGN_OR_RETURN(Stmt * up,
                      db_->Prepare("INSERT INTO kpi_activity_firsts(series, day, prev, "
                                   "n) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(series, day, "
                                   "prev) DO UPDATE SET n = n + excluded.n RETURNING n"));
  CX_ASSIGN_OR_RETURN(Stmt * zero, db_->Prepare("DELETE FROM kpi_activity_firsts WHERE series = ?1 "
                                                "AND day = ?2 AND prev = ?3"));
  for (const auto& [key, n] : delta) {
    if (n == 0) continue;
    up->Bind(1, key.series).Bind(2, key.day).Bind(3, key.prev).Bind(4, n);
    int64_t now = up->Step() ? up->Int(0) : 0;
    Status s = up->status();
    up->Reset();
    CX_RETURN_IF_ERROR(s);
    if (now < 0) return Internal("kpi_activity_firsts: a count fell below zero; rebuild needed");
    if (now == 0) {
      zero->Bind(1, key.series).Bind(2, key.day).Bind(3, key.prev);
      CX_RETURN_IF_ERROR(RunAndReset(zero));
    }
  }
  return db_->Exec("DELETE FROM kpi_activity_dirty; DELETE FROM kpi_customer_dirty");
}

Status SqliteTx::RebuildKpiActivity(const Zone& zone) {
  CX_RETURN_IF_ERROR(
      db_->Exec("DELETE FROM kpi_activity; DELETE FROM kpi_activity_firsts; "
                "DELETE FROM kpi_activity_dirty; DELETE FROM kpi_customer_dirty"));
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Index = std::unordered_map<std::string, int32_t, Hash, std::equal_to<>>;
  std::vector<std::string> accounts;
  Index account_index, contact_account, erp_account;
  {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare("SELECT id, erp_customer_id FROM accounts ORDER BY id"));
    while (s->Step()) {
      auto i = int32_t(accounts.size());
      accounts.push_back(s->Text(0));
      account_index.emplace(accounts.back(), i);
      if (!s->IsNull(1)) erp_account.emplace(s->Text(1), i);
    }
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  {
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("SELECT id, account_id FROM contacts WHERE account_id IS NOT NULL"));
    while (s->Step()) {
      auto it = account_index.find(s->TextView(1));
      if (it != account_index.end()) contact_account.emplace(s->Text(0), it->second);
    }
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  const size_t n = accounts.size();
  std::vector<std::string> series{kAllSeries};
  // days[k * n + a]: the active days of account a in series k, in the order met.
  std::vector<std::vector<int32_t>> days(n);
  auto series_of = [&](std::string_view division) -> size_t {
    for (size_t k = 1; k < series.size(); ++k) {
      if (series[k] == division) return k;
    }
    series.emplace_back(division);
    days.resize(series.size() * n);
    return series.size() - 1;
  };
  LocalDays local(zone);
  auto add = [&](size_t k, int32_t a, int32_t day) {
    auto& list = days[k * n + size_t(a)];
    if (list.empty() || list.back() != day) list.push_back(day);
  };
  // Both scans read covering indexes: interactions in time order, orders by customer, division
  // and date. Repeated days are dropped as they come and the lists sorted below.
  struct Scan {
    const char* sql;
    Index* owner;
  };
  for (const Scan& scan :
       {Scan{"SELECT contact_id, division, at FROM interactions ORDER BY at", &contact_account},
        Scan{"SELECT erp_customer_id, division, date FROM orders ORDER BY erp_customer_id, "
             "division, date",
             &erp_account}}) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(scan.sql));
    size_t last_k = 0;
    std::string last_division;
    while (s->Step()) {
      auto it = scan.owner->find(s->TextView(0));
      if (it == scan.owner->end()) continue;
      auto day = int32_t(local.Of(s->Int(2)));
      add(0, it->second, day);
      std::string_view division = s->TextView(1);
      if (division.empty()) continue;
      if (last_k == 0 || division != last_division) {
        last_k = series_of(division);
        last_division.assign(division);
      }
      add(last_k, it->second, day);
    }
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }

  std::vector<size_t> order(series.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return series[a] < series[b]; });
  CX_ASSIGN_OR_RETURN(Stmt * ins, db_->Prepare("INSERT INTO kpi_activity(series, account_id, "
                                               "days) VALUES (?1, ?2, ?3)"));
  CX_ASSIGN_OR_RETURN(Stmt * first, db_->Prepare("INSERT INTO kpi_activity_firsts(series, day, "
                                                 "prev, n) VALUES (?1, ?2, ?3, ?4)"));
  std::vector<std::pair<uint64_t, int64_t>> counted;
  auto write_firsts = [&](const std::string& name,
                          const std::unordered_map<uint64_t, int64_t>& pairs) -> Status {
    counted.assign(pairs.begin(), pairs.end());
    std::sort(counted.begin(), counted.end());
    for (const auto& [key, count] : counted) {
      first->BindStatic(1, name)
          .Bind(2, DayOfPairKey(key))
          .Bind(3, PrevOfPairKey(key))
          .Bind(4, count);
      CX_RETURN_IF_ERROR(RunAndReset(first));
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
      ins->BindStatic(1, series[k]).BindStatic(2, accounts[a]).BindBlob(3, EncodeDays(sorted));
      CX_RETURN_IF_ERROR(RunAndReset(ins));
    }
    CX_RETURN_IF_ERROR(write_firsts(series[k], pairs));
  }

  // Customers: one scan of the covering index (erp_customer_id, division, date), so each
  // customer's orders of a division arrive together and in time order.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> rows;
  std::map<std::string, std::unordered_map<uint64_t, int64_t>> pair_counts;
  auto keep = [&](const std::string& series, const std::string& subject,
                  const std::vector<int64_t>& list) {
    if (list.empty()) return;
    auto& counts = pair_counts[series];
    int64_t prev = kNoPrevDay;
    for (int64_t d : list) {
      ++counts[DayPairKey(d, prev)];
      prev = d;
    }
    rows[series].emplace_back(subject, EncodeDays(list));
  };
  {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT erp_customer_id, division, date FROM orders "
                                               "ORDER BY erp_customer_id, division, date"));
    CustomerDays cd;
    std::string customer, division;
    bool open = false;
    auto flush = [&] {
      if (open && IsCustomerId(customer)) {
        keep(kOrdersPrefix + division, customer, cd.orders);
        keep(kReturnsPrefix + division, customer, cd.returns);
      }
    };
    while (s->Step()) {
      std::string_view c = s->TextView(0), d = s->TextView(1);
      if (!open || c != customer || d != division) {
        flush();
        customer.assign(c);
        division.assign(d);
        cd.Clear();
        open = true;
      }
      Timestamp t = s->Int(2);
      cd.Add(t, local.Of(t));
    }
    flush();
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  for (auto& [name, list] : rows) {
    for (const auto& [subject, blob] : list) {
      ins->Bind(1, name).BindStatic(2, subject).BindBlob(3, blob);
      CX_RETURN_IF_ERROR(RunAndReset(ins));
    }
    CX_RETURN_IF_ERROR(write_firsts(name, pair_counts[name]));
  }

  CX_ASSIGN_OR_RETURN(Stmt * done,
                      db_->Prepare("UPDATE kpi_activity_state SET zone = ?1, stale = 0"));
  done->Bind(1, zone.name());
  return RunAndReset(done);
}

namespace {

// Whether the aggregate is up to date in `zone`.
Result<bool> ActivityReady(sqlite::Db* db, const Zone& zone) {
  CX_ASSIGN_OR_RETURN(
      Stmt * st,
      db->Prepare("SELECT zone = ?1 AND stale = 0 AND NOT EXISTS (SELECT 1 FROM "
                  "kpi_activity_dirty) AND NOT EXISTS (SELECT 1 FROM kpi_customer_dirty) FROM "
                  "kpi_activity_state"));
  st->Bind(1, zone.name());
  bool ready = st->Step() && st->Int(0) != 0;
  Status s = st->status();
  st->Reset();
  if (!s.ok()) return s;
  return ready;
}

// How many subjects of `series` were active on a day of [from_day, to_day]: one pair each.
Result<int64_t> ActiveCount(sqlite::Db* db, const std::string& series, int64_t from_day,
                            int64_t to_day) {
  CX_ASSIGN_OR_RETURN(Stmt * count,
                      db->Prepare("SELECT total(n) FROM kpi_activity_firsts WHERE series = ?1 AND "
                                  "day BETWEEN ?2 AND ?3 AND prev < ?2"));
  count->Bind(1, series).Bind(2, from_day).Bind(3, to_day);
  int64_t n = count->Step() ? int64_t(count->Real(0)) : 0;
  Status s = count->status();
  count->Reset();
  if (!s.ok()) return s;
  return n;
}

// Calls `fn` with the subjects of `series` active on a day of [from_day, to_day], in id order,
// while it returns true.
Status ForActive(sqlite::Db* db, const std::string& series, int64_t from_day, int64_t to_day,
                 const std::function<Result<bool>(std::string_view)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * rows, db->Prepare("SELECT account_id, days FROM kpi_activity WHERE "
                                               "series = ?1 ORDER BY account_id"));
  rows->Bind(1, series);
  std::vector<int64_t> days;
  Status s;
  while (rows->Step()) {
    if (!DecodeDays(rows->BlobView(1), &days)) {
      s = Internal("kpi_activity: unreadable days of " + rows->Text(0));
      break;
    }
    if (!AnyDayIn(days, from_day, to_day)) continue;
    Result<bool> more = fn(rows->TextView(0));
    if (!more.ok()) {
      s = more.status();
      break;
    }
    if (!*more) break;
  }
  if (s.ok()) s = rows->status();
  rows->Reset();
  return s;
}

}  // namespace

Result<std::optional<KpiRepeatStats>> SqliteTx::KpiRepeatCustomersByDay(
    const Zone& zone, const std::string& division, int64_t from_day, int64_t to_day, int id_limit) {
  using Out = std::optional<KpiRepeatStats>;
  CX_ASSIGN_OR_RETURN(bool ready, ActivityReady(db_, zone));
  if (!ready) return Out();
  const std::string orders = kOrdersPrefix + division, returns = kReturnsPrefix + division;
  KpiRepeatStats out;
  CX_ASSIGN_OR_RETURN(out.customers, ActiveCount(db_, orders, from_day, to_day));
  CX_ASSIGN_OR_RETURN(out.returning, ActiveCount(db_, returns, from_day, to_day));
  if (id_limit <= 0 || out.customers == 0) return Out(std::move(out));
  CX_ASSIGN_OR_RETURN(Stmt * back, db_->Prepare("SELECT days FROM kpi_activity WHERE series = ?1 "
                                                "AND account_id = ?2"));
  std::vector<int64_t> days;
  int64_t seen = 0;
  CX_RETURN_IF_ERROR(
      ForActive(db_, orders, from_day, to_day, [&](std::string_view customer) -> Result<bool> {
        ++seen;
        back->Bind(1, returns).Bind(2, customer);
        bool returned = false;
        if (back->Step()) {
          if (!DecodeDays(back->BlobView(0), &days)) {
            back->Reset();
            return Internal("kpi_activity: unreadable days of " + std::string(customer));
          }
          returned = AnyDayIn(days, from_day, to_day);
        }
        Status s = back->status();
        back->Reset();
        if (!s.ok()) return s;
        auto& ids = returned ? out.returning_ids : out.other_ids;
        if (int(ids.size()) < id_limit) ids.emplace_back(customer);
        bool full =
            int(out.returning_ids.size()) >= std::min<int64_t>(id_limit, out.returning) &&
            int(out.other_ids.size()) >= std::min<int64_t>(id_limit, out.customers - out.returning);
        return !full && seen < out.customers;
      }));
  return Out(std::move(out));
}

Result<std::optional<std::map<std::string, KpiActivityCount>>> SqliteTx::KpiActivityCounts(
    const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
    int id_limit) {
  using Out = std::optional<std::map<std::string, KpiActivityCount>>;
  CX_ASSIGN_OR_RETURN(bool ready, ActivityReady(db_, zone));
  if (!ready) return Out();
  std::map<std::string, KpiActivityCount> out;
  for (const auto& name : series) {
    KpiActivityCount& c = out[name];
    CX_ASSIGN_OR_RETURN(c.accounts, ActiveCount(db_, name, from_day, to_day));
    if (id_limit <= 0 || c.accounts == 0) continue;
    // Ids in id order, up to the limit or until every active account is found.
    CX_RETURN_IF_ERROR(
        ForActive(db_, name, from_day, to_day, [&](std::string_view id) -> Result<bool> {
          c.ids.emplace_back(id);
          return int(c.ids.size()) < id_limit && int64_t(c.ids.size()) < c.accounts;
        }));
  }
  return Out(std::move(out));
}

}  // namespace cx
