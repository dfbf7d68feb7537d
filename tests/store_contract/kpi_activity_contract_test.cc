// The store contract, the aggregate of active days (docs/kpi.md): after a refresh it gives the
// same accounts and customers as the facts for every period and series, through random writes,
// in the hub's zone and across DST changes; it says when it is not up to date; ids come in id
// order under a limit with the full count. Every backend keeps it (storage is the backend's own).
#include "kpi_activity_world.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using kpitest::Hub;
using testing::StoreContract;
using namespace activitytest;  // NOLINT: the shared world of these tests

// A random hub, refreshed, then rounds of random writes through the Tx (each refreshed one by
// one): the aggregate agrees with the facts every time, and answers only once refreshed.
void AgreesThroughWrites(Hub& h, const std::string& zone_name) {
  auto found = Zone::Find(zone_name);
  ASSERT_TRUE(found.ok());
  const Zone zone = *found;
  World w(zone);
  h.Write([&](Tx& tx) { return w.Build(tx); });
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
  EXPECT_FALSE(AllCount(h, zone, w.day0, w.day0 + 800).has_value()) << "never built";
  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_GT(ExpectAgrees(h, zone, periods, "first build"), 200);
  for (int round = 1; round <= 6; ++round) {
    const std::string label = "round " + std::to_string(round);
    h.Write([&](Tx& tx) { return w.Mutate(tx, round % 2 ? 9 : 20); });
    EXPECT_FALSE(AllCount(h, zone, w.day0, w.day0 + 800).has_value()) << label;
    ASSERT_TRUE(Refresh(h, zone).ok()) << label;
    auto more = w.Periods(30);
    more.insert(more.end(), periods.begin(), periods.end());
    EXPECT_GT(ExpectAgrees(h, zone, more, label), 200);
  }
}

TEST_F(StoreContract, KpiActivityAgreesWithTheFactsInLagos) {
  Hub h(store_.get());
  AgreesThroughWrites(h, "Africa/Lagos");
}

// The facts' times are drawn in Berlin's wall clock, across its DST changes.
TEST_F(StoreContract, KpiActivityAgreesWithTheFactsInBerlin) {
  Hub h(store_.get());
  AgreesThroughWrites(h, "Europe/Berlin");
}

TEST_F(StoreContract, KpiActivityAnswersOnlyWhenUpToDateInItsZone) {
  Hub h(store_.get());
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
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-2", h.L(2026, 3, 10, 13), "ada", "", "", "C-2", "GRAS");
    return Status::Ok();
  });
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value()) << "a fact changed since the refresh";
  // A refresh in another zone does nothing, not even bring the Lagos days up to date.
  ASSERT_TRUE(Refresh(h, *berlin).ok());
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value());
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  ASSERT_TRUE(Refresh(h, lagos).ok());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(2));
  // Up to date, but asked in another zone: no answer; refreshing there changes nothing.
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  ASSERT_TRUE(Refresh(h, *berlin).ok());
  EXPECT_FALSE(AllCount(h, *berlin, d, d).has_value());
  EXPECT_EQ(AllCount(h, lagos, d, d), std::optional<int64_t>(2));
  // A read-only transaction never refreshes: the caller reads the facts.
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-3", h.L(2026, 3, 10, 14), "ada", "", "", "C-2", "GRAS");
    return Status::Ok();
  });
  Status read = h.ctx.store->Read([&](Tx& tx) { return tx.RefreshKpiActivity(lagos); });
  EXPECT_TRUE(read.ok()) << read.ToString();
  EXPECT_FALSE(AllCount(h, lagos, d, d).has_value());
}

