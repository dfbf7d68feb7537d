// The store contract, KPI and weekly review facts (docs/kpi.md): each read gives the records of
// its period (from inclusive, to exclusive), in the promised order, with the facts the KPIs
// compute from; targets round-trip; the repeat customer rate from the aggregate of active days
// equals the scan of the orders.
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "domain/kpi.h"
#include "kpi_test_util.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using kpitest::Hub;
using testing::StoreContract;

std::string Opt(const std::optional<Timestamp>& t) { return t ? std::to_string(*t) : "-"; }

TEST_F(StoreContract, KpiCreatedOpportunitiesFindTheOwnersFirstResponse) {
  Hub h(store_.get());
  const std::string pi = "Power & Industrial";
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "ada", "Ada Lovelace", "sales");
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    h.Opp(tx, "O-2", pi, 1000, " ADA LOVELACE ");
    h.Opp(tx, "O-1", pi, 1000, "ada");
    h.Opp(tx, "O-3", pi, 900, "bob");
    h.Opp(tx, "O-4", pi, 1000, "");
    h.Opp(tx, "O-5", pi, 5000, "ada");  // created after the period
    h.Opp(tx, "O-6", "Motors", 1000, "ada");
    h.Interact(tx, "I-1", 1100, "someone", "O-1");
    h.Interact(tx, "I-2", 1300, "Ada Lovelace", "O-1");
    h.Interact(tx, "I-3", 1200, "ADA", "O-2");
    h.Interact(tx, "I-4", 800, "Bob ", "O-3");  // before Created still counts
    h.Interact(tx, "I-5", 1100, "", "O-4");
    h.Interact(tx, "I-6", 2500, "bob", "O-3");
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto rows, tx.KpiCreatedOpportunities(pi, 900, 2000, 1250));
    std::vector<std::string> lines;
    for (const auto& o : rows)
      lines.push_back(o.id + "|" + std::to_string(o.created) + "|" + Opt(o.first_response));
    // By (Created, id); O-1's owner answered only at 1300, after the bound.
    EXPECT_EQ(lines, (std::vector<std::string>{"O-3|900|800", "O-1|1000|-", "O-2|1000|1200",
                                               "O-4|1000|-"}));
    CX_ASSIGN_OR_RETURN(rows, tx.KpiCreatedOpportunities(pi, 900, 2000, 3000));
    EXPECT_EQ(rows.size(), 4u);
    if (rows.size() == 4u) {
      EXPECT_EQ(rows[1].first_response, std::optional<Timestamp>(1300));
      EXPECT_EQ(rows[1].owner, "ada");
      EXPECT_EQ(rows[1].division, pi);
      EXPECT_EQ(rows[1].account_id, "A-1");
      EXPECT_EQ(rows[1].outcome, "open");
    }
    CX_ASSIGN_OR_RETURN(rows, tx.KpiCreatedOpportunities("", 900, 1001, 3000));
    EXPECT_EQ(rows.size(), 5u) << "every division";
    CX_ASSIGN_OR_RETURN(bool any, tx.KpiAnyOpportunity(pi, 900));
    EXPECT_FALSE(any) << "created before 900: none";
    CX_ASSIGN_OR_RETURN(any, tx.KpiAnyOpportunity(pi, 901));
    EXPECT_TRUE(any);
    CX_ASSIGN_OR_RETURN(any, tx.KpiAnyOpportunity("GRAS", 10000));
    EXPECT_FALSE(any);
    return Status::Ok();
  });
}

