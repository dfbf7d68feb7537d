// Tests of the journeys configuration: the shipped defaults and clear errors for bad edits.
#include "domain/journey.h"

#include <gtest/gtest.h>

#include "base/embedded.h"

namespace cx {
namespace {

TEST(JourneyConfigTest, ShippedDefaultsHoldTheSeedJourneys) {
  auto text = FindEmbedded("config/journeys.toml");
  ASSERT_TRUE(text.has_value());
  auto cfg = ParseJourneys(*text, "config/journeys.toml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  for (const char* d : {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65"}) {
    EXPECT_NE(cfg->Find(d), nullptr) << d;
  }
  const Journey* motors = cfg->Find("motors");
  EXPECT_EQ(motors->stages.front(), "Inquiry");
  EXPECT_EQ(motors->StageIndex("test drive"), 2);
  EXPECT_TRUE(motors->service_job_needs_approved_quote);
  ASSERT_EQ(motors->slas.size(), 1u);
  EXPECT_EQ(motors->slas[0].kind, "inquiry");
  EXPECT_EQ(motors->slas[0].allowance, 12 * 3600);
  EXPECT_FALSE(motors->slas[0].business_hours);
  const Journey* pi = cfg->Find("Power and Industrial");
  ASSERT_EQ(pi->slas.size(), 1u);
  EXPECT_TRUE(pi->slas[0].business_hours);
  EXPECT_EQ(pi->slas[0].allowance, 4 * 3600);
  EXPECT_EQ(cfg->Find("Medical")->slas[0].kind, "quality-flag");
  EXPECT_EQ(cfg->Find("Medical")->stages,
            (std::vector<std::string>{"Target", "Contacted", "Onboarding", "Signed"}));
  EXPECT_EQ(cfg->routing.division, "Power & Industrial");
  std::vector<std::string> names;
  for (const auto& j : cfg->journeys) {
    for (const auto& c : j.checklists) names.push_back(c.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"test-drive", "delivery", "discovery", "handover",
                                             "onboarding-kit"}));
}

TEST(JourneyConfigTest, BadEditsAreListedWithFileJourneyAndKey) {
  const char* bad = R"(
[[journey]]
division = "Motorz"
stages = ["A", "B", "a"]
won_stage = "Won"
colour = "red"
  [[journey.checklist]]
  name = "x"
  required_for = "Nowhere"
  items = []
  [[journey.sla]]
  kind = "response"
  hours = -1
  [[journey.next_action]]
  on_stage = "Z"
  action = "Call"
  due_days = 2
[routing]
division = "Power & Industrial"
  [[routing.rule]]
  name = "r"
  team = "ghosts"
)";
  auto r = ParseJourneys(bad, "admin/journeys.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  std::string all = r.status().ToString();
  for (const char* want : {"admin/journeys.toml: journey #1: division 'Motorz' is not one of",
                           "stage 'a' is listed twice", "won_stage 'Won' is not one of the stages",
                           "unknown key 'colour'", "checklist x: required_for 'Nowhere'",
                           "items must list at least one item", "kind 'response' is not a clock",
                           "hours must be a positive number", "on_stage 'Z' is not a stage",
                           "routing, rule 'r': team 'ghosts' is not defined"}) {
    EXPECT_NE(all.find(want), std::string::npos) << "missing: " << want << "\n" << all;
  }
  auto syntax = ParseJourneys("[[journey]\n", "j.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("j.toml:1:"), std::string::npos)
      << syntax.status().message();
}

TEST(JourneyConfigTest, ChecklistKeysIgnoreCaseAndPunctuation) {
  EXPECT_EQ(ChecklistKey("Driving licence checked"), "driving-licence-checked");
  EXPECT_EQ(ChecklistKey("  Power needs (kVA) and duty cycle "), "power-needs-kva-and-duty-cycle");
  EXPECT_EQ(ChecklistKey("driving-LICENCE checked"), "driving-licence-checked");
}

}  // namespace
}  // namespace cx
