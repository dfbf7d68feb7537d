// The weekly review pack: the scorecard plus the operational lists of PRODUCT.md §8, as of the
// week's end.
#include "service/review_service.h"

#include "service/erp_sync.h"
#include "service/link_service.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "domain/division.h"
#include "service/audit.h"
#include "service/user_service.h"

namespace cx {

Result<ErpStatus> ErpStatusFromHub(const Context& ctx) {
  ErpStatus out;
  CX_ASSIGN_OR_RETURN(auto queue, ListErpQueue(ctx, "open", 1000000));
  out.steward_queue = int64_t(queue.size());
  CX_ASSIGN_OR_RETURN(auto syncs, ErpSyncHistory(ctx, 1000));
  for (const auto& r : syncs) {
    auto& last = r.kind == "customers" ? out.customers_synced : out.orders_synced;
    if (!last || *last < r.finished_at) last = r.finished_at;
  }
  return out;
}
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

class Timer {
 public:
  explicit Timer(std::vector<TimedQuery>* out, std::string name)
      : out_(out), name_(std::move(name)) {}
  ~Timer() {
    out_->push_back(
        {name_, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_)
                    .count()});
  }

 private:
  std::vector<TimedQuery>* out_;
  std::string name_;
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

std::string Megabytes(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
  return buf;
}

}  // namespace

Period DefaultReviewWeek(const Context& ctx) {
  Date today;
  int secs = 0;
  ctx.zone.ToLocal(ctx.now(), &today, &secs);
  return IsoWeekOf(today);
}