TEST_F(StoreContract, KpiClosedOpportunitiesCarryTheFirstEntryOfAStage) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Opp(tx, "O-3", "Motors", 100, "ada", "won", 2000);
    h.Opp(tx, "O-1", "Motors", 100, "ada", "lost", 2000);
    h.Opp(tx, "O-2", "Motors", 100, "ada", "won", 1500);
    h.Opp(tx, "O-4", "Motors", 100, "ada", "won", 3000);  // closed after the period
    h.Opp(tx, "O-5", "Medical", 100, "ada", "won", 1500);
    h.Opp(tx, "O-6", "Motors", 100, "ada");  // open
    h.Stage(tx, "O-1", "PROPOSAL", 900);
    h.Stage(tx, "O-1", "Proposal", 700);
    h.Stage(tx, "O-2", "Quote", 800);
    h.Stage(tx, "O-3", "proposal", 1900);
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto rows, tx.KpiClosedOpportunities("Motors", 1000, 3000, "Proposal"));
    std::vector<std::string> lines;
    for (const auto& o : rows) {
      lines.push_back(o.id + "|" + Opt(o.closed) + "|" + o.outcome + "|" + Opt(o.stage_entered));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"O-2|1500|won|-", "O-1|2000|lost|700",
                                               "O-3|2000|won|1900"}));
    CX_ASSIGN_OR_RETURN(rows, tx.KpiClosedOpportunities("", 1000, 3000, "quote"));
    EXPECT_EQ(rows.size(), 4u);
    if (rows.size() == 4u) {
      EXPECT_EQ(rows[0].stage_entered, std::optional<Timestamp>(800));
    }
    return Status::Ok();
  });
}

TEST_F(StoreContract, KpiCasesCountTheirInteractionsBeforeTheBound) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    h.CaseRow(tx, "K-2", "Motors", "after-sales", 100, 1500);
    h.CaseRow(tx, "K-1", "Motors", "after-sales", 200, 1500, 1400);
    h.CaseRow(tx, "K-3", "Motors", "after-sales", 300, 2500);
    h.CaseRow(tx, "K-4", "Motors", "complaint", 300, 1500);
    h.CaseRow(tx, "K-5", "Medical", "after-sales", 300, 1200);
    h.Interact(tx, "I-1", 400, "ada", "", "K-1");
    h.Interact(tx, "I-2", 1900, "ada", "", "K-1");
    h.Interact(tx, "I-3", 2100, "ada", "", "K-1");  // after the bound
    h.Interact(tx, "I-4", 500, "ada", "", "K-2");
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto rows,
                        tx.KpiCases("Motors", "after-sales", "closed", 1000, 2000, 2000));
    std::vector<std::string> lines;
    for (const auto& c : rows) {
      lines.push_back(c.id + "|" + std::to_string(c.opened) + "|" + Opt(c.closed) + "|" +
                      Opt(c.resolution_confirmed) + "|" + std::to_string(c.interactions));
    }
    // By (closed, id).
    EXPECT_EQ(lines, (std::vector<std::string>{"K-1|200|1500|1400|2", "K-2|100|1500|-|1"}));
    CX_ASSIGN_OR_RETURN(rows, tx.KpiCases("", "after-sales", "opened", 100, 300, 0));
    EXPECT_EQ(rows.size(), 2u);
    if (rows.size() == 2u) {
      EXPECT_EQ(rows[0].id, "K-2");
      EXPECT_EQ(rows[0].interactions, 0);
    }
    CX_ASSIGN_OR_RETURN(rows, tx.KpiCases("", "after-sales", "resolution_confirmed", 0, 2000, 0));
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_FALSE(tx.KpiCases("", "after-sales", "owner", 0, 2000, 0).ok()) << "no such time";
    CX_ASSIGN_OR_RETURN(rows, tx.ReviewOpenCases("after-sales", 1500));
    lines.clear();
    for (const auto& c : rows) lines.push_back(c.id);
    // Open at 1500: not closed, or closed at or after it.
    EXPECT_EQ(lines, (std::vector<std::string>{"K-2", "K-1", "K-3"}));
    return Status::Ok();
  });
}

