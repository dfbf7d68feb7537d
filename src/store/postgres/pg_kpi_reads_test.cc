// What the KPIs and the SLA clocks read on PostgreSQL, by the server's counters
// (docs/postgresql.md, "KPI facts").
// The orders of a period (KpiOrders: the average spend's count and sum) come from the sums kept
// per division and day (0077), the period's part-days from the orders: the pages of `orders`
// read do not grow with the orders of the period. Before, a quarter's count and exact sum read
// every order of the division in it (an index-only scan of the covering index, each amount
// converted to numeric: 10-20 ms a statement, 66 a scorecard with trend, at the KPI
// benchmark's scale 0.2). Run by the ctest entry pg_kpi_reads (label pg) on a throwaway server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kpi_test_util.h"
#include "pg_test_hub.h"
#include "service/sla_service.h"
#include "store/logic/activity_days.h"
#include "store/open/open_store.h"
#include "store/postgres/pg_db.h"
#include "test_store_url.h"

namespace cx {
namespace {

constexpr int64_t kDay = 86400;

class PgKpiReads : public testing::PgServerTest {
 protected:
  PgKpiReads() : PgServerTest("pg_kpi_reads", "PgKpiReads") {}
};

// Pages of `orders` (table and indexes) read so far by every connection but `db`'s own.
int64_t OrderPagesRead(pg::Db& db) { return testing::TablePagesRead(db, "orders"); }

// 20,000 orders of GRAS over 100 days (200 a day, amounts in quarters: every sum exact), a few
// of Medical; the orders of a quarter read twice: from midnight to midnight (UTC), and from
// 22:00 (a zone two hours east's midnight). Each answer is the one of adding the orders.
TEST_F(PgKpiReads, AQuarterOfOrdersIsSummedFromItsDays) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  constexpr int kOrders = 20000;
  auto date_of = [](int i) { return int64_t(i) * (100 * kDay / kOrders) + 7; };
  auto amount_of = [](int i) { return double(i % 997) / 4; };
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    Status st = (*store)->Transaction([&](Tx& tx) -> Status {
      std::vector<Order> rows(kOrders + 50);
      std::vector<const Order*> ptrs;
      for (int i = 0; i < int(rows.size()); ++i) {
        Order& o = rows[i];
        char id[16];
        std::snprintf(id, sizeof id, "R-%06d", i);
        o.id = id;
        o.erp_customer_id = "E-" + std::to_string(i % 500);
        o.division = i < kOrders ? "GRAS" : "Medical";
        o.date = i < kOrders ? date_of(i) : (i - kOrders) * kDay;
        o.amount = amount_of(i);
        ptrs.push_back(&o);
      }
      return tx.InsertOrders(ptrs);
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  // Statistics and the visibility map, as autovacuum leaves them: the old read was then an
  // index-only scan, its cheapest.
  ASSERT_TRUE((*reader)->ExecScript("VACUUM (ANALYZE) orders").ok());
  struct Period {
    int64_t from, to;
  };
  for (const Period p : {Period{5 * kDay, 95 * kDay}, Period{5 * kDay - 7200, 95 * kDay - 7200}}) {
    int64_t orders = 0;
    double amount = 0;
    for (int i = 0; i < kOrders; ++i)
      if (date_of(i) >= p.from && date_of(i) < p.to) {
        ++orders;
        amount += amount_of(i);
      }
    const int64_t before = OrderPagesRead(**reader);
    KpiOrderStats stats;
    {
      auto store = OpenStore(url);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      Status st = (*store)->Read([&](Tx& tx) -> Status {
        CX_ASSIGN_OR_RETURN(stats, tx.KpiOrders("GRAS", p.from, p.to));
        return Status::Ok();
      });
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
    const int64_t pages = OrderPagesRead(**reader) - before;
    EXPECT_EQ(stats.orders, orders);
    EXPECT_EQ(stats.amount, amount);
    // The old read: every entry of the period in the covering index, some 18,000 (over 100
    // pages). Now the two part-days' entries at most (400 orders: a few pages each).
    EXPECT_LT(pages, 20) << "the orders of [" << p.from << ", " << p.to << ") read " << pages
                         << " pages of orders for " << orders << " orders";
  }
}

// Scans of interactions (sequential or by an index) so far by every connection but `db`'s own.
int64_t InteractionScans(pg::Db& db) {
  testing::WaitForOtherConnections(db);
  auto r = db.Query(
      "SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE "
      "relname = 'interactions'");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? r->Int(0) : -1;
}

// The shipped rules clock Motors' opportunities (inquiry) and Power & Industrial's (lead). Each
// opportunity's first interactions per logger are grouped from every interaction carrying an
// opportunity ID: the SLA clocks read them once for both divisions, where a read per division
// grouped them twice (100-170 ms of the server each at the KPI benchmark's scale 0.2).
TEST_F(PgKpiReads, TheSlaClocksOfTwoDivisionsGroupTheInteractionsOnce) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  size_t clocks = 0;
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  int64_t before = 0;
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    kpitest::Hub h(store->get());
    h.Write([&](Tx& tx) {
      h.Account(tx, "A-1");
      h.Contact(tx, "C-1", "A-1");
      for (int i = 0; i < 20; ++i) {
        const std::string id = "O-" + std::to_string(100 + i);
        h.Opp(tx, id, i % 2 ? "Motors" : "Power & Industrial", 1700000000 + i * 3600, "ada");
        h.Interact(tx, "I-" + std::to_string(i), 1700000000 + i * 3600 + 600, "ada", id);
      }
      return Status::Ok();
    });
    before = InteractionScans(**reader);
    SlaQuery q;
    q.all = true;
    auto items = ComputeSla(h.ctx, q);
    ASSERT_TRUE(items.ok()) << items.status().ToString();
    clocks = items->size();
  }
  EXPECT_EQ(clocks, 20u);
  EXPECT_EQ(InteractionScans(**reader) - before, 1)
      << "the SLA clocks of Motors and Power & Industrial grouped the interactions more than once";
}

// Pages of the KPI change lists (tables and indexes) read so far by every connection but `db`'s.
int64_t ChangeListPagesRead(pg::Db& db) {
  return testing::TablePagesRead(db, "kpi_activity_dirty,kpi_customer_dirty,kpi_funnel_dirty");
}

// Whether the aggregate of active days and the funnel answer (are up to date) in a read.
struct Ready {
  bool activity = false, funnel = false;
  int64_t active = -1;  // accounts active in the days read, when the aggregate answered
};
Ready ReadAggregates(Store& store, const Zone& zone) {
  Ready out;
  Status st = store.Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto counts, tx.KpiActivityCounts(zone, 0, 30000, {"*"}, 0));
    out.activity = counts.has_value();
    if (counts) out.active = (*counts)["*"].accounts;
    CX_ASSIGN_OR_RETURN(auto funnel, tx.KpiFunnel(KpiFunnelAxis::kCreated, "GRAS", 0, 1LL << 40));
    out.funnel = funnel.has_value();
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

// A move or a sync appends a row to the change lists per account, customer and opportunity it
// writes; the first refresh after it deletes them (DELETE, so that readers keep their
// snapshot), and until autovacuum every readiness check of the aggregates read the pages of
// those dead rows (13-24 ms a check after a move at the KPI benchmark's scale 0.2, 33 checks a
// scorecard with its trend). A check now looks up the change lists' index of writing
// transactions after the last refresh's (0078): a few pages, whatever the dead rows. It still
// sees a change the refresh could not see (a transaction that began before it and committed
// after it).
TEST_F(PgKpiReads, AReadinessCheckAfterManyChangesSkipsTheirDeadRows) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  // Each step on a store of its own, closed after it: a connection hands over its counts of
  // pages read as it ends.
  const Zone zone = kpitest::Hub(nullptr).ctx.zone;
  auto write = [&](const std::function<Status(kpitest::Hub&, Tx&)>& fn) {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    kpitest::Hub h(store->get());
    h.Write([&](Tx& tx) { return fn(h, tx); });
  };
  auto refresh = [&] {
    write([&](kpitest::Hub&, Tx& tx) {
      CX_RETURN_IF_ERROR(tx.RefreshKpiActivity(zone));
      return tx.RefreshKpiFunnel();
    });
  };
  auto read = [&] {
    auto store = OpenStore(url);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? ReadAggregates(**store, zone) : Ready{};
  };
  write([](kpitest::Hub&, Tx&) { return Status::Ok(); });  // migrated
  // The dead rows stay, as they do on a busy server until autovacuum comes.
  ASSERT_TRUE((*reader)
                  ->ExecScript("ALTER TABLE kpi_activity_dirty SET (autovacuum_enabled = off); "
                               "ALTER TABLE kpi_customer_dirty SET (autovacuum_enabled = off); "
                               "ALTER TABLE kpi_funnel_dirty SET (autovacuum_enabled = off)")
                  .ok());
  constexpr int kAccounts = 8000;
  write([&](kpitest::Hub& h, Tx& tx) {
    for (int i = 0; i < kAccounts; ++i)
      h.Account(tx, "A-" + std::to_string(i), "E-" + std::to_string(i));
    h.Contact(tx, "C-1", "A-1");
    for (int i = 0; i < 2000; ++i) h.Opp(tx, "O-" + std::to_string(i), "GRAS", 1700000000 + i * 60);
    std::vector<Order> rows(kAccounts);
    std::vector<const Order*> ptrs;
    for (int i = 0; i < kAccounts; ++i) {
      rows[i].id = "R-" + std::to_string(i);
      rows[i].erp_customer_id = "E-" + std::to_string(i);
      rows[i].division = "GRAS";
      rows[i].date = 1700000000 + i * 60;
      rows[i].amount = 10;
      ptrs.push_back(&rows[i]);
    }
    return tx.InsertOrders(ptrs);
  });
  refresh();

