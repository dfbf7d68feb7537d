// Tests of the KPI engine on hand-built data: each expected figure is worked out in the comments.
#include "service/kpi_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kpi_test_util.h"

namespace cx {
namespace {

using kpitest::Hub;

KpiValue Get(const Scorecard& c, const std::string& key, const std::string& division) {
  for (const auto& v : c.kpis) {
    if (v.key == key && v.division == division) return v;
  }
  ADD_FAILURE() << "no KPI " << key << " for " << division;
  return KpiValue{};
}

Scorecard Compute(Hub& h, Period p, const std::string& division = "", int trend = 0) {
  KpiQuery q;
  q.period = p;
  q.division = division;
  q.trend = trend;
  auto r = ComputeKpis(h.ctx, q);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : Scorecard{};
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const Period kQ1{{2026, 1, 1}, {2026, 3, 31}};

void Base(Hub& h, Tx& tx) {
  h.Account(tx, "A-1");
  h.Contact(tx, "C-1", "A-1");
}

TEST(KpiInquiryToQuote, CountsFirstQualifiedInPeriodAndQuoteByEnd) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    // O-1: qualified 10 Jan, quote 20 Jan → numerator.
    h.Opp(tx, "O-1", "Motors", h.L(2026, 1, 9));
    h.Stage(tx, "O-1", "Qualified", h.L(2026, 1, 10, 9));
    h.Stage(tx, "O-1", "Quote", h.L(2026, 1, 20, 9));
    // O-2: qualified in the period, quote only after `to` (1 April 00:00 local) → denominator only.
    h.Opp(tx, "O-2", "Motors", h.L(2026, 1, 9));
    h.Stage(tx, "O-2", "Qualified", h.L(2026, 1, 15, 9));
    h.Stage(tx, "O-2", "Quote", h.L(2026, 4, 1, 0));
    // O-3: first qualified in December, again in January → its "entered Qualified" is December:
    // excluded.
    h.Opp(tx, "O-3", "Motors", h.L(2025, 12, 1));
    h.Stage(tx, "O-3", "Qualified", h.L(2025, 12, 20, 9));
    h.Stage(tx, "O-3", "Qualified", h.L(2026, 1, 5, 9));
    h.Stage(tx, "O-3", "Quote", h.L(2026, 1, 6, 9));
    // O-4: stage names in other case → numerator.
    h.Opp(tx, "O-4", "Motors", h.L(2026, 1, 30));
    h.Stage(tx, "O-4", "QUALIFIED", h.L(2026, 2, 1, 9));
    h.Stage(tx, "O-4", "quote", h.L(2026, 2, 3, 9));
    // O-5: qualified 31 March 23:30 local (in), O-6: 1 April 00:00 local (out).
    h.Opp(tx, "O-5", "Motors", h.L(2026, 3, 1));
    h.Stage(tx, "O-5", "Qualified", h.L(2026, 3, 31, 23, 30));
    h.Opp(tx, "O-6", "Motors", h.L(2026, 3, 1));
    h.Stage(tx, "O-6", "Qualified", h.L(2026, 4, 1, 0));
    // O-7: another division.
    h.Opp(tx, "O-7", "Power & Industrial", h.L(2026, 1, 1));
    h.Stage(tx, "O-7", "Qualified", h.L(2026, 1, 10));
    h.Stage(tx, "O-7", "Quote", h.L(2026, 1, 11));
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& v = Get(card, "inquiry_to_quote", "Motors");
  // Denominator O-1, O-2, O-4, O-5 = 4; numerator O-1, O-4 = 2.
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 0.5);
  EXPECT_EQ(v.numerator, 2);
  EXPECT_EQ(v.denominator, 4);
  EXPECT_EQ(v.unit, "ratio");
  EXPECT_EQ(Sorted(v.numerator_ids), (std::vector<std::string>{"O-1", "O-4"}));
  EXPECT_EQ(Sorted(v.denominator_ids), (std::vector<std::string>{"O-1", "O-2", "O-4", "O-5"}));
  ASSERT_TRUE(v.target.has_value());
  EXPECT_DOUBLE_EQ(v.target->value, 0.6);
  EXPECT_EQ(v.met, std::optional<bool>(false));
}

TEST(KpiInquiryToQuote, PeriodCrossingTheYear) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.Opp(tx, "O-1", "Motors", h.L(2025, 12, 1));
    h.Stage(tx, "O-1", "Qualified", h.L(2025, 12, 31, 23, 59));
    h.Stage(tx, "O-1", "Quote", h.L(2026, 1, 1, 0, 1));
    h.Opp(tx, "O-2", "Motors", h.L(2025, 12, 1));
    h.Stage(tx, "O-2", "Qualified", h.L(2026, 1, 15, 23, 59));
    h.Opp(tx, "O-3", "Motors", h.L(2025, 12, 1));
    h.Stage(tx, "O-3", "Qualified", h.L(2025, 12, 14, 23, 59));  // the day before `from`
    return Status::Ok();
  });
  auto card = Compute(h, Period{{2025, 12, 15}, {2026, 1, 15}});
  const auto& v = Get(card, "inquiry_to_quote", "Motors");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 0.5);  // O-1 quoted; O-2 not; O-3 outside
  EXPECT_EQ(v.denominator, 2);
}

