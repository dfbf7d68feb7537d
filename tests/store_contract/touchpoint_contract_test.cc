// The store contract, touchpoints and feedback: touchpoints kept and listed by division, the
// touchpoint an opportunity came from and the leads it counts, the tallies behind NPS, CSAT and
// the emotion curve, newsletter subscriptions and single-use survey links.
#include <gtest/gtest.h>

#include <map>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

Touchpoint MakeTouchpoint(const std::string& id, const std::string& division, double budget) {
  Touchpoint t;
  t.id = id;
  t.name = "Touchpoint " + id;
  t.division = division;
  t.stage = "Awareness";
  t.channel = "showroom";
  t.owner = "ada";
  t.yearly_budget = budget;
  t.created_at = t.updated_at = 10;
  return t;
}

Opportunity MakeOpportunity(const std::string& id, Timestamp created, const std::string& outcome,
                            std::optional<Timestamp> closed, std::optional<double> amount) {
  Opportunity o;
  o.id = id;
  o.account_id = "A-1";
  o.division = "Motors";
  o.created = created;
  o.outcome = outcome;
  o.closed = closed;
  o.amount = amount;
  return o;
}

Feedback MakeFeedback(const std::string& id, Timestamp date, const std::string& kind, double score,
                      const std::string& division, const std::string& touchpoint,
                      const std::string& stage = "") {
  Feedback f;
  f.id = id;
  f.date = date;
  f.kind = kind;
  f.score = score;
  f.division = division;
  f.touchpoint = touchpoint;
  f.stage = stage;
  f.account_id = "A-1";
  f.contact_id = "C-1";
  f.source = "staff";
  return f;
}

TEST_F(StoreContract, TouchpointsAreKeptAndListedByDivision) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-2", "Motors", 1200.5)).ok());
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-1", "All", 0)).ok());
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-3", "Medical", 10)).ok());
    EXPECT_EQ(tx.InsertTouchpoint(MakeTouchpoint("T-1", "Motors", 5)).code(), Code::kConflict);
  });
  InTx([&](Tx& tx) {
    auto t2 = tx.GetTouchpoint("T-2");
    ASSERT_TRUE(t2.ok() && t2->has_value()) << t2.status().ToString();
    EXPECT_EQ((*t2)->name, "Touchpoint T-2");
    EXPECT_EQ((*t2)->division, "Motors");
    EXPECT_EQ((*t2)->stage, "Awareness");
    EXPECT_EQ((*t2)->channel, "showroom");
    EXPECT_EQ((*t2)->owner, "ada");
    EXPECT_DOUBLE_EQ((*t2)->yearly_budget, 1200.5);
    EXPECT_EQ((*t2)->created_at, 10);
    EXPECT_FALSE(tx.GetTouchpoint("T-9")->has_value());
    Touchpoint changed = **t2;
    changed.name = "Lagos showroom";
    changed.yearly_budget = 99;
    changed.updated_at = 20;
    ASSERT_TRUE(tx.UpdateTouchpoint(changed).ok());
    EXPECT_EQ(tx.UpdateTouchpoint(MakeTouchpoint("T-9", "Motors", 1)).code(), Code::kNotFound);
    auto all = tx.ListTouchpoints("");
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].id, "T-1");
    EXPECT_EQ((*all)[1].id, "T-2");
    EXPECT_EQ((*all)[1].name, "Lagos showroom");
    EXPECT_DOUBLE_EQ((*all)[1].yearly_budget, 99);
    EXPECT_EQ((*all)[1].updated_at, 20);
    EXPECT_EQ((*all)[1].created_at, 10);
    auto motors = tx.ListTouchpoints("Motors");
    ASSERT_EQ(motors->size(), 1u);
    EXPECT_EQ((*motors)[0].id, "T-2");
    auto company = tx.ListTouchpoints("All");
    ASSERT_EQ(company->size(), 1u);
    EXPECT_EQ((*company)[0].id, "T-1");
  });
}

