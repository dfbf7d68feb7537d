// Test helpers for the aggregate of active days (docs/kpi.md): a random hub and its random
// writes, and the comparison of the aggregate (Tx::KpiActivityCounts) with the facts
// (Tx::KpiActiveAccounts, the slow path) for every period and series. Shared by the store contract
// suite (every backend) and the SQLite store's own tests of its tables.
#pragma once

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

namespace cx::activitytest {

using kpitest::Hub;

// Series ids by series ("*" and every division), each sorted.
using IdsBySeries = std::map<std::string, std::vector<std::string>>;

inline std::vector<std::string> AllSeries() {
  std::vector<std::string> out{"*"};
  for (std::string_view d : Divisions()) out.emplace_back(d);
  return out;
}

inline std::string Describe(const Period& p) {
  return FormatDate(p.from) + ".." + FormatDate(p.to);
}

inline Period Days(int64_t from, int64_t to) {
  return Period{CivilFromDays(from), CivilFromDays(to)};
}

// The slow path: the accounts active in [from, to) per series, from the facts.
inline Result<IdsBySeries> Slow(Tx& tx, Timestamp from, Timestamp to) {
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
inline int64_t ExpectAgrees(Hub& h, const Zone& zone, const std::vector<Period>& periods,
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

inline Status Refresh(Hub& h, const Zone& zone) {
  return h.ctx.store->Transaction([&](Tx& tx) { return tx.RefreshKpiActivity(zone); });
}

// Whether the aggregate answers in `zone`, and its "*" count for the day range when it does.
inline std::optional<int64_t> AllCount(Hub& h, const Zone& zone, int64_t from_day, int64_t to_day) {
  std::optional<int64_t> out;
  h.Write([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto got, tx.KpiActivityCounts(zone, from_day, to_day, {"*"}, 10));
    if (got) out = got->at("*").accounts;
    return Status::Ok();
  });
  return out;
}

inline Interaction MakeInteraction(const std::string& id, Timestamp at, const std::string& contact,
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
  template <typename Raw>
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

// The ids the aggregate gives for one local day in `zone` and `series`.
inline std::vector<std::string> IdsOn(Hub& h, const Zone& zone, Date day,
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

}  // namespace cx::activitytest
