// Test helpers for the funnel aggregate (docs/kpi.md): a random hub of opportunities, stage
// entries and interactions, and the comparison of the aggregate (Tx::KpiFunnel) with the
// fact-reading Tx methods for every axis, division and period. Shared by the store contract suite
// (every backend) and the SQLite store's own tests of its tables.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "kpi_test_util.h"

namespace cx::funneltest {

using kpitest::Hub;

inline const char* const kDivisions[] = {"Motors", "Power & Industrial", "Medical"};

inline std::string Opt(const std::optional<Timestamp>& t) { return t ? std::to_string(*t) : "-"; }

// One line per row of the fact-reading path and of the aggregate, with the fields the axis's
// KPI reads.
using Lines = std::vector<std::string>;

inline Status Facts(Tx& tx, KpiFunnelAxis axis, const std::string& div, Timestamp from,
                    Timestamp to, Lines* out) {
  out->clear();
  auto stage = [&](const char* s, const char* other) -> Status {
    CX_ASSIGN_OR_RETURN(auto rows, tx.KpiFirstStageEntries(div, s, from, to, other));
    for (const auto& r : rows) {
      std::string line = r.id + "|" + std::to_string(r.entered) + "|" + Opt(r.other_entered);
      if (axis == KpiFunnelAxis::kQuote) line += "|" + r.outcome + "|" + Opt(r.closed);
      out->push_back(line);
    }
    return Status::Ok();
  };
  switch (axis) {
    case KpiFunnelAxis::kQualified:
      return stage("qualified", "quote");
    case KpiFunnelAxis::kQuote:
      return stage("quote", "won");
    case KpiFunnelAxis::kSigned:
      return stage("signed", "signed");
    case KpiFunnelAxis::kClosed: {
      CX_ASSIGN_OR_RETURN(auto proposal, tx.KpiClosedOpportunities(div, from, to, "proposal"));
      CX_ASSIGN_OR_RETURN(auto qualified, tx.KpiClosedOpportunities(div, from, to, "qualified"));
      EXPECT_EQ(proposal.size(), qualified.size());
      for (size_t i = 0; i < proposal.size() && i < qualified.size(); ++i) {
        const auto& o = proposal[i];
        out->push_back(o.id + "|" + Opt(o.closed) + "|" + o.outcome + "|" +
                       Opt(qualified[i].stage_entered) + "|" + Opt(o.stage_entered));
      }
      return Status::Ok();
    }
    case KpiFunnelAxis::kCreated: {
      CX_ASSIGN_OR_RETURN(auto rows, tx.KpiCreatedOpportunities(div, from, to, to));
      for (const auto& o : rows)
        out->push_back(o.id + "|" + std::to_string(o.created) + "|" + Opt(o.first_response));
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// The aggregate's rows as Facts writes them; false when it is not up to date.
inline Result<bool> Kept(Tx& tx, KpiFunnelAxis axis, const std::string& div, Timestamp from,
                         Timestamp to, Lines* out) {
  out->clear();
  CX_ASSIGN_OR_RETURN(auto rows, tx.KpiFunnel(axis, div, from, to));
  if (!rows) return false;
  for (const auto& r : *rows) {
    switch (axis) {
      case KpiFunnelAxis::kQualified:
        out->push_back(r.id + "|" + Opt(r.qualified) + "|" + Opt(r.quote));
        break;
      case KpiFunnelAxis::kQuote:
        out->push_back(r.id + "|" + Opt(r.quote) + "|" + Opt(r.won) + "|" + r.outcome + "|" +
                       Opt(r.closed));
        break;
      case KpiFunnelAxis::kSigned:
        out->push_back(r.id + "|" + Opt(r.signed_at) + "|" + Opt(r.signed_at));
        break;
      case KpiFunnelAxis::kClosed:
        out->push_back(r.id + "|" + Opt(r.closed) + "|" + r.outcome + "|" + Opt(r.qualified) + "|" +
                       Opt(r.proposal));
        break;
      case KpiFunnelAxis::kCreated: {
        // The fact path asks for the first response before the end of the period.
        std::optional<Timestamp> first =
            r.first_response && *r.first_response < to ? r.first_response : std::nullopt;
        out->push_back(r.id + "|" + std::to_string(r.created) + "|" + Opt(first));
        break;
      }
    }
  }
  return true;
}

inline Status Refresh(Hub& h) {
  return h.ctx.store->Transaction([](Tx& tx) { return tx.RefreshKpiFunnel(); });
}

// Compares both paths over every axis, division and period; returns the rows compared.
inline int ExpectAgrees(Hub& h, const std::vector<std::pair<Timestamp, Timestamp>>& periods,
                        const std::string& label) {
  int rows = 0;
  const KpiFunnelAxis axes[] = {KpiFunnelAxis::kQualified, KpiFunnelAxis::kQuote,
                                KpiFunnelAxis::kSigned, KpiFunnelAxis::kClosed,
                                KpiFunnelAxis::kCreated};
  h.Write([&](Tx& tx) -> Status {
    Lines facts, kept;
    for (auto axis : axes) {
      for (const char* div : kDivisions) {
        for (const auto& [from, to] : periods) {
          CX_RETURN_IF_ERROR(Facts(tx, axis, div, from, to, &facts));
          CX_ASSIGN_OR_RETURN(bool ready, Kept(tx, axis, div, from, to, &kept));
          EXPECT_TRUE(ready) << label;
          EXPECT_EQ(kept, facts) << label << ": axis " << int(axis) << ", " << div << ", " << from
                                 << ".." << to;
          rows += int(facts.size());
        }
      }
    }
    return Status::Ok();
  });
  return rows;
}

// A random hub: opportunities with owners named in every way (login, name, other case and
// spaces, nobody, someone else), stage entries in mixed case, interactions by owners and others.
class RandomHub {
 public:
  explicit RandomHub(Hub& h, unsigned seed) : h_(h), rng_(seed) {}

  Timestamp Time() { return h_.L(2026, 1, 1) + Timestamp(rng_() % (200 * 86400)); }
  std::string Person() {
    static const char* kNames[] = {"ada", "ADA ", "Ada Lovelace", " ada lovelace",
                                   "bob", "Bob",  "Bobby",        "carol",
                                   "",    "dave", "Dave",         "eve"};
    return kNames[rng_() % 12];
  }
  std::string Opp() { return "O-" + std::to_string(rng_() % opps_); }

  void Build(Tx& tx, int opps) {
    opps_ = opps;
    h_.UserRow(tx, "ada", "Ada Lovelace", "sales");
    h_.UserRow(tx, "bobby", "Bob", "sales");
    h_.Account(tx, "A-1");
    h_.Contact(tx, "C-1", "A-1");
    for (int o = 0; o < opps; ++o) {
      Timestamp created = Time();
      int r = int(rng_() % 3);
      std::optional<Timestamp> closed;
      if (r < 2 || rng_() % 5 == 0) closed = created + Timestamp(rng_() % (60 * 86400));
      h_.Opp(tx, "O-" + std::to_string(o), kDivisions[rng_() % 3], created, Person(),
             r == 0 ? "won" : (r == 1 ? "Lost" : (rng_() % 4 ? "open" : "WON")), closed);
    }
    for (int k = 0; k < opps * 3; ++k) AddStage(tx);
    for (int k = 0; k < opps * 3; ++k) AddTalk(tx);
  }
  void AddStage(Tx& tx) {
    static const char* kStages[] = {"Qualified", "qualified", "Quote",  "QUOTE", "Proposal",
                                    "Won",       "won",       "Signed", "Lost",  "proposal"};
    h_.Stage(tx, Opp(), kStages[rng_() % 10], Time());
  }
  void AddTalk(Tx& tx) {
    h_.Interact(tx, "I-" + std::to_string(talks_++), Time(), Person(),
                rng_() % 8 ? Opp() : std::string());
  }
  // A random ordinary write through the Tx.
  Status Change(Tx& tx) {
    switch (rng_() % 6) {
      case 0:
        AddStage(tx);
        return Status::Ok();
      case 1:
        AddTalk(tx);
        return Status::Ok();
      case 2: {
        CX_ASSIGN_OR_RETURN(auto i, tx.GetInteraction("I-" + std::to_string(rng_() % talks_)));
        if (!i) return Status::Ok();
        i->at = Time();
        i->logged_by = Person();
        if (rng_() % 3 == 0) i->opportunity_id = rng_() % 2 ? Opp() : std::string();
        return tx.UpdateInteraction(*i);
      }
      default: {
        CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(Opp()));
        if (!o) return Status::Ok();
        switch (rng_() % 4) {
          case 0:
            o->owner = Person();
            break;
          case 1:
            o->division = kDivisions[rng_() % 3];
            break;
          case 2:
            o->outcome = rng_() % 2 ? "won" : "lost";
            o->closed = Time();
            break;
          default:
            o->created = Time();
            break;
        }
        return tx.UpdateOpportunity(*o);
      }
    }
  }

 private:
  Hub& h_;
  std::mt19937 rng_;
  int opps_ = 1, talks_ = 0;
};

inline std::vector<std::pair<Timestamp, Timestamp>> Periods(const Hub& h) {
  std::vector<std::pair<Timestamp, Timestamp>> out;
  for (int m = 1; m <= 7; ++m) out.emplace_back(h.L(2026, m, 1), h.L(2026, m + 1, 1));
  out.emplace_back(h.L(2026, 1, 1), h.L(2026, 4, 1));
  out.emplace_back(h.L(2026, 4, 1), h.L(2026, 7, 1));
  out.emplace_back(h.L(2026, 2, 10, 13, 7), h.L(2026, 2, 12, 9));
  out.emplace_back(h.L(2025, 1, 1), h.L(2027, 1, 1));
  return out;
}

}  // namespace cx::funneltest
