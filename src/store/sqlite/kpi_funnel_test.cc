// Tests of the kpi_funnel aggregate (migration 0011, sqlite_tx_kpi_funnel.cc): for every axis,
// division and period it must give the same opportunities, in the same order and with the same
// facts, as the fact-reading Tx methods (KpiFirstStageEntries, KpiClosedOpportunities,
// KpiCreatedOpportunities), after a first build, after incremental refreshes of random writes,
// after user changes and after a bulk load of interactions; and it must say when it is stale.
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

#include "kpi_test_util.h"
#include "raw_db.h"
#include "service/kpi_service.h"

namespace cx {
namespace {

using kpitest::Hub;

using Raw = testing::RawDb;

const char* const kDivisions[] = {"Motors", "Power & Industrial", "Medical"};

std::string Opt(const std::optional<Timestamp>& t) { return t ? std::to_string(*t) : "-"; }

// One line per row of the fact-reading path and of the aggregate, with the fields the axis's
// KPI reads.
using Lines = std::vector<std::string>;

Status Facts(Tx& tx, KpiFunnelAxis axis, const std::string& div, Timestamp from, Timestamp to,
             Lines* out) {
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
Result<bool> Kept(Tx& tx, KpiFunnelAxis axis, const std::string& div, Timestamp from, Timestamp to,
                  Lines* out) {
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

Status Refresh(Hub& h) {
  return h.ctx.store->Transaction([](Tx& tx) { return tx.RefreshKpiFunnel(); });
}

// Compares both paths over every axis, division and period; returns the rows compared.
int ExpectAgrees(Hub& h, const std::vector<std::pair<Timestamp, Timestamp>>& periods,
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

std::vector<std::pair<Timestamp, Timestamp>> Periods(const Hub& h) {
  std::vector<std::pair<Timestamp, Timestamp>> out;
  for (int m = 1; m <= 7; ++m) out.emplace_back(h.L(2026, m, 1), h.L(2026, m + 1, 1));
  out.emplace_back(h.L(2026, 1, 1), h.L(2026, 4, 1));
  out.emplace_back(h.L(2026, 4, 1), h.L(2026, 7, 1));
  out.emplace_back(h.L(2026, 2, 10, 13, 7), h.L(2026, 2, 12, 9));
  out.emplace_back(h.L(2025, 1, 1), h.L(2027, 1, 1));
  return out;
}

TEST(KpiFunnel, AgreesWithTheFactsThroughRandomWrites) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  RandomHub r(h, 11);
  h.Write([&](Tx& tx) {
    r.Build(tx, 150);
    return Status::Ok();
  });
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 1) << "never built";
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 0);
  const auto periods = Periods(h);
  EXPECT_GT(ExpectAgrees(h, periods, "after the first build"), 500);

  for (int round = 0; round < 6; ++round) {
    h.Write([&](Tx& tx) -> Status {
      for (int k = 0; k < 25; ++k) CX_RETURN_IF_ERROR(r.Change(tx));
      return Status::Ok();
    });
    EXPECT_GT(raw.Int("SELECT count(*) FROM kpi_funnel_dirty"), 0);
    ASSERT_TRUE(Refresh(h).ok());
    EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel_dirty"), 0);
    EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 0) << "refreshed, not rebuilt";
    ExpectAgrees(h, periods, "after round " + std::to_string(round));
  }

  // Deletes and raw updates (which no Tx method does) go through the triggers too.
  raw.Exec("PRAGMA foreign_keys = OFF");
  raw.Exec("DELETE FROM stage_history WHERE seq % 5 = 0");
  raw.Exec("DELETE FROM interactions WHERE rowid % 4 = 0");
  raw.Exec("UPDATE stage_history SET stage = 'Quote' WHERE seq % 7 = 0");
  raw.Exec("UPDATE stage_history SET opportunity_id = 'O-3' WHERE seq % 11 = 0");
  raw.Exec("UPDATE interactions SET opportunity_id = 'O-5' WHERE rowid % 9 = 0");
  raw.Exec("DELETE FROM opportunities WHERE id IN ('O-7', 'O-8', 'O-9')");
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel WHERE id IN ('O-7', 'O-8', 'O-9')"), 0);
  ExpectAgrees(h, periods, "after deletes and raw updates");

  // A user renamed changes who is whose owner: the aggregate is rebuilt.
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "dave", "Bob", "sales");
    h.UserRow(tx, "bobby", "Eve", "sales");
    return Status::Ok();
  });
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 1);
  ASSERT_TRUE(Refresh(h).ok());
  ExpectAgrees(h, periods, "after user changes");
}

TEST(KpiFunnel, ManyChangesTakeTheFullRebuild) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
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
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel"), 1240);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel_dirty"), 0);
  EXPECT_GT(ExpectAgrees(h, Periods(h), "after the rebuild"), 1200);
}

