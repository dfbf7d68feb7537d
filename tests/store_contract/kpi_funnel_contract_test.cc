// The store contract, the funnel aggregate (docs/kpi.md): after a refresh it gives, for every
// axis, division and period, the same opportunities in the same order with the same facts as the
// fact-reading methods (KpiFirstStageEntries, KpiClosedOpportunities, KpiCreatedOpportunities),
// through random writes, user changes and many changes at once; it answers only when up to date
// and for one division. And the first stage entries it reads follow the Stage History.
#include <algorithm>
#include <cctype>
#include <map>
#include <random>

#include "kpi_funnel_world.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using kpitest::Hub;
using testing::StoreContract;
using namespace funneltest;  // NOLINT: the shared world of these tests

TEST_F(StoreContract, KpiFunnelAgreesWithTheFactsThroughRandomWrites) {
  Hub h(store_.get());
  RandomHub r(h, 11);
  h.Write([&](Tx& tx) {
    r.Build(tx, 150);
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  const auto periods = Periods(h);
  EXPECT_GT(ExpectAgrees(h, periods, "after the first build"), 500);
  for (int round = 0; round < 5; ++round) {
    h.Write([&](Tx& tx) -> Status {
      for (int k = 0; k < 25; ++k) CX_RETURN_IF_ERROR(r.Change(tx));
      return Status::Ok();
    });
    ASSERT_TRUE(Refresh(h).ok());
    ExpectAgrees(h, periods, "after round " + std::to_string(round));
  }
  // A user renamed changes who is whose owner.
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "dave", "Bob", "sales");
    h.UserRow(tx, "bobby", "Eve", "sales");
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  ExpectAgrees(h, periods, "after user changes");
}

TEST_F(StoreContract, KpiFunnelAgreesAfterManyChangesAtOnce) {
  Hub h(store_.get());
  RandomHub r(h, 5);
  h.Write([&](Tx& tx) {
    r.Build(tx, 40);
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  h.Write([&](Tx& tx) -> Status {
    for (int k = 0; k < 1200; ++k) {
      h.Opp(tx, "O-N" + std::to_string(k), "Motors", h.L(2026, 3, 1) + k, "ada");
      h.Stage(tx, "O-N" + std::to_string(k), "Qualified", h.L(2026, 3, 2) + k);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_GT(ExpectAgrees(h, Periods(h), "after many changes"), 1200);
}

TEST_F(StoreContract, KpiFunnelAnswersOnlyWhenUpToDateAndForOneDivision) {
  Hub h(store_.get());
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Opp(tx, "O-1", "Motors", h.L(2026, 4, 2), "ada");
    return Status::Ok();
  });
  auto ask = [&](const std::string& div) {
    std::optional<size_t> n;
    h.Write([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(
          auto rows, tx.KpiFunnel(KpiFunnelAxis::kCreated, div, h.L(2026, 4, 1), h.L(2026, 7, 1)));
      if (rows) n = rows->size();
      return Status::Ok();
    });
    return n;
  };
  EXPECT_FALSE(ask("Motors").has_value()) << "never built";
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_EQ(ask("Motors"), std::optional<size_t>(1));
  EXPECT_FALSE(ask("").has_value()) << "every division: the facts answer";
  h.Write([&](Tx& tx) {
    h.Opp(tx, "O-2", "Motors", h.L(2026, 4, 3), "ada");
    return Status::Ok();
  });
  EXPECT_FALSE(ask("Motors").has_value()) << "a change not refreshed yet";
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_EQ(ask("Motors"), std::optional<size_t>(2));
}

// The first entry of each stage (without case) of a division's opportunities, as the facts
// give it, equals the earliest Stage History row written, after inserts in any order and case and
// after an opportunity changes division.
TEST_F(StoreContract, KpiFirstStageEntriesAreTheEarliestRowsOfTheStage) {
  Hub h(store_.get());
  const char* divisions[] = {"Motors", "Power & Industrial", "Medical"};
  const char* stages[] = {"Qualified", "QUALIFIED", "quote", "Quote", "Won", "Proposal"};
  std::mt19937 rng(7);
  // (opportunity, folded stage) → earliest entry; opportunity → division.
  std::map<std::pair<std::string, std::string>, Timestamp> first;
  std::map<std::string, std::string> division;
  h.Write([&](Tx& tx) -> Status {
    h.Account(tx, "A-1");
    for (int o = 0; o < 40; ++o) {
      const std::string id = "O-" + std::to_string(o);
      h.Opp(tx, id, divisions[o % 3], h.L(2026, 1, 1));
      division[id] = divisions[o % 3];
    }
    for (int i = 0; i < 400; ++i) {
      const std::string id = "O-" + std::to_string(rng() % 40);
      std::string stage = stages[rng() % 6];
      const Timestamp at = h.L(2026, 1 + int(rng() % 6), 1 + int(rng() % 28), int(rng() % 24));
      h.Stage(tx, id, stage, at);
      for (auto& c : stage) c = char(std::tolower(static_cast<unsigned char>(c)));
      auto [it, fresh] = first.emplace(std::make_pair(id, stage), at);
      if (!fresh && at < it->second) it->second = at;
    }
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity("O-4"));
    if (!o) return Internal("O-4 vanished");
    o->division = "GRAS";
    division["O-4"] = "GRAS";
    return tx.UpdateOpportunity(*o);
  });
  const Timestamp from = h.L(2026, 1, 1), to = h.L(2026, 8, 1);
  int checked = 0;
  h.Write([&](Tx& tx) -> Status {
    for (const char* div : {"Motors", "Power & Industrial", "Medical", "GRAS"}) {
      for (const char* stage : {"qualified", "QUOTE", "Won", "proposal"}) {
        std::string folded = stage;
        for (auto& c : folded) c = char(std::tolower(static_cast<unsigned char>(c)));
        std::vector<std::string> want;
        for (const auto& [key, at] : first) {
          if (key.second == folded && division[key.first] == div) {
            want.push_back(key.first + "|" + std::to_string(at) + "|" +
                           (first.count({key.first, "won"})
                                ? std::to_string(first[{key.first, "won"}])
                                : std::string("-")));
          }
        }
        std::sort(want.begin(), want.end());
        CX_ASSIGN_OR_RETURN(auto rows, tx.KpiFirstStageEntries(div, stage, from, to, "won"));
        std::vector<std::string> got, ids;
        for (const auto& r : rows) {
          got.push_back(r.id + "|" + std::to_string(r.entered) + "|" + Opt(r.other_entered));
          ids.push_back(r.id);
          EXPECT_EQ(r.won_entered, r.other_entered) << r.id;
        }
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "id order: " << div << " " << stage;
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, want) << div << " " << stage;
        checked += int(want.size());
      }
    }
    return Status::Ok();
  });
  EXPECT_GT(checked, 60);
}

}  // namespace
}  // namespace cx
