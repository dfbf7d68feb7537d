// The SQLite store's own tests of the KPI activity aggregate (migration 0008,
// sqlite_tx_kpi_activity.cc): its tables after incremental refreshes equal a full rebuild, raw
// deletes reach its triggers, many changes take the full rebuild, a bulk load drops and restores
// its triggers. What every backend promises (the same accounts as the facts, the id limit, local
// days across DST) is in tests/store_contract/kpi_activity_contract_test.cc.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "kpi_activity_world.h"
#include "raw_db.h"

namespace cx {
namespace {

using kpitest::Hub;
using namespace activitytest;  // NOLINT: the shared world of these tests
using Raw = testing::RawDb;

std::vector<std::string> AggregateTables(Raw& raw) {
  std::vector<std::string> rows =
      raw.Rows("SELECT series, account_id, hex(days) FROM kpi_activity ORDER BY 1, 2");
  for (auto& r : raw.Rows("SELECT series, day, prev, n FROM kpi_activity_firsts ORDER BY 1, 2, 3"))
    rows.push_back("firsts " + r);
  return rows;
}

// Builds a random hub with facts in `zone_name`, refreshes in that zone, and compares with the
// facts after the first build, after each of several rounds of random writes (refreshed
// incrementally) and after a full rebuild.
void CheckAgainstTheFacts(const std::string& zone_name) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  auto found = Zone::Find(zone_name);
  ASSERT_TRUE(found.ok());
  const Zone zone = *found;
  World w(zone);
  h.Write([&](Tx& tx) { return w.Build(tx); });
  // Random periods, plus single days with an interaction, so single days are not all empty.
  auto periods = w.Periods(40);
  h.Write([&](Tx& tx) -> Status {
    for (int k = 0; k < 12; ++k) {
      CX_ASSIGN_OR_RETURN(auto i, tx.GetInteraction(w.Pick(w.interactions())));
      if (!i) return Internal("no interaction");
      Date d;
      int secs = 0;
      zone.ToLocal(i->at, &d, &secs);
      periods.push_back(Period{d, d});
    }
    return Status::Ok();
  });

  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_EQ(raw.Rows("SELECT zone, stale FROM kpi_activity_state"),
            std::vector<std::string>{zone_name + "|0"});
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty"), 0);
  EXPECT_GT(ExpectAgrees(h, zone, periods, "first build"), 200);

  for (int round = 1; round <= 8; ++round) {
    const std::string label = "round " + std::to_string(round);
    h.Write([&](Tx& tx) { return w.Mutate(tx, round % 2 ? 9 : 20); });
    w.MutateRaw(raw);
    const int64_t dirty = raw.Int("SELECT count(*) FROM kpi_activity_dirty");
    EXPECT_GT(dirty, 0) << label;
    EXPECT_FALSE(AllCount(h, zone, w.day0, w.day0 + 800).has_value()) << label;
    // A row no rebuild would keep: it survives only when the refresh is incremental.
    raw.Exec("INSERT INTO kpi_activity_firsts(series, day, prev, n) VALUES ('~probe', 0, 0, 1)");
    ASSERT_TRUE(Refresh(h, zone).ok()) << label;
    EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_firsts WHERE series = '~probe'"), 1)
        << label << ": the refresh rebuilt everything for " << dirty << " changed accounts";
    raw.Exec("DELETE FROM kpi_activity_firsts WHERE series = '~probe'");
    EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty"), 0) << label;
    auto more = w.Periods(50);
    more.insert(more.end(), periods.begin(), periods.end());
    EXPECT_GT(ExpectAgrees(h, zone, more, label), 200);
  }

