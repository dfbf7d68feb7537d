// The store contract, journeys (docs/journeys.md): checklist answers and journey next actions
// come back as stored and in the promised order, and the SLA facts (first responses, first
// responses by the owner, resolution confirmations) are what was known at the moment asked.
#include <algorithm>
#include <string>
#include <vector>

#include "kpi_test_util.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using kpitest::Hub;
using testing::StoreContract;

std::string Opt(const std::optional<Timestamp>& t) { return t ? std::to_string(*t) : "-"; }

TEST_F(StoreContract, ChecklistAnswersComeBackOldestFirstPerOpportunity) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    h.Opp(tx, "O-1", "Motors", 100);
    h.Opp(tx, "O-2", "Motors", 100);
    CX_RETURN_IF_ERROR(tx.AddChecklistAnswer({"O-1", "licence", "yes", 300, "ada"}));
    CX_RETURN_IF_ERROR(tx.AddChecklistAnswer({"O-1", "route", "city", 200, ""}));
    CX_RETURN_IF_ERROR(tx.AddChecklistAnswer({"O-2", "licence", "no", 100, "bob"}));
    // Same time: the order written.
    CX_RETURN_IF_ERROR(tx.AddChecklistAnswer({"O-1", "licence", "checked again", 300, "bob"}));
    return Status::Ok();
  });
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto got, tx.ChecklistAnswers("O-1"));
    std::vector<std::string> lines;
    for (const auto& a : got) {
      lines.push_back(a.opportunity_id + "|" + a.item + "|" + a.answer + "|" +
                      std::to_string(a.at) + "|" + a.by);
    }
    EXPECT_EQ(lines, (std::vector<std::string>{"O-1|route|city|200|", "O-1|licence|yes|300|ada",
                                               "O-1|licence|checked again|300|bob"}));
    CX_ASSIGN_OR_RETURN(auto none, tx.ChecklistAnswers("O-9"));
    EXPECT_TRUE(none.empty());
    return Status::Ok();
  });
}

TEST_F(StoreContract, JourneyActionsRoundTripAndListByDueTime) {
  Hub h(store_.get());
  std::vector<int64_t> seqs;
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    h.Opp(tx, "O-1", "Motors", 100);
    h.CaseRow(tx, "K-1", "Motors", "after-sales", 100);
    auto add = [&](const std::string& opp, const std::string& kase, std::optional<Timestamp> due,
                   const std::string& action) -> Status {
      JourneyAction a;
      a.opportunity_id = opp;
      a.case_id = kase;
      a.action = action;
      a.due = due;
      a.owner = "ada";
      a.created_at = 50;
      a.created_by = "system";
      a.rule = "first-service";
      CX_ASSIGN_OR_RETURN(int64_t seq, tx.InsertJourneyAction(a));
      seqs.push_back(seq);
      return Status::Ok();
    };
    CX_RETURN_IF_ERROR(add("O-1", "", 900, "book first service"));
    CX_RETURN_IF_ERROR(add("O-1", "", std::nullopt, "send thanks"));
    CX_RETURN_IF_ERROR(add("O-1", "", 500, "call back"));
    CX_RETURN_IF_ERROR(add("", "K-1", 700, "confirm fix"));
    return Status::Ok();
  });
  ASSERT_EQ(seqs.size(), 4u);
  EXPECT_GT(seqs[0], 0);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_GT(seqs[i], seqs[i - 1]) << "fresh, rising";
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto one, tx.GetJourneyAction(seqs[1]));
    EXPECT_TRUE(one.has_value());
    if (one) {
      EXPECT_EQ(one->seq, seqs[1]);
      EXPECT_EQ(one->opportunity_id, "O-1");
      EXPECT_EQ(one->case_id, "");
      EXPECT_EQ(one->action, "send thanks");
      EXPECT_FALSE(one->due.has_value());
      EXPECT_EQ(one->owner, "ada");
      EXPECT_FALSE(one->done);
      EXPECT_EQ(one->created_at, 50);
      EXPECT_EQ(one->created_by, "system");
      EXPECT_EQ(one->rule, "first-service");
    }
    CX_ASSIGN_OR_RETURN(auto missing, tx.GetJourneyAction(seqs.back() + 100));
    EXPECT_FALSE(missing.has_value());
    CX_RETURN_IF_ERROR(tx.SetJourneyActionDone(seqs[2], true));
    EXPECT_EQ(tx.SetJourneyActionDone(seqs.back() + 100, true).code(), Code::kNotFound);
    return Status::Ok();
  });
  auto list = [&](const std::string& opp, const std::string& kase, bool open_only) {
    std::vector<std::string> out;
    h.Write([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto rows, tx.ListJourneyActions(opp, kase, open_only));
      for (const auto& a : rows) out.push_back(a.action + (a.done ? " (done)" : ""));
      return Status::Ok();
    });
    return out;
  };
  // By due time, those without one last.
  EXPECT_EQ(list("", "", false), (std::vector<std::string>{"call back (done)", "confirm fix",
                                                           "book first service", "send thanks"}));
  EXPECT_EQ(list("O-1", "", true), (std::vector<std::string>{"book first service", "send thanks"}));
  EXPECT_EQ(list("", "K-1", false), (std::vector<std::string>{"confirm fix"}));
  h.Write([&](Tx& tx) { return tx.SetJourneyActionDone(seqs[2], false); });
  EXPECT_EQ(list("O-1", "", true),
            (std::vector<std::string>{"call back", "book first service", "send thanks"}));
}

