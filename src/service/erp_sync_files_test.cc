// Tests of the ERP sync from .xlsx exports and through the real binary: exit codes, --json, the
// link commands, and a sync killed with SIGKILL that must leave the hub as it was.
#include "erp_sync_fixture.h"
#include "raw_db.h"

namespace cx {
namespace {

namespace fs = std::filesystem;
using erptest::ErpSyncTest;
using erptest::kHeader;
using erptest::kTwo;

TEST_F(ErpSyncTest, XlsxExportsSyncLikeCsv) {
  using namespace wbtest;
  std::string f = (dir_ / "customers.xlsx").string();
  WriteXlsx(
      f, {{"Customers",
           {{T("ERP Customer ID"), T("Customer Name"), T("City"), T("Phone"), T("Last Modified")},
            {T("X1"), T("Xylo Ltd"), T("Lagos"), E(), D(46027.0 + 10.0 / 24)},
            {T("X2"), T("Yam Co"), E(), E(), T("06/01/2026")}}}});
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, f, &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.created, 2);
  EXPECT_EQ(s.encoding, "xlsx");
  EXPECT_EQ(ByErp("X1")->city, "Lagos");
  ASSERT_TRUE(s.watermark_after);
  EXPECT_EQ(FormatTime(*s.watermark_after, ctx_.zone), "2026-01-06T00:00:00");
  std::string o = (dir_ / "orders.xlsx").string();
  WriteXlsx(o, {{"Orders",
                 {{T("Order ID"), T("ERP Customer ID"), T("Order Date"), T("Division"), T("Amount"),
                   T("Last Modified")},
                  {T("SO-1"), T("X1"), D(46028), T("Motors"), N(1250.75), D(46028.5)},
                  {T("SO-2"), T("NOPE"), D(46028), T("Motors"), N(1), D(46028.5)}}}});
  ErpSyncSummary so;
  st = Sync(ErpKind::kOrders, o, &so);
  ASSERT_EQ(st.code(), Code::kInvalid);
  ASSERT_EQ(so.rejected.size(), 1u);
  EXPECT_EQ(so.rejected[0].line, 3);  // the sheet's row number
  ASSERT_TRUE(Sync(ErpKind::kOrders, o, &so, false, true).ok());
  EXPECT_EQ(so.created, 1);
  // A long numeric id Excel keeps as 1E+17 comes in as its digits; a workbook saved under a
  // .csv name is still read as the workbook it is.
  std::string renamed = (dir_ / "export.csv").string();
  WriteXlsx(renamed, {{"Customers",
                       {{T("ERP Customer ID"), T("Customer Name"), T("Last Modified")},
                        {N(100000000000000000.0), T("Long Id Ltd"), T("07/01/2026")}}}});
  ErpSyncSummary big;
  st = Sync(ErpKind::kCustomers, renamed, &big);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(big.encoding, "xlsx");
  EXPECT_TRUE(ByErp("100000000000000000"));
  // A mapping's date_format is for dates written as text; date cells are dates whatever it says.
  std::string map = Write("dmy.toml",
                          "[customers]\ndate_format = \"%d/%m/%Y\"\n[customers.columns]\n"
                          "erp_customer_id = \"ERP Customer ID\"\nname = \"Customer Name\"\n"
                          "last_modified = \"Last Modified\"\n");
  std::string dated = (dir_ / "dated.xlsx").string();
  WriteXlsx(dated, {{"Customers",
                     {{T("ERP Customer ID"), T("Customer Name"), T("Last Modified")},
                      {T("X3"), T("Cell Date Ltd"), D(46040.5)},
                      {T("X4"), T("Text Date Ltd"), T("20/01/2026")}}}});
  ErpSyncSummary dm;
  st = Sync(ErpKind::kCustomers, dated, &dm, false, false, map);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(dm.created, 2);
}

// ---- the real binary ----

int RunCxhub(const std::string& db, const std::vector<std::string>& args,
             std::string* out = nullptr) {
  std::string cmd = "CXHUB_DB=" + db + " " + CXHUB_BINARY;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int st = pclose(p);
  if (out) *out = text;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(ErpSyncTest, CliExitCodesJsonAndLinks) {
  store_.reset();
  std::string smoke =
      Write("smoke.csv", "ERP Customer ID,Customer Name,Last Modified\n,Nameless,2026-13-45\n");
  std::string out;
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "customers", smoke, "--json"}, &out), 2);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["rejected"][0]["line"], 2);
  EXPECT_EQ(
      RunCxhub(db_,
               {"erp-sync", "customers", Write("c.csv", std::string(kHeader) + kTwo), "--json"},
               &out),
      0);
  j = nlohmann::json::parse(out);
  EXPECT_EQ(j["created"], 2);
  for (const char* k :
       {"updated", "unchanged", "skipped_older", "flagged_missing", "proposed_links", "rejected"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--json"}, &out), 0);
  j = nlohmann::json::parse(out);
  ASSERT_EQ(j["syncs"].size(), 1u);
  EXPECT_EQ(j["syncs"][0]["actor"], "cli");
  EXPECT_EQ(RunCxhub(db_, {"links", "list", "--json"}, &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)["items"].size(), 0u);
  EXPECT_EQ(RunCxhub(db_, {"links", "accept", "99"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "invoices", smoke}, &out), 2);
  // History takes only --limit (1 or more) and --json; what a sync takes is refused.
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--limit", "0"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", smoke}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--full"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "orders", smoke, "--limit", "3"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--limit", "1", "--json"}, &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)["syncs"].size(), 1u);
}

TEST_F(ErpSyncTest, KilledSyncLeavesTheHubAsBefore) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string before = Snapshot();
  store_.reset();
  // A large export: long enough to be killed in the middle.
  std::string big = (dir_ / "big.csv").string();
  {
    std::ofstream f(big, std::ios::binary);
    f << kHeader;
    for (int i = 0; i < 300000; ++i) {
      f << "K" << i << ",Company number " << i << " Ltd,Trade,Motors,,,Street " << i
        << ",Lagos,active,2026-06-01\n";
    }
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("CXHUB_DB", db_.c_str(), 1);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(CXHUB_BINARY, CXHUB_BINARY, "erp-sync", "customers", big.c_str(), (char*)nullptr);
    _exit(127);
  }
  // Wait until the sync holds the write transaction (a probe's BEGIN IMMEDIATE is busy)
  // and has worked inside it for a second, then kill it.
  bool midway = false;
  auto busy_since = std::chrono::steady_clock::time_point();
  for (int i = 0; i < 3000 && !midway; ++i) {
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) break;
    if (!testing::RawDb::WriteLockHeld(db_)) {
      busy_since = {};
    } else {
      auto now = std::chrono::steady_clock::now();
      if (busy_since == std::chrono::steady_clock::time_point()) busy_since = now;
      midway = now - busy_since > std::chrono::seconds(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(midway) << "the sync ended before it could be killed";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  Reopen();
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(ByErp("K0"));
}

}  // namespace
}  // namespace cx