  // A full rebuild from the facts gives the very same tables as the incremental refreshes did.
  const std::vector<std::string> incremental = AggregateTables(raw);
  EXPECT_GT(incremental.size(), 100u);
  raw.Exec("UPDATE kpi_activity_state SET stale = 1");
  EXPECT_FALSE(AllCount(h, zone, w.day0, w.day0 + 800).has_value());
  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_activity_state"), 0);
  EXPECT_EQ(AggregateTables(raw), incremental);
  EXPECT_GT(ExpectAgrees(h, zone, periods, "after a rebuild"), 200);
}

TEST(KpiActivity, AgreesWithTheFactsInLagos) { CheckAgainstTheFacts("Africa/Lagos"); }

// The facts' times are drawn in Berlin's wall clock, across its DST changes.
TEST(KpiActivity, AgreesWithTheFactsInBerlin) { CheckAgainstTheFacts("Europe/Berlin"); }

// More than 1000 changed accounts, and more than a tenth of them all, take the full rebuild; 1000
// take the incremental path. Both agree with the facts.
TEST(KpiActivity, ManyChangedAccountsTakeTheFullRebuild) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  const Zone zone = h.ctx.zone;
  const int kAccounts = 1200;
  auto id = [](const char* prefix, int n) { return World::Id(prefix, n); };
  h.Write([&](Tx& tx) -> Status {
    std::vector<Interaction> rows;
    for (int a = 1; a <= kAccounts; ++a) {
      h.Account(tx, id("A", a));
      h.Contact(tx, id("C", a), id("A", a));
      rows.push_back(MakeInteraction(id("I", a), h.L(2025, 1, 1 + a % 28, 9), id("C", a),
                                     a % 2 ? "Motors" : "GRAS"));
    }
    return tx.InsertInteractions(rows);
  });
  ASSERT_TRUE(Refresh(h, zone).ok());
  std::vector<Period> periods;
  const int64_t jan1 = DaysFromCivil(Date{2025, 1, 1});
  for (int k = 0; k < 31; ++k) periods.push_back(Days(jan1 + k, jan1 + k));
  periods.push_back(Days(jan1, jan1 + 60));
  periods.push_back(Days(jan1 + 30, jan1 + 60));

  // One new interaction in February for each of the first `n` accounts.
  int seq = 0;
  auto touch = [&](int n) {
    h.Write([&](Tx& tx) -> Status {
      std::vector<Interaction> rows;
      for (int a = 1; a <= n; ++a) {
        rows.push_back(MakeInteraction(id("J", ++seq), h.L(2025, 2, 1 + a % 28, 23, 59), id("C", a),
                                       a % 3 ? "Medical" : ""));
      }
      return tx.InsertInteractions(rows);
    });
    EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty"), n);
    raw.Exec("INSERT INTO kpi_activity_firsts(series, day, prev, n) VALUES ('~probe', 0, 0, 1)");
    EXPECT_TRUE(Refresh(h, zone).ok());
    int64_t probe = raw.Int("SELECT count(*) FROM kpi_activity_firsts WHERE series = '~probe'");
    raw.Exec("DELETE FROM kpi_activity_firsts WHERE series = '~probe'");
    return probe;
  };
  EXPECT_EQ(touch(1000), 1) << "1000 changed accounts are refreshed one by one";
  EXPECT_GT(ExpectAgrees(h, zone, periods, "1000 changed accounts"), 1000);
  EXPECT_EQ(touch(1001), 0) << "1001 changed accounts of 1200 take the full rebuild";
  EXPECT_GT(ExpectAgrees(h, zone, periods, "1001 changed accounts"), 1000);
}

// ---- 2. when the aggregate does not answer ----

TEST(KpiActivity, AnswersOnlyWhenUpToDateInItsZone) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  const Zone lagos = h.ctx.zone;
  auto berlin = Zone::Find("Europe/Berlin");
  ASSERT_TRUE(berlin.ok());
  const int64_t d = DaysFromCivil(Date{2026, 3, 10});
  h.Write([&](Tx& tx) {
    h.Account(tx, "A-1");
    h.Contact(tx, "C-1", "A-1");
    h.Account(tx, "A-2");
    h.Contact(tx, "C-2", "A-2");
    h.Interact(tx, "I-1", h.L(2026, 3, 10, 12), "ada", "", "", "C-1", "Motors");
    return Status::Ok();
  });
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value()) << "never built";

  ASSERT_TRUE(Refresh(h, lagos).ok());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(1));

  // A new fact: not up to date until refreshed.
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-2", h.L(2026, 3, 10, 13), "ada", "", "", "C-2", "GRAS");
    return Status::Ok();
  });
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value()) << "a fact changed since the refresh";
  // A refresh in another zone does nothing, not even bring the Lagos days up to date.
  ASSERT_TRUE(Refresh(h, *berlin).ok());
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value());
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  EXPECT_EQ(raw.Rows("SELECT zone FROM kpi_activity_state"),
            std::vector<std::string>{"Africa/Lagos"});
  ASSERT_TRUE(Refresh(h, lagos).ok());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(2));

  // Up to date, but asked in another zone: no answer; refreshing there changes nothing.
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  const std::vector<std::string> before = AggregateTables(raw);
  ASSERT_TRUE(Refresh(h, *berlin).ok());
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(2));
  EXPECT_EQ(raw.Rows("SELECT zone, stale FROM kpi_activity_state"),
            std::vector<std::string>{"Africa/Lagos|0"});
  EXPECT_EQ(AggregateTables(raw), before);

  // Marked stale (as a bulk load does): no answer until the refresh rebuilds it.
  raw.Exec("UPDATE kpi_activity_state SET stale = 1");
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value()) << "stale";
  ASSERT_TRUE(Refresh(h, lagos).ok());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(2));
}

