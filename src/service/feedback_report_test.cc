// The measures of docs/feedback.md on hand-made data, each expected number worked out beside it:
// NPS and CSAT per division, the emotion curve, the touchpoint ranking (ties, zero budgets,
// verdicts), newsletter sign-ups; periods touching 29 February 2024, feedback outside them.
#include "service/feedback_report.h"

#include <gtest/gtest.h>

#include "kpi_test_util.h"

namespace cx {
namespace {

using kpitest::Hub;

class FeedbackReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub.Write([&](Tx& tx) -> Status {
      hub.Account(tx, "A-1");
      hub.Contact(tx, "C-1", "A-1");
      return Status::Ok();
    });
  }
  void Fb(Tx& tx, const std::string& id, const std::string& division, const std::string& kind,
          double score, Timestamp date, const std::string& touchpoint = "",
          const std::string& stage = "") {
    Feedback f;
    f.id = id;
    f.division = division;
    f.kind = kind;
    f.score = score;
    f.date = date;
    f.touchpoint = touchpoint;
    f.stage = stage;
    Status st = tx.InsertFeedback(f);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Tp(Tx& tx, const std::string& id, double yearly_budget) {
    Touchpoint t;
    t.id = id;
    t.name = "Touchpoint " + id;
    t.division = "Motors";
    t.stage = "Inquiry";
    t.yearly_budget = yearly_budget;
    Status st = tx.InsertTouchpoint(t);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  // A lead from touchpoint `tp`, Created `created`, won at `won` (when given) for `amount`.
  void Lead(Tx& tx, const std::string& id, const std::string& tp, Timestamp created,
            std::optional<Timestamp> won, double amount) {
    Opportunity o;
    o.id = id;
    o.account_id = "A-1";
    o.division = "Motors";
    o.created = created;
    o.amount = amount;
    if (won) {
      o.outcome = "won";
      o.closed = won;
    }
    Status st = tx.InsertOpportunity(o);
    EXPECT_TRUE(st.ok()) << st.ToString();
    st = tx.SetOpportunitySource(id, tp);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  Hub hub;
  const Period q1_2024{Date{2024, 1, 1}, Date{2024, 3, 31}};
};

TEST_F(FeedbackReportTest, NpsAndCsatPerDivisionCountOnlyThePeriod) {
  hub.Write([&](Tx& tx) -> Status {
    // Motors NPS in Q1 2024: 10, 9, 9 (promoters), 7 (passive), 3 (detractor), one of them on the
    // leap day: (3 − 1) / 5 × 100 = +40.
    Fb(tx, "F-1", "Motors", "nps", 10, hub.L(2024, 1, 1, 0, 0));
    Fb(tx, "F-2", "Motors", "nps", 9, hub.L(2024, 2, 29, 12));
    Fb(tx, "F-3", "Motors", "nps", 9, hub.L(2024, 3, 31, 23, 59));
    Fb(tx, "F-4", "Motors", "nps", 7, hub.L(2024, 2, 10));
    Fb(tx, "F-5", "Motors", "nps", 3, hub.L(2024, 3, 1));
    // Outside: the last minute of 2023 and the first of Q2 (would make it 0 and +50).
    Fb(tx, "F-6", "Motors", "nps", 0, hub.L(2023, 12, 31, 23, 59));
    Fb(tx, "F-7", "Motors", "nps", 10, hub.L(2024, 4, 1, 0, 0));
    // Motors CSAT: 5, 4 satisfied of 5, 4, 3, 1 → 2 / 4 = 0.5.
    Fb(tx, "F-8", "Motors", "csat", 5, hub.L(2024, 1, 5));
    Fb(tx, "F-9", "Motors", "csat", 4, hub.L(2024, 1, 6));
    Fb(tx, "F-10", "Motors", "csat", 3, hub.L(2024, 1, 7));
    Fb(tx, "F-11", "Motors", "csat", 1, hub.L(2024, 1, 8));
    // GRAS: one NPS of 6 → −100; no CSAT → null.
    Fb(tx, "F-12", "GRAS", "nps", 6, hub.L(2024, 2, 2));
    return Status::Ok();
  });
  auto r = ComputeFeedbackScores(hub.ctx, q1_2024, FeedbackGroup::kDivision, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->groups.size(), 2u);
  const auto& gras = r->groups[0];
  const auto& motors = r->groups[1];
  EXPECT_EQ(gras.key, "GRAS");
  EXPECT_DOUBLE_EQ(*gras.nps, -100);
  EXPECT_FALSE(gras.csat.has_value());
  EXPECT_EQ(motors.key, "Motors");
  EXPECT_EQ(motors.nps_n, 5);
  EXPECT_DOUBLE_EQ(*motors.nps, 40);
  EXPECT_EQ(motors.csat_n, 4);
  EXPECT_DOUBLE_EQ(*motors.csat, 0.5);
}

TEST_F(FeedbackReportTest, EmotionCurveFollowsTheJourneyWithNullsWhereNobodyAnswered) {
  hub.Write([&](Tx& tx) -> Status {
    // Inquiry: +1, +2 → 1.5 (n 2); Quote: −2, −1, 0 → −1 (n 3).
    Fb(tx, "F-1", "Motors", "emotion", 1, hub.L(2024, 1, 10), "", "Inquiry");
    Fb(tx, "F-2", "Motors", "emotion", 2, hub.L(2024, 2, 29, 23, 59), "", "Inquiry");
    Fb(tx, "F-3", "Motors", "emotion", -2, hub.L(2024, 3, 1), "", "Quote");
    Fb(tx, "F-4", "Motors", "emotion", -1, hub.L(2024, 3, 2), "", "Quote");
    Fb(tx, "F-5", "Motors", "emotion", 0, hub.L(2024, 3, 3), "", "Quote");
    // Outside the period, another division, another kind: none counts.
    Fb(tx, "F-6", "Motors", "emotion", -2, hub.L(2024, 4, 1), "", "Inquiry");
    Fb(tx, "F-7", "Medical", "emotion", -2, hub.L(2024, 3, 3), "", "Onboarding");
    Fb(tx, "F-8", "Motors", "nps", 0, hub.L(2024, 3, 3), "", "Quote");
    return Status::Ok();
  });
  auto c = ComputeEmotionCurve(hub.ctx, "motors", Period{Date{2024, 2, 1}, Date{2024, 3, 31}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->division, "Motors");
  ASSERT_EQ(c->stages.size(), 6u);  // Inquiry, Qualified, Test Drive, Quote, Won, Delivered
  EXPECT_EQ(c->stages[0].stage, "Inquiry");
  // F-1 (10 January) is before this period: only F-2 → +2.
  EXPECT_EQ(c->stages[0].n, 1);
  EXPECT_DOUBLE_EQ(*c->stages[0].mean, 2);
  EXPECT_EQ(c->stages[1].stage, "Qualified");
  EXPECT_EQ(c->stages[1].n, 0);
  EXPECT_FALSE(c->stages[1].mean.has_value());
  EXPECT_EQ(c->stages[3].stage, "Quote");
  EXPECT_EQ(c->stages[3].n, 3);
  EXPECT_DOUBLE_EQ(*c->stages[3].mean, -1);
  auto whole = ComputeEmotionCurve(hub.ctx, "Motors", q1_2024);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->stages[0].n, 2);
  EXPECT_DOUBLE_EQ(*whole->stages[0].mean, 1.5);
  EXPECT_FALSE(ComputeEmotionCurve(hub.ctx, "Nowhere", q1_2024).ok());
}

TEST_F(FeedbackReportTest, TouchpointsRankedByWonAmountPerNairaThenNpsThenId) {
  hub.Write([&](Tx& tx) -> Status {
    // February 2024 has 29 days: budget = yearly × 29 / 365.
    Tp(tx, "T-1", 365000);  // budget 29,000
    Tp(tx, "T-2", 730000);  // budget 58,000
    Tp(tx, "T-3", 0);       // budget 0
    Tp(tx, "T-4", 365000);  // budget 29,000
    Tp(tx, "T-5", 36500);   // budget 2,900
    Tp(tx, "T-6", 3650);    // budget 290
    Tp(tx, "T-7", 36500);   // budget 2,900
    // T-1: O-1 won 290,000 and O-2 open → won_amount_per_naira 290,000 / 29,000 = 10;
    // cost_per_lead 29,000 / 2 = 14,500.
    Lead(tx, "O-1", "T-1", hub.L(2024, 2, 5), hub.L(2024, 2, 20), 290000);
    Lead(tx, "O-2", "T-1", hub.L(2024, 2, 10), std::nullopt, 50000);
    // T-2: 580,000 / 58,000 = 10 as well: the tie goes to the higher NPS (T-1: +100, T-2: 0).
    Lead(tx, "O-3", "T-2", hub.L(2024, 2, 3), hub.L(2024, 2, 25), 580000);
    // T-3: a won lead but no budget → won_amount_per_naira null (ranked last), cost_per_lead 0.
    Lead(tx, "O-4", "T-3", hub.L(2024, 2, 4), hub.L(2024, 2, 5), 1000000);
    // T-4: its lead is won on 1 March, after the period (not won by `to`); a lead created on
    // 31 January (outside) won in February does not count → 0 per naira, cut-or-fix.
    Lead(tx, "O-5", "T-4", hub.L(2024, 2, 6), hub.L(2024, 3, 1, 9), 9000000);
    Lead(tx, "O-6", "T-4", hub.L(2024, 1, 31, 23), hub.L(2024, 2, 2), 9000000);
    // T-5: created and won on the leap day, 2,900 / 2,900 = 1 → the third "invest".
    Lead(tx, "O-7", "T-5", hub.L(2024, 2, 29, 10), hub.L(2024, 2, 29, 16), 2900);
    // T-7: 1,450 / 2,900 = 0.5, above 0 but fourth → no verdict.
    Lead(tx, "O-8", "T-7", hub.L(2024, 2, 12), hub.L(2024, 2, 13), 1450);
    // T-6: nothing → 0 per naira, nps null, cut-or-fix.
    // Feedback: T-1 NPS 10, 10 (+100) and emotions +2, −1 (mean 0.5): 4 responses; one NPS of
    // 0 on 1 March is outside. T-2 NPS 9, 5 → (1 − 1) / 2 = 0.
    Fb(tx, "F-1", "Motors", "nps", 10, hub.L(2024, 2, 1), "T-1");
    Fb(tx, "F-2", "Motors", "nps", 10, hub.L(2024, 2, 29, 23), "T-1");
    Fb(tx, "F-3", "Motors", "emotion", 2, hub.L(2024, 2, 2), "T-1");
    Fb(tx, "F-4", "Motors", "emotion", -1, hub.L(2024, 2, 3), "T-1");
    Fb(tx, "F-5", "Motors", "nps", 0, hub.L(2024, 3, 1), "T-1");
    Fb(tx, "F-6", "Motors", "nps", 9, hub.L(2024, 2, 7), "T-2");
    Fb(tx, "F-7", "Motors", "nps", 5, hub.L(2024, 2, 8), "T-2");
    return Status::Ok();
  });
  auto r = ComputeTouchpointRanking(hub.ctx, Period{Date{2024, 2, 1}, Date{2024, 2, 29}}, "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> order, verdicts;
  for (const auto& t : r->touchpoints) {
    order.push_back(t.id);
    verdicts.push_back(t.verdict);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"T-1", "T-2", "T-5", "T-7", "T-4", "T-6", "T-3"}));
  EXPECT_EQ(verdicts, (std::vector<std::string>{"invest", "invest", "invest", "", "cut-or-fix",
                                                "cut-or-fix", ""}));
  const auto& t1 = r->touchpoints[0];
  EXPECT_NEAR(t1.budget, 29000, 1e-6);
  EXPECT_EQ(t1.responses, 4);
  EXPECT_DOUBLE_EQ(*t1.nps, 100);
  EXPECT_DOUBLE_EQ(*t1.mean_emotion, 0.5);
  EXPECT_EQ(t1.leads, 2);
  EXPECT_EQ(t1.won, 1);
  EXPECT_DOUBLE_EQ(t1.won_amount, 290000);
  EXPECT_NEAR(*t1.won_amount_per_naira, 10, 1e-9);
  EXPECT_NEAR(*t1.cost_per_lead, 14500, 1e-6);
  EXPECT_DOUBLE_EQ(*r->touchpoints[1].nps, 0);
  const auto& t4 = r->touchpoints[4];
  EXPECT_EQ(t4.leads, 1);
  EXPECT_EQ(t4.won, 0);
  EXPECT_DOUBLE_EQ(*t4.won_amount_per_naira, 0);
  const auto& t6 = r->touchpoints[5];
  EXPECT_FALSE(t6.nps.has_value());
  EXPECT_FALSE(t6.cost_per_lead.has_value());
  const auto& t3 = r->touchpoints[6];
  EXPECT_DOUBLE_EQ(t3.budget, 0);
  EXPECT_FALSE(t3.won_amount_per_naira.has_value());
  EXPECT_DOUBLE_EQ(*t3.cost_per_lead, 0);
  EXPECT_EQ(t3.won, 1);
}

TEST_F(FeedbackReportTest, NewsletterSignupsAreAKpiOfAllNullWithoutAnyDate) {
  KpiQuery q;
  q.period = q1_2024;
  q.division = "All";
  q.trend = 0;
  auto find = [](const Scorecard& s) -> const KpiValue* {
    for (const auto& v : s.kpis)
      if (v.key == "newsletter_signups") return &v;
    return nullptr;
  };
  auto none = ComputeKpis(hub.ctx, q);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  ASSERT_NE(find(*none), nullptr);
  EXPECT_FALSE(find(*none)->value.has_value());
  EXPECT_FALSE(find(*none)->note.empty());
  hub.Write([&](Tx& tx) -> Status {
    for (const char* id : {"C-2", "C-3", "C-4", "C-5"}) hub.Contact(tx, id, "A-1");
    // In: 29 February and 31 March 2024; out: 31 December 2023 and 1 April 2024 → 2.
    CX_RETURN_IF_ERROR(tx.SetNewsletter("C-2", "2024-02-29"));
    CX_RETURN_IF_ERROR(tx.SetNewsletter("C-3", "2024-03-31"));
    CX_RETURN_IF_ERROR(tx.SetNewsletter("C-4", "2023-12-31"));
    return tx.SetNewsletter("C-5", "2024-04-01");
  });
  auto some = ComputeKpis(hub.ctx, q);
  ASSERT_TRUE(some.ok());
  const KpiValue* v = find(*some);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->division, "All");
  EXPECT_EQ(v->unit, "count");
  EXPECT_DOUBLE_EQ(*v->value, 2);
  EXPECT_EQ(v->numerator_ids, (std::vector<std::string>{"C-2", "C-3"}));
}

}  // namespace
}  // namespace cx
