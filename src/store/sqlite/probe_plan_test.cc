// No probe that a bulk load runs per row may read a whole table (docs/store.md). The test fills a
// hub, records every statement the store runs while bulk loads land on it (ERP customer and
// order syncs with proposed links, a weekly delta, workbook imports of new rows and of an
// edited export, search-first lookups), and checks each statement that ran per row or per
// batch twice: by its plan (EXPLAIN QUERY PLAN with trigger programs shown, so a trigger's
// query is checked with the statement that fires it) and by what its runs did (SQLite's count
// of rows stepped through by full scans, trigger programs included). Recording what ran, rather
// than listing the queries, checks the next query too, the day it is written.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"
#include "service/demo_service.h"
#include "service/erp_sync.h"
#include "service/match.h"
#include "service/workbook_export.h"
#include "service/workbook_import.h"
#include "store/sqlite/db.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

// A statement that ran at least this often over the test's loads (a handful of them, each
// of hundreds of rows) ran per row or per batch of rows, not once per load.
constexpr int64_t kPerRow = 10;
// The populated tables hold thousands of rows; a probe that steps through more than this in
// one run is reading a table rather than looking a row up.
constexpr int64_t kMaxScannedRows = 200;
// Tables that stay small whatever the hub holds (configuration, counters, one row per sync):
// scanning them is no scan of the hub.
const std::set<std::string> kSmallTables = {
    "users",       "settings",      "schema_migrations",  "kpi_targets",
    "id_counters", "dup_state",     "kpi_activity_state", "kpi_funnel_state",
    "erp_syncs",   "sqlite_master", "sqlite_stat1"};

struct Runs {
  int64_t count = 0, max_fullscan = 0;
};

// Every statement run, by its SQL; called from whichever thread ran it.
class Recorder {
 public:
  Recorder()
      : observer_([this](const sqlite::StatementRun& r) {
          std::lock_guard<std::mutex> lock(mu_);
          Runs& x = runs_[std::string(r.sql)];
          ++x.count;
          x.max_fullscan = std::max(x.max_fullscan, r.fullscan_steps);
        }) {
    sqlite::SetStatementObserver(&observer_);
  }
  ~Recorder() { sqlite::SetStatementObserver(nullptr); }
  std::map<std::string, Runs> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return runs_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Runs> runs_;
  sqlite::StatementObserver observer_;
};

std::string Short(const std::string& sql) {
  std::string s = std::regex_replace(sql, std::regex("\\s+"), " ");
  // A multi-row insert repeats its row of placeholders: one is enough to recognise it.
  s = std::regex_replace(s, std::regex("(\\([?,0-9 ]+\\))(, ?\\([?,0-9 ]+\\))+"), "$1, …");
  return s.size() > 400 ? s.substr(0, 400) + "…" : s;
}

// The plan's scans of big tables, trigger programs included: "SCAN accounts" for each. A scan
// may name an alias; it is resolved against the statement and the schema's triggers.
class PlanChecker {
 public:
  explicit PlanChecker(const std::string& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    int on = 0;
    sqlite3_db_config(db_, SQLITE_DBCONFIG_TRIGGER_EQP, 1, &on);
    EXPECT_EQ(on, 1) << "this SQLite cannot show trigger programs in a plan";
    for (auto& row : Query("SELECT type, name, coalesce(sql, '') FROM sqlite_master")) {
      if (row[0] == "table") tables_.insert(row[1]);
      if (row[0] == "trigger") trigger_sql_ += row[2] + "\n";
    }
    // The store's staging table, temporary, so on its own connection only (docs/store.md,
    // "Bulk inserts of interactions"): here too, for the statements that name it to plan.
    Query("CREATE TEMP TABLE staged_interactions AS SELECT * FROM interactions WHERE 0");
  }
  ~PlanChecker() { sqlite3_close_v2(db_); }

  // Big tables the plan of `sql` scans; "cannot plan: …" when it does not prepare here.
  std::vector<std::string> BigScans(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    const std::string eqp = "EXPLAIN QUERY PLAN " + sql;
    if (sqlite3_prepare_v2(db_, eqp.c_str(), int(eqp.size()), &s, nullptr) != SQLITE_OK) {
      out.push_back(std::string("cannot plan: ") + sqlite3_errmsg(db_));
      sqlite3_finalize(s);
      return out;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
      std::smatch m;
      if (!std::regex_search(detail, m, std::regex("^SCAN (\\w+)"))) continue;
      const std::string table = Resolve(m[1].str(), sql);
      if (table.empty() || kSmallTables.count(table)) continue;
      out.push_back(detail + (table == m[1].str() ? "" : " (" + table + ")"));
    }
    sqlite3_finalize(s);
    return out;
  }

