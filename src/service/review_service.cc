// The weekly review pack: the scorecard plus the operational lists of docs/kpi.md, as of the
// week's end.
#include "service/review_service.h"

#include "service/erp_sync.h"
#include "service/link_service.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

#include "domain/division.h"
#include "service/audit.h"
#include "service/golive_service.h"
#include "service/user_service.h"

namespace cx {

Result<ErpStatus> ErpStatusFromHub(const Context& ctx, Timestamp as_of) {
  ErpStatus out;
  // Every item, decided or not: one open at as_of may have been decided since.
  CX_ASSIGN_OR_RETURN(auto queue, ListErpQueue(ctx, "", 100000000));
  int64_t open = 0;
  for (const auto& q : queue) {
    if (q.created_at <= as_of && (!q.decided_at || *q.decided_at > as_of)) ++open;
  }
  out.steward_queue = open;
  CX_ASSIGN_OR_RETURN(auto syncs, ErpSyncHistory(ctx, 100000000));
  for (const auto& r : syncs) {
    if (r.finished_at > as_of) continue;  // not known at the week's end
    auto& last = r.kind == "customers" ? out.customers_synced : out.orders_synced;
    if (!last || *last < r.finished_at) last = r.finished_at;
  }
  return out;
}

std::string RecordNames::Account(const std::string& id) const {
  auto it = accounts.find(id);
  return it == accounts.end() ? "" : it->second;
}
namespace {
std::string NameIn(const std::map<std::string, NamedRecord>& m, const std::string& id) {
  auto it = m.find(id);
  return it == m.end() ? "" : it->second.name;
}
std::string CustomerIn(const RecordNames& n, const std::map<std::string, NamedRecord>& m,
                       const std::string& id) {
  auto it = m.find(id);
  return it == m.end() ? "" : n.Account(it->second.account_id);
}
}  // namespace
std::string RecordNames::Contact(const std::string& id) const { return NameIn(contacts, id); }
std::string RecordNames::Opportunity(const std::string& id) const {
  return NameIn(opportunities, id);
}
std::string RecordNames::Case(const std::string& id) const { return NameIn(cases, id); }
std::string RecordNames::CustomerOfContact(const std::string& id) const {
  return CustomerIn(*this, contacts, id);
}
std::string RecordNames::CustomerOfOpportunity(const std::string& id) const {
  return CustomerIn(*this, opportunities, id);
}
std::string RecordNames::CustomerOfCase(const std::string& id) const {
  return CustomerIn(*this, cases, id);
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

// Keeps the clocks a meeting acts on (ReviewPack::sla_items): running at as_of and breached or at
// risk, then those whose due time fell in the week and that stopped late by as_of. When there are
// more than `limit`, the cut keeps first the clocks at risk and those that breached during the week
// (what is new), then the older open breaches, most recent first; the order shown stays the same.
void SelectSlaItems(SlaItems items, Timestamp week_begin, Timestamp as_of, int limit,
                    ReviewPack* p) {
  SlaItems open, stopped;
  for (auto& i : items) {
    if (i.state != SlaState::kBreached && i.state != SlaState::kAtRisk) continue;
    if (!i.stopped) {
      open.push_back(std::move(i));
    } else if (i.state == SlaState::kBreached && i.due >= week_begin && i.due < as_of) {
      stopped.push_back(std::move(i));
    }
  }
  p->sla_open = int64_t(open.size());
  p->sla_total = int64_t(open.size() + stopped.size());
  for (auto* list : {&open, &stopped}) {
    for (auto& i : *list) p->sla_items.push_back(std::move(i));
  }
  if (p->sla_total <= limit) return;
  // Rank: 0 = at risk or breached in the week, 1 = breached before; then the latest due first.
  std::vector<size_t> rank(p->sla_items.size());
  for (size_t k = 0; k < rank.size(); ++k) rank[k] = k;
  auto old = [&](size_t k) {
    const SlaItem& i = p->sla_items[k];
    return i.state == SlaState::kBreached && i.due < week_begin;
  };
  std::stable_sort(rank.begin(), rank.end(), [&](size_t x, size_t y) {
    if (old(x) != old(y)) return !old(x);
    return old(x) && p->sla_items[x].due > p->sla_items[y].due;
  });
  rank.resize(size_t(std::max(limit, 0)));
  std::sort(rank.begin(), rank.end());  // back to the order shown
  SlaItems kept;
  for (size_t k : rank) kept.push_back(std::move(p->sla_items[k]));
  p->sla_items = std::move(kept);
}

// Counts the overdue next actions per person (owners that differ only in case or outer spaces are
// one person) and keeps up to `limit` of them in the pack: those that fell due in the week first,
// then the oldest; sorted by person, then due.
Status SelectOverdue(Tx& tx, Timestamp week_begin, Timestamp as_of, int limit, ReviewPack* p) {
  CX_ASSIGN_OR_RETURN(auto counts, tx.ReviewOverdueCounts(as_of, week_begin));
  // One person however a row names them (login or full name), shown by full name.
  CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
  std::map<std::string, OverdueCount> by_person;
  for (const auto& r : counts) {
    auto& c = by_person[people.Key(r.owner)];
    if (c.overdue == 0 || r.oldest_due < c.oldest_due) c.oldest_due = r.oldest_due;
    if (c.person.empty()) c.person = people.Name(r.owner);
    c.overdue += r.overdue;
    c.fell_due_this_week += r.since;
    p->overdue_total += r.overdue;
  }
  for (auto& [k, c] : by_person) p->overdue_by_person.push_back(std::move(c));
  limit = std::max(limit, 0);
  CX_ASSIGN_OR_RETURN(auto rows, tx.ReviewOverdueNextActions(week_begin, as_of, limit));
  if (int(rows.size()) < limit) {
    CX_ASSIGN_OR_RETURN(
        auto older, tx.ReviewOverdueNextActions(std::numeric_limits<Timestamp>::min(), week_begin,
                                                limit - int(rows.size())));
    rows.insert(rows.end(), older.begin(), older.end());
  }
  for (auto& r : rows) r.owner = people.Name(r.owner);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const ReviewNextAction& a, const ReviewNextAction& c) {
                     std::string x = Lower(Trim(a.owner)), y = Lower(Trim(c.owner));
                     return x != y ? x < y : a.due < c.due;
                   });
  p->overdue = std::move(rows);
  return Status::Ok();
}

