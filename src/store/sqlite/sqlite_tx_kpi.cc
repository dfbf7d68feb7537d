// SQLite Tx: the facts behind the KPIs and the weekly review, read through covering indexes
// (0003_kpi.sql).
#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "store/logic/repeat_rule.h"
#include "store/sqlite/kpi_people.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx {
namespace {

using sqlite::Stmt;

template <typename T, typename F>
Result<std::vector<T>> CollectRows(Stmt* s, F row) {
  std::vector<T> out;
  while (s->Step()) out.push_back(row(*s));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

// The SQL condition on a division column, or nothing when every division is asked for.
std::string DivisionCond(const std::string& division, const std::string& col, int param) {
  if (division.empty()) return "";
  return " AND " + col + " = ?" + std::to_string(param);
}

// The earliest Stage History row of a stage (SQL `stage_sql`) for opportunity column `col`, from
// the first entries kept by 0009_kpi_stage_first.sql.
std::string FirstEntry(const std::string& col, const std::string& stage_sql) {
  return "(SELECT x.entered FROM kpi_stage_first x WHERE x.opportunity_id = " + col +
         " AND x.stage = lower(" + stage_sql + "))";
}

}  // namespace

Result<std::vector<KpiStageRow>> SqliteTx::KpiFirstStageEntries(const std::string& division,
                                                                const std::string& stage,
                                                                Timestamp from, Timestamp to,
                                                                const std::string& other_stage) {
  // First entries of the stage in the period, from the index (division, stage, entered).
  std::string sql = "SELECT o.id, o.owner, o.outcome, f.entered, o.closed, " +
                    FirstEntry("f.opportunity_id", "?4") + ", " +
                    FirstEntry("f.opportunity_id", "'won'") +
                    " FROM kpi_stage_first f JOIN opportunities o ON o.id = f.opportunity_id"
                    " WHERE f.stage = lower(?1) AND f.entered >= ?2 AND f.entered < ?3" +
                    (division.empty() ? std::string(" AND f.division IS NOT NULL")
                                      : DivisionCond(division, "f.division", 5)) +
                    " ORDER BY o.id";
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, stage).Bind(2, from).Bind(3, to).Bind(4, other_stage);
  if (!division.empty()) s->Bind(5, division);
  return CollectRows<KpiStageRow>(s, [](const Stmt& r) {
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

namespace {

const char* kOppCols =
    "o.id, o.division, o.owner, o.outcome, o.stage, o.account_id, o.lost_reason, o.created, "
    "o.closed, o.amount";

KpiOpportunityRow ReadOpp(const Stmt& r) {
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

}  // namespace

Result<std::vector<KpiOpportunityRow>> SqliteTx::KpiClosedOpportunities(const std::string& division,
                                                                        Timestamp from,
                                                                        Timestamp to,
                                                                        const std::string& stage) {
  std::string sql = std::string("SELECT ") + kOppCols + ", " + FirstEntry("o.id", "?3") +
                    " FROM opportunities o WHERE o.closed >= ?1 AND o.closed < ?2" +
                    DivisionCond(division, "o.division", 4) + " ORDER BY o.closed, o.id";
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, from).Bind(2, to).Bind(3, stage);
  if (!division.empty()) s->Bind(4, division);
  return CollectRows<KpiOpportunityRow>(s, [](const Stmt& r) {
    KpiOpportunityRow o = ReadOpp(r);
    o.stage_entered = r.OptInt(10);
    return o;
  });
}

Result<std::vector<KpiOpportunityRow>> SqliteTx::KpiCreatedOpportunities(
    const std::string& division, Timestamp from, Timestamp to, Timestamp response_before) {
  // A person is named by a user's login or name: both map to the login (without case or outer
  // spaces).
  KpiPeople people;
  CX_RETURN_IF_ERROR(LoadKpiPeople(db_, &people));
  // One pass: each opportunity with its interactions before `response_before`, oldest first.
  std::string sql =
      std::string("SELECT ") + kOppCols +
      ", i.at, i.logged_by FROM opportunities o LEFT JOIN interactions i ON i.opportunity_id = o.id"
      " AND i.at < ?3 WHERE o.created >= ?1 AND o.created < ?2" +
      DivisionCond(division, "o.division", 4) + " ORDER BY o.created, o.id, i.at";
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, from).Bind(2, to).Bind(3, response_before);
  if (!division.empty()) s->Bind(4, division);
  std::vector<KpiOpportunityRow> out;
  std::string owner;
  while (s->Step()) {
    std::string id = s->Text(0);
    if (out.empty() || out.back().id != id) {
      out.push_back(ReadOpp(*s));
      owner = people.Of(out.back().owner);
    }
    auto& o = out.back();
    if (o.first_response || s->IsNull(10) || owner.empty()) continue;
    if (people.Of(s->TextView(11)) == owner) o.first_response = s->Int(10);
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<bool> SqliteTx::KpiAnyOpportunity(const std::string& division, Timestamp before) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT EXISTS (SELECT 1 FROM opportunities WHERE division = ?1 AND "
                             "created < ?2)"));
  s->Bind(1, division).Bind(2, before);
  bool any = s->Step() && s->Int(0) != 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return any;
}

Result<std::vector<KpiCaseRow>> SqliteTx::KpiCases(const std::string& division,
                                                   const std::string& kind,
                                                   const std::string& field, Timestamp from,
                                                   Timestamp to, Timestamp interactions_before) {
  if (field != "opened" && field != "closed" && field != "resolution_confirmed") {
    return Internal("KpiCases: unknown case time field '" + field + "'");
  }
  std::string sql =
      "SELECT c.id, c.division, c.kind, c.owner, c.account_id, c.opened, c.resolution_confirmed, "
      "c.closed,"
      " (SELECT COUNT(*) FROM interactions i WHERE i.case_id = c.id AND i.at < ?4)"
      " FROM cases c WHERE c.kind = ?1 AND c." +
      field + " >= ?2 AND c." + field + " < ?3" + DivisionCond(division, "c.division", 5) +
      " ORDER BY c." + field + ", c.id";
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, kind).Bind(2, from).Bind(3, to).Bind(4, interactions_before);
  if (!division.empty()) s->Bind(5, division);
  return CollectRows<KpiCaseRow>(s, [](const Stmt& r) {
    KpiCaseRow c;
    c.id = r.Text(0);
    c.division = r.Text(1);
    c.kind = r.Text(2);
    c.owner = r.Text(3);
    c.account_id = r.Text(4);
    c.opened = r.Int(5);
    c.resolution_confirmed = r.OptInt(6);
    c.closed = r.OptInt(7);
    c.interactions = r.Int(8);
    return c;
  });
}

Result<KpiOrderStats> SqliteTx::KpiOrders(const std::string& division, Timestamp from,
                                          Timestamp to) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT COUNT(*), TOTAL(amount) FROM orders WHERE division = ?1 AND "
                             "date >= ?2 AND date < ?3"));
  s->Bind(1, division).Bind(2, from).Bind(3, to);
  KpiOrderStats out;
  if (s->Step()) {
    out.orders = s->Int(0);
    out.amount = s->Real(1);
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<std::string>> SqliteTx::KpiOrderIds(const std::string& division, Timestamp from,
                                                       Timestamp to, int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id FROM orders WHERE division = ?1 AND date >= ?2 AND date < ?3 "
                   "ORDER BY date, id LIMIT ?4"));
  s->Bind(1, division).Bind(2, from).Bind(3, to).Bind(4, int64_t(limit));
  return CollectRows<std::string>(s, [](const Stmt& r) { return r.Text(0); });
}