TEST(KpiQuoteToPurchase, WonByEndOnly) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.Opp(tx, "O-1", "Motors", h.L(2026, 1, 2), "ada", "won", h.L(2026, 2, 1));
    h.Stage(tx, "O-1", "Quote", h.L(2026, 1, 10));
    h.Opp(tx, "O-2", "Motors", h.L(2026, 1, 2), "ada", "won", h.L(2026, 4, 2));  // won after `to`
    h.Stage(tx, "O-2", "Quote", h.L(2026, 1, 10));
    h.Opp(tx, "O-3", "Motors", h.L(2026, 1, 2), "ada", "lost", h.L(2026, 2, 1));
    h.Stage(tx, "O-3", "Quote", h.L(2026, 1, 10));
    h.Opp(tx, "O-4", "Motors", h.L(2026, 1, 2), "ada", "open");
    h.Stage(tx, "O-4", "Quote", h.L(2026, 3, 10));
    return Status::Ok();
  });
  const auto& v = Get(Compute(h, kQ1), "quote_to_purchase", "Motors");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 0.25);  // 1 of 4
  EXPECT_EQ(v.numerator_ids, (std::vector<std::string>{"O-1"}));
}

TEST(KpiFirstContactResolution, ExactlyOneInteractionUpToTo) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.CaseRow(tx, "K-1", "Motors", "after-sales", h.L(2026, 1, 2), h.L(2026, 1, 5));
    h.Interact(tx, "I-1", h.L(2026, 1, 3), "ada", "", "K-1");
    h.CaseRow(tx, "K-2", "Motors", "after-sales", h.L(2026, 1, 2), h.L(2026, 1, 5));
    h.Interact(tx, "I-2", h.L(2026, 1, 3), "ada", "", "K-2");
    h.Interact(tx, "I-3", h.L(2026, 1, 4), "ada", "", "K-2");
    h.CaseRow(tx, "K-3", "Motors", "after-sales", h.L(2026, 1, 2),
              h.L(2026, 1, 5));  // zero interactions
    // K-4: one interaction before the case was even opened (last year) and one after `to`: counts
    // as one.
    h.CaseRow(tx, "K-4", "Motors", "after-sales", h.L(2026, 1, 2), h.L(2026, 3, 31, 22));
    h.Interact(tx, "I-4", h.L(2025, 12, 30), "ada", "", "K-4");
    h.Interact(tx, "I-5", h.L(2026, 4, 1, 8), "ada", "", "K-4");
    h.CaseRow(tx, "K-5", "Motors", "after-sales", h.L(2026, 1, 2),
              h.L(2026, 4, 1, 0));  // closed after `to`
    h.CaseRow(tx, "K-6", "Motors", "complaint", h.L(2026, 1, 2), h.L(2026, 1, 5));  // other kind
    return Status::Ok();
  });
  const auto& v = Get(Compute(h, kQ1), "first_contact_resolution", "Motors");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 0.5);  // K-1, K-4 of K-1..K-4
  EXPECT_EQ(Sorted(v.numerator_ids), (std::vector<std::string>{"K-1", "K-4"}));
  EXPECT_EQ(v.denominator, 4);
  EXPECT_EQ(v.extra.at("without_interaction"), 1);
}