// Looks up the name of every record the pack lists.
Status NameRecords(Tx& tx, ReviewPack* p) {
  std::set<std::string> accounts, contacts, opps, cases;
  for (const auto& i : p->sla_items) (i.kind == "quality-flag" ? cases : opps).insert(i.id);
  for (const auto& c : p->open_quality_flags) cases.insert(c.id);
  for (const auto& a : p->overdue) contacts.insert(a.contact_id);
  for (const auto* list : {&p->new_leads, &p->won, &p->lost}) {
    for (const auto& o : *list) opps.insert(o.id);
  }
  for (const auto& e : p->ownership_changes) accounts.insert(e.entity_id);
  for (const auto& id : p->accounts_missing_erp_ids) accounts.insert(id);
  for (const auto& c : p->duplicate_accounts) accounts.insert(c.ids.begin(), c.ids.end());
  for (const auto& c : p->duplicate_contacts) contacts.insert(c.ids.begin(), c.ids.end());
  // Opportunities and cases in one read each too (a pack lists a thousand and more).
  CX_ASSIGN_OR_RETURN(auto opp_rows,
                      tx.GetOpportunities(std::vector<std::string>(opps.begin(), opps.end())));
  for (const auto& o : opp_rows) {
    p->names.opportunities[o.id] = {o.title, o.account_id};
    accounts.insert(o.account_id);
  }
  CX_ASSIGN_OR_RETURN(auto case_rows,
                      tx.GetCases(std::vector<std::string>(cases.begin(), cases.end())));
  for (const auto& c : case_rows) {
    p->names.cases[c.id] = {c.summary, c.account_id};
    accounts.insert(c.account_id);
  }
  // The contacts' and the accounts' names in one read each (a pack lists up to 500 accounts
  // missing their ERP Customer ID: a read each cost a server round trip each on PostgreSQL).
  contacts.erase("");
  CX_ASSIGN_OR_RETURN(auto people,
                      tx.GetMatchKeys(NameKind::kContact,
                                      std::vector<std::string>(contacts.begin(), contacts.end())));
  for (auto& c : people) {
    accounts.insert(c.account_id);
    p->names.contacts[c.id] = {std::move(c.name), std::move(c.account_id)};
  }
  accounts.erase("");
  CX_ASSIGN_OR_RETURN(auto names,
                      tx.GetMatchKeys(NameKind::kAccount,
                                      std::vector<std::string>(accounts.begin(), accounts.end())));
  for (auto& a : names) p->names.accounts[a.id] = std::move(a.name);
  return Status::Ok();
}

