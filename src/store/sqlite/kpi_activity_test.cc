// Tests of the KPI activity aggregate (migration 0008, sqlite_tx_kpi_activity.cc): it must give
// the same accounts as the facts themselves (Tx::KpiActiveAccounts, the slow path) for every
// period and series, after a first build, after incremental refreshes of changed accounts, after a
// bulk load and across DST changes; and it must say when it is not up to date.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "domain/division.h"
#include "kpi_test_util.h"
#include "raw_db.h"

namespace cx {
namespace {

using kpitest::Hub;

// Series ids by series ("*" and every division), each sorted.
using IdsBySeries = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> AllSeries() {
  std::vector<std::string> out{"*"};
  for (std::string_view d : Divisions()) out.emplace_back(d);
  return out;
}

std::string Describe(const Period& p) { return FormatDate(p.from) + ".." + FormatDate(p.to); }

Period Days(int64_t from, int64_t to) { return Period{CivilFromDays(from), CivilFromDays(to)}; }

using Raw = testing::RawDb;

// The slow path: the accounts active in [from, to) per series, from the facts.
Result<IdsBySeries> Slow(Tx& tx, Timestamp from, Timestamp to) {
  CX_ASSIGN_OR_RETURN(std::vector<KpiActiveAccount> pairs, tx.KpiActiveAccounts(from, to));
  std::map<std::string, std::set<std::string>> sets;
  for (const auto& p : pairs) {
    sets["*"].insert(p.account_id);
    if (!p.division.empty()) sets[p.division].insert(p.account_id);
  }
  IdsBySeries out;
  for (const auto& s : AllSeries())
    out[s] = std::vector<std::string>(sets[s].begin(), sets[s].end());
  return out;
}

// Compares the aggregate (in `zone`) with the slow path over every period and series: the count,
// the full id list, and the first ids under a small limit. Returns the total of the counts seen
// (so a caller can check the comparison was not over empty periods only).
int64_t ExpectAgrees(Hub& h, const Zone& zone, const std::vector<Period>& periods,
                     const std::string& label) {
  const std::vector<std::string> series = AllSeries();
  int64_t total = 0;
  int mismatches = 0;
  auto report = [&](const std::string& what) {
    if (mismatches++ < 12) ADD_FAILURE() << label << ": " << what;
  };
  // At most 40 ids, for messages.
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t k = 0; k < v.size() && k < 40; ++k) s += (k ? "," : "") + v[k];
    return "[" + s + (v.size() > 40 ? ",..." : "") + "]";
  };
  // The ids of `a` not in `b` (both sorted).
  auto minus = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
  };
  h.Write([&](Tx& tx) -> Status {
    for (const Period& p : periods) {
      PeriodBounds b = BoundsOf(p, zone);
      CX_ASSIGN_OR_RETURN(IdsBySeries want, Slow(tx, b.begin, b.end));
      int64_t from_day = DaysFromCivil(p.from), to_day = DaysFromCivil(p.to);
      CX_ASSIGN_OR_RETURN(auto got, tx.KpiActivityCounts(zone, from_day, to_day, series, 1 << 20));
      CX_ASSIGN_OR_RETURN(auto limited, tx.KpiActivityCounts(zone, from_day, to_day, series, 2));
      if (!got || !limited) {
        report("the aggregate is not up to date for " + Describe(p));
        continue;
      }
      for (const auto& s : series) {
        const std::vector<std::string>& w = want[s];
        total += int64_t(w.size());
        auto g = got->find(s);
        auto l = limited->find(s);
        if (g == got->end() || l == limited->end()) {
          report("no series " + s + " for " + Describe(p));
          continue;
        }
        if (g->second.accounts != int64_t(w.size()) || g->second.ids != w) {
          report(Describe(p) + " series " + s + ": aggregate " +
                 std::to_string(g->second.accounts) + " accounts, facts " +
                 std::to_string(w.size()) + "; ids only in the aggregate " +
                 join(minus(g->second.ids, w)) + ", only in the facts " +
                 join(minus(w, g->second.ids)) +
                 (std::is_sorted(g->second.ids.begin(), g->second.ids.end())
                      ? ""
                      : "; aggregate ids not in id order"));
        }
        std::vector<std::string> first(w.begin(), w.begin() + std::min<size_t>(2, w.size()));
        if (l->second.accounts != int64_t(w.size()) || l->second.ids != first) {
          report(Describe(p) + " series " + s + " limit 2: aggregate " +
                 std::to_string(l->second.accounts) + " " + join(l->second.ids) + ", facts " +
                 std::to_string(w.size()) + " " + join(first));
        }
      }
    }
    return Status::Ok();
  });
  EXPECT_EQ(mismatches, 0) << label << ": mismatched (period, series) checks";
  return total;
}