TEST_F(StoreContract, KpiOrdersFeedbackAndActiveAccountsOfAPeriod) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1", "E-1");
    h.Account(tx, "A-2");
    h.Account(tx, "A-3", "E-3");
    h.Contact(tx, "C-1", "A-1");
    h.Contact(tx, "C-2", "A-2");
    h.Contact(tx, "C-9", "");
    h.OrderRow(tx, "R-2", "E-1", "GRAS", 1500, 10.5);
    h.OrderRow(tx, "R-1", "E-1", "GRAS", 1500, 20);
    h.OrderRow(tx, "R-3", "E-9", "GRAS", 1000, 30);
    h.OrderRow(tx, "R-4", "E-3", "GRAS", 2000, 40);  // at the end: out
    h.OrderRow(tx, "R-5", "E-3", "Medical", 1999, 50);
    h.FeedbackRow(tx, "F-2", "GRAS", "review", 4, 1200);
    h.FeedbackRow(tx, "F-1", "Motors", "review", 5, 1200);
    h.FeedbackRow(tx, "F-3", "GRAS", "nps", 9, 1200);
    h.FeedbackRow(tx, "F-4", "GRAS", "review", 3, 999);
    h.Interact(tx, "I-1", 1000, "ada", "", "", "C-2", "Motors");
    h.Interact(tx, "I-2", 1100, "ada", "", "", "C-2", "Motors");
    h.Interact(tx, "I-3", 1100, "ada", "", "", "C-9", "Motors");  // no account
    h.Interact(tx, "I-4", 1100, "ada", "", "", "C-1", "");
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(KpiOrderStats stats, tx.KpiOrders("GRAS", 1000, 2000));
    EXPECT_EQ(stats.orders, 3);
    EXPECT_DOUBLE_EQ(stats.amount, 60.5);
    CX_ASSIGN_OR_RETURN(stats, tx.KpiOrders("Cube 65", 1000, 2000));
    EXPECT_EQ(stats.orders, 0);
    EXPECT_DOUBLE_EQ(stats.amount, 0);
    CX_ASSIGN_OR_RETURN(auto ids, tx.KpiOrderIds("GRAS", 1000, 2000, 2));
    EXPECT_EQ(ids, (std::vector<std::string>{"R-3", "R-1"}));  // by (date, id)
    CX_ASSIGN_OR_RETURN(auto fb, tx.KpiFeedback("review", 1000, 2000));
    std::vector<std::string> lines;
    for (const auto& f : fb)
      lines.push_back(f.id + "|" + f.division + "|" + std::to_string(f.score));
    EXPECT_EQ(lines, (std::vector<std::string>{"F-1|Motors|5.000000", "F-2|GRAS|4.000000"}));
    CX_ASSIGN_OR_RETURN(auto active, tx.KpiActiveAccounts(1000, 2000));
    lines.clear();
    for (const auto& a : active) lines.push_back(a.division + "|" + a.account_id);
    EXPECT_EQ(lines, (std::vector<std::string>{"|A-1", "GRAS|A-1", "Medical|A-3", "Motors|A-2"}));
    return Status::Ok();
  });
}

// The orders of a period counted and summed, whatever its bounds (whole days, parts of days,
// before 1970, one second) and however the orders moved (another day, another division,
// another amount) and whether the store has tidied what it keeps since (RefreshKpiActivity):
// the answer is that of adding the period's orders one by one. Amounts are quarters, so every
// sum is exact in a double.
TEST_F(StoreContract, KpiOrdersOfAnyPeriodAddUpTheOrdersAsTheyNowAre) {
  Hub h(store_.get());
  std::mt19937 rng(24);
  const std::vector<std::string> divisions = {"GRAS", "Medical", "Motors"};
  struct Row {
    std::string division;
    Timestamp date;
    double amount;
  };
  std::map<std::string, Row> model;
  constexpr Timestamp kDay = 86400;
  auto random_date = [&]() { return Timestamp(rng() % (60 * kDay)) - 10 * kDay; };
  auto put = [&](Tx& tx, const std::string& id, const Row& r) {
    h.OrderRow(tx, id, "E-" + std::to_string(rng() % 30), r.division, r.date, r.amount);
    model[id] = r;
  };
  auto check = [&](const std::string& when) {
    std::vector<std::pair<Timestamp, Timestamp>> periods = {
        {0, 7 * kDay},          {-10 * kDay, 50 * kDay},  {kDay / 2, 20 * kDay + 3600},
        {-5 * kDay + 1, -kDay}, {3 * kDay, 3 * kDay + 1}, {5 * kDay - 7, 6 * kDay + 7},
        {9 * kDay, 9 * kDay},   {-kDay - 5, 2 * kDay - 5}};
    for (int i = 0; i < 12; ++i) {
      const Timestamp a = random_date(), b = random_date();
      periods.emplace_back(std::min(a, b), std::max(a, b));
    }
    for (const auto& period : periods)
      for (const auto& d : divisions) {
        // Named copies, not structured bindings: clang 14 (the sanitizer build) cannot capture
        // those in the lambda below.
        const Timestamp from = period.first, to = period.second;
        int64_t orders = 0;
        double amount = 0;
        for (const auto& [id, r] : model)
          if (r.division == d && r.date >= from && r.date < to) {
            ++orders;
            amount += r.amount;
          }
        h.Write([&](Tx& tx) -> Status {
          CX_ASSIGN_OR_RETURN(KpiOrderStats stats, tx.KpiOrders(d, from, to));
          EXPECT_EQ(stats.orders, orders) << when << " " << d << " [" << from << ", " << to << ")";
          EXPECT_EQ(stats.amount, amount) << when << " " << d << " [" << from << ", " << to << ")";
          return Status::Ok();
        });
      }
  };
  h.Write([&](Tx& tx) {
    for (int i = 0; i < 300; ++i)
      put(tx, "R-" + std::to_string(i),
          {divisions[rng() % 3], random_date(), double(rng() % 40000) / 4});
    return Status::Ok();
  });
  check("first orders");
  for (int round = 0; round < 3; ++round) {
    h.Write([&](Tx& tx) {
      for (int i = 0; i < 40; ++i) {
        const std::string id = "R-" + std::to_string(rng() % 320);
        Row r = model.count(id) ? model[id] : Row{divisions[0], 0, 1};
        switch (rng() % 4) {
          case 0:
            r.date += Timestamp(rng() % 7200) - 3600;
            break;
          case 1:
            r.division = divisions[rng() % 3];
            break;
          case 2:
            r.amount = double(rng() % 40000) / 4;
            break;
          default:
            break;  // saved unchanged (or new)
        }
        put(tx, id, r);
      }
      return Status::Ok();
    });
    check("round " + std::to_string(round));
    ASSERT_TRUE(
        h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(h.ctx.zone); }).ok());
    check("round " + std::to_string(round) + ", refreshed");
  }
}

