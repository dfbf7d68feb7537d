// The store contract, the customer-strategy programme: numbered strategy versions, the seven
// steps per year, discovery answers, go-live plan progress, feedback on the hub and the feedback
// counts the seven steps' evidence reads.
#include <gtest/gtest.h>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::StoreContract;

TEST_F(StoreContract, StrategyVersionsAreNumberedAndKept) {
  InTx([&](Tx& tx) {
    EXPECT_FALSE(tx.GetStrategyVersion(0)->has_value());
    EXPECT_TRUE(tx.ListStrategyVersions()->empty());
    auto v1 = tx.AppendStrategyVersion(100, "ada", R"({"mission":"one"})");
    ASSERT_TRUE(v1.ok()) << v1.status().ToString();
    EXPECT_EQ(*v1, 1);
    EXPECT_EQ(*tx.AppendStrategyVersion(200, "bayo", R"({"mission":"two"})"), 2);
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.AppendStrategyVersion(300, "ada", R"({"mission":"three ✓"})"), 3);
    auto latest = tx.GetStrategyVersion(0);
    ASSERT_TRUE(latest.ok() && latest->has_value()) << latest.status().ToString();
    EXPECT_EQ((*latest)->version, 3);
    EXPECT_EQ((*latest)->body, R"({"mission":"three ✓"})");
    auto second = tx.GetStrategyVersion(2);
    ASSERT_TRUE(second->has_value());
    EXPECT_EQ((*second)->saved_at, 200);
    EXPECT_EQ((*second)->saved_by, "bayo");
    EXPECT_EQ((*second)->body, R"({"mission":"two"})");
    EXPECT_FALSE(tx.GetStrategyVersion(4)->has_value());
    auto all = tx.ListStrategyVersions();
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].version, 3);  // newest first, without bodies
    EXPECT_EQ((*all)[2].version, 1);
    EXPECT_EQ((*all)[2].saved_by, "ada");
    EXPECT_EQ((*all)[0].body, "");
  });
}

TEST_F(StoreContract, CemStepsDiscoveryAndPlanProgressAreReplacedInPlace) {
  InTx([&](Tx& tx) {
    CemStepState s;
    s.year = 2026;
    s.step = 3;
    s.status = "in-progress";
    s.owner = "ada";
    s.note = "first pass";
    s.started = Date{2026, 2, 1};
    s.updated_at = 100;
    s.updated_by = "ada";
    ASSERT_TRUE(tx.SaveCemStep(s).ok());
    s.step = 1;
    s.started.reset();
    s.status = "not-started";
    ASSERT_TRUE(tx.SaveCemStep(s).ok());
    s.year = 2025;
    ASSERT_TRUE(tx.SaveCemStep(s).ok());
    s.year = 2026;
    s.step = 3;
    s.status = "done";
    s.note = "finished";
    s.started = Date{2026, 2, 1};
    s.updated_at = 200;
    s.updated_by = "bayo";
    ASSERT_TRUE(tx.SaveCemStep(s).ok());

    DiscoveryQuestion shipped;
    shipped.id = "D-02";
    shipped.section = "ignored for a shipped question";
    shipped.owner = "ada";
    shipped.answer = "yes";
    shipped.answered_at = 50;
    shipped.answered_by = "ada";
    ASSERT_TRUE(tx.SaveDiscoveryAnswer(shipped, false).ok());
    DiscoveryQuestion added;
    added.id = "D-90";
    added.section = "Extra";
    added.question = "Who reads the pack?";
    ASSERT_TRUE(tx.SaveDiscoveryAnswer(added, true).ok());
    shipped.answer = "yes, weekly";
    ASSERT_TRUE(tx.SaveDiscoveryAnswer(shipped, false).ok());

    PlanTask t;
    t.number = 4;
    t.status = "in-progress";
    t.note = "booked";
    t.updated_at = 70;
    t.updated_by = "ada";
    ASSERT_TRUE(tx.SavePlanProgress(t).ok());
    t.number = 2;
    t.status = "done";
    ASSERT_TRUE(tx.SavePlanProgress(t).ok());
    t.status = "not-started";
    t.note = "reopened";
    ASSERT_TRUE(tx.SavePlanProgress(t).ok());
  });
  InTx([&](Tx& tx) {
    auto steps = tx.ListCemSteps(2026);
    ASSERT_TRUE(steps.ok()) << steps.status().ToString();
    ASSERT_EQ(steps->size(), 2u);
    EXPECT_EQ((*steps)[0].step, 1);
    EXPECT_FALSE((*steps)[0].started.has_value());
    EXPECT_EQ((*steps)[1].step, 3);
    EXPECT_EQ((*steps)[1].status, "done");
    EXPECT_EQ((*steps)[1].note, "finished");
    EXPECT_EQ((*steps)[1].owner, "ada");
    EXPECT_EQ((*steps)[1].started, std::optional<Date>(Date{2026, 2, 1}));
    EXPECT_EQ((*steps)[1].updated_at, 200);
    EXPECT_EQ((*steps)[1].updated_by, "bayo");
    EXPECT_EQ(tx.ListCemSteps(2025)->size(), 1u);
    EXPECT_TRUE(tx.ListCemSteps(2024)->empty());

    auto answers = tx.ListDiscoveryAnswers();
    ASSERT_TRUE(answers.ok()) << answers.status().ToString();
    ASSERT_EQ(answers->size(), 2u);
    EXPECT_EQ((*answers)[0].id, "D-02");
    EXPECT_EQ((*answers)[0].section, "");  // a shipped question's text is not kept
    EXPECT_EQ((*answers)[0].answer, "yes, weekly");
    EXPECT_EQ((*answers)[0].answered_at, std::optional<Timestamp>(50));
    EXPECT_EQ((*answers)[1].id, "D-90");
    EXPECT_EQ((*answers)[1].section, "Extra");
    EXPECT_EQ((*answers)[1].question, "Who reads the pack?");
    EXPECT_FALSE((*answers)[1].answered_at.has_value());

    auto plan = tx.ListPlanProgress();
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    ASSERT_EQ(plan->size(), 2u);
    EXPECT_EQ((*plan)[0].number, 2);
    EXPECT_EQ((*plan)[0].status, "not-started");
    EXPECT_EQ((*plan)[0].note, "reopened");
    EXPECT_EQ((*plan)[1].number, 4);
    EXPECT_EQ((*plan)[1].updated_at, std::optional<Timestamp>(70));
    EXPECT_EQ((*plan)[1].updated_by, "ada");
  });
}

