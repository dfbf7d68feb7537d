// Tests for the strategy file and the shipped go-live data: every key checked, errors naming the
// line, strategic alignment first, and who may change the strategy.
#include "domain/strategy.h"

#include <gtest/gtest.h>

#include "domain/division.h"
#include "domain/golive.h"
#include "domain/rules.h"

namespace cx {
namespace {

std::string AllDetails(const Status& st) {
  std::string out = st.message();
  for (const auto& d : st.details()) out += "\n" + d;
  return out;
}

TEST(StrategyTest, ReadsEveryPartAndPutsStrategicAlignmentFirst) {
  auto s = ParseStrategy(R"(mission = " Serve well "
[key_objectives.new_markets]
year3 = "Kano"
[[objectives]]
title = "Respond faster"
[[objectives]]
title = "strategic ALIGNMENT"
year5 = "board KPI"
[[key_results]]
kpi = "nps"
division = "all"
target = 30
direction = ">="
due = "31/12/2027"
)",
                         "s.toml");
  ASSERT_TRUE(s.ok()) << AllDetails(s.status());
  EXPECT_EQ(s->mission, "Serve well");
  EXPECT_EQ(s->new_markets.year3, "Kano");
  ASSERT_EQ(s->objectives.size(), 2u);
  EXPECT_EQ(s->objectives[0].title, "strategic ALIGNMENT");
  EXPECT_EQ(s->objectives[0].horizons.year5, "board KPI");
  ASSERT_EQ(s->key_results.size(), 1u);
  EXPECT_EQ(s->key_results[0].division, "All");
  EXPECT_EQ(*s->key_results[0].direction, TargetDirection::kAtLeast);
  EXPECT_EQ(s->key_results[0].due, (Date{2027, 12, 31}));

  auto empty = ParseStrategy("", "e.toml");
  ASSERT_TRUE(empty.ok());
  ASSERT_EQ(empty->objectives.size(), 1u);
  EXPECT_EQ(empty->objectives[0].title, kStrategicAlignment);
}

TEST(StrategyTest, NamesTheLineAndKeyOfEveryProblem) {
  auto s = ParseStrategy(R"(mission = "m"
misson = "typo"
[[key_results]]
kpi = "quote_to_purchase"
division = "Medical"
due = "soon"
[[key_results]]
kpi = "npx"
division = "Mars"
due = "2027-01-01"
)",
                         "bad.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalid);
  const std::string all = AllDetails(s.status());
  EXPECT_NE(all.find("bad.toml:2: misson: unknown key"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.toml:5: key_results[1].division: quote_to_purchase is not computed for "
                     "Medical"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("bad.toml:6: key_results[1].due"), std::string::npos) << all;
  EXPECT_NE(all.find("bad.toml:8: key_results[2].kpi: 'npx' is not a KPI"), std::string::npos)
      << all;
  EXPECT_NE(all.find("bad.toml:9: key_results[2].division: 'Mars' is not a division"),
            std::string::npos)
      << all;
}

TEST(StrategyTest, OnlyManagersAndAdminsChangeTheStrategy) {
  for (std::string_view role : Roles()) {
    User u{"x", "", std::string(role), "", "", false, 0};
    EXPECT_EQ(Authorize(u, Operation::kSetStrategy).ok(), role == "manager" || role == "admin")
        << role;
    EXPECT_EQ(Authorize(u, Operation::kGoLive).ok(),
              role == "steward" || role == "manager" || role == "admin")
        << role;
  }
  EXPECT_FALSE(Authorize(std::nullopt, Operation::kSetStrategy).ok());
  EXPECT_TRUE(Authorize(std::nullopt, Operation::kGoLive).ok());
}

TEST(GoLiveTest, TheShippedQuestionnaireAndPlanAreTheSeeds) {
  auto q = ShippedDiscovery();
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->size(), 16u);
  auto p = ShippedPlan();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), 11u);
  EXPECT_EQ(p->front().phase, "Phase 0: Discovery");
  EXPECT_EQ(p->back().phase, "Phase 3: Refine");
  EXPECT_EQ(CemSteps().size(), 7u);
  auto bad = ParsePlan("[[task]]\nnumber = 1\nphase = \"P\"\ntask = \"T\"\n", "plan.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(AllDetails(bad.status()).find("plan.toml:1: task[1].deliverables: is required"),
            std::string::npos)
      << AllDetails(bad.status());
}

}  // namespace
}  // namespace cx
