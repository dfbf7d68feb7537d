// Scenario: one opportunity per division walked through its whole journey, checking owner,
// stage history, next actions and SLA states at each step.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "journey_test_util.h"
#include "service/case_service.h"
#include "service/interaction_service.h"
#include "service/next_action_service.h"
#include "service/opportunity_service.h"
#include "service/sla_service.h"

namespace cx {
namespace {

using journey_testing::Hub;

class JourneyScenarioTest : public testing::Test {
 protected:
  void SetUp() override {
    h.At("2026-11-16 08:00");
    h.AddUser("tunde", "sales", "Motors");
    h.AddUser("ade", "sales", "Power & Industrial");
    h.AddUser("bola", "sales", "Power & Industrial");
    h.AddUser("amaka", "sales", "Medical");
    h.AddUser("kemi", "service", "Medical");
    h.AddUser("sade", "sales", "GRAS");
    h.AddUser("ifeoma", "sales", "Cube 65");
  }

  // The state of one clock at a wall time, or "none".
  std::string State(const std::string& id, const char* at) {
    SlaQuery q;
    q.all = true;
    q.at = *ParseTime(at, h.ctx.zone);
    auto r = ComputeSla(h.ctx, q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& i : *r) {
      if (i.id == id) return std::string(SlaStateName(i.state));
    }
    return "none";
  }
  std::vector<std::string> Stages(const std::string& id) {
    std::vector<std::string> out;
    auto v = ShowOpportunity(h.ctx, id);
    EXPECT_TRUE(v.ok());
    for (const auto& e : v->history) out.push_back(e.stage);
    return out;
  }
  std::string AccountOwner(const std::string& account) {
    std::string owner;
    EXPECT_TRUE(h.store()
                    .Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(account));
                      owner = a ? a->owner : "?";
                      return Status::Ok();
                    })
                    .ok());
    return owner;
  }
  void Log(const std::string& contact, const std::string& opp, const std::string& by,
           const char* at) {
    Interaction i;
    i.contact_id = contact;
    i.channel = "phone";
    i.opportunity_id = opp;
    i.logged_by = by;
    i.at = *ParseTime(at, h.ctx.zone);
    auto r = LogInteraction(h.As(by), i);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void Move(const std::string& id, const std::string& stage, const char* at,
            const std::string& as) {
    auto r = MoveOpportunity(h.As(as), id, stage, *ParseTime(at, h.ctx.zone), Override{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void CheckAll(const std::string& id, const std::string& checklist) {
    auto v = ShowOpportunity(h.ctx, id);
    std::vector<std::string> items;
    for (const auto& s : v->checklist) {
      if (s.checklist == checklist) items.push_back(s.item.label);
    }
    ASSERT_FALSE(items.empty()) << checklist;
    ASSERT_TRUE(CheckItems(h.ctx, id, items, "done").ok());
  }
  std::vector<std::string> OpenActions(const std::string& opp) {
    std::vector<std::string> out;
    auto r = ListNextActions(h.ctx, NextActionQuery{});
    EXPECT_TRUE(r.ok());
    for (const auto& a : *r) {
      if (a.opportunity_id == opp)
        out.push_back(a.action + " @" + FormatTime(*a.due, h.ctx.zone) + " " + a.owner);
    }
    return out;
  }

  Hub h;
};

TEST_F(JourneyScenarioTest, Motors) {
  std::string acc = h.AddAccount("Chukwu Household", "Motors");
  std::string person = h.AddContact("Emeka Chukwu", acc);
  h.At("2026-11-16 09:00");
  Opportunity o;
  o.account_id = acc;
  o.division = "Motors";
  auto added = AddOpportunity(h.As("tunde"), o);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::string id = added->opportunity.id;
  EXPECT_EQ(added->opportunity.owner, "tunde");
  EXPECT_EQ(State(id, "2026-11-16 09:00"), "running");
  EXPECT_EQ(State(id, "2026-11-16 18:00"), "running");  // exactly 3 h (25 %) left
  EXPECT_EQ(State(id, "2026-11-16 18:01"), "at-risk");
  Log(person, id, "tunde", "2026-11-16 19:30");
  EXPECT_EQ(State(id, "2026-11-16 18:30"), "at-risk");  // the response is after that moment
  EXPECT_EQ(State(id, "2026-11-16 20:00"), "met");
  EXPECT_EQ(State(id, "2026-11-20 20:00"), "met");

  Move(id, "qualified", "2026-11-17 10:00", "tunde");
  Move(id, "Test Drive", "2026-11-18 10:00", "tunde");
  EXPECT_EQ(MoveOpportunity(h.As("tunde"), id, "Quote", std::nullopt, Override{}).status().code(),
            Code::kConflict);
  CheckAll(id, "test-drive");
  Move(id, "Quote", "2026-11-18 12:00", "tunde");
  EXPECT_EQ(
      MoveOpportunity(h.As("tunde"), id, "Delivered", std::nullopt, Override{}).status().code(),
      Code::kConflict);  // must be won first
  h.At("2026-11-20 15:00");
  ASSERT_TRUE(WinOpportunity(h.As("tunde"), id, "", std::nullopt, Override{}).ok());
  EXPECT_EQ(AccountOwner(acc), "tunde");
  EXPECT_EQ(
      MoveOpportunity(h.As("tunde"), id, "Delivered", std::nullopt, Override{}).status().code(),
      Code::kConflict);  // delivery checklist not done
  CheckAll(id, "delivery");
  h.At("2026-11-23 10:00");
  auto delivered = MoveOpportunity(h.As("tunde"), id, "delivered", std::nullopt, Override{});
  ASSERT_TRUE(delivered.ok()) << delivered.status().ToString();
  EXPECT_EQ(delivered->next_actions.size(), 1u);
  EXPECT_EQ(Stages(id), (std::vector<std::string>{"Inquiry", "Qualified", "Test Drive", "Quote",
                                                  "Won", "Delivered"}));
  EXPECT_EQ(OpenActions(id),
            (std::vector<std::string>{"First service @2027-02-21T10:00:00 tunde"}));
  EXPECT_EQ(State(id, "2026-11-23 10:00"), "met");

  // After-sales: the first service job waits for its quote.
  Case job;
  job.account_id = acc;
  job.division = "Motors";
  job.kind = "service-job";
  auto k = OpenCase(h.ctx, job);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(AdvanceCase(h.ctx, k->id, CaseStep::kStartWork, std::nullopt).status().code(),
            Code::kConflict);
  ASSERT_TRUE(AdvanceCase(h.ctx, k->id, CaseStep::kApproveQuote, std::nullopt).ok());
  ASSERT_TRUE(AdvanceCase(h.ctx, k->id, CaseStep::kStartWork, std::nullopt).ok());
}

TEST_F(JourneyScenarioTest, PowerAndIndustrial) {
  std::string acc = h.AddAccount("Ikeja Cold Rooms", "Power & Industrial", "Food", "Ikeja");
  std::string person = h.AddContact("Bisi Ade", acc);
  h.At("2026-11-20 16:00");  // Friday
  Opportunity o;
  o.account_id = acc;
  o.division = "Power & Industrial";
  o.custom["Product Line"] = "Generators";
  auto added = AddOpportunity(h.ctx, o);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::string id = added->opportunity.id;
  ASSERT_TRUE(added->routing.has_value());
  EXPECT_EQ(added->opportunity.owner, "ade");  // round robin starts at the first of the team
  EXPECT_EQ(State(id, "2026-11-20 16:00"), "running");
  Log(person, id, "bola", "2026-11-20 16:30");  // not the owner: does not stop the clock
  EXPECT_EQ(State(id, "2026-11-21 12:00"), "running");
  EXPECT_EQ(State(id, "2026-11-23 10:00"), "running");  // exactly 1 business hour left
  EXPECT_EQ(State(id, "2026-11-23 10:30"), "at-risk");
  Log(person, id, "ade", "2026-11-23 10:45");
  EXPECT_EQ(State(id, "2026-11-23 10:40"), "at-risk");
  EXPECT_EQ(State(id, "2026-11-23 11:30"), "met");

  Move(id, "Qualified", "2026-11-23 12:00", "ade");
  Move(id, "Discovery", "2026-11-24 12:00", "ade");
  EXPECT_EQ(MoveOpportunity(h.As("ade"), id, "Proposal", std::nullopt, Override{}).status().code(),
            Code::kConflict);
  CheckAll(id, "discovery");
  Move(id, "Proposal", "2026-11-30 12:00", "ade");
  Move(id, "Negotiation", "2026-12-07 12:00", "ade");
  h.At("2026-12-10 09:00");
  auto won = WinOpportunity(h.As("ade"), id, "", std::nullopt, Override{});
  ASSERT_TRUE(won.ok()) << won.status().ToString();
  EXPECT_EQ(AccountOwner(acc), "ade");
  EXPECT_EQ(
      OpenActions(id),
      (std::vector<std::string>{"Plan the project handover meeting @2026-12-17T09:00:00 ade"}));
  CheckAll(id, "handover");
  h.At("2026-12-17 09:00");
  ASSERT_TRUE(MoveOpportunity(h.As("ade"), id, "Handover", std::nullopt, Override{}).ok());
  EXPECT_EQ(Stages(id), (std::vector<std::string>{"Lead", "Qualified", "Discovery", "Proposal",
                                                  "Negotiation", "Won", "Handover"}));
  auto actions = OpenActions(id);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[1], "First preventive-maintenance visit @2027-01-16T09:00:00 ade");
  // Overdue next actions by owner.
  NextActionQuery q;
  q.overdue_only = true;
  q.owner = "ADE";
  q.at = *ParseTime("2026-12-20 09:00", h.ctx.zone);
  auto overdue = ListNextActions(h.ctx, q);
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].action, "Plan the project handover meeting");
  ASSERT_TRUE(CompleteNextAction(h.ctx, (*overdue)[0].id).ok());
  EXPECT_TRUE(ListNextActions(h.ctx, q)->empty());
}