Result<KpiRepeatStats> SqliteTx::KpiRepeatCustomers(const std::string& division, Timestamp from,
                                                    Timestamp to, int64_t gap, int id_limit) {
  // One range scan of the division's orders, from `gap` before the period to its end, in date
  // order straight from the covering index (division, date, amount, erp_customer_id): no sort.
  // Per customer, the repeat rule (store/logic/repeat_rule.h): an order in the period that
  // returns makes the customer a returning one.
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT erp_customer_id, date FROM orders WHERE division = ?1 "
                                   "AND date >= ?2 - ?4 AND date < ?3 ORDER BY date"));
  s->Bind(1, division).Bind(2, from).Bind(3, to).Bind(4, gap);
  struct Customer {
    CustomerOrders orders;
    bool in_period = false, back = false;
  };
  std::unordered_map<std::string, Customer> customers;
  std::string id;
  while (s->Step()) {
    if (!IsCustomerId(s->TextView(0))) continue;
    id.assign(s->TextView(0));  // the id as stored, like the other drill-downs
    const Timestamp d = s->Int(1);
    Customer& c = customers[id];
    const bool returns = c.orders.Add(d, gap);
    if (d >= from) {
      c.in_period = true;
      if (returns) c.back = true;
    }
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
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

Result<std::vector<KpiFeedbackRow>> SqliteTx::KpiFeedback(const std::string& kind, Timestamp from,
                                                          Timestamp to) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, division, score FROM feedback WHERE kind = ?1 AND date >= ?2 "
                   "AND date < ?3 ORDER BY date, id"));
  s->Bind(1, kind).Bind(2, from).Bind(3, to);
  return CollectRows<KpiFeedbackRow>(s, [](const Stmt& r) {
    return KpiFeedbackRow{r.Text(0), r.Text(1), r.Real(2)};
  });
}