// Staff feedback on the hub is a few rows a week: all of a week are read to count them.
constexpr int kAllHubFeedback = 1000000;

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
  if (b.begin > p.generated_at) {
    std::string now = FormatTime(p.generated_at, ctx.zone).substr(0, 16);
    if (now.size() > 10) now[10] = ' ';
    return Invalid("week " + p.week_name + " has not begun: it starts on Monday " +
                   FormatDate(q.week.from) + " (now is " + now +
                   "); a pack can be made for the current week or a past one");
  }
  p.as_of = std::min(b.end, p.generated_at);
  p.week_over = p.as_of == b.end;
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
    SelectSlaItems(std::move(*items), b.begin, p.as_of, q.list_limit, &p);
  }

  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    {
      Timer t(&timed, "open quality flags");
      CX_ASSIGN_OR_RETURN(p.open_quality_flags, tx.ReviewOpenCases("quality-flag", p.as_of));
      for (auto& c : p.open_quality_flags) {  // not yet known at as_of
        if (c.resolution_confirmed && *c.resolution_confirmed >= p.as_of)
          c.resolution_confirmed.reset();
      }
    }
    {
      Timer t(&timed, "overdue next actions");
      CX_RETURN_IF_ERROR(SelectOverdue(tx, b.begin, p.as_of, q.list_limit, &p));
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
    Timer t(&timed, "feedback on the hub");
    CX_ASSIGN_OR_RETURN(auto now, ListHubFeedback(ctx, b.begin, b.end, kAllHubFeedback));
    CX_ASSIGN_OR_RETURN(auto before, ListHubFeedback(ctx, lb.begin, lb.end, kAllHubFeedback));
    p.hub_feedback_this_week = int64_t(now.size());
    p.hub_feedback_last_week = int64_t(before.size());
    double sum = 0;
    for (const auto& h : now) sum += h.feedback.score;
    if (!now.empty()) p.hub_feedback_mean = sum / double(now.size());
    if (int64_t(now.size()) > q.list_limit) now.resize(size_t(std::max(q.list_limit, 0)));
    p.hub_feedback = std::move(now);
  }
  {
    Timer t(&timed, "voice of the customer");
    CX_ASSIGN_OR_RETURN(p.voice, BuildReviewVoice(ctx, q.week));
  }
  {
    Timer t(&timed, "probable duplicates");
    CX_ASSIGN_OR_RETURN(p.duplicate_accounts, FindDuplicates(*ctx.store, NameKind::kAccount));
    CX_ASSIGN_OR_RETURN(p.duplicate_contacts, FindDuplicates(*ctx.store, NameKind::kContact));
  }
  {
    Timer t(&timed, "record names");
    CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) { return NameRecords(tx, &p); }));
  }
  {
    auto e = q.erp ? q.erp(ctx, p.as_of) : ErpStatusFromHub(ctx, p.as_of);
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