TEST(KpiFunnel, AnswersOnlyWhenUpToDateAndForOneDivision) {
  Hub h;
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

TEST(KpiFunnel, BulkLoadOfInteractionsDropsTriggersMarksStaleAndRestoresThem) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    h.Opp(tx, "O-1", "Power & Industrial", h.L(2026, 4, 2, 9), "ada");
    h.Opp(tx, "O-2", "Power & Industrial", h.L(2026, 4, 3, 9), "bob");
    h.Interact(tx, "I-1", h.L(2026, 4, 2, 10), "someone", "O-1");
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  const std::string triggers =
      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
      "'kpi\\_funnel\\_interaction\\_%' ESCAPE '\\'";
  ASSERT_EQ(raw.Int(triggers), 3);
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int deferred, tx.ExpectBulkLoad(Entity::kInteraction, 1000000));
    EXPECT_GT(deferred, 0);
    std::vector<Interaction> rows;
    for (int k = 0; k < 50; ++k) {
      Interaction i;
      i.id = "I-B" + std::to_string(k);
      i.at = h.L(2026, 4, 5) + k * 3600;
      i.contact_id = "C-1";
      i.channel = "phone";
      i.logged_by = k % 2 ? "ADA" : " Bob";
      i.opportunity_id = k % 2 ? "O-1" : "O-2";
      i.created_at = i.at;
      rows.push_back(i);
    }
    return tx.InsertInteractions(rows);
  });
  EXPECT_EQ(raw.Int(triggers), 3) << "restored at commit";
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 1);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel_dirty"), 0) << "no trigger fired per row";
  ASSERT_TRUE(Refresh(h).ok());
  const std::vector<std::pair<Timestamp, Timestamp>> q2{{h.L(2026, 4, 1), h.L(2026, 7, 1)}};
  ExpectAgrees(h, q2, "after the bulk load");
  EXPECT_EQ(raw.Int("SELECT first_response FROM kpi_funnel WHERE id = 'O-1'"), h.L(2026, 4, 5, 1));
  EXPECT_EQ(raw.Int("SELECT first_response FROM kpi_funnel WHERE id = 'O-2'"), h.L(2026, 4, 5));

  // The restored triggers mark the next ordinary write.
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-2", h.L(2026, 4, 2, 11), "Ada", "O-1");
    return Status::Ok();
  });
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_funnel_dirty WHERE opportunity_id = 'O-1'"), 1);
  ASSERT_TRUE(Refresh(h).ok());
  EXPECT_EQ(raw.Int("SELECT first_response FROM kpi_funnel WHERE id = 'O-1'"), h.L(2026, 4, 2, 11));
  ExpectAgrees(h, q2, "after a write following the bulk load");
}

// The lead response time through the aggregate: answered by the owner (by login, name, case and
// spaces aside), a response after the period, a lead nobody owns, a response before Created.
TEST(KpiFunnel, LeadResponseThroughTheAggregate) {
  Hub h;
  h.Write([&](Tx& tx) {
    h.UserRow(tx, "ada", "Ada Lovelace", "sales");
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    const std::string pi = "Power & Industrial";
    h.Opp(tx, "O-1", pi, h.L(2026, 4, 6, 9), "ada");
    h.Opp(tx, "O-2", pi, h.L(2026, 4, 6, 9), " ADA LOVELACE ");
    h.Opp(tx, "O-3", pi, h.L(2026, 6, 30, 9), "ada");
    h.Opp(tx, "O-4", pi, h.L(2026, 4, 6, 9), "");
    h.Opp(tx, "O-5", pi, h.L(2026, 4, 6, 9), "bob");
    h.Interact(tx, "I-1", h.L(2026, 4, 6, 10), "someone else", "O-1");
    h.Interact(tx, "I-2", h.L(2026, 4, 6, 11), "Ada Lovelace", "O-1");
    h.Interact(tx, "I-3", h.L(2026, 4, 6, 12), "ada", "O-2");
    h.Interact(tx, "I-4", h.L(2026, 7, 1, 10), "ada", "O-3");  // after the period
    h.Interact(tx, "I-5", h.L(2026, 4, 6, 10), "", "O-4");
    h.Interact(tx, "I-6", h.L(2026, 4, 6, 8), "BOB", "O-5");  // before Created: 0 h
    return Status::Ok();
  });
  KpiQuery q;
  q.period = Period{{2026, 4, 1}, {2026, 6, 30}};
  q.division = "Power & Industrial";
  q.business_hours = [](Timestamp a, Timestamp b) { return b > a ? double(b - a) / 3600 : 0.0; };
  auto card = ComputeKpis(h.ctx, q);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  const KpiValue* v = nullptr;
  for (const auto& k : card->kpis)
    if (k.key == "lead_response_hours") v = &k;
  ASSERT_NE(v, nullptr);
  ASSERT_TRUE(v->value.has_value());
  EXPECT_DOUBLE_EQ(*v->value, (2.0 + 3.0 + 0.0) / 3);
  EXPECT_EQ(v->denominator_ids, (std::vector<std::string>{"O-1", "O-2", "O-5"}));
  EXPECT_EQ(v->other_ids.at("unanswered"), (std::vector<std::string>{"O-4", "O-3"}));
  EXPECT_EQ(v->extra.at("unanswered"), 2.0);
  Raw raw(h.dir() + "/hub.db");
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_funnel_state"), 0) << "read through the aggregate";
}

}  // namespace
}  // namespace cx