// ---- 4. bulk loads ----

TEST(KpiActivity, BulkLoadDropsTriggersMarksStaleAndRestoresThem) {
  Hub h;
  Raw raw(h.dir() + "/hub.db");
  const Zone zone = h.ctx.zone;
  h.Write([&](Tx& tx) {
    for (int a = 1; a <= 6; ++a) {
      h.Account(tx, "A-" + std::to_string(a), a % 2 ? "E-" + std::to_string(a) : "");
      h.Contact(tx, "C-" + std::to_string(a), "A-" + std::to_string(a));
    }
    h.Interact(tx, "I-1", h.L(2025, 6, 1, 9), "ada", "", "", "C-1", "Motors");
    h.OrderRow(tx, "O-1", "E-3", "GRAS", h.L(2025, 6, 2, 9), 5);
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h, zone).ok());
  const std::string interaction_triggers =
      "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
      "('kpi_activity_interaction_insert', 'kpi_activity_interaction_delete', "
      "'kpi_activity_interaction_update')";
  ASSERT_EQ(raw.Int(interaction_triggers), 3);

  // A failed bulk load leaves the triggers and the aggregate as they were.
  Status failed = h.ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int deferred, tx.ExpectBulkLoad(Entity::kInteraction, 1000000));
    EXPECT_GT(deferred, 0);
    return Invalid("the file had a bad row");
  });
  EXPECT_EQ(failed.code(), Code::kInvalid);
  EXPECT_EQ(raw.Int(interaction_triggers), 3);
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_activity_state"), 0);

  std::vector<Period> periods;
  const int64_t day0 = DaysFromCivil(Date{2025, 6, 1});
  for (int k = 0; k < 40; ++k) periods.push_back(Days(day0 + k, day0 + k));
  periods.push_back(Days(day0 - 5, day0 + 60));
  periods.push_back(Days(day0 + 10, day0 + 20));

  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(int deferred, tx.ExpectBulkLoad(Entity::kInteraction, 1000000));
    EXPECT_GT(deferred, 0);
    std::vector<Interaction> rows;
    static const char* kDivs[] = {"Motors", "GRAS", "Medical", ""};
    for (int k = 0; k < 120; ++k) {
      // Contacts C-2..C-5 (C-6 stays inactive), times on both sides of local midnights.
      Timestamp at = h.L(2025, 6, 1) + Timestamp(k) * 43200 + (k % 3 == 0 ? -60 : 60);
      rows.push_back(MakeInteraction("I-B" + std::to_string(k), at,
                                     "C-" + std::to_string(2 + k % 4), kDivs[k % 4]));
    }
    return tx.InsertInteractions(rows);
  });
  EXPECT_EQ(raw.Int(interaction_triggers), 3) << "the triggers are restored at commit";
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_activity_state"), 1);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty"), 0)
      << "the triggers fired for the bulk rows";
  EXPECT_FALSE(AllCount(h, zone, day0, day0 + 60).has_value()) << "stale after a bulk load";
  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_EQ(raw.Int("SELECT stale FROM kpi_activity_state"), 0);
  EXPECT_EQ(AllCount(h, zone, day0, day0 + 60), std::optional<int64_t>(5));
  EXPECT_GT(ExpectAgrees(h, zone, periods, "after a bulk load"), 100);

  // The restored triggers work: a later ordinary write marks its account and is counted.
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-9", h.L(2025, 6, 20, 23, 59), "ada", "", "", "C-6", "Medical");
    return Status::Ok();
  });
  EXPECT_EQ(raw.Rows("SELECT account_id FROM kpi_activity_dirty"), std::vector<std::string>{"A-6"});
  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_EQ(AllCount(h, zone, day0, day0 + 60), std::optional<int64_t>(6));
  EXPECT_GT(ExpectAgrees(h, zone, periods, "after a write following the bulk load"), 100);
}

}  // namespace
}  // namespace cx
