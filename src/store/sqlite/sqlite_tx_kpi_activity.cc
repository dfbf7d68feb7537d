// SQLite Tx: the aggregate of the days each account was active (0008_kpi_activity.sql), which
// answers the complaint rate's denominator without reading a period's facts. docs/kpi.md.
#include <algorithm>
#include <unordered_map>

#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

constexpr int64_t kNoPrev = -1000000000;  // the previous day of an account's first active day
constexpr const char* kAllSeries = "*";
// Above this share of the accounts marked changed, a full rebuild reads less than one account
// at a time would.
constexpr int64_t kRebuildShare = 10;

// Local day numbers of instants, aligned with BoundsOf: day D is [D's local midnight, D+1's).
// Remembers the last day, so instants in time order cost one comparison each.
class LocalDays {
 public:
  explicit LocalDays(const Zone& zone) : zone_(zone) {}
  int64_t Of(Timestamp t) {
    if (t >= lo_ && t < hi_) return day_;
    Date d;
    int secs = 0;
    zone_.ToLocal(t, &d, &secs);
    int64_t day = DaysFromCivil(d);
    while (t < Start(day)) --day;
    while (t >= Start(day + 1)) ++day;
    day_ = day;
    lo_ = Start(day);
    hi_ = Start(day + 1);
    return day;
  }

 private:
  Timestamp Start(int64_t day) const { return zone_.ToUtc(CivilFromDays(day), 0); }
  const Zone& zone_;
  int64_t day_ = 0;
  Timestamp lo_ = 1, hi_ = 0;
};

// Days are stored as a zigzag varint for the first and varint gaps for the rest.
void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(char(v | 0x80));
    v >>= 7;
  }
  out->push_back(char(v));
}

std::string EncodeDays(const std::vector<int64_t>& days) {
  std::string out;
  int64_t prev = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    if (i == 0) {
      PutVarint(&out, (uint64_t(days[0]) << 1) ^ uint64_t(days[0] >> 63));
    } else {
      PutVarint(&out, uint64_t(days[i] - prev));
    }
    prev = days[i];
  }
  return out;
}

