// Rules of the weekly review pack (docs/kpi.md): the SLA section's selection, everything as known
// at the week's end (ERP freshness, steward queue), the refusal of a week that has not begun, the
// overdue next actions counted per person, and the names beside the IDs.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "kpi_test_util.h"
#include "service/config_service.h"
#include "service/review_service.h"

namespace cx {
namespace {

using kpitest::Hub;

// Week 2026-W10: Monday 2 March .. Sunday 8 March 2026; its end is Monday 9 March 00:00.
Period Week10() { return *ParseIsoWeek("2026-W10"); }

std::set<std::string> Ids(const SlaItems& items) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(i.id);
  return out;
}

TEST(ReviewRules, SlaSectionHoldsOpenClocksAndTheWeeksBreachesNotEveryBreachEver) {
  UseConfigDir("");  // the shipped SLA rules (another test may have installed its own)
  Hub h;
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    // Motors inquiries: 12 clock hours to the first interaction carrying the Opportunity ID.
    h.Opp(tx, "O-OLD", "Motors", h.L(2026, 1, 5, 9));  // answered late in January: not this week
    h.Interact(tx, "I-1", h.L(2026, 1, 7, 9), "ada", "O-OLD");
    h.Opp(tx, "O-OPEN", "Motors", h.L(2026, 1, 5, 9));  // never answered: open and breached
    h.Opp(tx, "O-WEEK", "Motors", h.L(2026, 3, 2, 9));  // due Mon 21:00, answered Tue: breached
    h.Interact(tx, "I-2", h.L(2026, 3, 3, 10), "ada", "O-WEEK");
    h.Opp(tx, "O-LATER", "Motors", h.L(2026, 3, 6, 9));  // answered after the week's end
    h.Interact(tx, "I-3", h.L(2026, 3, 10, 9), "ada", "O-LATER");
    h.Opp(tx, "O-RISK", "Motors", h.L(2026, 3, 8, 14));  // due Mon 02:00: 2 h of 12 left
    h.Opp(tx, "O-MET", "Motors", h.L(2026, 3, 4, 9));    // answered in time
    h.Interact(tx, "I-4", h.L(2026, 3, 4, 10), "ada", "O-MET");
    return Status::Ok();
  });
  h.ctx.now = [&] { return h.L(2026, 12, 6, 9); };
  ReviewQuery q;
  q.week = Week10();
  q.trend = 0;
  auto p = BuildReview(h.ctx, q);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(Ids(p->sla_items), (std::set<std::string>{"O-OPEN", "O-WEEK", "O-LATER", "O-RISK"}));
  EXPECT_EQ(p->sla_open, 3);  // O-OPEN, O-LATER (its answer came after the week), O-RISK
  EXPECT_EQ(p->sla_total, 4);
  // Open clocks first, then the week's breaches that have stopped.
  ASSERT_FALSE(p->sla_items.empty());
  EXPECT_EQ(p->sla_items.back().id, "O-WEEK");
  ASSERT_TRUE(p->sla_items.back().stopped.has_value());
  for (const auto& i : p->sla_items) {
    if (i.id == "O-RISK") {
      EXPECT_EQ(i.state, SlaState::kAtRisk);
    }
    if (i.id == "O-LATER") {
      EXPECT_FALSE(i.stopped.has_value());  // its answer is not known at the week's end
    }
  }
  // The cut drops the breach older than the week first, never one at risk or of the week.
  q.list_limit = 3;
  p = BuildReview(h.ctx, q);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Ids(p->sla_items), (std::set<std::string>{"O-WEEK", "O-LATER", "O-RISK"}));
  EXPECT_EQ(p->sla_total, 4);
}

