// Tests of opportunities: checklist refusals, manager overrides, the rule of engagement, routing.
#include "service/opportunity_service.h"

#include <gtest/gtest.h>

#include "journey_test_util.h"

namespace cx {
namespace {

using journey_testing::Hub;

Opportunity NewOpp(const std::string& account, const std::string& division,
                   const std::string& owner = "") {
  Opportunity o;
  o.account_id = account;
  o.division = division;
  o.owner = owner;
  return o;
}

std::vector<StageEntry> History(Hub& h, const std::string& id) {
  std::vector<StageEntry> out;
  EXPECT_TRUE(h.store()
                  .Transaction([&](Tx& tx) -> Status {
                    CX_ASSIGN_OR_RETURN(out, tx.StageHistory(id));
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

class OpportunityTest : public testing::Test {
 protected:
  void SetUp() override {
    h.At("2026-11-16 09:00");
    h.AddUser("tunde", "sales", "Motors");
    h.AddUser("ngozi", "manager");
    account = h.AddAccount("Adebayo Household", "Motors");
    auto r = AddOpportunity(h.ctx, NewOpp(account, "Motors", "tunde"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    id = r->opportunity.id;
  }
  Hub h;
  std::string account, id;
};

TEST_F(OpportunityTest, MoveSkippingARequiredChecklistItemIsRefusedNamingItAndWritesNothing) {
  ASSERT_TRUE(
      CheckItems(h.ctx, id, {"Driving licence checked", "vehicle-walk-around-done"}, "").ok());
  int64_t audit = h.AuditCount();
  auto r = MoveOpportunity(h.As("tunde"), id, "quote", std::nullopt, Override{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_NE(r.status().message().find("Value proposition explained"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("Customer feedback recorded"), std::string::npos);
  EXPECT_EQ(r.status().message().find("Driving licence checked"),
            std::string::npos);  // that one is done
  EXPECT_EQ(h.AuditCount(), audit);
  EXPECT_EQ(History(h, id).size(), 1u);
  auto v = ShowOpportunity(h.ctx, id);
  EXPECT_EQ(v->opportunity.stage, "Inquiry");
  // Moving to a stage before the checklist's stage is fine.
  EXPECT_TRUE(MoveOpportunity(h.As("tunde"), id, "Test Drive", std::nullopt, Override{}).ok());
}

TEST_F(OpportunityTest, OverrideNeedsARealManagerAndAReason) {
  int64_t audit = h.AuditCount();
  auto by_sales = MoveOpportunity(h.As("tunde"), id, "Quote", std::nullopt,
                                  Override{true, "customer in a hurry"});
  EXPECT_EQ(by_sales.status().code(), Code::kForbidden);
  auto by_cli =
      MoveOpportunity(h.ctx, id, "Quote", std::nullopt, Override{true, "customer in a hurry"});
  EXPECT_EQ(by_cli.status().code(), Code::kForbidden) << "the bare command line is not a manager";
  auto no_reason = MoveOpportunity(h.As("ngozi"), id, "Quote", std::nullopt, Override{true, " "});
  EXPECT_EQ(no_reason.status().code(), Code::kInvalid);
  EXPECT_EQ(h.AuditCount(), audit);
  EXPECT_EQ(History(h, id).size(), 1u);

  auto ok = MoveOpportunity(h.As("ngozi"), id, "Quote", std::nullopt,
                            Override{true, "repeat customer, drove it last year"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->opportunity.stage, "Quote");
  EXPECT_EQ(ok->overridden.size(), 4u);
  bool audited = false;
  ASSERT_TRUE(h.store()
                  .Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = id;
                    f.action = "override";
                    CX_ASSIGN_OR_RETURN(auto e, tx.ListAudit(f));
                    audited = e.size() == 1 && e[0].actor == "ngozi" &&
                              e[0].reason == "repeat customer, drove it last year" &&
                              e[0].after.find("Driving licence checked") != std::string::npos;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(audited);
}

TEST_F(OpportunityTest, WinningMakesTheCloserTheAccountOwnerWithAnAuditedReason) {
  ASSERT_TRUE(CheckItems(h.ctx, id,
                         {"Driving licence checked", "Vehicle walk-around done",
                          "Value proposition explained (6-year warranty, service, awards)",
                          "Customer feedback recorded"},
                         "yes")
                  .ok());
  h.At("2026-11-18 10:00");
  auto w = WinOpportunity(h.As("tunde"), id, "", std::nullopt, Override{});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->opportunity.outcome, "won");
  EXPECT_EQ(w->opportunity.stage, "Won");
  auto hist = OwnershipHistory(h.ctx, account);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].before, "");
  EXPECT_EQ((*hist)[0].after, "tunde");
  EXPECT_EQ((*hist)[0].field, "owner");
  EXPECT_EQ((*hist)[0].reason, "won opportunity " + id);
  // A second won deal by someone else moves the account; the previous owner is kept in the log.
  h.AddUser("femi", "sales", "Motors");
  auto second = AddOpportunity(h.ctx, NewOpp(account, "Motors", "femi"));
  ASSERT_TRUE(second.ok());
  auto w2 =
      WinOpportunity(h.ctx, second->opportunity.id, "", std::nullopt, Override{true, "fleet deal"});
  EXPECT_EQ(w2.status().code(), Code::kForbidden);  // skipping its checklist needs a manager
  w2 = WinOpportunity(h.As("ngozi"), second->opportunity.id, "femi", std::nullopt,
                      Override{true, "fleet deal"});
  ASSERT_TRUE(w2.ok()) << w2.status().ToString();
  hist = OwnershipHistory(h.ctx, account);
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[1].before, "tunde");
  EXPECT_EQ((*hist)[1].after, "femi");
  EXPECT_EQ((*hist)[1].reason, "won opportunity " + second->opportunity.id);
}

TEST_F(OpportunityTest, OwnershipChangeByANonManagerIsRefusedAndWritesNothing) {
  int64_t audit = h.AuditCount();
  auto by_sales = ChangeAccountOwner(h.As("tunde"), account, "tunde", "I called them first");
  EXPECT_EQ(by_sales.status().code(), Code::kForbidden);
  auto by_cli = ChangeAccountOwner(h.ctx, account, "tunde", "admin says so");
  EXPECT_EQ(by_cli.status().code(), Code::kForbidden);
  auto no_reason = ChangeAccountOwner(h.As("ngozi"), account, "tunde", "");
  EXPECT_EQ(no_reason.status().code(), Code::kInvalid);
  EXPECT_EQ(h.AuditCount(), audit);
  EXPECT_TRUE(OwnershipHistory(h.ctx, account)->empty());
  auto ok = ChangeAccountOwner(h.As("ngozi"), account, "tunde", "territory realignment");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto hist = OwnershipHistory(h.ctx, account);
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].actor, "ngozi");
  EXPECT_EQ((*hist)[0].reason, "territory realignment");
}

TEST_F(OpportunityTest, LosingNeedsAReasonAndClosedOnesDoNotMove) {
  EXPECT_EQ(LoseOpportunity(h.ctx, id, "", std::nullopt).status().code(), Code::kInvalid);
  auto l = LoseOpportunity(h.ctx, id, "bought elsewhere", std::nullopt);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->stage, "Lost");
  EXPECT_EQ(l->lost_reason, "bought elsewhere");
  EXPECT_EQ(MoveOpportunity(h.ctx, id, "Qualified", std::nullopt, Override{}).status().code(),
            Code::kConflict);
  EXPECT_EQ(WinOpportunity(h.ctx, id, "tunde", std::nullopt, Override{}).status().code(),
            Code::kConflict);
}

TEST_F(OpportunityTest, UnknownStagesAndItemsAreNamed) {
  auto r = MoveOpportunity(h.ctx, id, "Negotiation", std::nullopt, Override{});
  ASSERT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_NE(r.status().message().find("'Negotiation' is not a stage of Motors"), std::string::npos);
  Status c = CheckItems(h.ctx, id, {"Driving licence checked", "Coffee served"}, "");
  ASSERT_EQ(c.code(), Code::kInvalid);
  EXPECT_NE(c.ToString().find("'Coffee served' is not an item"), std::string::npos) << c.ToString();
  auto view = ShowOpportunity(h.ctx, id);
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->checklist.empty());
  for (const auto& s : view->checklist) EXPECT_FALSE(s.done) << s.item.label;
  auto bad = AddOpportunity(h.ctx, NewOpp("A-999999", "Motors"));
  EXPECT_EQ(bad.status().code(), Code::kInvalid);
}

TEST(RoutingTest, RoundRobinSkipsPeopleWhoAreAwayAndSpecialistRulesWin) {
  Hub h;
  h.At("2026-11-16 09:00");
  auto cfg = LoadConfig("");
  ASSERT_TRUE(cfg.ok());
  auto j = ParseJourneys(R"(
[[journey]]
division = "Power & Industrial"
stages = ["Lead", "Won"]
[routing]
division = "Power & Industrial"
  [[routing.team]]
  name = "gen"
  members = ["ade", "bola", "chi"]
  [[routing.rule]]
  name = "oil and gas"
  industry = "oil & gas"
  assign = "dayo"
  [[routing.rule]]
  name = "everyone else"
  team = "gen"
)",
                         "test.toml");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  cfg->journeys = *j;
  UseConfig(*cfg);
  for (const char* u : {"ade", "bola", "chi", "dayo"}) h.AddUser(u, "sales", "Power & Industrial");
  User away;
  away.login = "bola";
  away.name = "bola";
  away.role = "sales";
  away.away = true;
  ASSERT_TRUE(AddUser(h.ctx, away, "").ok());
  std::string plant = h.AddAccount("Lafarge Plant", "Power & Industrial", "Cement", "Ewekoro");
  std::string rig = h.AddAccount("Shell Rig", "Power & Industrial", "Oil & Gas", "Bonny");
  std::vector<std::string> owners;
  for (int i = 0; i < 4; ++i) {
    auto r = AddOpportunity(h.ctx, NewOpp(plant, "Power & Industrial"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    owners.push_back(r->opportunity.owner);
    EXPECT_EQ(r->routing->rule, "everyone else");
  }
  EXPECT_EQ(owners, (std::vector<std::string>{"ade", "chi", "ade", "chi"}));
  auto sp = AddOpportunity(h.ctx, NewOpp(rig, "Power & Industrial"));
  ASSERT_TRUE(sp.ok());
  EXPECT_EQ(sp->opportunity.owner, "dayo");
  // The decision is audited with its rule.
  std::string reason;
  ASSERT_TRUE(h.store()
                  .Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = sp->opportunity.id;
                    f.action = "route";
                    CX_ASSIGN_OR_RETURN(auto e, tx.ListAudit(f));
                    if (!e.empty()) reason = e[0].reason + " → " + e[0].after;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(reason, "rule 'oil and gas': assigned to the specialist dayo → dayo");
  // When the specialist is away, the next rule takes the lead, and the audit says why.
  away.login = "dayo";
  away.name = "dayo";
  ASSERT_TRUE(AddUser(h.ctx, away, "").ok());
  auto fallback = AddOpportunity(h.ctx, NewOpp(rig, "Power & Industrial"));
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->opportunity.owner, "ade");
  EXPECT_NE(fallback->routing->why.find("dayo is away"), std::string::npos)
      << fallback->routing->why;
}

}  // namespace
}  // namespace cx