TEST_F(JourneyScenarioTest, MedicalDistributorAndQualityFlag) {
  Account target;
  target.name = "HealthPlus Distributors";
  target.divisions = "Medical";
  target.type = "target-distributor";
  auto acc = AddAccount(h.ctx, target, CreateOptions{});
  ASSERT_TRUE(acc.ok());
  h.At("2026-11-16 09:00");
  Opportunity o;
  o.account_id = acc->id;
  o.division = "Medical";
  auto added = AddOpportunity(h.As("amaka"), o);
  ASSERT_TRUE(added.ok());
  std::string id = added->opportunity.id;
  EXPECT_EQ(added->opportunity.stage, "Target");
  EXPECT_EQ(State(id, "2026-11-16 09:00"), "none");  // Medical opportunities have no response clock
  Move(id, "Contacted", "2026-11-17 09:00", "amaka");
  Move(id, "Onboarding", "2026-11-20 09:00", "amaka");
  EXPECT_EQ(
      OpenActions(id),
      (std::vector<std::string>{"Send the distributor onboarding kit @2026-11-27T09:00:00 amaka"}));
  EXPECT_EQ(WinOpportunity(h.As("amaka"), id, "", std::nullopt, Override{}).status().code(),
            Code::kConflict);
  CheckAll(id, "onboarding-kit");
  h.At("2026-12-01 09:00");
  ASSERT_TRUE(WinOpportunity(h.As("amaka"), id, "", std::nullopt, Override{}).ok());
  EXPECT_EQ(AccountOwner(acc->id), "amaka");
  EXPECT_EQ(Stages(id), (std::vector<std::string>{"Target", "Contacted", "Onboarding", "Signed"}));
  EXPECT_EQ(OpenActions(id).back(), "First quarterly business review @2027-03-01T09:00:00 amaka");

  // A quality flag from the new distributor.
  h.At("2026-12-07 10:00");
  Case flag;
  flag.account_id = acc->id;
  flag.division = "Medical";
  flag.kind = "quality-flag";
  flag.owner = "kemi";
  auto k = OpenCase(h.ctx, flag);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(State(k->id, "2026-12-08 10:00"), "running");
  EXPECT_EQ(State(k->id, "2026-12-09 09:00"), "at-risk");  // 1 h of 48 left
  EXPECT_EQ(State(k->id, "2026-12-09 10:00"), "at-risk");
  EXPECT_EQ(State(k->id, "2026-12-09 10:01"), "breached");
  ASSERT_TRUE(
      AdvanceCase(h.ctx, k->id, CaseStep::kConfirm, *ParseTime("2026-12-09 12:00", h.ctx.zone))
          .ok());
  EXPECT_EQ(State(k->id, "2026-12-09 11:00"), "breached");
  EXPECT_EQ(State(k->id, "2026-12-10 11:00"), "breached");
  SlaQuery q;
  q.division = "medical";
  q.owner = "kemi";
  q.at = *ParseTime("2026-12-10 11:00", h.ctx.zone);
  auto items = ComputeSla(h.ctx, q);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].kind, "quality-flag");
  EXPECT_EQ(FormatTime(*(*items)[0].stopped, h.ctx.zone), "2026-12-09T12:00:00");
  EXPECT_EQ(FormatTime((*items)[0].due, h.ctx.zone), "2026-12-09T10:00:00");
}