  const int64_t before = ChangeListPagesRead(**reader);
  const Ready ready = read();
  const int64_t pages = ChangeListPagesRead(**reader) - before;
  EXPECT_TRUE(ready.activity);
  EXPECT_TRUE(ready.funnel);
  EXPECT_EQ(ready.active, kAccounts);
  // Before: every page of the three lists' dead rows (26,000 rows, some 150 pages). Now the end
  // of each list's index.
  EXPECT_LE(pages, 20) << "the readiness checks read " << pages << " pages of the change lists";

  // A writer that began before a refresh and commits after it: the refresh did not see its
  // order, and the aggregate is not up to date until the next refresh.
  auto writer = pg::Db::Connect(url);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)
                  ->ExecScript("BEGIN; INSERT INTO orders (id, erp_customer_id, date, division, "
                               "amount) VALUES ('R-late', 'E-late', 1700000000, 'GRAS', 5)")
                  .ok());
  // Another order, committed: the refresh takes its change (and so moves where the checks look).
  write([](kpitest::Hub& h, Tx& tx) {
    h.OrderRow(tx, "R-more", "E-1", "GRAS", 1700000600, 7);
    return Status::Ok();
  });
  refresh();
  ASSERT_TRUE((*writer)->ExecScript("COMMIT").ok());
  EXPECT_FALSE(read().activity)
      << "an order committed after the refresh, by a transaction older than it, went unseen";
  refresh();
  const Ready after = read();
  EXPECT_TRUE(after.activity);
  EXPECT_EQ(after.active, kAccounts);  // E-late is no account's customer
}