  bool IsTable(const std::string& name) const { return tables_.count(name) > 0; }

 private:
  // The table a name in a plan stands for: itself, or the table it aliases in `sql` or in a
  // trigger; empty for what is no table (a subquery, a CTE, a constant row).
  std::string Resolve(const std::string& name, const std::string& sql) const {
    if (tables_.count(name)) return name;
    const std::regex alias("\\b(\\w+)\\s+(?:AS\\s+)?" + name + "\\b", std::regex::icase);
    for (const std::string* text : {&sql, &trigger_sql_}) {
      for (auto it = std::sregex_iterator(text->begin(), text->end(), alias);
           it != std::sregex_iterator(); ++it) {
        if (tables_.count((*it)[1].str())) return (*it)[1].str();
      }
    }
    return "";
  }
  std::vector<std::vector<std::string>> Query(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const unsigned char* t = sqlite3_column_text(s, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return rows;
  }

  sqlite3* db_ = nullptr;
  std::set<std::string> tables_;
  std::string trigger_sql_;
};

class ProbePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("hub.db");
    Open();
    DemoOptions demo;
    demo.accounts = 2000;
    demo.quiet = true;
    demo.as_of = "2026-06-30";
    auto d = GenerateDemo(ctx_, demo);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    store_.reset();
  }
  void Open() {
    auto s = OpenStore("sqlite:" + path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
    ctx_.store = store_.get();
    ctx_.now = [this] { return clock_; };
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name), std::ios::binary) << text;
    return dir_.File(name);
  }
  ErpSyncSummary Sync(ErpKind kind, const std::string& file) {
    ErpSyncOptions o;
    o.kind = kind;
    o.file = file;
    clock_ += 60;
    ErpSyncSummary s;
    Status st = RunErpSync(ctx_, o, &s);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return s;
  }
  void Import(const std::string& file) {
    clock_ += 60;
    auto r = ImportWorkbook(ctx_, file);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->ok()) << ImportErrors(*r).ToString();
  }
  // (id, name, phone, email) of accounts without an ERP id, as an ERP export would carry them.
  std::vector<std::vector<std::string>> Unlinked(int n) {
    std::vector<std::vector<std::string>> out;
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT id, name, phone, email FROM accounts WHERE erp_customer_id IS NULL "
                       "AND merged_into IS NULL ORDER BY id LIMIT ?",
                       -1, &s, nullptr);
    sqlite3_bind_int(s, 1, n);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < 4; ++c) {
        const unsigned char* t = sqlite3_column_text(s, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    sqlite3_close_v2(db);
    return out;
  }

  TempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  Context ctx_;
  Timestamp clock_ = 1782820800;  // 2026-06-30 12:00 UTC
};

const char* kCustomersHeader =
    "ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last "
    "Modified\n";

// ERP customers: a third look like unlinked hub accounts (same name, same phone or same
// email: each a proposed link), the rest are new companies.
std::string Customers(const std::vector<std::vector<std::string>>& unlinked, int n,
                      const std::string& modified, const std::string& tag) {
  std::ostringstream f;
  f << kCustomersHeader;
  for (int i = 0; i < n; ++i) {
    std::string name = "Newco " + tag + " " + std::to_string(i) + " Ltd";
    std::string phone =
        "+234 809 " + std::to_string(100 + i % 900) + " " + std::to_string(1000 + i);
    std::string email = "c" + std::to_string(i) + "@newco" + tag + ".ng";
    if (i < int(unlinked.size()) && i % 3 == 0) {
      const auto& u = unlinked[size_t(i)];
      if (i % 9 == 0) name = u[1];
      if (i % 9 == 3 && !u[2].empty()) phone = u[2];
      if (i % 9 == 6 && !u[3].empty()) email = u[3];
    }
    f << "E-" << i << ",\"" << name << "\",Trade,Motors," << phone << "," << email
      << ",\"1 Marina Road\",Lagos,active," << modified << "\n";
  }
  return f.str();
}