Status Refresh(Hub& h, const Zone& zone) {
  return h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(zone); });
}

// Whether the aggregate answers in `zone`, and its "*" count for the day range when it does.
std::optional<int64_t> AllCount(Hub& h, const Zone& zone, int64_t from_day, int64_t to_day) {
  std::optional<int64_t> out;
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto got, tx.KpiActivityCounts(zone, from_day, to_day, {"*"}, 10));
    if (got) out = got->at("*").accounts;
    return Status::Ok();
  });
  return out;
}

Interaction MakeInteraction(const std::string& id, Timestamp at, const std::string& contact,
                            const std::string& division) {
  Interaction i;
  i.id = id;
  i.at = at;
  i.contact_id = contact;
  i.channel = "phone";
  i.logged_by = "ada";
  i.division = division;
  i.created_at = at;
  return i;
}

// ---- 1. property test against the slow path ----

// A random hub and the random writes made to it; ids are remembered to pick from.
class World {
 public:
  explicit World(const Zone& zone) : zone_(zone) {}

  static constexpr int kDays = 731;  // 2024-01-01 .. 2025-12-31
  const int64_t day0 = DaysFromCivil(Date{2024, 1, 1});

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[size_t(Uniform(0, int(v.size()) - 1))];
  }

  // A time in the data range, often within two minutes of a local midnight.
  Timestamp Time() {
    int64_t day = day0 + Uniform(0, kDays - 1);
    int secs;
    int r = Uniform(0, 9);
    if (r < 2) {
      secs = 86399 - Uniform(0, 120);
    } else if (r < 4) {
      secs = Uniform(0, 120);
    } else {
      secs = Uniform(0, 86399);
    }
    return zone_.ToUtc(CivilFromDays(day), secs);
  }
  std::string InteractionDivision() {
    static const std::vector<std::string> kDivs{
        "Motors", "Motors", "GRAS", "Medical", "Power & Industrial", ""};
    return Pick(kDivs);
  }
  std::string OrderDivision() {
    static const std::vector<std::string> kDivs{"Motors", "GRAS", "Medical", "Medical",
                                                "Power & Industrial"};
    return Chance(3) ? "" : Pick(kDivs);
  }
  std::string Erp(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "E-%03d", n);
    return buf;
  }
  static std::string Id(const char* prefix, int n) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s-%04d", prefix, n);
    return buf;
  }

  Status Build(Tx& tx) {
    // 30 accounts, 18 of them linked to E-001..E-040 at random; orders use the whole pool, so
    // some ERP ids belong to no account.
    std::vector<int> erps;
    for (int e = 1; e <= kErpPool; ++e) erps.push_back(e);
    std::shuffle(erps.begin(), erps.end(), rng_);
    for (int a = 1; a <= 30; ++a) {
      Account acc;
      acc.id = Id("A", a);
      acc.name = "Company " + acc.id;
      if (a <= 18) acc.erp_customer_id = Erp(erps[size_t(a - 1)]);
      acc.created_at = acc.updated_at = 1;
      CX_RETURN_IF_ERROR(tx.InsertAccount(acc));
      accounts_.push_back(acc.id);
    }
    for (int c = 1; c <= 60; ++c) {
      Contact con;
      con.id = Id("C", c);
      con.full_name = "Person " + con.id;
      if (c % 12 != 0) con.account_id = Pick(accounts_);  // 5 without an account
      con.created_at = con.updated_at = 1;
      CX_RETURN_IF_ERROR(tx.InsertContact(con));
      contacts_.push_back(con.id);
    }
    std::vector<Interaction> rows;
    for (int i = 0; i < 600; ++i) {
      rows.push_back(MakeInteraction(Id("I", ++interaction_seq_), Time(), Pick(contacts_),
                                     InteractionDivision()));
      interactions_.push_back(rows.back().id);
    }
    CX_RETURN_IF_ERROR(tx.InsertInteractions(rows));
    for (int o = 0; o < 300; ++o) CX_RETURN_IF_ERROR(NewOrder(tx));
    return Status::Ok();
  }

  Status NewOrder(Tx& tx) {
    Order o;
    o.id = Id("O", ++order_seq_);
    o.erp_customer_id = Erp(Uniform(1, kErpPool));
    o.division = OrderDivision();
    o.date = Time();
    o.amount = 100;
    CX_RETURN_IF_ERROR(tx.UpsertOrder(o));
    orders_.push_back(o.id);
    return Status::Ok();
  }

  // A random ERP id of the pool that no account holds, or "" when all are taken.
  Result<std::string> FreeErp(Tx& tx) {
    std::vector<std::string> free;
    for (int e = 1; e <= kErpPool; ++e) {
      CX_ASSIGN_OR_RETURN(auto holder, tx.FindAccountByErpId(Erp(e)));
      if (!holder) free.push_back(Erp(e));
    }
    if (free.empty()) return std::string();
    return Pick(free);
  }

  // `n` random writes through the Tx methods: the first nine one of each kind in a random order,
  // the rest of random kinds.
  Status Mutate(Tx& tx, int n) {
    std::vector<int> kinds{0, 1, 2, 3, 4, 5, 6, 7, 8};
    std::shuffle(kinds.begin(), kinds.end(), rng_);
    for (int k = 0; k < n; ++k) {
      switch (k < 9 ? kinds[size_t(k)] : Uniform(0, 8)) {
        case 0: {  // a new interaction
          Interaction i = MakeInteraction(Id("I", ++interaction_seq_), Time(), Pick(contacts_),
                                          InteractionDivision());
          CX_RETURN_IF_ERROR(tx.InsertInteraction(i));
          interactions_.push_back(i.id);
          break;
        }
        case 1:
        case 2: {  // an interaction's time, division or contact changes
          CX_ASSIGN_OR_RETURN(auto i, tx.GetInteraction(Pick(interactions_)));
          if (!i) return Internal("an interaction vanished");
          int what = Uniform(0, 2);
          if (what == 0) i->at = Time();
          if (what == 1) i->division = InteractionDivision();
          if (what == 2) i->contact_id = Pick(contacts_);
          CX_RETURN_IF_ERROR(tx.UpdateInteraction(*i));
          break;
        }
        case 3: {  // a contact moves to another account, or to none
          CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(Pick(contacts_)));
          if (!c) return Internal("a contact vanished");
          c->account_id = Chance(20) ? "" : Pick(accounts_);
          CX_RETURN_IF_ERROR(tx.UpdateContact(*c));
          break;
        }
        case 4: {  // an account is linked to a free ERP id, relinked, or unlinked
          CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Pick(accounts_)));
          if (!a) return Internal("an account vanished");
          if (!a->erp_customer_id.empty() && Chance(40)) {
            a->erp_customer_id.clear();
          } else {
            CX_ASSIGN_OR_RETURN(std::string erp, FreeErp(tx));
            if (erp.empty()) break;
            a->erp_customer_id = erp;
          }
          CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
          break;
        }
        case 5: {  // a new order
          CX_RETURN_IF_ERROR(NewOrder(tx));
          break;
        }
        case 6: {  // an order's date, division or customer changes (the upsert's update)
          CX_ASSIGN_OR_RETURN(auto o, tx.GetOrder(Pick(orders_)));
          if (!o) return Internal("an order vanished");
          int what = Uniform(0, 2);
          if (what == 0) o->date = Time();
          if (what == 1) o->division = OrderDivision();
          if (what == 2) o->erp_customer_id = Erp(Uniform(1, kErpPool));
          CX_RETURN_IF_ERROR(tx.UpsertOrder(*o));
          break;
        }
        case 7: {  // a new account, mostly linked to a free ERP id (whose orders it gains)
          Account acc;
          acc.id = Id("A", 100 + ++account_seq_);
          acc.name = "Company " + acc.id;
          if (Chance(80)) {
            CX_ASSIGN_OR_RETURN(acc.erp_customer_id, FreeErp(tx));
          }
          acc.created_at = acc.updated_at = 1;
          CX_RETURN_IF_ERROR(tx.InsertAccount(acc));
          accounts_.push_back(acc.id);
          new_accounts_.push_back(acc.id);
          break;
        }
        case 8: {  // a new contact of an account, with an interaction
          Contact con;
          con.id = Id("C", 100 + ++contact_seq_);
          con.full_name = "Person " + con.id;
          con.account_id = Pick(accounts_);
          con.created_at = con.updated_at = 1;
          CX_RETURN_IF_ERROR(tx.InsertContact(con));
          contacts_.push_back(con.id);
          Interaction i =
              MakeInteraction(Id("I", ++interaction_seq_), Time(), con.id, InteractionDivision());
          CX_RETURN_IF_ERROR(tx.InsertInteraction(i));
          interactions_.push_back(i.id);
          break;
        }
      }
    }
    return Status::Ok();
  }

  // Writes no Tx method makes (deletes), straight in SQL: the triggers must see them too.
  void MutateRaw(Raw& raw) {
    for (int k = 0; k < 3; ++k) {
      size_t at = size_t(Uniform(0, int(interactions_.size()) - 1));
      raw.Exec("DELETE FROM interactions WHERE id = '" + interactions_[at] + "'");
      interactions_.erase(interactions_.begin() + long(at));
    }
    for (int k = 0; k < 2; ++k) {
      size_t at = size_t(Uniform(0, int(orders_.size()) - 1));
      raw.Exec("DELETE FROM orders WHERE id = '" + orders_[at] + "'");
      orders_.erase(orders_.begin() + long(at));
    }
    // An account added by a mutation that no contact names (so the foreign keys allow it) is
    // deleted or renamed, its orders left behind or following it.
    for (size_t k = 0; k < new_accounts_.size(); ++k) {
      const std::string id = new_accounts_[k];
      if (raw.Int("SELECT count(*) FROM contacts WHERE account_id = '" + id + "'") != 0) continue;
      auto at = std::find(accounts_.begin(), accounts_.end(), id);
      if (++raw_seq_ % 2) {
        raw.Exec("DELETE FROM accounts WHERE id = '" + id + "'");
        new_accounts_.erase(new_accounts_.begin() + long(k));
        accounts_.erase(at);
      } else {
        std::string renamed = "A-R" + std::to_string(raw_seq_);
        raw.Exec("UPDATE accounts SET id = '" + renamed + "' WHERE id = '" + id + "'");
        new_accounts_[k] = *at = renamed;
      }
      break;
    }
  }

  // `n` periods: random ranges (single days, weeks, quarters, years) and periods before, after
  // and around all the data.
  std::vector<Period> Periods(int n) {
    std::vector<Period> out{
        Days(day0 - 400, day0 - 1),             // the year before any fact
        Days(day0 - 1, day0 - 1),               // the day before the first
        Days(day0 + kDays, day0 + kDays),       // the day after the last
        Days(day0 + kDays, day0 + kDays + 90),  // after every fact
        Days(day0 - 10, day0 + kDays + 10),     // everything
        Days(day0, day0),                       // the first day of the range
        Days(day0 + kDays - 1, day0 + kDays - 1),
    };
    while (int(out.size()) < n) {
      int64_t from = day0 - 40 + Uniform(0, kDays + 80);
      int r = Uniform(0, 9);
      int64_t len = r < 4 ? 0 : r < 6 ? Uniform(1, 7) : r < 9 ? Uniform(8, 120) : Uniform(121, 800);
      out.push_back(Days(from, from + len));
    }
    return out;
  }

  const std::vector<std::string>& interactions() const { return interactions_; }

 private:
  static constexpr int kErpPool = 40;
  Zone zone_;
  std::mt19937 rng_{20260921};
  int interaction_seq_ = 0, order_seq_ = 0, account_seq_ = 0, contact_seq_ = 0, raw_seq_ = 0;
  std::vector<std::string> accounts_, contacts_, interactions_, orders_, new_accounts_;
};

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

// ---- 3. the id limit ----

TEST(KpiActivity, IdLimitGivesTheSmallestIdsAndTheFullCount) {
  Hub h;
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

// ---- 5. day boundaries ----

// The ids the aggregate gives for one local day in `zone` and `series`.
std::vector<std::string> IdsOn(Hub& h, const Zone& zone, Date day,
                               const std::string& series = "*") {
  std::vector<std::string> out{"<not up to date>"};
  h.Write([&](Tx& tx) -> Status {
    int64_t d = DaysFromCivil(day);
    CX_ASSIGN_OR_RETURN(auto got, tx.KpiActivityCounts(zone, d, d, {series}, 100));
    if (got) out = got->at(series).ids;
    return Status::Ok();
  });
  return out;
}

using Ids = std::vector<std::string>;

TEST(KpiActivity, LocalMidnightSeparatesDaysInLagos) {
  Hub h;
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
TEST(KpiActivity, LocalDaysFollowDstInBerlin) {
  Hub h;
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
