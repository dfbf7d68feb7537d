// The repeat customer rate from the activity aggregate (order and return days per ERP customer,
// 0008_kpi_activity.sql) gives exactly what the scan of the orders gives, for random orders,
// random periods and after rounds of writes, including the 183-day boundary to the second.
#include <sqlite3.h>

#include <random>

#include "domain/kpi.h"
#include "kpi_test_util.h"

namespace cx {
namespace {

using kpitest::Hub;

constexpr const char* kDivisions[] = {"GRAS", "Cube 65", "Motors"};

Status Refresh(Hub& h) {
  return h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(h.ctx.zone); });
}

// Compares both paths for every division over `periods`; returns the customers seen in all.
int64_t ExpectAgrees(Hub& h, const std::vector<Period>& periods, int id_limit,
                     const std::string& label) {
  int64_t seen = 0;
  int failures = 0;
  h.Write([&](Tx& tx) -> Status {
    for (const auto& p : periods) {
      PeriodBounds b = BoundsOf(p, h.ctx.zone);
      for (const char* d : kDivisions) {
        CX_ASSIGN_OR_RETURN(auto fast,
                            tx.KpiRepeatCustomersByDay(h.ctx.zone, d, DaysFromCivil(p.from),
                                                       DaysFromCivil(p.to), id_limit));
        CX_ASSIGN_OR_RETURN(
            auto slow, tx.KpiRepeatCustomers(d, b.begin, b.end, kKpiRepeatGapSeconds, id_limit));
        EXPECT_TRUE(fast.has_value()) << label;
        if (!fast) return Status::Ok();
        std::string where = label + ", " + d + ", " + FormatDate(p.from) + ".." + FormatDate(p.to);
        if (fast->customers != slow.customers || fast->returning != slow.returning ||
            fast->returning_ids != slow.returning_ids || fast->other_ids != slow.other_ids) {
          if (failures++ < 10) {
            ADD_FAILURE() << where << ": customers " << fast->customers << " vs " << slow.customers
                          << ", returning " << fast->returning << " vs " << slow.returning
                          << ", ids " << fast->returning_ids.size() << "/" << fast->other_ids.size()
                          << " vs " << slow.returning_ids.size() << "/" << slow.other_ids.size();
          }
        }
        seen += slow.customers;
      }
    }
    return Status::Ok();
  });
  return seen;
}

std::vector<Period> RandomPeriods(std::mt19937& rng, int n) {
  std::vector<Period> out;
  const int64_t base = DaysFromCivil(Date{2025, 1, 1});
  for (int i = 0; i < n; ++i) {
    int64_t a = base + int64_t(rng() % 700);
    int64_t len = (i % 3 == 0) ? 0 : int64_t(rng() % 120);
    out.push_back(Period{CivilFromDays(a), CivilFromDays(a + len)});
  }
  return out;
}

TEST(KpiRepeatAggregate, AgreesWithTheOrderScanThroughWrites) {
  Hub h;
  std::mt19937 rng(11);
  int next = 0;
  auto add_orders = [&](Tx& tx, int n) {
    for (int i = 0; i < n; ++i) {
      std::string erp = "E-" + std::to_string(rng() % 25);
      if (rng() % 40 == 0) erp = " ";  // a blank customer id is no customer
      Timestamp t = h.L(2025, 1, 1) + Timestamp(rng() % (700 * 86400));
      h.OrderRow(tx, "R-" + std::to_string(next++), erp, kDivisions[rng() % 3], t, 10);
    }
  };
  h.Write([&](Tx& tx) -> Status {
    add_orders(tx, 400);
    // Exactly 183 days apart returns; a second more does not; equal times are not earlier.
    Timestamp t = h.L(2025, 3, 1, 10);
    h.OrderRow(tx, "B-1", "EDGE-1", "GRAS", t, 1);
    h.OrderRow(tx, "B-2", "EDGE-1", "GRAS", t + kKpiRepeatGapSeconds, 1);
    h.OrderRow(tx, "B-3", "EDGE-2", "GRAS", t, 1);
    h.OrderRow(tx, "B-4", "EDGE-2", "GRAS", t + kKpiRepeatGapSeconds + 1, 1);
    h.OrderRow(tx, "B-5", "EDGE-3", "GRAS", t, 1);
    h.OrderRow(tx, "B-6", "EDGE-3", "GRAS", t, 1);
    return Status::Ok();
  });
  ASSERT_TRUE(Refresh(h).ok());
  std::vector<Period> periods = RandomPeriods(rng, 60);
  Date edge = CivilFromDays(DaysFromCivil(Date{2025, 3, 1}) + 183);
  periods.push_back(Period{edge, edge});
  periods.push_back(Period{{2025, 3, 1}, {2025, 3, 1}});
  EXPECT_GT(ExpectAgrees(h, periods, 1000, "first build"), 300);
  EXPECT_GT(ExpectAgrees(h, periods, 3, "small id limit"), 300);
  // The boundary cases, stated outright.
  h.Write([&](Tx& tx) -> Status {
    int64_t d = DaysFromCivil(edge);
    CX_ASSIGN_OR_RETURN(auto r, tx.KpiRepeatCustomersByDay(h.ctx.zone, "GRAS", d, d, 100));
    EXPECT_TRUE(r.has_value());
    if (r) {
      EXPECT_NE(std::find(r->returning_ids.begin(), r->returning_ids.end(), "EDGE-1"),
                r->returning_ids.end());
    }
    int64_t first = DaysFromCivil(Date{2025, 3, 1});
    CX_ASSIGN_OR_RETURN(auto s, tx.KpiRepeatCustomersByDay(h.ctx.zone, "GRAS", first, first, 100));
    if (s) {
      EXPECT_EQ(std::find(s->returning_ids.begin(), s->returning_ids.end(), "EDGE-3"),
                s->returning_ids.end());
      EXPECT_NE(std::find(s->other_ids.begin(), s->other_ids.end(), "EDGE-3"), s->other_ids.end());
    }
    return Status::Ok();
  });

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((h.dir() + "/hub.db").c_str(), &db), SQLITE_OK);
  for (int round = 0; round < 4; ++round) {
    h.Write([&](Tx& tx) -> Status {
      add_orders(tx, 15);
      // Re-dating and moving existing orders through the same upsert the ERP sync uses.
      for (int i = 0; i < 5; ++i) {
        std::string id = "R-" + std::to_string(rng() % 400);
        CX_ASSIGN_OR_RETURN(auto o, tx.GetOrder(id));
        if (!o) continue;
        o->date += Timestamp(rng() % 200) * 86400;
        o->division = kDivisions[rng() % 3];
        CX_RETURN_IF_ERROR(tx.UpsertOrder(*o));
      }
      return Status::Ok();
    });
    std::string del = "DELETE FROM orders WHERE id = 'R-" + std::to_string(rng() % 400) + "'";
    ASSERT_EQ(sqlite3_exec(db, del.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_TRUE(Refresh(h).ok());
    EXPECT_GT(ExpectAgrees(h, periods, 1000, "round " + std::to_string(round)), 300);
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace cx