TEST_F(StoreContract, OpportunitySourcesCountLeadsAndWins) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-1", "Motors", 100)).ok());
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-2", "Motors", 100)).ok());
    ASSERT_TRUE(tx.InsertOpportunity(MakeOpportunity("O-1", 100, "won", 150, 1000.5)).ok());
    ASSERT_TRUE(tx.InsertOpportunity(MakeOpportunity("O-2", 110, "won", 500, 300)).ok());
    ASSERT_TRUE(tx.InsertOpportunity(MakeOpportunity("O-3", 120, "open", std::nullopt, 50)).ok());
    ASSERT_TRUE(tx.InsertOpportunity(MakeOpportunity("O-4", 130, "won", std::nullopt, 7)).ok());
    ASSERT_TRUE(
        tx.InsertOpportunity(MakeOpportunity("O-5", 10, "won", 20, std::nullopt)).ok());  // early
    ASSERT_TRUE(tx.InsertOpportunity(MakeOpportunity("O-6", 140, "won", 150, std::nullopt)).ok());
    for (const char* o : {"O-1", "O-2", "O-3", "O-5"})
      ASSERT_TRUE(tx.SetOpportunitySource(o, "T-1").ok());
    ASSERT_TRUE(tx.SetOpportunitySource("O-4", "T-1").ok());
    ASSERT_TRUE(tx.SetOpportunitySource("O-4", "T-2").ok());  // replaced
    ASSERT_TRUE(tx.SetOpportunitySource("O-6", "T-2").ok());
    EXPECT_EQ(tx.SetOpportunitySource("O-9", "T-1").code(), Code::kConflict);
    EXPECT_EQ(tx.SetOpportunitySource("O-3", "T-9").code(), Code::kConflict);
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.OpportunitySource("O-4"), "T-2");
    EXPECT_EQ(*tx.OpportunitySource("O-9"), "");
    auto counts = tx.TouchpointLeadCounts(100, 200, 400);
    ASSERT_TRUE(counts.ok()) << counts.status().ToString();
    std::map<std::string, TouchpointLeads> by;
    for (const auto& c : *counts) by[c.touchpoint_id] = c;
    ASSERT_EQ(by.size(), 2u);
    // T-1: O-1, O-2, O-3 created in the period; O-1 won before 400 (O-2 closed after).
    EXPECT_EQ(by["T-1"].leads, 3);
    EXPECT_EQ(by["T-1"].won, 1);
    EXPECT_DOUBLE_EQ(by["T-1"].won_amount, 1000.5);
    // T-2: O-4 won without a Closed date, O-6 won with no amount.
    EXPECT_EQ(by["T-2"].leads, 2);
    EXPECT_EQ(by["T-2"].won, 2);
    EXPECT_DOUBLE_EQ(by["T-2"].won_amount, 7);
    EXPECT_TRUE(tx.TouchpointLeadCounts(1000, 2000, 3000)->empty());
    ASSERT_TRUE(tx.SetOpportunitySource("O-3", "").ok());  // forgotten
    ASSERT_TRUE(tx.SetOpportunitySource("O-3", "").ok());  // and again: nothing to forget
    auto pairs = tx.OpportunitySources();
    ASSERT_TRUE(pairs.ok());
    EXPECT_EQ(*pairs,
              (std::vector<std::pair<std::string, std::string>>{
                  {"O-1", "T-1"}, {"O-2", "T-1"}, {"O-4", "T-2"}, {"O-5", "T-1"}, {"O-6", "T-2"}}));
  });
}