TEST_F(StoreContract, KpiActivityIdLimitGivesTheSmallestIdsAndTheFullCount) {
  Hub h(store_.get());
  const Zone zone = h.ctx.zone;
  h.Write([&](Tx& tx) {
    for (int a = 1; a <= 7; ++a) {
      std::string id = "A-0" + std::to_string(a);
      h.Account(tx, id, "E-" + std::to_string(a));
      h.Contact(tx, "C-0" + std::to_string(a), id);
    }
    // Active in Motors on 10 March: A-07, A-02 (order), A-05, A-03 — inserted out of id order.
    // A-01 only the day before, A-04 only in GRAS, A-06 only the day after.
    h.Interact(tx, "I-1", h.L(2026, 3, 10, 9), "ada", "", "", "C-07", "Motors");
    h.OrderRow(tx, "O-1", "E-2", "Motors", h.L(2026, 3, 10, 10), 5);
    h.Interact(tx, "I-2", h.L(2026, 3, 10, 11), "ada", "", "", "C-05", "Motors");
    h.Interact(tx, "I-3", h.L(2026, 3, 10, 23, 59), "ada", "", "", "C-03", "Motors");
    h.Interact(tx, "I-4", h.L(2026, 3, 9, 23, 59), "ada", "", "", "C-01", "Motors");
    h.Interact(tx, "I-5", h.L(2026, 3, 10, 12), "ada", "", "", "C-04", "GRAS");
    h.Interact(tx, "I-6", h.L(2026, 3, 11, 0, 0), "ada", "", "", "C-06", "Motors");
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h, zone).ok());
  const int64_t d = DaysFromCivil(Date{2026, 3, 10});
  h.Write([&](Tx& tx) -> Status {
    for (int limit : {1, 2, 3, 4, 10}) {
      CX_ASSIGN_OR_RETURN(auto got, tx.KpiActivityCounts(zone, d, d, {"Motors", "*"}, limit));
      EXPECT_TRUE(got.has_value());
      if (!got) continue;
      const std::vector<std::string> motors{"A-02", "A-03", "A-05", "A-07"};
      const std::vector<std::string> all{"A-02", "A-03", "A-04", "A-05", "A-07"};
      EXPECT_EQ(got->at("Motors").accounts, 4) << "limit " << limit;
      EXPECT_EQ(got->at("Motors").ids,
                std::vector<std::string>(motors.begin(),
                                         motors.begin() + std::min<size_t>(limit, motors.size())))
          << "limit " << limit;
      EXPECT_EQ(got->at("*").accounts, 5) << "limit " << limit;
      EXPECT_EQ(
          got->at("*").ids,
          std::vector<std::string>(all.begin(), all.begin() + std::min<size_t>(limit, all.size())))
          << "limit " << limit;
    }
    // No ids asked for: the count alone.
    CX_ASSIGN_OR_RETURN(auto none, tx.KpiActivityCounts(zone, d, d, {"Motors"}, 0));
    EXPECT_TRUE(none.has_value());
    if (none) {
      EXPECT_EQ(none->at("Motors").accounts, 4);
      EXPECT_TRUE(none->at("Motors").ids.empty());
    }
    return Status::Ok();
  });
}

TEST_F(StoreContract, KpiActivityLocalMidnightSeparatesDaysInLagos) {
  Hub h(store_.get());
  const Zone zone = h.ctx.zone;
  ASSERT_EQ(zone.name(), "Africa/Lagos");
  h.Write([&](Tx& tx) {
    for (int a = 1; a <= 4; ++a) {
      h.Account(tx, "A-" + std::to_string(a), "E-" + std::to_string(a));
      h.Contact(tx, "C-" + std::to_string(a), "A-" + std::to_string(a));
    }
    h.Interact(tx, "I-1", h.L(2026, 3, 10, 23, 59), "ada", "", "", "C-1", "Motors");
    h.Interact(tx, "I-2", h.L(2026, 3, 11, 0, 0), "ada", "", "", "C-2", "Motors");
    h.OrderRow(tx, "O-1", "E-3", "GRAS", zone.ToUtc(Date{2026, 3, 10}, 86399), 5);
    h.OrderRow(tx, "O-2", "E-4", "GRAS", zone.ToUtc(Date{2026, 3, 12}, 0), 5);
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h, zone).ok());
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 9}), Ids{});
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 10}), (Ids{"A-1", "A-3"}));
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 10}, "Motors"), Ids{"A-1"});
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 11}), Ids{"A-2"});
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 11}, "GRAS"), Ids{});
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 12}), Ids{"A-4"});
  EXPECT_EQ(IdsOn(h, zone, {2026, 3, 13}), Ids{});
  const int64_t d = DaysFromCivil(Date{2026, 3, 8});
  std::vector<Period> periods;
  for (int a = 0; a < 6; ++a) {
    for (int b = a; b < 6; ++b) periods.push_back(Days(d + a, d + b));
  }
  EXPECT_GT(ExpectAgrees(h, zone, periods, "Lagos midnights"), 10);
}