Result<std::vector<KpiActiveAccount>> SqliteTx::KpiActiveAccounts(Timestamp from, Timestamp to) {
  // (division, contact) and (division, ERP customer) pairs come from covering range scans and are
  // made distinct in memory (a hash set is far cheaper than SQLite's temporary b-tree for DISTINCT
  // over a quarter's interactions); they are mapped to accounts in memory, which avoids one random
  // lookup per interaction and a large UNION b-tree.
  std::unordered_map<std::string, std::unordered_set<std::string>> contacts_by_div, erp_by_div;
  auto pairs_of =
      [&](const char* sql,
          std::unordered_map<std::string, std::unordered_set<std::string>>* out) -> Status {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
    s->Bind(1, from).Bind(2, to);
    std::string div, id;
    std::unordered_set<std::string>* ids = nullptr;
    while (s->Step()) {
      std::string_view d = s->TextView(0);
      if (!ids || d != div) {
        div.assign(d);
        ids = &(*out)[div];
      }
      id.assign(s->TextView(1));
      ids->insert(id);
    }
    Status st = s->status();
    s->Reset();
    return st;
  };
  CX_RETURN_IF_ERROR(
      pairs_of("SELECT division, contact_id FROM interactions WHERE at >= ?1 AND at < ?2",
               &contacts_by_div));
  // Orders: the divisions present, found by a loose scan of (division, date, …), then one
  // range of that index per division.
  CX_RETURN_IF_ERROR(pairs_of(
      "WITH RECURSIVE d(x) AS (SELECT (SELECT min(division) FROM orders) UNION ALL "
      "SELECT (SELECT min(division) FROM orders WHERE division > d.x) FROM d WHERE d.x IS NOT "
      "NULL) SELECT o.division, o.erp_customer_id FROM d JOIN orders o ON o.division = d.x "
      "WHERE o.date >= ?1 AND o.date < ?2",
      &erp_by_div));
  std::unordered_map<std::string, std::string> contact_account, erp_account;
  if (!contacts_by_div.empty()) {
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare("SELECT id, account_id FROM contacts WHERE account_id IS NOT NULL"));
    while (s->Step()) contact_account.emplace(s->Text(0), s->Text(1));
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  if (!erp_by_div.empty()) {
    CX_ASSIGN_OR_RETURN(
        Stmt * s,
        db_->Prepare("SELECT erp_customer_id, id FROM accounts WHERE erp_customer_id IS NOT "
                     "NULL"));
    while (s->Step()) erp_account.emplace(s->Text(0), s->Text(1));
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& [div, ids] : contacts_by_div) {
    for (const auto& c : ids) {
      auto it = contact_account.find(c);
      if (it != contact_account.end()) pairs.emplace(div, it->second);
    }
  }
  for (const auto& [div, ids] : erp_by_div) {
    for (const auto& e : ids) {
      auto it = erp_account.find(e);
      if (it != erp_account.end()) pairs.emplace(div, it->second);
    }
  }
  std::vector<KpiActiveAccount> out;
  out.reserve(pairs.size());
  for (const auto& [div, account] : pairs) out.push_back(KpiActiveAccount{div, account});
  return out;
}