TEST(KpiLeadResponse, BusinessHoursToOwnersFirstInteraction) {
  Hub h;
  Period march{{2026, 3, 1}, {2026, 3, 31}};
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.UserRow(tx, "ada", "Ada Obi", "sales");
    const std::string pi = "Power & Industrial";
    // L-1 Mon 2 Mar 09:00, owner "Ada Obi" answers as login "ada" at 11:30 → 2.5 h.
    h.Opp(tx, "L-1", pi, h.L(2026, 3, 2, 9), "Ada Obi");
    h.Interact(tx, "I-1", h.L(2026, 3, 2, 11, 30), "ada", "L-1");
    // L-2 Fri 6 Mar 16:00, answered Mon 9 Mar 09:00 → 1 h Friday + 1 h Monday = 2 h.
    h.Opp(tx, "L-2", pi, h.L(2026, 3, 6, 16), "ada");
    h.Interact(tx, "I-2", h.L(2026, 3, 9, 9), " ADA ", "L-2");
    // L-3 Tue 3 Mar 09:00: first answered by someone else at 10:00, by its owner at 15:00 → 6 h.
    h.Opp(tx, "L-3", pi, h.L(2026, 3, 3, 9), "ada");
    h.Interact(tx, "I-3", h.L(2026, 3, 3, 10), "bola", "L-3");
    h.Interact(tx, "I-4", h.L(2026, 3, 3, 15), "ada", "L-3");
    // L-4 never answered; L-5 answered by its owner only after `to`: both unanswered.
    h.Opp(tx, "L-4", pi, h.L(2026, 3, 4, 9), "ada");
    h.Opp(tx, "L-5", pi, h.L(2026, 3, 31, 16), "ada");
    h.Interact(tx, "I-5", h.L(2026, 4, 1, 9), "ada", "L-5");
    // L-6 created before the period: not a lead of the period.
    h.Opp(tx, "L-6", pi, h.L(2026, 2, 27, 9), "ada");
    h.Interact(tx, "I-6", h.L(2026, 3, 2, 9), "ada", "L-6");
    return Status::Ok();
  });
  const auto& v = Get(Compute(h, march), "lead_response_hours", "Power & Industrial");
  ASSERT_TRUE(v.value.has_value()) << v.note;
  EXPECT_NEAR(*v.value, (2.5 + 2 + 6) / 3, 1e-9);
  EXPECT_EQ(v.sample, 3);
  EXPECT_EQ(v.unit, "hours");
  EXPECT_EQ(v.extra.at("unanswered"), 2);
  EXPECT_EQ(Sorted(v.other_ids.at("unanswered")), (std::vector<std::string>{"L-4", "L-5"}));
  EXPECT_EQ(v.met, std::optional<bool>(true));  // 3.5 < 4
}