TEST_F(JourneyScenarioTest, GrasAndCube65) {
  for (const auto& [division, owner] :
       {std::pair<std::string, std::string>{"GRAS", "sade"}, {"Cube 65", "ifeoma"}}) {
    std::string acc = h.AddAccount(division + " Guest Tolu", division);
    h.At("2026-11-16 09:00");
    Opportunity o;
    o.account_id = acc;
    o.division = division;
    auto added = AddOpportunity(h.As(owner), o);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    std::string id = added->opportunity.id;
    EXPECT_EQ(added->opportunity.owner, owner);
    Move(id, "Booked", "2026-11-16 10:00", owner);
    h.At("2026-11-20 20:00");
    ASSERT_TRUE(WinOpportunity(h.As(owner), id, "", std::nullopt, Override{}).ok());
    EXPECT_EQ(AccountOwner(acc), owner);
    EXPECT_EQ(Stages(id), (std::vector<std::string>{"Enquiry", "Booked", "Visited"}));
    EXPECT_EQ(OpenActions(id),
              (std::vector<std::string>{
                  "Ask for feedback and an online review @2026-11-22T20:00:00 " + owner}));
    EXPECT_EQ(State(id, "2026-11-20 20:00"), "none");
  }
}

TEST_F(JourneyScenarioTest, SlaListIsWorstFirstAndIgnoresLaterFacts) {
  std::string acc = h.AddAccount("Lekki Motors Fleet", "Motors");
  std::vector<std::string> ids;
  for (const char* at :
       {"2026-11-16 08:00", "2026-11-16 09:00", "2026-11-16 20:00", "2026-11-17 09:00"}) {
    Opportunity o;
    o.account_id = acc;
    o.division = "Motors";
    o.owner = "tunde";
    o.created = *ParseTime(at, h.ctx.zone);
    auto r = AddOpportunity(h.ctx, o);
    ASSERT_TRUE(r.ok());
    ids.push_back(r->opportunity.id);
  }
  SlaQuery q;
  q.at = *ParseTime("2026-11-16 21:30", h.ctx.zone);
  auto r = ComputeSla(h.ctx, q);
  ASSERT_TRUE(r.ok());
  // Not yet created at 21:30: the fourth. Breached: the first two (due 20:00, 21:00); 20:00's is
  // running.
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].id, ids[0]);
  EXPECT_EQ((*r)[1].id, ids[1]);
  EXPECT_EQ((*r)[0].state, SlaState::kBreached);
  q.all = true;
  r = ComputeSla(h.ctx, q);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[2].state, SlaState::kRunning);
  q.owner = "nobody";
  EXPECT_TRUE(ComputeSla(h.ctx, q)->empty());
  q.division = "Plumbing";
  EXPECT_EQ(ComputeSla(h.ctx, q).status().code(), Code::kInvalid);
}