// Pages of the aggregate of active days' pairs (kpi_activity_firsts, and kpi_activity_starts
// where it exists: heap, indexes and TOAST) read so far by every connection but `db`'s own.
int64_t PairPagesRead(pg::Db& db) {
  testing::WaitForOtherConnections(db);
  auto r = db.Query(
      "SELECT COALESCE(sum(COALESCE(heap_blks_read, 0) + COALESCE(heap_blks_hit, 0) + "
      "COALESCE(idx_blks_read, 0) + COALESCE(idx_blks_hit, 0) + COALESCE(toast_blks_read, 0) + "
      "COALESCE(toast_blks_hit, 0) + COALESCE(tidx_blks_read, 0) + COALESCE(tidx_blks_hit, 0)), "
      "0)::bigint FROM pg_statio_user_tables WHERE relname IN ('kpi_activity_firsts', "
      "'kpi_activity_starts')");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && r->Next() ? r->Int(0) : -1;
}

// A hub of 1,000 customers (accounts A-c with ERP Customer ID E-c), each ordering in GRAS on
// some 30 days of 600 (so every day's previous days spread over weeks), its aggregate of active
// days built; `from_day`..`to_day`: a quarter in the middle.
class OrdersHub {
 public:
  static constexpr int kCustomers = 1000, kDays = 600;
  static constexpr int64_t kBase = 1700000000 - 1700000000 % kDay + kDay / 2;  // a UTC noon