TEST(KpiProposalWinRateAndCycle, ClosedInPeriod) {
  Hub h;
  const std::string pi = "Power & Industrial";
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.Opp(tx, "O-1", pi, h.L(2025, 12, 1), "ada", "won", h.L(2026, 1, 31, 12));
    h.Stage(tx, "O-1", "Qualified", h.L(2026, 1, 1, 0));
    h.Stage(tx, "O-1", "Proposal", h.L(2026, 1, 10));
    h.Opp(tx, "O-2", pi, h.L(2025, 12, 1), "ada", "lost", h.L(2026, 2, 1));
    h.Stage(tx, "O-2", "proposal", h.L(2026, 1, 10));
    h.Opp(tx, "O-3", pi, h.L(2025, 12, 1), "ada", "won", h.L(2026, 3, 3));  // won without proposal
    h.Stage(tx, "O-3", "Qualified", h.L(2026, 2, 1));
    h.Opp(tx, "O-4", pi, h.L(2025, 12, 1), "ada", "won", h.L(2026, 4, 3));  // closed after `to`
    h.Stage(tx, "O-4", "Proposal", h.L(2026, 1, 10));
    h.Stage(tx, "O-4", "Qualified", h.L(2026, 1, 9));
    h.Opp(tx, "O-5", pi, h.L(2025, 12, 1), "ada", "won", h.L(2026, 3, 5));  // won, never qualified
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& win = Get(card, "proposal_win_rate", pi);
  ASSERT_TRUE(win.value.has_value());
  EXPECT_DOUBLE_EQ(*win.value, 0.5);  // O-1 won, O-2 lost
  const auto& cycle = Get(card, "sales_cycle_days", pi);
  ASSERT_TRUE(cycle.value.has_value());
  EXPECT_NEAR(*cycle.value, (30.5 + 30.0) / 2,
              1e-9);  // O-1: 1 Jan → 31 Jan 12:00; O-3: 1 Feb → 3 Mar
  EXPECT_EQ(cycle.unit, "days");
  EXPECT_EQ(cycle.extra.at("won_never_qualified"), 1);
  EXPECT_EQ(cycle.met, std::optional<bool>(true));
}

TEST(KpiDistributorAcquisition, PerQuarterTouched) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    for (int i = 1; i <= 4; ++i) h.Opp(tx, "O-" + std::to_string(i), "Medical", h.L(2026, 1, 1));
    h.Stage(tx, "O-1", "Signed", h.L(2026, 2, 20));
    h.Stage(tx, "O-2", "SIGNED", h.L(2026, 3, 20));
    h.Stage(tx, "O-3", "signed", h.L(2026, 4, 15, 23));
    h.Stage(tx, "O-4", "Signed", h.L(2026, 4, 16));  // after `to`
    return Status::Ok();
  });
  const auto& v =
      Get(Compute(h, Period{{2026, 2, 15}, {2026, 4, 15}}), "distributor_acquisition", "Medical");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 1.5);  // 3 signed ÷ 2 quarters
  EXPECT_EQ(v.unit, "per_quarter");
  EXPECT_EQ(v.denominator, 2);
  EXPECT_EQ(v.met, std::optional<bool>(false));
  // A quarter with Medical opportunities but no signing is a real 0, not null.
  const auto& zero =
      Get(Compute(h, Period{{2026, 7, 1}, {2026, 9, 30}}), "distributor_acquisition", "Medical");
  ASSERT_TRUE(zero.value.has_value());
  EXPECT_DOUBLE_EQ(*zero.value, 0);
}

TEST(KpiOrders, YearOnYearAverages) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.OrderRow(tx, "S-1", "E1", "Medical", h.L(2026, 1, 10), 110);
    h.OrderRow(tx, "S-2", "E2", "Medical", h.L(2026, 3, 31, 23), 130);
    h.OrderRow(tx, "S-3", "E2", "Medical", h.L(2026, 4, 1, 0), 1000);  // after `to`
    h.OrderRow(tx, "S-4", "E2", "Motors", h.L(2026, 2, 1), 1000);      // another division
    h.OrderRow(tx, "S-5", "E1", "Medical", h.L(2025, 1, 1, 0), 80);    // a year before
    h.OrderRow(tx, "S-6", "E1", "Medical", h.L(2025, 3, 31, 12), 120);
    h.OrderRow(tx, "S-7", "E1", "Medical", h.L(2024, 12, 31, 23),
               5);  // before the year-earlier period
    h.OrderRow(tx, "G-1", "E1", "GRAS", h.L(2026, 2, 1), 50);
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& v = Get(card, "avg_order_volume_yoy", "Medical");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_NEAR(*v.value, 120.0 / 100.0 - 1, 1e-12);  // (110+130)/2 ÷ (80+120)/2 − 1 = 0.2
  EXPECT_EQ(v.sample, 2);
  EXPECT_EQ(v.met, std::optional<bool>(true));
  EXPECT_EQ(Sorted(v.numerator_ids), (std::vector<std::string>{"S-1", "S-2"}));
  EXPECT_EQ(Sorted(v.denominator_ids), (std::vector<std::string>{"S-5", "S-6"}));
  // GRAS has no order a year earlier: null, with a reason.
  const auto& g = Get(card, "avg_spend_yoy", "GRAS");
  EXPECT_FALSE(g.value.has_value());
  EXPECT_NE(g.note.find("one year earlier"), std::string::npos);
  EXPECT_FALSE(Get(card, "avg_spend_yoy", "Cube 65").value.has_value());
}