TEST_F(StoreContract, ReviewNextActionsLogCountsAndAudit) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    auto action = [&](const std::string& id, Timestamp at, const std::string& by,
                      const std::string& owner, Timestamp due, bool done) -> Status {
      Interaction i;
      i.id = id;
      i.at = at;
      i.contact_id = "C-1";
      i.channel = "phone";
      i.logged_by = by;
      i.division = "Motors";
      i.next_action = "call back";
      i.next_action_due = due;
      i.next_action_owner = owner;
      i.next_action_done = done;
      i.created_at = at;
      return tx.InsertInteraction(i);
    };
    CX_RETURN_IF_ERROR(action("I-1", 100, "ada", "", 500, false));
    CX_RETURN_IF_ERROR(action("I-2", 100, "ada", "bob", 400, false));
    CX_RETURN_IF_ERROR(action("I-3", 100, "ada", "", 300, true));    // done
    CX_RETURN_IF_ERROR(action("I-4", 1500, "ada", "", 350, false));  // logged after `before`
    CX_RETURN_IF_ERROR(action("I-5", 100, "bob", "", 1200, false));  // due after `before`
    CX_RETURN_IF_ERROR(action("I-6", 100, "carol", "", 200, false));
    h.Interact(tx, "I-7", 700, "ada", "", "", "C-1", "GRAS");
    AuditEntry e;
    e.at = 600;
    e.actor = "ada";
    e.action = "update";
    e.entity = "account";
    e.entity_id = "A-1";
    e.field = "owner";
    e.before = "bob";
    e.after = "ada";
    e.reason = "won O-1";
    CX_RETURN_IF_ERROR(tx.AppendAudit(e));
    e.at = 650;
    e.field = "name";
    CX_RETURN_IF_ERROR(tx.AppendAudit(e));
    e.at = 2000;
    e.field = "owner";
    return tx.AppendAudit(e);
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto acts, tx.ReviewOverdueNextActions(250, 1000, 10));
    std::vector<std::string> lines;
    for (const auto& a : acts) {
      lines.push_back(a.interaction_id + "|" + a.owner + "|" + a.next_action + "|" + a.division +
                      "|" + a.contact_id + "|" + std::to_string(a.due));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"I-2|bob|call back|Motors|C-1|400",
                                               "I-1|ada|call back|Motors|C-1|500"}));
    CX_ASSIGN_OR_RETURN(acts, tx.ReviewOverdueNextActions(0, 1000, 1));
    EXPECT_EQ(acts.size(), 1u);
    if (!acts.empty()) {
      EXPECT_EQ(acts[0].interaction_id, "I-6");
    }
    CX_ASSIGN_OR_RETURN(auto counts, tx.ReviewOverdueCounts(1000, 450));
    lines.clear();
    for (const auto& c : counts) {
      lines.push_back(c.owner + "|" + std::to_string(c.overdue) + "|" + std::to_string(c.since) +
                      "|" + std::to_string(c.oldest_due));
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"ada|1|1|500", "bob|1|0|400", "carol|1|0|200"}));
    CX_ASSIGN_OR_RETURN(auto logs, tx.ReviewLogCounts(100, 1000));
    lines.clear();
    for (const auto& l : logs)
      lines.push_back(l.logged_by + "|" + l.division + "|" + std::to_string(l.count));
    EXPECT_EQ(lines, (std::vector<std::string>{"ada|GRAS|1", "ada|Motors|3", "bob|Motors|1",
                                               "carol|Motors|1"}));
    CX_ASSIGN_OR_RETURN(auto audit, tx.ReviewAuditIn("account", "owner", 0, 1000));
    EXPECT_EQ(audit.size(), 1u);
    if (!audit.empty()) {
      EXPECT_EQ(audit[0].at, 600);
      EXPECT_EQ(audit[0].before, "bob");
      EXPECT_EQ(audit[0].after, "ada");
      EXPECT_EQ(audit[0].reason, "won O-1");
      EXPECT_GT(audit[0].seq, 0);
    }
    EXPECT_EQ(tx.ReviewAuditIn("account", "", 0, 1000).status().code(), Code::kInvalid);
    return Status::Ok();
  });
}

