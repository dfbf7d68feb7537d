// KPI and weekly-review benchmark: generates a large hub with prepared inserts, then times the
// quarter's scorecard and the weekly pack and reports peak memory. Usage:
//   kpi_bench --db /tmp/kpi_bench.db [--scale 1.0] [--generate] [--rename] [--runs 3] [--show 12]
//             [--no-pack] [--store URL]
// (--store: measure on another store, say a PostgreSQL hub that `move-store` filled from the
// SQLite hub at --db, which --generate still writes; the weeks of edits are then counted in
// DB.store.weeks.)
// (--show: how many of the slowest KPIs to list; --no-pack: time only the scorecards; --rename:
// give a hub generated before the realistic names those names). Before each pack, a week of
// edits goes through the store, so that the pack brings its aggregates up to date as it would.
// Each week's edits are new to the hub: the weeks already applied are counted in DB.weeks, so a
// rerun on the same hub does not replay edits the hub has already absorbed (that flattered the
// pack: its duplicate index had nothing left to refile).
// Scale 1.0 = 10,000,000 interactions, 1,000,000 opportunities, 5,000,000 orders (plus 200k
// accounts, 400k contacts, ~2.5M stage history rows, 100k cases, 200k feedback), spread over
// 2024-01-01..2026-12-31.
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "render/review_html.h"
#include "render/review_xlsx.h"
#include "service/dedupe.h"
#include "service/kpi_service.h"
#include "service/review_service.h"
#include "store/open/open_store.h"

namespace {

using cx::Timestamp;

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), err ? err : "?");
    std::exit(1);
  }
}