TEST_F(StoreContract, FeedbackIsTalliedByGroup) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    const std::vector<Feedback> rows = {
        MakeFeedback("F-1", 100, "nps", 10, "Motors", "T-1", "Buy"),
        MakeFeedback("F-2", 101, "nps", 9, "Motors", "T-1", "Buy"),
        MakeFeedback("F-3", 102, "nps", 3, "Motors", "T-2", "Use"),
        MakeFeedback("F-4", 103, "nps", 7, "Medical", "", "Buy"),
        MakeFeedback("F-5", 104, "csat", 5, "Motors", "T-1"),
        MakeFeedback("F-6", 105, "csat", 2, "Motors", "T-1"),
        MakeFeedback("F-7", 106, "emotion", -2, "Motors", "T-2", "Use"),
        MakeFeedback("F-8", 107, "emotion", 1.5, "Motors", "T-2", "Use"),
        MakeFeedback("F-9", 300, "nps", 10, "Motors", "T-1", "Buy"),  // after the period
    };
    for (const auto& f : rows) ASSERT_TRUE(tx.InsertFeedback(f).ok()) << f.id;
  });
  InTx([&](Tx& tx) {
    auto by_division = tx.FeedbackTallies("nps", "", 100, 200, FeedbackGroup::kDivision);
    ASSERT_TRUE(by_division.ok()) << by_division.status().ToString();
    ASSERT_EQ(by_division->size(), 2u);
    EXPECT_EQ((*by_division)[0].key, "Medical");  // by key
    EXPECT_EQ((*by_division)[0].tally.n, 1);
    EXPECT_EQ((*by_division)[0].tally.detractors, 0);
    const ScoreTally& motors = (*by_division)[1].tally;
    EXPECT_EQ((*by_division)[1].key, "Motors");
    EXPECT_EQ(motors.n, 3);
    EXPECT_DOUBLE_EQ(motors.sum, 22);
    EXPECT_EQ(motors.promoters, 2);
    EXPECT_EQ(motors.detractors, 1);
    auto csat = tx.FeedbackTallies("csat", "Motors", 100, 200, FeedbackGroup::kTouchpoint);
    ASSERT_EQ(csat->size(), 1u);
    EXPECT_EQ((*csat)[0].key, "T-1");
    EXPECT_EQ((*csat)[0].tally.n, 2);
    EXPECT_EQ((*csat)[0].tally.satisfied, 1);
    auto stages = tx.FeedbackTallies("nps", "", 100, 200, FeedbackGroup::kStage);
    ASSERT_EQ(stages->size(), 3u);  // by division, then stage
    EXPECT_EQ((*stages)[0].division, "Medical");
    EXPECT_EQ((*stages)[0].key, "Buy");
    EXPECT_EQ((*stages)[1].division, "Motors");
    EXPECT_EQ((*stages)[1].key, "Buy");
    EXPECT_EQ((*stages)[1].tally.n, 2);
    EXPECT_EQ((*stages)[2].key, "Use");
    auto emotion = tx.FeedbackTallies("emotion", "Motors", 100, 200, FeedbackGroup::kStage);
    ASSERT_EQ(emotion->size(), 1u);
    EXPECT_DOUBLE_EQ((*emotion)[0].tally.sum, -0.5);
    EXPECT_TRUE(tx.FeedbackTallies("review", "", 100, 200, FeedbackGroup::kDivision)->empty());

    auto per_touchpoint = tx.TouchpointFeedbackTallies(100, 200);
    ASSERT_TRUE(per_touchpoint.ok()) << per_touchpoint.status().ToString();
    std::map<std::string, TouchpointFeedback> tp;
    for (const auto& t : *per_touchpoint) tp[t.touchpoint_id] = t;
    ASSERT_EQ(tp.size(), 2u);  // feedback naming no touchpoint is left out
    EXPECT_EQ(tp["T-1"].responses, 4);
    EXPECT_EQ(tp["T-1"].nps.n, 2);
    EXPECT_DOUBLE_EQ(tp["T-1"].nps.sum, 19);
    EXPECT_EQ(tp["T-1"].nps.promoters, 2);
    EXPECT_EQ(tp["T-1"].emotion.n, 0);
    EXPECT_EQ(tp["T-2"].responses, 3);
    EXPECT_EQ(tp["T-2"].nps.detractors, 1);
    EXPECT_EQ(tp["T-2"].emotion.n, 2);
    EXPECT_DOUBLE_EQ(tp["T-2"].emotion.sum, -0.5);

    EXPECT_EQ(*tx.FeedbackIds("", "", "", 100, 200, 100),
              (std::vector<std::string>{"F-1", "F-2", "F-3", "F-4", "F-5", "F-6", "F-7", "F-8"}));
    EXPECT_EQ(*tx.FeedbackIds("nps", "Motors", "", 0, 1000, 100),
              (std::vector<std::string>{"F-1", "F-2", "F-3", "F-9"}));
    EXPECT_EQ(*tx.FeedbackIds("", "", "T-2", 100, 200, 2),
              (std::vector<std::string>{"F-3", "F-7"}));
  });
}