TEST_F(StoreContract, HubFeedbackIsListedAndOtherFeedbackCounted) {
  InTx([&](Tx& tx) {
    for (int i = 1; i <= 3; ++i) {
      HubFeedback h;
      h.feedback.id = "F-" + std::to_string(i);
      h.feedback.date = 100 + i;
      h.feedback.division = "Motors";
      h.feedback.score = i;
      h.feedback.comment = "note " + std::to_string(i);
      h.given_by = "ada";
      ASSERT_TRUE(tx.InsertHubFeedback(h).ok());
    }
    HubFeedback again;
    again.feedback.id = "F-1";
    EXPECT_EQ(tx.InsertHubFeedback(again).code(), Code::kConflict);
    auto customer = [](const std::string& id, const std::string& kind, const std::string& stage,
                       const std::string& division) {
      Feedback f;
      f.id = id;
      f.date = 150;
      f.kind = kind;
      f.score = 5;
      f.stage = stage;
      f.division = division;
      return f;
    };
    ASSERT_TRUE(tx.InsertFeedback(customer("F-10", "nps", "Buy", "Motors")).ok());
    ASSERT_TRUE(tx.InsertFeedback(customer("F-11", "nps", "Use", "Motors")).ok());
    ASSERT_TRUE(tx.InsertFeedback(customer("F-12", "nps", "Buy", "Motors")).ok());
    ASSERT_TRUE(tx.InsertFeedback(customer("F-13", "csat", "", "Medical")).ok());
  });
  InTx([&](Tx& tx) {
    auto hub = tx.ListHubFeedback(100, 200, 10);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    ASSERT_EQ(hub->size(), 3u);
    EXPECT_EQ((*hub)[0].feedback.id, "F-3");  // newest first
    EXPECT_EQ((*hub)[0].feedback.kind, "hub");
    EXPECT_DOUBLE_EQ((*hub)[0].feedback.score, 3);
    EXPECT_EQ((*hub)[0].feedback.comment, "note 3");
    EXPECT_EQ((*hub)[0].feedback.division, "Motors");
    EXPECT_EQ((*hub)[0].given_by, "ada");
    EXPECT_EQ(tx.ListHubFeedback(100, 200, 2)->size(), 2u);
    EXPECT_EQ(tx.ListHubFeedback(102, 103, 10)->size(), 1u);
    // Hub feedback is read back as feedback too, from the staff.
    auto one = tx.GetFeedback("F-2");
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*one)->kind, "hub");
    EXPECT_EQ((*one)->source, "staff");

    auto by_kind = tx.CountFeedback(0, 1000, false);
    ASSERT_TRUE(by_kind.ok()) << by_kind.status().ToString();
    ASSERT_EQ(by_kind->size(), 2u);  // hub feedback left out
    EXPECT_EQ((*by_kind)[0].kind, "csat");
    EXPECT_EQ((*by_kind)[0].count, 1);
    EXPECT_EQ((*by_kind)[1].kind, "nps");
    EXPECT_EQ((*by_kind)[1].count, 3);
    EXPECT_EQ((*by_kind)[1].division, "");
    auto detailed = tx.CountFeedback(0, 1000, true);
    ASSERT_EQ(detailed->size(), 3u);
    EXPECT_EQ((*detailed)[1].kind, "nps");
    EXPECT_EQ((*detailed)[1].division, "Motors");
    EXPECT_EQ((*detailed)[1].stage, "Buy");
    EXPECT_EQ((*detailed)[1].count, 2);
    EXPECT_EQ((*detailed)[2].stage, "Use");
    EXPECT_TRUE(tx.CountFeedback(151, 1000, false)->empty());
  });
}

}  // namespace
}  // namespace cx