struct Ins {
  sqlite3* db;
  sqlite3_stmt* s = nullptr;
  Ins(sqlite3* d, const char* sql) : db(d) {
    Check(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), db, sql);
  }
  ~Ins() { sqlite3_finalize(s); }
  Ins& T(int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Ins& I(int i, int64_t v) {
    sqlite3_bind_int64(s, i, v);
    return *this;
  }
  Ins& D(int i, double v) {
    sqlite3_bind_double(s, i, v);
    return *this;
  }
  Ins& N(int i) {
    sqlite3_bind_null(s, i);
    return *this;
  }
  void Run() {
    Check(sqlite3_step(s), db, "insert");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

std::string Id(const char* p, int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%07lld", p, static_cast<long long>(n));
  return buf;
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Realistic names: two made-up words of three syllables and a trade (accounts), a first name and
// a made-up surname (contacts), so that the duplicate detection meets the variety of real
// names. Every 50th account is a typo'd twin of the one before it, and every 100th contact of
// the second 200,000 a typo'd twin of the contact of the same account before it: planted
// duplicates, as a real hub has.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

std::string MadeUpWord(uint64_t h) {
  static const char* kSyl[] = {"ka",  "ba", "to",  "lu", "ni", "mo", "de", "ye", "chi", "nwa",
                               "ola", "fe", "gbe", "ra", "si", "ke", "du", "ma", "zo",  "ri",
                               "wa",  "po", "ge",  "ta", "bu", "la", "an", "em", "ko",  "su"};
  std::string w;
  for (int i = 0; i < 3; ++i, h /= 30) w += kSyl[h % 30];
  w[0] = char(w[0] - 'a' + 'A');
  return w;
}

std::string Typo(std::string name, uint64_t h) {
  const size_t at = 1 + size_t(h % (name.size() - 2));  // never the first or last letter
  if (name[at] != ' ') name.erase(at, 1);
  return name;
}

std::string AccountName(int64_t i) {
  static const char* kTrade[] = {"Engineering", "Motors", "Foods",   "Logistics", "Power",
                                 "Medical",     "Steel",  "Trading", "Services",  "Industries",
                                 "Pharma",      "Agro",   "Energy",  "Holdings",  "Construction"};
  static const char* kSuffix[] = {"Ltd", "Limited", "Plc", "Nig. Ltd", "", "", "& Sons", "Co"};
  if (i % 50 == 49) return Typo(AccountName(i - 1), Mix(uint64_t(i) * 7));
  const uint64_t h = Mix(uint64_t(i) + 1);
  std::string n = MadeUpWord(h) + " " + MadeUpWord(h >> 16) + " " + kTrade[(h >> 40) % 15];
  const char* suffix = kSuffix[(h >> 50) % 8];
  return *suffix ? n + " " + suffix : n;
}

std::string ContactName(int64_t i, int64_t n_acc) {
  static const char* kFirst[] = {"Ngozi",  "Tunde",  "Amaka", "Sani",   "Chidi", "Funke",
                                 "Emeka",  "Aisha",  "Bola",  "Ifeoma", "Musa",  "Kemi",
                                 "Obinna", "Zainab", "Segun", "Halima", "Uche",  "Yemi"};
  if (i >= n_acc && i < 2 * n_acc && i % 100 == 0)
    return Typo(ContactName(i - n_acc, n_acc), Mix(uint64_t(i) * 11));
  const uint64_t h = Mix(uint64_t(i) + 0x9e3779b97f4a7c15ULL);
  return std::string(kFirst[h % 18]) + " " + MadeUpWord(h >> 8);
}

// The generator's inserts, one per table it fills.
const char* const kInserts[] = {
    "INSERT INTO accounts (id, name, name_key, erp_customer_id, created_at, updated_at) VALUES "
    "(?1, ?2, ?3, ?4, 0, 0)",
    "INSERT INTO contacts (id, full_name, name_key, account_id, created_at, updated_at) VALUES "
    "(?1, ?2, ?3, ?4, 0, 0)",
    "INSERT INTO opportunities (id, account_id, division, owner, stage, created, closed, "
    "outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO stage_history (opportunity_id, stage, entered) VALUES (?1, ?2, ?3)",
    "INSERT INTO cases (id, account_id, division, kind, opened, resolution_confirmed, closed) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO feedback (id, date, division, kind, score) VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO interactions (id, at, contact_id, channel, logged_by, division, opportunity_id, "
    "case_id, next_action, next_action_due, created_at) VALUES (?1, ?2, ?3, 'phone', ?4, ?5, "
    "?6, ?7, ?8, ?9, ?2)",
    "INSERT INTO orders (id, erp_customer_id, date, division, amount) VALUES (?1, ?2, ?3, ?4, "
    "?5)",
};
enum Insert { kAccount, kContact, kOpportunity, kStage, kCase, kFeedback, kInteraction, kOrder };

// The indexes the trigger programs of the generator's inserts read, from their plans (with
// the trigger programs shown): whatever trigger a later migration adds, its look-ups stay
// indexed while the rest of the indexes are dropped.
std::set<std::string> IndexesTriggersRead(sqlite3* db) {
  std::set<std::string> keep;
  int on = 0;
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRIGGER_EQP, 1, &on);
  const std::regex index("USING (?:COVERING )?INDEX (\\w+)");
  for (const char* sql : kInserts) {
    sqlite3_stmt* s = nullptr;
    Check(
        sqlite3_prepare_v2(db, (std::string("EXPLAIN QUERY PLAN ") + sql).c_str(), -1, &s, nullptr),
        db, sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
      const std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
      std::smatch m;
      if (std::regex_search(detail, m, index)) keep.insert(m[1].str());
    }
    sqlite3_finalize(s);
  }
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRIGGER_EQP, 0, &on);
  return keep;
}

void Generate(const std::string& path, double scale) {
  auto t0 = std::chrono::steady_clock::now();
  const int64_t n_acc = int64_t(200000 * scale), n_con = int64_t(400000 * scale);
  {
    auto store = cx::OpenStore("sqlite:" + path);
    if (!store.ok() || !(*store)->Migrate().ok()) {
      std::fprintf(stderr, "cannot create %s\n", path.c_str());
      std::exit(1);
    }
    // Accounts and contacts go in through the store's writers, as a bulk load does, so that the
    // name index holds them (search finds them and `cxhub check` passes); the rest of the hub
    // is written raw below.
    const cx::Status st = (*store)->BulkTransaction(
        cx::HubLoad{"kpi_bench --generate", "kpi_bench"}, [&](cx::Tx& tx) -> cx::Status {
          CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(cx::Entity::kAccount, n_acc).status());
          std::vector<cx::KeyedAccount> batch;
          std::vector<const cx::KeyedAccount*> rows;
          for (int64_t i = 0; i < n_acc; ++i) {
            cx::Account a;
            a.id = Id("A", i);
            a.name = AccountName(i);
            if (i % 10 != 0) a.erp_customer_id = Id("E", i);
            batch.push_back(cx::KeyAccount(std::move(a)));
            if (batch.size() == 1024 || i + 1 == n_acc) {
              rows.clear();
              for (const auto& k : batch) rows.push_back(&k);
              CX_RETURN_IF_ERROR(tx.InsertAccounts(rows));
              batch.clear();
            }
          }
          CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(cx::Entity::kContact, n_con).status());
          for (int64_t i = 0; i < n_con; ++i) {
            cx::Contact c;
            c.id = Id("C", i);
            c.full_name = ContactName(i, n_acc);
            c.account_id = Id("A", i % n_acc);
            CX_RETURN_IF_ERROR(tx.InsertContact(c));
          }
          return cx::Status::Ok();
        });
    if (!st.ok()) {
      std::fprintf(stderr, "accounts, contacts: %s\n", st.ToString().c_str());
      std::exit(1);
    }
  }
  std::printf("accounts, contacts: %.1f s\n", Seconds(t0));
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db,
       "PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; PRAGMA "
       "cache_size=-1000000;");
  // As a bulk load of the store does (docs/store.md): the triggers that log changed records
  // for the KPI aggregates and the duplicate index are dropped while loading and the
  // aggregates marked for a full rebuild at their first use (a new hub's are anyway). Fired,
  // they logged some 25 million records at scale 1.0 that the first rebuild then threw away.
  std::vector<std::string> trigger_sql;
  {
    sqlite3_stmt* s = nullptr;
    Check(sqlite3_prepare_v2(db,
                             "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                             "(name LIKE 'kpi\\_activity\\_%' ESCAPE '\\' OR name LIKE "
                             "'kpi\\_funnel\\_%' ESCAPE '\\' OR name LIKE 'dup\\_%' ESCAPE '\\')",
                             -1, &s, nullptr),
          db, "triggers");
    std::vector<std::string> names;
    while (sqlite3_step(s) == SQLITE_ROW) {
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      trigger_sql.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    for (const auto& name : names) Exec(db, "DROP TRIGGER " + name);
    Exec(db,
         "UPDATE kpi_activity_state SET stale = 1; UPDATE kpi_funnel_state SET stale = 1; "
         "UPDATE dup_state SET stale = 1");
  }
  // Drop the indexes of the big tables while loading; re-create them (same SQL) afterwards.
  // Not those the tables' triggers read: without them every insert's trigger scanned the table
  // it looks up, and the generator turned quadratic (scale 0.05 took 160 s, 1.0 would have
  // taken hours).
  const std::set<std::string> keep = IndexesTriggersRead(db);
  std::vector<std::string> index_sql;
  {
    sqlite3_stmt* s = nullptr;
    Check(sqlite3_prepare_v2(
              db,
              "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
              "tbl_name IN "
              "('interactions','orders','opportunities','stage_history','cases','feedback')",
              -1, &s, nullptr),
          db, "indexes");
    std::vector<std::string> names;
    while (sqlite3_step(s) == SQLITE_ROW) {
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      index_sql.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    for (size_t i = 0; i < names.size();) {
      if (keep.count(names[i])) {
        std::printf("  kept index %s (a trigger reads it)\n", names[i].c_str());
        names.erase(names.begin() + std::ptrdiff_t(i));
        index_sql.erase(index_sql.begin() + std::ptrdiff_t(i));
        continue;
      }
      Exec(db, "DROP INDEX " + names[i]);
      ++i;
    }
  }
  std::mt19937_64 rng(42);
  auto U = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const Timestamp start = 1704063600;  // 2024-01-01 00:00 Lagos
  const Timestamp end = 1798758000;    // 2027-01-01 00:00 Lagos
  const int64_t n_opp = int64_t(1000000 * scale), n_int = int64_t(10000000 * scale);
  const int64_t n_ord = int64_t(5000000 * scale), n_case = int64_t(100000 * scale),
                n_fb = int64_t(200000 * scale);
  const char* divs[] = {"Motors", "Power & Industrial", "Medical", "GRAS", "Cube 65"};
  const int n_users = 200;
  Exec(db, "BEGIN");
  {
    Ins u(db,
          "INSERT INTO users (login, name, role, division, created_at) VALUES (?1, ?2, ?3, ?4, 0)");
    for (int i = 0; i < n_users; ++i) {
      u.T(1, "user" + std::to_string(i))
          .T(2, "User " + std::to_string(i))
          .T(3, i % 3 == 0 ? "service" : "sales");
      u.T(4, divs[i % 5]).Run();
    }
  }
  {
    Ins o(db, kInserts[kOpportunity]);
    Ins h(db, kInserts[kStage]);
    for (int64_t i = 0; i < n_opp; ++i) {
      int d = int(U(0, 4));
      Timestamp created = U(start, end);
      int r = int(U(0, 9));
      std::string outcome = r < 3 ? "won" : (r < 6 ? "lost" : "open");
      std::string id = Id("O", i);
      o.T(1, id)
          .T(2, Id("A", U(0, n_acc - 1)))
          .T(3, divs[d])
          .T(4, "user" + std::to_string(U(0, n_users - 1)));
      o.T(5, outcome).I(6, created);
      if (outcome == "open") {
        o.N(7);
      } else {
        o.I(7, created + U(86400, 120 * 86400));
      }
      o.T(8, outcome).Run();
      h.T(1, id).T(2, "Qualified").I(3, created + U(3600, 5 * 86400)).Run();
      if (U(0, 1))
        h.T(1, id)
            .T(2, d == 1 ? "Proposal" : "Quote")
            .I(3, created + U(6 * 86400, 20 * 86400))
            .Run();
      if (d == 2 && U(0, 4) == 0)
        h.T(1, id).T(2, "Signed").I(3, created + U(21 * 86400, 60 * 86400)).Run();
    }
  }
  std::printf("opportunities, stage history: %.1f s\n", Seconds(t0));
  {
    const char* kinds[] = {"after-sales", "quality-flag", "complaint", "service-job"};
    Ins k(db, kInserts[kCase]);
    for (int64_t i = 0; i < n_case; ++i) {
      Timestamp opened = U(start, end);
      k.T(1, Id("K", i))
          .T(2, Id("A", U(0, n_acc - 1)))
          .T(3, divs[U(0, 4)])
          .T(4, kinds[U(0, 3)])
          .I(5, opened);
      k.I(6, opened + U(3600, 96 * 3600));
      if (U(0, 4)) {
        k.I(7, opened + U(3600, 20 * 86400));
      } else {
        k.N(7);
      }
      k.Run();
    }
    Ins f(db, kInserts[kFeedback]);
    for (int64_t i = 0; i < n_fb; ++i) {
      bool nps = U(0, 1);
      f.T(1, Id("F", i)).I(2, U(start, end)).T(3, divs[U(0, 4)]).T(4, nps ? "nps" : "review");
      f.D(5, double(nps ? U(0, 10) : U(1, 5))).Run();
    }
  }
  {
    Ins in(db, kInserts[kInteraction]);
    for (int64_t i = 0; i < n_int; ++i) {
      Timestamp at = U(start, end);
      in.T(1, Id("I", i))
          .I(2, at)
          .T(3, Id("C", U(0, n_con - 1)))
          .T(4, "user" + std::to_string(U(0, n_users - 1)));
      in.T(5, divs[U(0, 4)]);
      int r = int(U(0, 99));
      if (r < 10) {
        in.T(6, Id("O", U(0, n_opp - 1)));
      } else {
        in.N(6);
      }
      if (r >= 10 && r < 12) {
        in.T(7, Id("K", U(0, n_case - 1)));
      } else {
        in.N(7);
      }
      if (r >= 95) {
        in.T(8, "Call back").I(9, at + U(86400, 14 * 86400));
      } else {
        in.T(8, "").N(9);
      }
      in.Run();
      if (i % 2000000 == 1999999)
        std::printf("  interactions %lld: %.1f s\n", static_cast<long long>(i + 1), Seconds(t0));
    }
  }
  std::printf("interactions: %.1f s\n", Seconds(t0));
  {
    Ins o(db, kInserts[kOrder]);
    const int weights[] = {5, 5, 20, 40, 30};
    for (int64_t i = 0; i < n_ord; ++i) {
      int r = int(U(0, 99)), d = 0;
      for (int acc = 0; d < 5; ++d) {
        acc += weights[d];
        if (r < acc) break;
      }
      o.T(1, Id("S", i)).T(2, Id("E", U(1, n_acc - 1))).I(3, U(start, end)).T(4, divs[d]);
      o.D(5, double(U(1000, 500000)) / 100.0).Run();
    }
  }
  std::printf("orders: %.1f s\n", Seconds(t0));
  Exec(db, "COMMIT");
  for (const auto& sql : trigger_sql) Exec(db, sql);
  // As the store builds deferred indexes (docs/store.md): SQLite's sorter runs its worker
  // threads only with its temporary files on disk, and sorts best in a small cache.
  Exec(db, "PRAGMA cache_size=-16384; PRAGMA temp_store=FILE; PRAGMA threads=2");
  for (const auto& sql : index_sql) Exec(db, sql);
  Exec(db, "PRAGMA cache_size=-1000000; PRAGMA temp_store=DEFAULT; PRAGMA threads=0");
  std::printf("indexes: %.1f s\n", Seconds(t0));
  Exec(db, "ANALYZE");
  sqlite3_close(db);
  std::printf("generated in %.1f s\n", Seconds(t0));
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

// Gives the accounts and contacts of a hub generated before the realistic names those names
// (the triggers mark them all changed, so the duplicate index is rebuilt at its next use).
void Rename(const std::string& path, double scale) {
  auto t0 = std::chrono::steady_clock::now();
  const int64_t n_acc = int64_t(200000 * scale), n_con = int64_t(400000 * scale);
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Exec(db, "PRAGMA synchronous=OFF; BEGIN");
  {
    Ins a(db, "UPDATE accounts SET name = ?2, name_key = ?3 WHERE id = ?1");
    for (int64_t i = 0; i < n_acc; ++i) {
      const std::string name = AccountName(i);
      a.T(1, Id("A", i)).T(2, name).T(3, cx::CompanyKey(name)).Run();
    }
    Ins c(db, "UPDATE contacts SET full_name = ?2, name_key = ?3 WHERE id = ?1");
    for (int64_t i = 0; i < n_con; ++i) {
      const std::string name = ContactName(i, n_acc);
      c.T(1, Id("C", i)).T(2, name).T(3, cx::PersonKey(name)).Run();
    }
  }
  Exec(db, "COMMIT");
  sqlite3_close(db);
  std::printf("renamed %lld accounts and %lld contacts: %.1f s\n", static_cast<long long>(n_acc),
              static_cast<long long>(n_con), Seconds(t0));
}

// A week of a steward's and the sales teams' edits through the store, as the pack meets them:
// 1,000 accounts renamed (half of them a typo, half another name) and 2,000 contacts given a
// new phone number.
cx::Status WeekOfEdits(const cx::Context& ctx, double scale, int week) {
  const int64_t n_acc = int64_t(200000 * scale), n_con = int64_t(400000 * scale);
  return ctx.store->Transaction([&](cx::Tx& tx) -> cx::Status {
    for (int k = 0; k < 1000; ++k) {
      const uint64_t h = Mix(uint64_t(week) * 100003 + uint64_t(k));
      CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Id("A", int64_t(h % uint64_t(n_acc)))));
      if (!a) return cx::Internal("bench: missing account");
      a->name = k % 2 ? Typo(a->name, h >> 20) : AccountName(int64_t((h >> 20) % 1000000));
      CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    }
    for (int k = 0; k < 2000; ++k) {
      const uint64_t h = Mix(uint64_t(week) * 200003 + uint64_t(k) + 7);
      CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(Id("C", int64_t(h % uint64_t(n_con)))));
      if (!c) return cx::Internal("bench: missing contact");
      c->phone = "0803" + std::to_string(1000000 + (h >> 20) % 9000000);
      CX_RETURN_IF_ERROR(tx.UpdateContact(*c));
    }
    return cx::Status::Ok();
  });
}

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string path = "/tmp/kpi_bench.db";
  double scale = 1.0;
  bool generate = false;
  int runs = 3;
  size_t show = 12;
  bool pack = true;
  bool rename = false;
  std::string store_url;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--db" && i + 1 < argc)
      path = argv[++i];
    else if (a == "--scale" && i + 1 < argc)
      scale = std::atof(argv[++i]);
    else if (a == "--generate")
      generate = true;
    else if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--show" && i + 1 < argc)
      show = size_t(std::atoi(argv[++i]));
    else if (a == "--no-pack")
      pack = false;
    else if (a == "--rename")
      rename = true;
    else if (a == "--store" && i + 1 < argc)
      store_url = argv[++i];
    else {
      std::fprintf(stderr, "kpi_bench: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  if (generate) {
    std::remove(path.c_str());
    Generate(path, scale);
  }
  const std::string url = store_url.empty() ? "sqlite:" + path : store_url;
  auto store = cx::OpenStore(url);
  if (!store.ok() || !(*store)->Migrate().ok()) {
    std::fprintf(stderr, "cannot open %s\n", url.c_str());
    return 1;
  }
  if (rename) {
    if (!store_url.empty()) {
      std::fprintf(stderr, "kpi_bench: --rename works on the SQLite hub only\n");
      return 2;
    }
    Rename(path, scale);
  }
  cx::Context ctx;
  ctx.store = store->get();
  ctx.now = [] { return Timestamp(1790000000); };  // 2026-09-21
  auto size = ctx.store->SizeBytes();
  std::printf("database %s: %.1f MB\n", store_url.empty() ? path.c_str() : "(--store)",
              size.ok() ? double(*size) / 1e6 : -1.0);

  {
    // The KPI aggregates (accounts active, funnel) are built once after a bulk load (here: the
    // generator's raw inserts), then kept up to date as facts are written.
    auto t0 = std::chrono::steady_clock::now();
    cx::Status st = ctx.store->Transaction([&](cx::Tx& tx) -> cx::Status {
      CX_RETURN_IF_ERROR(tx.RefreshKpiActivity(ctx.zone));
      return tx.RefreshKpiFunnel();
    });
    if (!st.ok()) {
      std::fprintf(stderr, "%s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("KPI activity and funnel aggregates brought up to date: %.0f ms\n",
                Seconds(t0) * 1000);
    // Likewise the duplicate index.
    t0 = std::chrono::steady_clock::now();
    size_t clusters = 0;
    for (auto k : {cx::NameKind::kAccount, cx::NameKind::kContact}) {
      auto found = cx::FindDuplicates(*ctx.store, k);
      if (!found.ok()) {
        std::fprintf(stderr, "%s\n", found.status().ToString().c_str());
        return 1;
      }
      clusters += found->size();
    }
    std::printf("duplicate index brought up to date (%zu clusters): %.0f ms\n", clusters,
                Seconds(t0) * 1000);
  }
  for (int trend : {0, 4}) {
    for (int r = 0; r < runs; ++r) {
      cx::KpiQuery q;
      q.period = cx::Period{{2026, 4, 1}, {2026, 6, 30}};
      q.trend = trend;
      auto t0 = std::chrono::steady_clock::now();
      auto card = cx::ComputeKpis(ctx, q);
      double s = Seconds(t0);
      if (!card.ok()) {
        std::fprintf(stderr, "%s\n", card.status().ToString().c_str());
        return 1;
      }
      std::printf("scorecard Q2 2026 (%zu KPIs, trend %d): %.0f ms\n", card->kpis.size(), trend,
                  s * 1000);
      if (r == runs - 1) {
        std::vector<std::pair<double, std::string>> slow;
        for (const auto& v : card->kpis)
          slow.push_back({v.millis, v.key + " (" + v.division + ")"});
        std::sort(slow.rbegin(), slow.rend());
        for (size_t i = 0; i < show && i < slow.size(); ++i) {
          std::printf("    %-45s %.0f ms\n", slow[i].second.c_str(), slow[i].first);
        }
      }
    }
  }
  const std::string weeks_file = path + (store_url.empty() ? ".weeks" : ".store.weeks");
  int first_week = 0;
  if (std::FILE* f = std::fopen(weeks_file.c_str(), "r")) {
    if (std::fscanf(f, "%d", &first_week) != 1) first_week = 0;
    std::fclose(f);
  }
  if (generate) first_week = 0;
  for (int r = 0; pack && r < runs; ++r) {
    {
      auto t0 = std::chrono::steady_clock::now();
      cx::Status st = WeekOfEdits(ctx, scale, first_week + r);
      if (st.ok()) {
        std::FILE* f = std::fopen(weeks_file.c_str(), "w");
        if (!f || std::fprintf(f, "%d\n", first_week + r + 1) < 0 || std::fclose(f) != 0) {
          std::fprintf(stderr, "%s: cannot write\n", weeks_file.c_str());
          return 1;
        }
      }
      if (!st.ok()) {
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        return 1;
      }
      std::printf("a week of edits (1,000 accounts renamed, 2,000 contact phones): %.0f ms\n",
                  Seconds(t0) * 1000);
    }
    cx::ReviewQuery q;
    q.week = *cx::ParseIsoWeek("2026-W20");
    auto t0 = std::chrono::steady_clock::now();
    auto pack = cx::BuildReview(ctx, q);
    double built = Seconds(t0);
    if (!pack.ok()) {
      std::fprintf(stderr, "%s\n", pack.status().ToString().c_str());
      return 1;
    }
    cx::Status st = cx::WriteReviewHtml(*pack, ctx.zone, path + ".review.html");
    cx::Status sx = cx::WriteReviewXlsx(*pack, ctx.zone, path + ".review.xlsx");
    if (!st.ok() || !sx.ok()) return 1;
    std::printf("weekly pack 2026-W20: built %.0f ms, with HTML and xlsx written %.0f ms\n",
                built * 1000, Seconds(t0) * 1000);
    if (r == runs - 1) {
      for (const auto& t : pack->slowest)
        std::printf("    %-45s %.0f ms\n", t.name.c_str(), t.millis);
    }
  }
  std::printf("peak memory (max RSS): %ld MB\n", PeakRssMb());
  return 0;
}