TEST_F(StoreContract, KpiTargetsAreStoredAndReplaced) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto none, tx.KpiStoredTargets());
    EXPECT_TRUE(none.empty());
    CX_RETURN_IF_ERROR(
        tx.SaveKpiTarget({"nps", "Motors", 30, TargetDirection::kAtLeast}, "ada", 5));
    CX_RETURN_IF_ERROR(tx.SaveKpiTarget({"nps", "", 20, TargetDirection::kAbove}, "ada", 5));
    CX_RETURN_IF_ERROR(
        tx.SaveKpiTarget({"complaint_rate", "", 0.05, TargetDirection::kBelow}, "ada", 5));
    return tx.SaveKpiTarget({"nps", "Motors", 35.5, TargetDirection::kAtMost}, "bob", 6);
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto got, tx.KpiStoredTargets());
    std::vector<std::string> lines;
    for (const auto& t : got) {
      lines.push_back(t.key + "|" + t.division + "|" + std::to_string(t.value) + "|" +
                      std::string(DirectionName(t.direction)));
    }
    EXPECT_EQ(lines,
              (std::vector<std::string>{"complaint_rate||0.050000|below", "nps||20.000000|above",
                                        "nps|Motors|35.500000|at_most"}));
    return Status::Ok();
  });
}