TEST(ReviewRules, ErpFreshnessAndStewardQueueAreAsOfTheWeeksEnd) {
  Hub h;
  h.Write([&](Tx& tx) {
    ErpSyncRecord in_week;
    in_week.kind = "customers";
    in_week.started_at = h.L(2026, 3, 4, 6);
    in_week.finished_at = h.L(2026, 3, 4, 6, 5);
    auto seq = tx.InsertErpSync(in_week);
    EXPECT_TRUE(seq.ok());
    ErpSyncRecord december = in_week;  // synced long after the week
    december.started_at = h.L(2026, 12, 1, 6);
    december.finished_at = h.L(2026, 12, 1, 6, 5);
    EXPECT_TRUE(tx.InsertErpSync(december).ok());
    ErpSyncRecord orders = december;
    orders.kind = "orders";
    EXPECT_TRUE(tx.InsertErpSync(orders).ok());
    // The queue: open at the week's end but decided since; decided before; proposed after.
    h.Account(tx, "A-1");
    ErpQueueItem open_then;
    open_then.sync_seq = seq.ok() ? *seq : 0;
    open_then.kind = "link";
    open_then.account_id = "A-1";
    open_then.erp_id = "E-1";
    open_then.status = "accepted";
    open_then.created_at = h.L(2026, 3, 4, 6, 5);
    open_then.decided_at = h.L(2026, 3, 12, 9);
    EXPECT_TRUE(tx.InsertErpQueueItem(open_then).ok());
    ErpQueueItem decided = open_then;
    decided.erp_id = "E-2";
    decided.decided_at = h.L(2026, 3, 5, 9);
    EXPECT_TRUE(tx.InsertErpQueueItem(decided).ok());
    ErpQueueItem later = open_then;
    later.erp_id = "E-3";
    later.status = "open";
    later.created_at = h.L(2026, 12, 1, 6, 5);
    later.decided_at.reset();
    EXPECT_TRUE(tx.InsertErpQueueItem(later).ok());
    return Status::Ok();
  });
  h.ctx.now = [&] { return h.L(2026, 12, 6, 9); };
  ReviewQuery q;
  q.week = Week10();
  q.trend = 0;
  auto p = BuildReview(h.ctx, q);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(p->erp_available);
  EXPECT_EQ(p->erp.customers_synced, std::optional<Timestamp>(h.L(2026, 3, 4, 6, 5)));
  EXPECT_FALSE(p->erp.orders_synced.has_value());  // the only orders sync came in December
  EXPECT_EQ(p->erp.steward_queue, std::optional<int64_t>(1));
}

TEST(ReviewRules, AWeekThatHasNotBegunIsRefusedAWeekInProgressIsAllowed) {
  Hub h;
  h.ctx.now = [&] { return h.L(2026, 3, 4, 12); };  // Wednesday of 2026-W10
  ReviewQuery q;
  q.trend = 0;
  q.week = *ParseIsoWeek("2026-W11");
  auto future = BuildReview(h.ctx, q);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().code(), Code::kInvalid);
  EXPECT_NE(future.status().message().find("2026-W11 has not begun"), std::string::npos)
      << future.status().message();
  EXPECT_NE(future.status().message().find("2026-03-09"), std::string::npos);
  q.week = Week10();
  auto now = BuildReview(h.ctx, q);
  ASSERT_TRUE(now.ok()) << now.status().ToString();
  EXPECT_FALSE(now->week_over);
  EXPECT_EQ(now->as_of, h.L(2026, 3, 4, 12));
}

TEST(ReviewRules, OverdueNextActionsAreCountedPerPersonAndTheWeeksComeFirst) {
  Hub h;
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    int n = 0;
    auto action = [&](const std::string& by, Timestamp due) {
      Interaction i;
      i.id = "I-" + std::to_string(++n);
      i.at = h.L(2026, 1, 2, 9);
      i.contact_id = "C-1";
      i.channel = "visit";
      i.logged_by = by;
      i.next_action = "Call back";
      i.next_action_due = due;
      i.created_at = i.at;
      EXPECT_TRUE(tx.InsertInteraction(i).ok());
    };
    action("bola", h.L(2026, 1, 10, 9));
    action("bola", h.L(2026, 1, 11, 9));
    action("bola", h.L(2026, 3, 3, 9));  // fell due this week
    action("ada", h.L(2026, 3, 5, 9));   // fell due this week
    action("ada", h.L(2026, 3, 10, 9));  // not yet due at the week's end
    return Status::Ok();
  });
  ReviewQuery q;
  q.week = Week10();
  q.trend = 0;
  q.list_limit = 2;
  auto p = BuildReview(h.ctx, q);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->overdue_total, 4);
  ASSERT_EQ(p->overdue_by_person.size(), 2u);
  EXPECT_EQ(p->overdue_by_person[0].person, "ada");
  EXPECT_EQ(p->overdue_by_person[0].overdue, 1);
  EXPECT_EQ(p->overdue_by_person[1].overdue, 3);
  EXPECT_EQ(p->overdue_by_person[1].fell_due_this_week, 1);
  EXPECT_EQ(p->overdue_by_person[1].oldest_due, h.L(2026, 1, 10, 9));
  // Two rows kept: the two that fell due this week, by person.
  ASSERT_EQ(p->overdue.size(), 2u);
  EXPECT_EQ(p->overdue[0].due, h.L(2026, 3, 5, 9));
  EXPECT_EQ(p->overdue[1].due, h.L(2026, 3, 3, 9));
  // And the contact and its customer are named.
  EXPECT_EQ(p->names.Contact("C-1"), "Person C-1");
  EXPECT_EQ(p->names.CustomerOfContact("C-1"), "Company A-1");
}

}  // namespace
}  // namespace cx