  explicit OrdersHub(std::string url) : url_(std::move(url)), local_(zone) {
    for (int c = 0; c < kCustomers; ++c)
      for (int d = 0; d < kDays; ++d)
        if (Active(c, d)) orders_.emplace_back(c, d);
    from_day = local_.Of(kBase + 300 * kDay);
    to_day = from_day + 89;
    Write([&](Tx& tx) -> Status {
      kpitest::Hub h(nullptr);
      for (int c = 0; c < kCustomers; ++c)
        h.Account(tx, "A-" + std::to_string(c), "E-" + std::to_string(c));
      std::vector<Order> rows;
      for (size_t i = 0; i < orders_.size(); ++i) rows.push_back(OrderOf(i));
      std::vector<const Order*> ptrs;
      for (const auto& o : rows) ptrs.push_back(&o);
      return tx.InsertOrders(ptrs);
    });
    Refresh();
  }
  static bool Active(int c, int d) {
    return (uint32_t(c) * 2654435761u ^ uint32_t(d) * 40503u) % 97 < 5;
  }
  void Write(const std::function<Status(Tx&)>& fn) {
    auto store = OpenStore(url_);
    ASSERT_TRUE(store.ok() && (*store)->Migrate().ok());
    Status st = (*store)->Transaction(fn);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void Refresh() {
    Write([&](Tx& tx) { return tx.RefreshKpiActivity(zone); });
  }
  // Customer c orders on day d (of kBase) too.
  void AddOrder(int c, int d) {
    orders_.emplace_back(c, d);
    Write([&](Tx& tx) -> Status {
      const Order o = OrderOf(orders_.size() - 1);
      return tx.InsertOrders({&o});
    });
  }
  // The customers with an order on a local day of the quarter.
  int64_t ActiveInQuarter() const {
    std::set<int> seen;
    for (const auto& [c, d] : orders_) {
      const int64_t day = local_.Of(kBase + d * kDay);
      if (day >= from_day && day <= to_day) seen.insert(c);
    }
    return int64_t(seen.size());
  }
  // `fn` in a read of the hub, on a store closed after it.
  void Read(const std::function<Status(Tx&)>& fn) {
    auto store = OpenStore(url_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Status st = (*store)->Read(fn);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }

  const Zone zone = kpitest::Hub(nullptr).ctx.zone;
  int64_t from_day = 0, to_day = 0;

 private:
  Order OrderOf(size_t i) const {
    Order o;
    o.id = "R-" + std::to_string(i);
    o.erp_customer_id = "E-" + std::to_string(orders_[i].first);
    o.division = "GRAS";
    o.date = kBase + orders_[i].second * kDay;
    o.amount = 10;
    return o;
  }
  std::string url_;
  mutable LocalDays local_;
  std::vector<std::pair<int, int>> orders_;  // (customer, day)
};

// The accounts active in a quarter are counted right, before and after a refresh that adds a
// day, and the count reads about a row a day of the quarter. Summed from the pairs themselves,
// it passed every (day, previous day) pair of the quarter's days: 11,600 a series for a quarter
// at the KPI benchmark's scale 0.2, 5 ms a series.
TEST_F(PgKpiReads, TheActiveAccountsOfAQuarterAreCountedARowADay) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  OrdersHub hub(url);
  auto count = [&](int64_t* pages) {
    const int64_t before = PairPagesRead(**reader);
    std::map<std::string, int64_t> out;
    hub.Read([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(
          auto counts, tx.KpiActivityCounts(hub.zone, hub.from_day, hub.to_day, {"*", "GRAS"}, 0));
      EXPECT_TRUE(counts.has_value()) << "the aggregate is not up to date";
      if (counts)
        for (const auto& [series, c] : *counts) out[series] = c.accounts;
      return Status::Ok();
    });
    *pages = PairPagesRead(**reader) - before;
    return out;
  };
  int64_t pages = 0;
  auto counts = count(&pages);
  EXPECT_EQ(counts["*"], hub.ActiveInQuarter());
  EXPECT_EQ(counts["GRAS"], hub.ActiveInQuarter());
  // Before: every pair of the quarter's days, for each of the two series: 63 pages. Now 90 rows
  // a series: 20 pages.
  EXPECT_LT(pages, 40) << "counting the active accounts of a quarter read " << pages
                       << " pages of the pairs";

  // A customer inactive in the quarter orders in it: the refresh changes that day's pairs.
  int idle = -1;
  for (int c = 0; c < OrdersHub::kCustomers && idle < 0; ++c) {
    bool any = false;
    for (int d = 295; d < 395; ++d) any = any || OrdersHub::Active(c, d);
    if (!any) idle = c;
  }
  ASSERT_GE(idle, 0);
  hub.AddOrder(idle, 333);
  hub.Refresh();
  counts = count(&pages);
  EXPECT_EQ(counts["*"], hub.ActiveInQuarter());
  EXPECT_EQ(counts["GRAS"], hub.ActiveInQuarter());
}

// Pages of kpi_activity (table and indexes) read so far by every connection but `db`'s own.
int64_t ActivityPagesRead(pg::Db& db) { return testing::TablePagesRead(db, "kpi_activity"); }

// repeat_customer_rate's ids of a quarter (the first five returning customers and the first five
// others, by id) are the facts' answer, read from the customers' two series: the active
// customers of the orders series came in pages of 2,000, each joined to its returns row by a
// merge join over the index of every series' rows by id.
TEST_F(PgKpiReads, TheRepeatCustomersIdsOfAQuarterReadTheirTwoSeries) {
  const std::string url = FreshServerDatabase(server_);
  ASSERT_FALSE(url.empty()) << "could not make a database on " << server_;
  auto reader = pg::Db::Connect(url);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  OrdersHub hub(url);
  ASSERT_TRUE((*reader)->ExecScript("VACUUM (ANALYZE) kpi_activity").ok());
  const int64_t before = ActivityPagesRead(**reader);
  std::optional<KpiRepeatStats> fast;
  hub.Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(fast,
                        tx.KpiRepeatCustomersByDay(hub.zone, "GRAS", hub.from_day, hub.to_day, 5));
    return Status::Ok();
  });
  const int64_t pages = ActivityPagesRead(**reader) - before;
  KpiRepeatStats slow;
  hub.Read([&](Tx& tx) -> Status {
    const Timestamp from = hub.zone.ToUtc(CivilFromDays(hub.from_day), 0);
    const Timestamp to = hub.zone.ToUtc(CivilFromDays(hub.to_day + 1), 0);
    CX_ASSIGN_OR_RETURN(slow, tx.KpiRepeatCustomers("GRAS", from, to, kKpiRepeatGapSeconds, 5));
    return Status::Ok();
  });
  ASSERT_TRUE(fast.has_value()) << "the aggregate is not up to date";
  EXPECT_EQ(fast->customers, hub.ActiveInQuarter());
  EXPECT_EQ(fast->customers, slow.customers);
  EXPECT_EQ(fast->returning, slow.returning);
  EXPECT_EQ(fast->returning_ids, slow.returning_ids);
  EXPECT_EQ(fast->other_ids, slow.other_ids);
  EXPECT_EQ(int64_t(fast->returning_ids.size()), std::min<int64_t>(5, fast->returning));
  EXPECT_EQ(int64_t(fast->other_ids.size()),
            std::min<int64_t>(5, fast->customers - fast->returning));
  // Before: 133 pages (the merge join passed the rows of every series by id). Now 5.
  EXPECT_LT(pages, 60) << "five ids of each kind read " << pages << " pages of kpi_activity";
}

}  // namespace
}  // namespace cx