// A workbook of new records for the hub: accounts, their contacts and interactions, and
// opportunities owned by a demo user.
Sheets NewRecords(int accounts) {
  Rows acc = {{T("Account ID"), T("Company Name"), T("Industry"), T("ERP Customer ID"),
               T("Account Owner"), T("Phone"), T("Email")}};
  Rows con = {{T("Contact ID"), T("Full Name"), T("Job Title"), T("Associated Account ID"),
               T("Email"), T("Phone")}};
  Rows inter = {{T("Interaction ID"), T("Date"), T("Contact ID"), T("Channel"), T("Notes"),
                 T("Next Action"), T("Logged By")}};
  Rows opp = {{T("Opportunity ID"), T("Account ID"), T("Division"), T("Owner"), T("Stage"),
               T("Amount"), T("Created"), T("Closed"), T("Outcome"), T("Lost Reason")}};
  Rows hist = {{T("Opportunity ID"), T("Stage"), T("Entered"), T("By")}};
  for (int i = 0; i < accounts; ++i) {
    const std::string a = "WB-A" + std::to_string(i), n = std::to_string(i);
    acc.push_back({T(a), T("Workbook Trading " + n + " Ltd"), T("Trade"), E(), E(),
                   T("+234 807 555 " + std::to_string(1000 + i)), T("info" + n + "@wbtrade.ng")});
    for (int c = 0; c < 2; ++c) {
      const std::string cid = "WB-C" + n + "-" + std::to_string(c);
      con.push_back({T(cid), T("Person " + n + " Number " + std::to_string(c)), T("Buyer"), T(a),
                     T(cid + "@wbtrade.ng"), E()});
      for (int k = 0; k < 2; ++k)
        inter.push_back({T("WB-I" + n + "-" + std::to_string(c) + "-" + std::to_string(k)),
                         D(46100 + i % 90), T(cid), T("phone"), T("Asked for a quote"), E(), E()});
    }
    if (i % 2 == 0) {
      const std::string o = "WB-O" + n;
      opp.push_back({T(o), T(a), T("Motors"), E(), T("Inquiry"), N(1000 + i), D(46100 + i % 90),
                     E(), T("open"), E()});
      hist.push_back({T(o), T("Inquiry"), D(46100 + i % 90), E()});
    }
  }
  return {{"Accounts", acc},
          {"Contacts", con},
          {"Interactions", inter},
          {"Opportunities", opp},
          {"Stage History", hist}};
}