// The repeat rule at its edges, from the orders and from the aggregate of active days: exactly
// 183 days returns, a second more does not, orders at the same time are not earlier than each
// other, a blank customer id is nobody; and both paths agree over random periods and writes.
TEST_F(StoreContract, KpiRepeatCustomersFromTheOrdersAndFromTheAggregateAgree) {
  Hub h(store_.get());
  const char* divisions[] = {"GRAS", "Cube 65", "Motors"};
  std::mt19937 rng(11);
  int next = 0;
  auto add_orders = [&](Tx& tx, int n) {
    for (int i = 0; i < n; ++i) {
      std::string erp = "E-" + std::to_string(rng() % 25);
      if (rng() % 40 == 0) erp = " ";
      Timestamp t = h.L(2025, 1, 1) + Timestamp(rng() % (700 * 86400));
      h.OrderRow(tx, "R-" + std::to_string(next++), erp, divisions[rng() % 3], t, 10);
    }
  };
  const Timestamp t = h.L(2025, 3, 1, 10);
  h.Write([&](Tx& tx) -> Status {
    add_orders(tx, 400);
    h.OrderRow(tx, "B-1", "EDGE-1", "GRAS", t, 1);
    h.OrderRow(tx, "B-2", "EDGE-1", "GRAS", t + kKpiRepeatGapSeconds, 1);
    h.OrderRow(tx, "B-3", "EDGE-2", "GRAS", t, 1);
    h.OrderRow(tx, "B-4", "EDGE-2", "GRAS", t + kKpiRepeatGapSeconds + 1, 1);
    h.OrderRow(tx, "B-5", "EDGE-3", "GRAS", t, 1);
    h.OrderRow(tx, "B-6", "EDGE-3", "GRAS", t, 1);
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto r, tx.KpiRepeatCustomers("GRAS", t, t + kKpiRepeatGapSeconds + 2,
                                                      kKpiRepeatGapSeconds, 1000));
    auto has = [](const std::vector<std::string>& v, const std::string& id) {
      return std::find(v.begin(), v.end(), id) != v.end();
    };
    EXPECT_TRUE(has(r.returning_ids, "EDGE-1"));
    EXPECT_TRUE(has(r.other_ids, "EDGE-2"));
    EXPECT_TRUE(has(r.other_ids, "EDGE-3"));
    EXPECT_FALSE(has(r.other_ids, " ") || has(r.returning_ids, " "));
    EXPECT_TRUE(std::is_sorted(r.other_ids.begin(), r.other_ids.end()));
    EXPECT_EQ(r.customers, int64_t(r.returning_ids.size() + r.other_ids.size()));
    return Status::Ok();
  });
  ASSERT_TRUE(
      h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(h.ctx.zone); }).ok());
  std::vector<Period> periods;
  const int64_t base = DaysFromCivil(Date{2025, 1, 1});
  for (int i = 0; i < 50; ++i) {
    int64_t a = base + int64_t(rng() % 700);
    int64_t len = (i % 3 == 0) ? 0 : int64_t(rng() % 120);
    periods.push_back(Period{CivilFromDays(a), CivilFromDays(a + len)});
  }
  const Date edge = CivilFromDays(DaysFromCivil(Date{2025, 3, 1}) + 183);
  periods.push_back(Period{edge, edge});
  periods.push_back(Period{{2025, 3, 1}, {2025, 3, 1}});
  auto agree = [&](int id_limit, const std::string& label) {
    int64_t seen = 0;
    h.Write([&](Tx& tx) -> Status {
      for (const auto& p : periods) {
        PeriodBounds b = BoundsOf(p, h.ctx.zone);
        for (const char* d : divisions) {
          CX_ASSIGN_OR_RETURN(auto fast,
                              tx.KpiRepeatCustomersByDay(h.ctx.zone, d, DaysFromCivil(p.from),
                                                         DaysFromCivil(p.to), id_limit));
          CX_ASSIGN_OR_RETURN(
              auto slow, tx.KpiRepeatCustomers(d, b.begin, b.end, kKpiRepeatGapSeconds, id_limit));
          EXPECT_TRUE(fast.has_value()) << label;
          if (!fast) return Status::Ok();
          const std::string where = label + ", " + d + ", " + FormatDate(p.from);
          EXPECT_EQ(fast->customers, slow.customers) << where;
          EXPECT_EQ(fast->returning, slow.returning) << where;
          EXPECT_EQ(fast->returning_ids, slow.returning_ids) << where;
          EXPECT_EQ(fast->other_ids, slow.other_ids) << where;
          seen += slow.customers;
        }
      }
      return Status::Ok();
    });
    return seen;
  };
  EXPECT_GT(agree(1000, "first build"), 300);
  EXPECT_GT(agree(3, "small id limit"), 300);
  for (int round = 0; round < 3; ++round) {
    h.Write([&](Tx& tx) -> Status {
      add_orders(tx, 15);
      for (int i = 0; i < 5; ++i) {
        CX_ASSIGN_OR_RETURN(auto o, tx.GetOrder("R-" + std::to_string(rng() % 400)));
        if (!o) continue;
        o->date += Timestamp(rng() % 200) * 86400;
        o->division = divisions[rng() % 3];
        CX_RETURN_IF_ERROR(tx.UpsertOrder(*o));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(
        h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(h.ctx.zone); }).ok());
    EXPECT_GT(agree(1000, "round " + std::to_string(round)), 300);
  }
}

}  // namespace
}  // namespace cx