TEST_F(StoreContract, NewsletterSubscriptionsAreCountedByDate) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    for (const char* id : {"C-1", "C-2", "C-3"})
      ASSERT_TRUE(tx.InsertContact(MakeContact(id, "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.SetNewsletter("C-2", "2026-03-01").ok());
    ASSERT_TRUE(tx.SetNewsletter("C-1", "2026-03-31").ok());
    ASSERT_TRUE(tx.SetNewsletter("C-3", "2026-02-01").ok());
    ASSERT_TRUE(tx.SetNewsletter("C-3", "2026-03-01").ok());  // replaced
    EXPECT_EQ(tx.SetNewsletter("C-9", "2026-03-01").code(), Code::kConflict);
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.Newsletter("C-3"), "2026-03-01");
    EXPECT_EQ(*tx.Newsletter("C-9"), "");
    EXPECT_EQ(*tx.CountNewsletterSignups("2026-03-01", "2026-03-31"), 3);
    EXPECT_EQ(*tx.CountNewsletterSignups("2026-03-02", "2026-03-31"), 1);
    EXPECT_EQ(*tx.NewsletterContacts("2026-03-01", "2026-03-31", 10),
              (std::vector<std::string>{"C-2", "C-3", "C-1"}));
    EXPECT_EQ(*tx.NewsletterContacts("2026-03-01", "2026-03-31", 1),
              std::vector<std::string>{"C-2"});
    ASSERT_TRUE(tx.SetNewsletter("C-2", "").ok());
    EXPECT_EQ(*tx.Newsletter("C-2"), "");
    EXPECT_EQ(*tx.NewsletterDates(), (std::vector<std::pair<std::string, std::string>>{
                                         {"C-1", "2026-03-31"}, {"C-3", "2026-03-01"}}));
  });
}

TEST_F(StoreContract, ASurveyLinkIsUsedOnce) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertTouchpoint(MakeTouchpoint("T-1", "Motors", 0)).ok());
    SurveyToken t;
    t.nonce_hash = "9f86d081";
    t.touchpoint_id = "T-1";
    t.contact_id = "C-7";
    t.kind = "nps";
    t.created_by = "ada";
    t.created_at = 100;
    t.expires_at = 200;
    ASSERT_TRUE(tx.InsertSurveyToken(t).ok());
    EXPECT_EQ(tx.InsertSurveyToken(t).code(), Code::kConflict);
  });
  InTx([&](Tx& tx) {
    auto t = tx.GetSurveyToken("9f86d081");
    ASSERT_TRUE(t.ok() && t->has_value()) << t.status().ToString();
    EXPECT_EQ((*t)->touchpoint_id, "T-1");
    EXPECT_EQ((*t)->contact_id, "C-7");
    EXPECT_EQ((*t)->kind, "nps");
    EXPECT_EQ((*t)->created_by, "ada");
    EXPECT_EQ((*t)->created_at, 100);
    EXPECT_EQ((*t)->expires_at, 200);
    EXPECT_FALSE((*t)->used_at.has_value());
    EXPECT_FALSE(tx.GetSurveyToken("other")->has_value());
    EXPECT_TRUE(*tx.UseSurveyToken("9f86d081", 150, "F-1"));
    EXPECT_FALSE(*tx.UseSurveyToken("9f86d081", 160, "F-2"));
    EXPECT_FALSE(*tx.UseSurveyToken("other", 160, "F-2"));
  });
  InTx([&](Tx& tx) {
    auto t = tx.GetSurveyToken("9f86d081");
    EXPECT_EQ((*t)->used_at, std::optional<Timestamp>(150));
    EXPECT_EQ((*t)->feedback_id, "F-1");
  });
}

}  // namespace
}  // namespace cx