TEST_F(StoreContract, SlaOpportunityFactsAreWhatWasKnownAtTheMoment) {
  Hub h(store_.get());
  const std::string pi = "Power & Industrial";
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "ada", "Ada Lovelace", "sales");
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    h.Opp(tx, "O-10", pi, 1000, "ada");
    h.Opp(tx, "O-2", pi, 1000, "Ada Lovelace");
    h.Opp(tx, "O-3", pi, 3000, "ada");  // created after the moment
    h.Opp(tx, "O-4", pi, 1000, "");
    h.Opp(tx, "O-5", "Motors", 1000, "ada");  // another division
    h.Opp(tx, "O-1", pi, 1000, "bob");
    h.Interact(tx, "I-1", 1500, "someone", "O-10");
    h.Interact(tx, "I-2", 1700, "ADA LOVELACE", "O-10");
    h.Interact(tx, "I-3", 1600, "Ada", "O-10");
    h.Interact(tx, "I-4", 2100, "ada", "O-2");  // after the moment
    h.Interact(tx, "I-5", 1200, "ada", "O-2");
    h.Interact(tx, "I-6", 1100, "someone", "O-4");
    h.Interact(tx, "I-7", 900, "bob", "O-1");  // before Created
    return Status::Ok();
  });
  std::vector<std::string> lines;
  h.Write([&](Tx& tx) {
    return tx.ForEachSlaOpportunity({pi}, 2000, [&](const SlaOpportunityFacts& f) {
      lines.push_back(f.id + "|" + f.division + "|" + f.owner + "|" + std::to_string(f.created) +
                      "|" + Opt(f.first_response) + "|" + Opt(f.first_owner_response));
      return Status::Ok();
    });
  });
  // In id order (as bytes); a login or a name, in any case, names the owner.
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "O-1|Power & Industrial|bob|1000|900|900",
                       "O-10|Power & Industrial|ada|1000|1500|1600",
                       "O-2|Power & Industrial|Ada Lovelace|1000|1200|1200",
                       "O-4|Power & Industrial||1000|1100|-",
                   }));
  // Several divisions in one walk: all their opportunities, in id order across them (the
  // interactions read once); a division with none adds nothing.
  lines.clear();
  h.Write([&](Tx& tx) {
    return tx.ForEachSlaOpportunity(
        {"Motors", pi, "GRAS"}, 2000, [&](const SlaOpportunityFacts& f) {
          lines.push_back(f.id + "|" + f.division + "|" + Opt(f.first_response) + "|" +
                          Opt(f.first_owner_response));
          return Status::Ok();
        });
  });
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "O-1|Power & Industrial|900|900",
                       "O-10|Power & Industrial|1500|1600",
                       "O-2|Power & Industrial|1200|1200",
                       "O-4|Power & Industrial|1100|-",
                       "O-5|Motors|-|-",
                   }));
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int64_t n, tx.CountSlaRecords(pi, "", 2000));
    EXPECT_EQ(n, 4);
    CX_ASSIGN_OR_RETURN(n, tx.CountSlaRecords(pi, "", 3000));
    EXPECT_EQ(n, 5);
    // A failing callback stops the walk and its status comes back.
    int seen = 0;
    Status st = tx.ForEachSlaOpportunity({pi}, 3000, [&](const SlaOpportunityFacts&) {
      ++seen;
      return Invalid("stop");
    });
    EXPECT_EQ(st.code(), Code::kInvalid);
    EXPECT_EQ(seen, 1);
    return Status::Ok();
  });
}

TEST_F(StoreContract, SlaCaseFactsLeaveOutLaterConfirmations) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.CaseRow(tx, "K-1", "Medical", "quality-flag", 1000, std::nullopt, 1500);
    h.CaseRow(tx, "K-2", "Medical", "quality-flag", 1100, std::nullopt, 2500);  // confirmed later
    h.CaseRow(tx, "K-3", "Medical", "quality-flag", 2100);                      // opened later
    h.CaseRow(tx, "K-4", "Motors", "quality-flag", 1000);
    h.CaseRow(tx, "K-5", "Medical", "after-sales", 1000);
    return Status::Ok();
  });
  auto walk = [&](const std::string& division) {
    std::vector<std::string> lines;
    h.Write([&](Tx& tx) {
      return tx.ForEachSlaCase(division, "quality-flag", 2000, [&](const SlaCaseFacts& f) {
        lines.push_back(f.id + "|" + f.division + "|" + std::to_string(f.opened) + "|" +
                        Opt(f.resolution_confirmed));
        return Status::Ok();
      });
    });
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  EXPECT_EQ(walk("Medical"),
            (std::vector<std::string>{"K-1|Medical|1000|1500", "K-2|Medical|1100|-"}));
  EXPECT_EQ(walk(""), (std::vector<std::string>{"K-1|Medical|1000|1500", "K-2|Medical|1100|-",
                                                "K-4|Motors|1000|-"}));
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int64_t n, tx.CountSlaRecords("Medical", "quality-flag", 2000));
    EXPECT_EQ(n, 2);
    CX_ASSIGN_OR_RETURN(n, tx.CountSlaRecords("", "quality-flag", 3000));
    EXPECT_EQ(n, 4);
    return Status::Ok();
  });
}

}  // namespace
}  // namespace cx