Result<ReviewPack> BuildReview(const Context& ctx, const ReviewQuery& q) {
  if (IsoWeekday(q.week.from) != 1 || PeriodDays(q.week) != 7) {
    return Invalid("week: " + PeriodLabel(q.week) + " is not a Monday..Sunday week");
  }
  ReviewPack p;
  p.week = q.week;
  p.week_name = IsoWeekName(q.week.from);
  p.generated_at = ctx.now();
  PeriodBounds b = BoundsOf(q.week, ctx.zone);
  p.as_of = std::min(b.end, p.generated_at);
  Period last_week = PreviousPeriods(q.week, 1).front();
  PeriodBounds lb = BoundsOf(last_week, ctx.zone);
  std::vector<TimedQuery> timed;

  {
    Timer t(&timed, "scorecard (week + trend)");
    KpiQuery kq;
    kq.period = q.week;
    kq.trend = q.trend;
    kq.id_limit = q.list_limit;
    CX_ASSIGN_OR_RETURN(p.scorecard, ComputeKpis(ctx, kq));
  }
  for (const auto& v : p.scorecard.kpis)
    timed.push_back({"KPI " + v.key + " (" + v.division + ")", v.millis});

  {
    Timer t(&timed, "SLA clocks");
    SlaQuery sq;
    sq.at = p.as_of;
    auto items = q.sla ? q.sla(ctx, sq) : ComputeSla(ctx, sq);
    if (!items.ok()) return items.status();
    p.sla_available = true;
    for (auto& i : *items) {
      if (i.state == SlaState::kBreached || i.state == SlaState::kAtRisk)
        p.sla_items.push_back(std::move(i));
    }
  }

  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    {
      Timer t(&timed, "open quality flags");
      CX_ASSIGN_OR_RETURN(p.open_quality_flags, tx.ReviewOpenCases("quality-flag", p.as_of));
    }
    {
      Timer t(&timed, "overdue next actions");
      CX_ASSIGN_OR_RETURN(p.overdue, tx.ReviewOverdueNextActions(p.as_of, q.list_limit));
      CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
      for (auto& n : p.overdue) n.owner = people.Name(n.owner);  // by person, by full name
      std::stable_sort(p.overdue.begin(), p.overdue.end(),
                       [](const ReviewNextAction& a, const ReviewNextAction& c) {
                         return Lower(a.owner) < Lower(c.owner);
                       });
    }
    {
      Timer t(&timed, "new leads, won and lost");
      for (auto d : Divisions()) {
        std::string div(d);
        CX_ASSIGN_OR_RETURN(auto created, tx.KpiCreatedOpportunities(div, b.begin, b.end, p.as_of));
        for (auto& o : created) {
          if (Trim(o.owner).empty()) ++p.unrouted;
          p.new_leads.push_back(std::move(o));
        }
        CX_ASSIGN_OR_RETURN(auto closed, tx.KpiClosedOpportunities(div, b.begin, b.end, "won"));
        for (auto& o : closed) {
          if (Lower(o.outcome) == "won") {
            p.won.push_back(std::move(o));
          } else if (Lower(o.outcome) == "lost") {
            p.lost.push_back(std::move(o));
          }
        }
      }
      CX_ASSIGN_OR_RETURN(p.ownership_changes,
                          tx.ReviewAuditIn("account", "owner", b.begin, b.end));
    }
    {
      Timer t(&timed, "adoption");
      CX_ASSIGN_OR_RETURN(auto now, tx.ReviewLogCounts(b.begin, b.end));
      CX_ASSIGN_OR_RETURN(auto before, tx.ReviewLogCounts(lb.begin, lb.end));
      // One row per person however a row names them (login or full name), shown by full name.
      CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
      std::map<std::pair<std::string, std::string>, AdoptionRow> rows;
      for (const auto& r : now) {
        auto& a = rows[{people.Key(r.logged_by), r.division}];
        a.person = people.Name(r.logged_by);
        a.division = r.division;
        a.this_week += r.count;
        p.interactions_this_week += r.count;
      }
      for (const auto& r : before) {
        auto& a = rows[{people.Key(r.logged_by), r.division}];
        a.person = people.Name(r.logged_by);
        a.division = r.division;
        a.last_week += r.count;
        p.interactions_last_week += r.count;
      }
      for (auto& [k, a] : rows) p.adoption.push_back(std::move(a));
      std::set<std::string> active;
      for (const auto& r : now) active.insert(people.Key(r.logged_by));
      for (const auto& u : people.users()) {
        if (u.role != "sales" && u.role != "service" && u.role != "steward") continue;
        if (active.count(u.login)) continue;
        p.silent_users.push_back(u.name.empty() ? u.login : u.name + " (" + u.login + ")");
      }
    }
    {
      Timer t(&timed, "accounts missing ERP Customer ID");
      AccountFilter f;
      f.missing_erp_id = true;
      f.limit = q.list_limit;
      CX_ASSIGN_OR_RETURN(p.accounts_missing_erp, tx.CountAccounts(f));
      CX_ASSIGN_OR_RETURN(auto accounts, tx.ListAccounts(f));
      for (const auto& a : accounts) p.accounts_missing_erp_ids.push_back(a.id);
    }
    auto hours = tx.GetSetting("steward_hours:" + p.week_name);
    if (!hours.ok()) return hours.status();
    if (*hours) {
      try {
        p.steward_hours = std::stod(**hours);
      } catch (const std::exception&) {
        return Internal("setting steward_hours:" + p.week_name + " is not a number: " + **hours);
      }
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;

  {
    Timer t(&timed, "probable duplicates");
    CX_ASSIGN_OR_RETURN(p.duplicate_accounts, FindDuplicates(*ctx.store, NameKind::kAccount));
    CX_ASSIGN_OR_RETURN(p.duplicate_contacts, FindDuplicates(*ctx.store, NameKind::kContact));
  }
  {
    auto e = q.erp ? q.erp(ctx) : ErpStatusFromHub(ctx);
    if (e.ok()) {
      p.erp_available = true;
      p.erp = *e;
    } else if (e.status().code() == Code::kNotFound) {
      p.erp_note = e.status().message();
    } else {
      return e.status();
    }
  }
  CX_ASSIGN_OR_RETURN(p.db_bytes, ctx.store->SizeBytes());

  std::sort(timed.begin(), timed.end(),
            [](const TimedQuery& a, const TimedQuery& c) { return a.millis > c.millis; });
  if (timed.size() > 10) timed.resize(10);
  p.slowest = timed;
  double slowest_s = timed.empty() ? 0 : timed.front().millis / 1000.0;
  char buf[64];
  p.triggers.push_back({"Database larger than 100 MB (seed: Excel file > 100 MB)",
                        Megabytes(p.db_bytes), p.db_bytes > 100'000'000});
  std::snprintf(buf, sizeof buf, "%.3f s (slowest query of this pack)", slowest_s);
  p.triggers.push_back(
      {"Slowest query over 10 s (seed: file takes > 10 s to open)", buf, slowest_s > 10});
  if (p.steward_hours) {
    std::snprintf(buf, sizeof buf, "%.1f h", *p.steward_hours);
    p.triggers.push_back(
        {"Data stewards spend > 2 h/week cleaning data", buf, *p.steward_hours > 2});
  } else {
    p.triggers.push_back(
        {"Data stewards spend > 2 h/week cleaning data", "not recorded", std::nullopt});
  }
  for (const auto& t : p.triggers) p.tripped += t.tripped.value_or(false) ? 1 : 0;
  p.health_verdict =
      p.tripped >= 2
          ? "Two or more triggers are true: start the formal CRM evaluation (seed, Risk 4)."
          : std::to_string(p.tripped) + " of 3 triggers true: no evaluation needed yet.";
  return p;
}

Status RecordStewardHours(const Context& ctx, const std::string& week_name, double hours) {
  auto week = ParseIsoWeek(week_name);
  if (!week.ok()) return week.status();
  if (!(hours >= 0 && hours < 168)) return Invalid("hours: must be between 0 and 168");
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kStewardHours));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", hours);
    CX_RETURN_IF_ERROR(tx.SetSetting("steward_hours:" + week_name, buf));
    return AuditAction(tx, ctx, "record", "steward_hours", week_name, buf, "");
  });
}

}  // namespace cx