// Many clocks from three streams (two divisions' opportunities and the cases), created in an
// order unlike the list's: every clock is listed once, and the list is ordered by state, due
// time, then id.
TEST_F(JourneyScenarioTest, SlaListOfManyClocksIsCompleteAndOrdered) {
  std::string motors = h.AddAccount("Ikeja Motors Fleet", "Motors");
  std::string pi = h.AddAccount("Apapa Power Works", "Power & Industrial");
  std::string med = h.AddAccount("Surulere Clinic", "Medical");
  std::set<std::string> made;
  const Timestamp base = *ParseTime("2026-11-16 06:00", h.ctx.zone);
  for (int i = 0; i < 60; ++i) {
    const Timestamp at = base + (i * 7919) % (60 * 3600);  // scattered over two and a half days
    if (i % 3 == 2) {
      Case c;
      c.account_id = med;
      c.division = "Medical";
      c.kind = "quality-flag";
      c.owner = "kemi";
      c.opened = at;
      auto k = OpenCase(h.ctx, c);
      ASSERT_TRUE(k.ok()) << k.status().ToString();
      made.insert(k->id);
      continue;
    }
    Opportunity o;
    o.account_id = i % 3 == 0 ? motors : pi;
    o.division = i % 3 == 0 ? "Motors" : "Power & Industrial";
    o.owner = i % 3 == 0 ? "tunde" : "ade";
    o.created = at;
    auto r = AddOpportunity(h.ctx, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    made.insert(r->opportunity.id);
  }
  SlaQuery q;
  q.all = true;
  q.at = base + 3 * 86400;
  auto r = ComputeSla(h.ctx, q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<std::string> listed;
  for (const auto& i : *r) listed.insert(i.id);
  EXPECT_EQ(listed, made);
  ASSERT_EQ(r->size(), made.size());
  int states = 0;
  for (size_t k = 1; k < r->size(); ++k) {
    const SlaItem& a = (*r)[k - 1];
    const SlaItem& b = (*r)[k];
    EXPECT_TRUE(std::tie(a.state, a.due, a.id) < std::tie(b.state, b.due, b.id))
        << a.id << " before " << b.id;
    if (a.state != b.state) ++states;
  }
  EXPECT_GE(states, 1);  // more than one state, so the order is not trivially one block
}

}  // namespace
}  // namespace cx