Result<std::vector<ReviewNextAction>> SqliteTx::ReviewOverdueNextActions(Timestamp from,
                                                                         Timestamp before,
                                                                         int limit) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT id, CASE WHEN next_action_owner <> '' THEN next_action_owner ELSE logged_by END, "
          "next_action, division, contact_id, next_action_due FROM interactions WHERE next_action "
          "<> '' "
          "AND next_action_done = 0 AND next_action_due >= ?3 AND next_action_due < ?1 AND at < ?1 "
          "ORDER BY next_action_due, id LIMIT ?2"));
  s->Bind(1, before).Bind(2, int64_t(limit)).Bind(3, from);
  return CollectRows<ReviewNextAction>(s, [](const Stmt& r) {
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

Result<std::vector<ReviewOverdueCount>> SqliteTx::ReviewOverdueCounts(Timestamp before,
                                                                      Timestamp since) {
  // One pass over the partial index of open next actions (interactions_next_action), which
  // holds every column read here: no table row is read.
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT CASE WHEN next_action_owner <> '' THEN next_action_owner ELSE logged_by "
                   "END AS who, COUNT(*), SUM(next_action_due >= ?2), MIN(next_action_due) FROM "
                   "interactions WHERE next_action <> '' AND next_action_done = 0 AND "
                   "next_action_due < ?1 AND at < ?1 GROUP BY who ORDER BY who"));
  s->Bind(1, before).Bind(2, since);
  return CollectRows<ReviewOverdueCount>(s, [](const Stmt& r) {
    return ReviewOverdueCount{r.Text(0), r.Int(1), r.Int(2), r.Int(3)};
  });
}

Result<std::vector<ReviewLogCount>> SqliteTx::ReviewLogCounts(Timestamp from, Timestamp to) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT logged_by, division, COUNT(*) FROM interactions WHERE at >= ?1 "
                   "AND at < ?2 GROUP BY logged_by, division ORDER BY logged_by, division"));
  s->Bind(1, from).Bind(2, to);
  return CollectRows<ReviewLogCount>(s, [](const Stmt& r) {
    return ReviewLogCount{r.Text(0), r.Text(1), r.Int(2)};
  });
}

Result<std::vector<AuditEntry>> SqliteTx::ReviewAuditIn(const std::string& entity,
                                                        const std::string& field, Timestamp from,
                                                        Timestamp to) {
  // Field changes only (the time index holds no other rows).
  if (field.empty()) return Invalid("the review reads the audit rows of a field; none named");
  CX_RETURN_IF_ERROR(FlushAudit());
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT seq, at, actor, action, entity, entity_id, field, before, after, "
                   "reason FROM audit WHERE at >= ?3 AND at < ?4 AND entity = ?1 AND "
                   "field = ?2 AND field <> '' ORDER BY seq"));
  s->Bind(1, entity).Bind(2, field).Bind(3, from).Bind(4, to);
  return CollectRows<AuditEntry>(s, [](const Stmt& r) {
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

Result<std::vector<KpiCaseRow>> SqliteTx::ReviewOpenCases(const std::string& kind,
                                                          Timestamp before) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, division, kind, owner, account_id, opened, "
                   "resolution_confirmed, closed FROM cases WHERE kind = ?1 AND opened < ?2 "
                   "AND (closed IS NULL OR closed >= ?2) ORDER BY opened, id"));
  s->Bind(1, kind).Bind(2, before);
  return CollectRows<KpiCaseRow>(s, [](const Stmt& r) {
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
  });
}

Result<std::vector<KpiTarget>> SqliteTx::KpiStoredTargets() {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT key, division, value, direction FROM kpi_targets ORDER BY key, division"));
  std::vector<KpiTarget> out;
  Status bad;
  while (s->Step()) {
    KpiTarget t;
    t.key = s->Text(0);
    t.division = s->Text(1);
    t.value = s->Real(2);
    auto d = ParseDirection(s->Text(3));
    if (!d.ok()) {
      bad = Internal("stored KPI target " + t.key +
                     " has a corrupt direction: " + d.status().message());
    } else {
      t.direction = *d;
    }
    out.push_back(t);
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_RETURN_IF_ERROR(bad);
  return out;
}

Status SqliteTx::SaveKpiTarget(const KpiTarget& t, const std::string& set_by, Timestamp at) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO kpi_targets (key, division, value, direction, set_by, set_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(key, division) DO UPDATE "
                   "SET value = excluded.value, direction = excluded.direction, "
                   "set_by = excluded.set_by, set_at = excluded.set_at"));
  s->Bind(1, t.key).Bind(2, t.division).Bind(3, t.value).Bind(4, DirectionName(t.direction));
  s->Bind(5, set_by).Bind(6, at);
  Status st = s->Run();
  s->Reset();
  return st;
}

}  // namespace cx