// Order amounts are summed to the cent: SQLite adds floating-point amounts, PostgreSQL exact
// decimals, and both must give the same average (not 0.15000000000000002).
TEST(KpiOrders, AmountsAreSummedToTheCent) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.OrderRow(tx, "S-1", "E1", "Medical", h.L(2026, 1, 10), 0.1);
    h.OrderRow(tx, "S-2", "E2", "Medical", h.L(2026, 2, 10), 0.2);
    h.OrderRow(tx, "S-3", "E1", "Medical", h.L(2025, 1, 10), 0.1);
    h.OrderRow(tx, "S-4", "E2", "Medical", h.L(2025, 2, 10), 0.7);
    return Status::Ok();
  });
  const auto& v = Get(Compute(h, kQ1), "avg_order_volume_yoy", "Medical");
  EXPECT_EQ(v.numerator, 0.15);
  EXPECT_EQ(v.denominator, 0.4);
  ASSERT_TRUE(v.value.has_value());
  EXPECT_EQ(*v.value, 0.15 / 0.4 - 1);
}

TEST(KpiQualityFlags, MeanClockHoursOverConfirmed) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.CaseRow(tx, "K-1", "Medical", "quality-flag", h.L(2026, 3, 1, 10), std::nullopt,
              h.L(2026, 3, 3, 10));
    h.CaseRow(tx, "K-2", "Medical", "quality-flag", h.L(2026, 3, 10, 0), std::nullopt,
              h.L(2026, 3, 10, 12));
    h.CaseRow(tx, "K-3", "Medical", "quality-flag", h.L(2026, 3, 30, 0), std::nullopt,
              h.L(2026, 4, 1, 1));
    h.CaseRow(tx, "K-4", "Medical", "quality-flag", h.L(2026, 3, 30, 0));  // not confirmed
    return Status::Ok();
  });
  const auto& v = Get(Compute(h, kQ1), "quality_flag_hours", "Medical");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 30);  // (48 + 12) / 2
  EXPECT_EQ(v.met, std::optional<bool>(true));
}

TEST(KpiRepeatCustomers, EarlierOrderWithin183Days) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.OrderRow(tx, "1a", "E1", "GRAS", h.L(2025, 9, 1), 10);  // 153 days before → returning
    h.OrderRow(tx, "1b", "E1", "GRAS", h.L(2026, 2, 1), 10);
    h.OrderRow(tx, "2a", "E2", "GRAS", h.L(2025, 7, 1), 10);  // 215 days before → not
    h.OrderRow(tx, "2b", "E2", "GRAS", h.L(2026, 2, 1), 10);
    h.OrderRow(tx, "3a", "E3", "GRAS", h.L(2026, 1, 5), 10);  // both in the period → returning
    h.OrderRow(tx, "3b", "E3", "GRAS", h.L(2026, 1, 20), 10);
    h.OrderRow(tx, "4a", "E4", "Cube 65", h.L(2026, 2, 1), 10);  // other division does not count
    h.OrderRow(tx, "4b", "E4", "GRAS", h.L(2026, 3, 1), 10);
    h.OrderRow(tx, "5a", "E5", "GRAS", h.L(2026, 3, 31), 10);  // the later order is after `to`
    h.OrderRow(tx, "5b", "E5", "GRAS", h.L(2026, 4, 2), 10);
    Timestamp t6 = h.L(2026, 2, 10, 12);
    h.OrderRow(tx, "6a", "E6", "GRAS", t6 - 183 * 86400, 10);  // exactly 183 days → returning
    h.OrderRow(tx, "6b", "E6", "GRAS", t6, 10);
    h.OrderRow(tx, "7a", "E7", "GRAS", t6 - 183 * 86400 - 1, 10);  // one second more → not
    h.OrderRow(tx, "7b", "E7", "GRAS", t6, 10);
    // Two orders at the same instant are not one before the other → not returning …
    h.OrderRow(tx, "8a", "E8", "GRAS", h.L(2026, 2, 15), 10);
    h.OrderRow(tx, "8b", "E8", "GRAS", h.L(2026, 2, 15), 10);
    // … but an earlier order still counts for a tie group after it.
    h.OrderRow(tx, "9a", "E9", "GRAS", h.L(2026, 1, 10), 10);
    h.OrderRow(tx, "9b", "E9", "GRAS", h.L(2026, 2, 15), 10);
    h.OrderRow(tx, "9c", "E9", "GRAS", h.L(2026, 2, 15), 10);
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& v = Get(card, "repeat_customer_rate", "GRAS");
  ASSERT_TRUE(v.value.has_value());
  EXPECT_DOUBLE_EQ(*v.value, 4.0 / 9.0);  // E1, E3, E6, E9 of E1..E9
  EXPECT_EQ(Sorted(v.numerator_ids), (std::vector<std::string>{"E1", "E3", "E6", "E9"}));
  const auto& cube = Get(card, "repeat_customer_rate", "Cube 65");
  ASSERT_TRUE(cube.value.has_value());
  EXPECT_DOUBLE_EQ(*cube.value, 0);  // E4 is a Cube 65 customer, not returning
}

