// The SQLite store's own tests of the kpi_funnel aggregate (migration 0011,
// sqlite_tx_kpi_funnel.cc): its state and dirty tables through random and raw writes, the full
// rebuild for many changes, a bulk load of interactions dropping and restoring its triggers, the
// lead response time read through it. What every backend promises (the same rows as the facts,
// answering only when up to date) is in tests/store_contract/kpi_funnel_contract_test.cc.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "kpi_funnel_world.h"
#include "raw_db.h"
#include "service/kpi_service.h"

namespace cx {
namespace {

using kpitest::Hub;

using namespace funneltest;  // NOLINT: the shared world of these tests
using Raw = testing::RawDb;

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