// In Europe/Berlin the last Sunday of October has 25 hours and the last Sunday of March 23: each
// fact still falls on the local day of its wall-clock time, through the first build and through an
// incremental refresh.
TEST_F(StoreContract, KpiActivityLocalDaysFollowDstInBerlin) {
  Hub h(store_.get());
  auto found = Zone::Find("Europe/Berlin");
  ASSERT_TRUE(found.ok());
  const Zone berlin = *found;
  auto at = [&](Date d, int h24, int mi, int s = 0) {
    return berlin.ToUtc(d, h24 * 3600 + mi * 60 + s);
  };
  const Date oct25{2025, 10, 25}, oct26{2025, 10, 26}, oct27{2025, 10, 27};
  const Date mar28{2026, 3, 28}, mar29{2026, 3, 29}, mar30{2026, 3, 30};
  h.Write([&](Tx& tx) {
    for (int a = 1; a <= 10; ++a) {
      h.Account(tx, "A-" + std::to_string(a), "E-" + std::to_string(a));
      h.Contact(tx, "C-" + std::to_string(a), "A-" + std::to_string(a));
    }
    h.Interact(tx, "I-1", at(oct25, 23, 59, 59), "ada", "", "", "C-1", "Medical");
    h.Interact(tx, "I-2", at(oct26, 0, 0), "ada", "", "", "C-2", "Medical");
    // 02:30 happens twice on 26 October; the second one (CET) is an hour after the first.
    h.OrderRow(tx, "O-3", "E-3", "Medical", at(oct26, 2, 30) + 3600, 5);
    h.Interact(tx, "I-4", at(oct26, 23, 59, 59), "ada", "", "", "C-4", "Medical");
    h.OrderRow(tx, "O-5", "E-5", "Medical", at(oct27, 0, 0), 5);
    h.Interact(tx, "I-9", at(mar28, 23, 59, 59), "ada", "", "", "C-9", "Motors");
    h.Interact(tx, "I-6", at(mar29, 0, 0), "ada", "", "", "C-6", "Motors");
    h.OrderRow(tx, "O-7", "E-7", "Motors", at(mar29, 23, 59, 59), 5);
    h.Interact(tx, "I-8", at(mar30, 0, 0), "ada", "", "", "C-8", "Motors");
    return Status::Ok();
  });
  // The first build takes the zone of the refresh that makes it.
  ASSERT_TRUE(Refresh(h, berlin).ok());
  EXPECT_FALSE(AllCount(h, h.ctx.zone, DaysFromCivil(oct26), DaysFromCivil(oct26)).has_value())
      << "built in Berlin, asked in Lagos";
  EXPECT_EQ(IdsOn(h, berlin, oct25), Ids{"A-1"});
  EXPECT_EQ(IdsOn(h, berlin, oct26), (Ids{"A-2", "A-3", "A-4"}));
  EXPECT_EQ(IdsOn(h, berlin, oct26, "Medical"), (Ids{"A-2", "A-3", "A-4"}));
  EXPECT_EQ(IdsOn(h, berlin, oct27), Ids{"A-5"});
  EXPECT_EQ(IdsOn(h, berlin, mar28), Ids{"A-9"});
  EXPECT_EQ(IdsOn(h, berlin, mar29), (Ids{"A-6", "A-7"}));
  EXPECT_EQ(IdsOn(h, berlin, mar30), Ids{"A-8"});

  std::vector<Period> periods;
  for (Date base : {Date{2025, 10, 23}, Date{2026, 3, 26}}) {
    const int64_t d = DaysFromCivil(base);
    for (int a = 0; a < 7; ++a) {
      for (int b = a; b < 7; ++b) periods.push_back(Days(d + a, d + b));
    }
  }
  EXPECT_GT(ExpectAgrees(h, berlin, periods, "Berlin, first build"), 20);

  // Incremental: A-5 also active late on the long day, A-10 just before and after the short
  // night's jump (02:00 does not exist on 29 March and moves to 03:00).
  h.Write([&](Tx& tx) {
    h.Interact(tx, "I-10", at(oct26, 23, 30), "ada", "", "", "C-5", "GRAS");
    h.Interact(tx, "I-11", at(mar29, 1, 59, 59), "ada", "", "", "C-10", "GRAS");
    h.Interact(tx, "I-12", at(mar29, 2, 30), "ada", "", "", "C-10", "GRAS");
    return Status::Ok();
  });
  EXPECT_FALSE(AllCount(h, berlin, DaysFromCivil(oct26), DaysFromCivil(oct26)).has_value());
  ASSERT_TRUE(Refresh(h, berlin).ok());
  EXPECT_EQ(IdsOn(h, berlin, oct26), (Ids{"A-2", "A-3", "A-4", "A-5"}));
  EXPECT_EQ(IdsOn(h, berlin, oct26, "GRAS"), Ids{"A-5"});
  EXPECT_EQ(IdsOn(h, berlin, oct27), Ids{"A-5"});
  EXPECT_EQ(IdsOn(h, berlin, mar29), (Ids{"A-10", "A-6", "A-7"}));
  EXPECT_EQ(IdsOn(h, berlin, mar30, "GRAS"), Ids{});
  EXPECT_GT(ExpectAgrees(h, berlin, periods, "Berlin, incremental"), 20);
}

}  // namespace
}  // namespace cx