TEST(KpiFeedback, ReviewScoreAndNps) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.FeedbackRow(tx, "F-1", "GRAS", "review", 4, h.L(2026, 1, 3));
    h.FeedbackRow(tx, "F-2", "GRAS", "review", 5, h.L(2026, 3, 31, 23));
    h.FeedbackRow(tx, "F-3", "GRAS", "review", 1, h.L(2026, 4, 1));  // after `to`
    int i = 10;
    for (double s : {10.0, 9.0, 8.0, 6.0, 0.0}) {
      h.FeedbackRow(tx, "F-" + std::to_string(i++), "Motors", "nps", s, h.L(2026, 2, 1));
    }
    h.FeedbackRow(tx, "F-20", "Medical", "nps", 10, h.L(2026, 2, 1));
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& r = Get(card, "review_score", "GRAS");
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 4.5);
  EXPECT_EQ(r.met, std::optional<bool>(true));  // at least 4.5
  EXPECT_FALSE(Get(card, "review_score", "Cube 65").value.has_value());
  const auto& motors = Get(card, "nps", "Motors");
  ASSERT_TRUE(motors.value.has_value());
  EXPECT_DOUBLE_EQ(*motors.value, 0);  // 2 promoters − 2 detractors of 5
  EXPECT_EQ(motors.unit, "points");
  EXPECT_FALSE(motors.target.has_value());
  EXPECT_FALSE(motors.met.has_value());
  EXPECT_DOUBLE_EQ(*Get(card, "nps", "Medical").value, 100);
  EXPECT_NEAR(*Get(card, "nps", "All").value, 100.0 * (3 - 2) / 6, 1e-9);
  EXPECT_FALSE(Get(card, "nps", "GRAS").value.has_value());
}

TEST(KpiComplaintRate, ComplaintsOverActiveAccounts) {
  Hub h;
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Account(tx, "A-2", "ERP-2");
    h.Account(tx, "A-3");
    h.Contact(tx, "C-1", "A-1");
    h.Contact(tx, "C-3", "A-3");
    h.Interact(tx, "I-1", h.L(2026, 2, 1), "ada", "", "", "C-1", "Motors");
    h.Interact(tx, "I-2", h.L(2026, 2, 2), "ada", "", "", "C-1", "Motors");
    h.Interact(tx, "I-3", h.L(2026, 4, 2), "ada", "", "", "C-3",
               "Motors");  // after `to`: A-3 inactive
    h.OrderRow(tx, "S-1", "ERP-2", "GRAS", h.L(2026, 3, 1), 10);
    h.CaseRow(tx, "K-1", "Motors", "complaint", h.L(2026, 2, 3), std::nullopt, std::nullopt, "A-1");
    h.CaseRow(tx, "K-2", "GRAS", "complaint", h.L(2026, 3, 3), std::nullopt, std::nullopt, "A-2");
    h.CaseRow(tx, "K-3", "GRAS", "complaint", h.L(2026, 4, 3), std::nullopt, std::nullopt,
              "A-2");  // after
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& all = Get(card, "complaint_rate", "All");
  ASSERT_TRUE(all.value.has_value());
  EXPECT_DOUBLE_EQ(*all.value, 1.0);  // K-1, K-2 over
  EXPECT_EQ(Sorted(all.denominator_ids), (std::vector<std::string>{"A-1", "A-2"}));
  EXPECT_DOUBLE_EQ(*Get(card, "complaint_rate", "Motors").value, 1.0);  // K-1 over A-1
  EXPECT_DOUBLE_EQ(*Get(card, "complaint_rate", "GRAS").value, 1.0);    // K-2 over A-2
  EXPECT_FALSE(Get(card, "complaint_rate", "Medical").value.has_value());
}