// Decodes into `days`; false when the bytes are not a valid encoding.
bool DecodeDays(std::string_view bytes, std::vector<int64_t>* days) {
  days->clear();
  size_t i = 0;
  int64_t prev = 0;
  while (i < bytes.size()) {
    uint64_t v = 0;
    int shift = 0;
    while (true) {
      if (i >= bytes.size() || shift > 63) return false;
      auto b = uint8_t(bytes[i++]);
      v |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (days->empty()) {
      prev = int64_t(v >> 1) ^ -int64_t(v & 1);
    } else {
      if (v == 0) return false;
      prev += int64_t(v);
    }
    days->push_back(prev);
  }
  return true;
}

Status RunStmt(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

struct FirstKey {
  std::string series;
  int64_t day, prev;
  auto operator<=>(const FirstKey&) const = default;
};

// Adds `sign` for each (day, previous day) pair of sorted `days`.
void CountPairs(const std::string& series, const std::vector<int64_t>& days, int sign,
                std::map<FirstKey, int64_t>* delta) {
  int64_t prev = kNoPrev;
  for (int64_t d : days) {
    (*delta)[FirstKey{series, d, prev}] += sign;
    prev = d;
  }
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

  std::vector<std::string> dirty;
  if (!stale && !built_zone.empty()) {
    CX_ASSIGN_OR_RETURN(Stmt * d, db_->Prepare("SELECT account_id FROM kpi_activity_dirty"));
    while (d->Step()) dirty.push_back(d->Text(0));
    Status s = d->status();
    d->Reset();
    CX_RETURN_IF_ERROR(s);
    if (dirty.empty()) return Status::Ok();
    if (dirty.size() > 1000) {
      CX_ASSIGN_OR_RETURN(Stmt * c, db_->Prepare("SELECT count(*) FROM accounts"));
      int64_t accounts = c->Step() ? c->Int(0) : 0;
      s = c->status();
      c->Reset();
      CX_RETURN_IF_ERROR(s);
      if (int64_t(dirty.size()) * kRebuildShare > accounts) stale = true;
    }
  } else {
    stale = true;
  }
  if (stale) return RebuildKpiActivity(zone);

  LocalDays local(zone);
  std::map<FirstKey, int64_t> delta;
  std::vector<int64_t> days;
  CX_ASSIGN_OR_RETURN(Stmt * old_rows,
                      db_->Prepare("SELECT series, days FROM kpi_activity WHERE account_id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * del, db_->Prepare("DELETE FROM kpi_activity WHERE account_id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * talks,
                      db_->Prepare("SELECT i.division, i.at FROM contacts c JOIN interactions i ON "
                                   "i.contact_id = c.id WHERE c.account_id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * buys,
                      db_->Prepare("SELECT o.division, o.date FROM accounts a JOIN orders o ON "
                                   "o.erp_customer_id = a.erp_customer_id WHERE a.id = ?1"));
  CX_ASSIGN_OR_RETURN(Stmt * ins, db_->Prepare("INSERT INTO kpi_activity(series, account_id, "
                                               "days) VALUES (?1, ?2, ?3)"));
  for (const auto& account : dirty) {
    old_rows->Bind(1, account);
    while (old_rows->Step()) {
      std::string series = old_rows->Text(0);
      if (!DecodeDays(old_rows->BlobView(1), &days)) {
        old_rows->Reset();
        return Internal("kpi_activity: unreadable days of account " + account);
      }
      CountPairs(series, days, -1, &delta);
    }
    Status s = old_rows->status();
    old_rows->Reset();
    CX_RETURN_IF_ERROR(s);
    del->Bind(1, account);
    CX_RETURN_IF_ERROR(RunStmt(del));

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
      CountPairs(series, list, +1, &delta);
      ins->Bind(1, series).Bind(2, account).BindBlob(3, EncodeDays(list));
      CX_RETURN_IF_ERROR(RunStmt(ins));
    }
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
      CX_RETURN_IF_ERROR(RunStmt(zero));
    }
  }
  return db_->Exec("DELETE FROM kpi_activity_dirty");
}

Status SqliteTx::RebuildKpiActivity(const Zone& zone) {
  CX_RETURN_IF_ERROR(
      db_->Exec("DELETE FROM kpi_activity; DELETE FROM kpi_activity_firsts; "
                "DELETE FROM kpi_activity_dirty"));
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
  // Both scans read covering indexes in time order, so the day of most facts is the last one's.
  struct Scan {
    const char* sql;
    Index* owner;
  };
  for (const Scan& scan :
       {Scan{"SELECT contact_id, division, at FROM interactions ORDER BY at", &contact_account},
        Scan{"SELECT erp_customer_id, division, date FROM orders ORDER BY date", &erp_account}}) {
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
  // A (day, previous day) pair as one sortable key; both fit in 32 bits with an offset.
  auto pair_key = [](int64_t day, int64_t prev) {
    return (uint64_t(day + 0x80000000LL) << 32) | uint64_t(prev + 0x80000000LL);
  };
  std::vector<int64_t> sorted;
  std::vector<std::pair<uint64_t, int64_t>> counted;
  for (size_t k : order) {
    std::unordered_map<uint64_t, int64_t> pairs;
    for (size_t a = 0; a < n; ++a) {
      auto& list = days[k * n + a];
      if (list.empty()) continue;
      sorted.assign(list.begin(), list.end());
      std::vector<int32_t>().swap(list);
      std::sort(sorted.begin(), sorted.end());
      sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
      int64_t prev = kNoPrev;
      for (int64_t d : sorted) {
        ++pairs[pair_key(d, prev)];
        prev = d;
      }
      ins->BindStatic(1, series[k]).BindStatic(2, accounts[a]).BindBlob(3, EncodeDays(sorted));
      CX_RETURN_IF_ERROR(RunStmt(ins));
    }
    counted.assign(pairs.begin(), pairs.end());
    std::sort(counted.begin(), counted.end());
    for (const auto& [key, count] : counted) {
      first->BindStatic(1, series[k])
          .Bind(2, int64_t(key >> 32) - int64_t{0x80000000})
          .Bind(3, int64_t(key & 0xffffffffULL) - int64_t{0x80000000})
          .Bind(4, count);
      CX_RETURN_IF_ERROR(RunStmt(first));
    }
  }
  CX_ASSIGN_OR_RETURN(Stmt * done,
                      db_->Prepare("UPDATE kpi_activity_state SET zone = ?1, stale = 0"));
  done->Bind(1, zone.name());
  return RunStmt(done);
}

Result<std::optional<std::map<std::string, KpiActivityCount>>> SqliteTx::KpiActivityCounts(
    const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
    int id_limit) {
  using Out = std::optional<std::map<std::string, KpiActivityCount>>;
  CX_ASSIGN_OR_RETURN(Stmt * st,
                      db_->Prepare("SELECT zone = ?1 AND stale = 0 AND NOT EXISTS (SELECT 1 FROM "
                                   "kpi_activity_dirty) FROM kpi_activity_state"));
  st->Bind(1, zone.name());
  bool ready = st->Step() && st->Int(0) != 0;
  Status s = st->status();
  st->Reset();
  CX_RETURN_IF_ERROR(s);
  if (!ready) return Out();

  CX_ASSIGN_OR_RETURN(Stmt * count,
                      db_->Prepare("SELECT total(n) FROM kpi_activity_firsts WHERE series = ?1 AND "
                                   "day BETWEEN ?2 AND ?3 AND prev < ?2"));
  CX_ASSIGN_OR_RETURN(Stmt * rows, db_->Prepare("SELECT account_id, days FROM kpi_activity WHERE "
                                                "series = ?1 ORDER BY account_id"));
  std::map<std::string, KpiActivityCount> out;
  std::vector<int64_t> days;
  for (const auto& name : series) {
    KpiActivityCount& c = out[name];
    count->Bind(1, name).Bind(2, from_day).Bind(3, to_day);
    c.accounts = count->Step() ? int64_t(count->Real(0)) : 0;
    s = count->status();
    count->Reset();
    CX_RETURN_IF_ERROR(s);
    if (id_limit <= 0 || c.accounts == 0) continue;
    // Ids in id order, up to the limit or until every active account is found.
    rows->Bind(1, name);
    while (int(c.ids.size()) < id_limit && int64_t(c.ids.size()) < c.accounts && rows->Step()) {
      if (!DecodeDays(rows->BlobView(1), &days)) {
        std::string id = rows->Text(0);
        rows->Reset();
        return Internal("kpi_activity: unreadable days of account " + id);
      }
      auto it = std::lower_bound(days.begin(), days.end(), from_day);
      if (it != days.end() && *it <= to_day) c.ids.push_back(rows->Text(0));
    }
    s = rows->status();
    rows->Reset();
    CX_RETURN_IF_ERROR(s);
  }
  return Out(std::move(out));
}

}  // namespace cx