TEST_F(ProbePlanTest, NoPerRowProbeOfABulkLoadScansABigTable) {
  const auto unlinked = Unlinked(300);
  ASSERT_GE(unlinked.size(), size_t(100)) << "the demo hub has too few unlinked accounts";
  const std::string first =
      Write("customers.csv", Customers(unlinked, 300, "2026-06-01 10:00", "a"));
  const std::string delta =
      Write("delta.csv", Customers(unlinked, 330, "2026-06-08 10:00", "b"));  // renamed, 30 new
  std::ostringstream orders;
  orders << "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
  for (int i = 0; i < 300; ++i)
    orders << "SO-" << i << ",E-" << i % 300 << ",2026-06-0" << 1 + i % 7 << ",Motors," << 1000 + i
           << ",NGN,2026-06-08 10:00\n";
  // Over four times the accounts table: the sync defers the table's indexes, and no per-row
  // probe may then read the table through an index that is gone.
  const std::string big = Write("big.csv", Customers(unlinked, 9000, "2026-06-09 10:00", "c"));
  const std::string orders_file = Write("orders.csv", orders.str());
  const std::string fresh = dir_.File("new.xlsx");
  WriteXlsx(fresh, NewRecords(150));

  Recorder recorder;  // connections opened from here on are recorded
  Open();
  int64_t proposed = 0;
  proposed += int64_t(Sync(ErpKind::kCustomers, first).proposed_links.size());
  proposed += int64_t(Sync(ErpKind::kCustomers, delta).proposed_links.size());
  proposed += int64_t(Sync(ErpKind::kCustomers, big).proposed_links.size());
  Sync(ErpKind::kOrders, orders_file);
  Import(fresh);
  const std::string exported = dir_.File("export.xlsx");
  auto ex = ExportWorkbook(ctx_, exported);
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  // Edit the hub after the export: re-importing the export applies those rows as edits.
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    for (int i = 0; i < 150; i += 3) {
                      CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount("WB-A" + std::to_string(i)));
                      if (!a) return Internal("missing WB-A" + std::to_string(i));
                      a->industry = "Edited";
                      CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
                    }
                    return Status::Ok();
                  })
                  .ok());
  Import(exported);
  // Search first: names, phones and emails of records the hub holds.
  ASSERT_TRUE(
      store_
          ->Transaction([&](Tx& tx) -> Status {
            for (size_t i = 0; i < unlinked.size(); i += 3) {
              const auto& u = unlinked[i];
              MatchKeys keys{"", u[1], CompanyKey(u[1]), PhoneKey(u[2]), EmailKey(u[3]), ""};
              CX_RETURN_IF_ERROR(FindProbableDuplicates(tx, NameKind::kAccount, keys).status());
              for (const std::string& text : {u[1], u[2], u[3]})
                CX_RETURN_IF_ERROR(Search(tx, text, 10).status());
            }
            return Status::Ok();
          })
          .ok());
  store_.reset();
  EXPECT_GT(proposed, 50) << "the syncs should have proposed links to the look-alike accounts";

  PlanChecker plans(path_);
  std::vector<std::string> problems;
  int per_row = 0;
  for (const auto& [sql, runs] : recorder.Take()) {
    if (runs.count < kPerRow || sql.rfind("--", 0) == 0) continue;
    ++per_row;
    // CXHUB_PROBE_PLAN_LIST=1 lists what the test checked.
    if (std::getenv("CXHUB_PROBE_PLAN_LIST"))
      std::printf("%6lld runs, max %lld scanned: %s\n", static_cast<long long>(runs.count),
                  static_cast<long long>(runs.max_fullscan), Short(sql).c_str());
    std::string why;
    if (runs.max_fullscan > kMaxScannedRows)
      why += "\n    a run stepped through " + std::to_string(runs.max_fullscan) +
             " rows of full scans (triggers included)";
    for (const std::string& scan : plans.BigScans(sql)) why += "\n    plan: " + scan;
    if (!why.empty())
      problems.push_back("ran " + std::to_string(runs.count) + " times: " + Short(sql) + why);
  }
  EXPECT_GT(per_row, 20) << "the loads should have run many statements per row";
  // The statements of the faster paths into a populated hub ran here per row, so their plans
  // were checked above: an account saved with only its changed columns, the name index's
  // flush asking for the next word it holds, and search-first counting a word's records,
  // looking an id up in a word's blocks and reading two words' blocks side by side. (An
  // account saved just after it was read is compared with the row that read copied: it is read
  // again, at the rowid that read found, only when rows were written in between.)
  const auto runs = recorder.Take();
  for (const char* start :
       {"UPDATE OR FAIL accounts SET name = ?2",
        "SELECT word FROM name_postings WHERE kind = ?1 AND word >= ?2",
        "SELECT sum(records) FROM (SELECT records FROM name_postings",
        "SELECT first, ids FROM name_postings WHERE kind = ?1 AND word = ?2 AND first <= ?3",
        "SELECT first, ids FROM name_postings WHERE kind = ?1 AND word = ?2 AND first > ?3"}) {
    int64_t count = 0;
    for (const auto& [sql, r] : runs)
      if (sql.find(start) != std::string::npos) count += r.count;
    EXPECT_GE(count, kPerRow) << "not run per row here, so not checked: " << start;
  }
  std::string report;
  for (const auto& p : problems) report += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << problems.size()
                                << " per-row statements read a big table:" << report;
}

// The checker itself: it sees a scan of a big table through an alias and inside a trigger,
// and lets a lookup by index pass.
TEST_F(ProbePlanTest, PlanCheckerSeesScansThroughAliasesAndTriggers) {
  PlanChecker plans(path_);
  EXPECT_TRUE(plans.BigScans("SELECT id FROM accounts WHERE id = ?").empty());
  EXPECT_FALSE(plans.BigScans("SELECT a.id FROM accounts a WHERE a.industry = ?").empty());
  EXPECT_TRUE(plans.BigScans("SELECT login FROM users WHERE role = ?").empty());  // small table
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE probe_log (x TEXT); CREATE TRIGGER probe_scan AFTER "
                         "INSERT ON probe_log BEGIN SELECT count(*) FROM contacts c WHERE "
                         "c.job_title = NEW.x; END;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close_v2(db);
  PlanChecker with_trigger(path_);
  auto scans = with_trigger.BigScans("INSERT INTO probe_log (x) VALUES (?)");
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_NE(scans[0].find("(contacts)"), std::string::npos) << scans[0];
}

}  // namespace
}  // namespace cx