TEST(KpiEngine, EmptyPeriodIsNullNeverZero) {
  Hub h;
  auto card = Compute(h, kQ1);
  // … and newsletter_signups (All): null too, no contact has a subscription date.
  EXPECT_EQ(card.kpis.size(), 3u + 3u + 3u + 6u + 6u + 6u + 1u);
  for (const auto& v : card.kpis) {
    EXPECT_FALSE(v.value.has_value()) << v.key << " " << v.division;
    EXPECT_FALSE(v.note.empty()) << v.key << " " << v.division;
    EXPECT_FALSE(v.met.has_value());
  }
}

TEST(KpiEngine, DivisionFilterAndTrend) {
  Hub h;
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.FeedbackRow(tx, "F-1", "GRAS", "review", 4, h.L(2025, 11, 3));
    h.FeedbackRow(tx, "F-2", "GRAS", "review", 5, h.L(2026, 2, 3));
    return Status::Ok();
  });
  auto card = Compute(h, kQ1, "gras", 2);
  for (const auto& v : card.kpis) EXPECT_EQ(v.division, "GRAS");
  const auto& r = Get(card, "review_score", "GRAS");
  ASSERT_EQ(r.trend.size(), 2u);
  EXPECT_EQ(r.trend[0].period.from, (Date{2025, 10, 1}));
  EXPECT_EQ(r.trend[0].period.to, (Date{2025, 12, 31}));
  EXPECT_DOUBLE_EQ(*r.trend[0].value, 4);
  EXPECT_FALSE(r.trend[1].value.has_value());
  KpiQuery bad;
  bad.period = kQ1;
  bad.division = "Bakery";
  EXPECT_EQ(ComputeKpis(h.ctx, bad).status().code(), Code::kInvalid);
  bad.division = "";
  bad.period = Period{{2026, 3, 1}, {2026, 2, 1}};
  EXPECT_EQ(ComputeKpis(h.ctx, bad).status().code(), Code::kInvalid);
}

TEST(KpiTargets, OnlyAManagerSetsThemAndTheyApply) {
  Hub h;
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "sam", "Sam Sales", "sales");
    h.UserRow(tx, "meg", "Meg Manager", "manager");
    return Status::Ok();
  });
  KpiTarget t{"review_score", "GRAS", 4.0, TargetDirection::kAtLeast};
  h.ctx.actor = "cli";
  EXPECT_EQ(SetKpiTarget(h.ctx, t).code(), Code::kForbidden);
  h.ctx.actor = "sam";
  EXPECT_EQ(SetKpiTarget(h.ctx, t).code(), Code::kForbidden);
  h.ctx.actor = "meg";
  EXPECT_EQ(SetKpiTarget(h.ctx, KpiTarget{"nope", "", 1, TargetDirection::kAbove}).code(),
            Code::kInvalid);
  EXPECT_EQ(
      SetKpiTarget(h.ctx, KpiTarget{"inquiry_to_quote", "", 60, TargetDirection::kAbove}).code(),
      Code::kInvalid);
  EXPECT_EQ(SetKpiTarget(h.ctx, KpiTarget{"inquiry_to_quote", "GRAS", 0.5, TargetDirection::kAbove})
                .code(),
            Code::kInvalid);
  // Nothing was written by the refusals.
  h.Write([&](Tx& tx) {
    auto stored = tx.KpiStoredTargets();
    EXPECT_TRUE(stored.ok());
    EXPECT_TRUE(stored->empty());
    return Status::Ok();
  });
  ASSERT_TRUE(SetKpiTarget(h.ctx, t).ok());
  ASSERT_TRUE(SetKpiTarget(h.ctx, KpiTarget{"nps", "All", 20, TargetDirection::kAtLeast}).ok());
  h.Write([&](Tx& tx) {
    Base(h, tx);
    h.FeedbackRow(tx, "F-1", "GRAS", "review", 4, h.L(2026, 1, 3));
    h.FeedbackRow(tx, "F-2", "Motors", "nps", 10, h.L(2026, 1, 3));
    return Status::Ok();
  });
  auto card = Compute(h, kQ1);
  const auto& gras = Get(card, "review_score", "GRAS");
  EXPECT_DOUBLE_EQ(gras.target->value, 4.0);
  EXPECT_EQ(gras.met, std::optional<bool>(true));                             // 4 ≥ 4
  EXPECT_DOUBLE_EQ(Get(card, "review_score", "Cube 65").target->value, 4.5);  // the shipped default
  EXPECT_EQ(Get(card, "nps", "All").met, std::optional<bool>(true));
  EXPECT_FALSE(Get(card, "nps", "Motors").target.has_value());
  h.Write([&](Tx& tx) {
    AuditFilter f;
    f.entity = "kpi_target";
    auto log = tx.ListAudit(f);
    EXPECT_TRUE(log.ok());
    EXPECT_EQ(log->size(), 2u);
    return Status::Ok();
  });
}

TEST(KpiPeriods, Arithmetic) {
  auto w = ParseIsoWeek("2026-W01");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->from, (Date{2025, 12, 29}));
  EXPECT_EQ(w->to, (Date{2026, 1, 4}));
  EXPECT_EQ(IsoWeekName(Date{2027, 1, 1}), "2026-W53");
  EXPECT_FALSE(ParseIsoWeek("2025-W53").ok());
  EXPECT_FALSE(ParseIsoWeek("2026-05").ok());
  EXPECT_EQ(QuartersTouched(Period{{2025, 12, 31}, {2026, 1, 1}}), 2);
  EXPECT_EQ(QuartersTouched(kQ1), 1);
  EXPECT_EQ(YearEarlier(Period{{2028, 2, 29}, {2028, 3, 1}}).from, (Date{2027, 2, 28}));
  auto prev = PreviousPeriods(kQ1, 2);
  EXPECT_EQ(prev[0].from, (Date{2025, 10, 1}));
  EXPECT_EQ(prev[1].to, (Date{2025, 9, 30}));
  auto weeks = PreviousPeriods(*w, 1);
  EXPECT_EQ(weeks[0].from, (Date{2025, 12, 22}));
  EXPECT_EQ(weeks[0].to, (Date{2025, 12, 28}));
  Zone z = Zone::Default();
  auto b = BoundsOf(kQ1, z);
  EXPECT_EQ(b.end - b.begin, 90 * 86400);
  EXPECT_EQ(b.begin, z.ToUtc(Date{2026, 1, 1}, 0));
}

TEST(KpiTargets, ParseShippedAndBadFiles) {
  auto d = DefaultTargets();
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto t = TargetFor(*d, "lead_response_hours", "Power & Industrial");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->direction, TargetDirection::kBelow);
  EXPECT_DOUBLE_EQ(t->value, 4);
  EXPECT_FALSE(TargetFor(*d, "nps", "Motors").has_value());
  auto bad = ParseTargets(
      "[targets.nope]\nvalue = 1\ndirection = \"above\"\n[targets.nps]\nvalue = \"x\"\n", "t.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("targets.nope: unknown KPI key"), std::string::npos);
  EXPECT_NE(bad.status().ToString().find("targets.nps: value"), std::string::npos);
}

}  // namespace
}  // namespace cx
