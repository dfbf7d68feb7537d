// Runs the built cxhub binary on workbooks: exit codes, messages, and nothing written on refusal.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

struct CliRun {
  int code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

CliRun Cxhub(const TempDir& dir, const std::string& args) {
  std::string cmd = std::string(CXHUB_BINARY) + " --db sqlite:" + dir.File("hub.db") + " " + args +
                    " >" + dir.File("out.txt") + " 2>" + dir.File("err.txt");
  int st = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.out = Slurp(dir.File("out.txt"));
  r.err = Slurp(dir.File("err.txt"));
  return r;
}

TEST(WorkbookCli, BrokenFileExits2AndWritesNothing) {
  TempDir dir;
  ASSERT_EQ(Cxhub(dir, "init").code, 0);
  {
    std::ofstream f(dir.File("broken.xlsx"), std::ios::binary);
    f << "PK\x03\x04 this is not a workbook";
  }
  CliRun r = Cxhub(dir, "import-workbook " + dir.File("broken.xlsx"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not an .xlsx workbook"), std::string::npos) << r.err;
  CliRun audit = Cxhub(dir, "audit --json");
  EXPECT_EQ(audit.out.find("import"), std::string::npos) << audit.out;
}

TEST(WorkbookCli, ErrorsExit2ListEveryProblemAndWriteNothing) {
  TempDir dir;
  ASSERT_EQ(Cxhub(dir, "init").code, 0);
  WriteXlsx(dir.File("orphans.xlsx"),
            {{"Contacts",
              {{T("Contact ID"), T("Full Name"), T("Associated Account ID")},
               {T("C-1"), T("Orphan One"), T("A-0099")},
               {T("C-2"), T("Orphan Two"), T("A-0098")}}}});
  CliRun r = Cxhub(dir, "import-workbook " + dir.File("orphans.xlsx"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(
      r.err.find(
          "Sheet 'Contacts', row 2, column 'Associated Account ID': account A-0099 does not exist"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("row 3"), std::string::npos) << r.err;
  CliRun j = Cxhub(dir, "import-workbook --json " + dir.File("orphans.xlsx"));
  EXPECT_EQ(j.code, 2);
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["error_count"], 2);
  EXPECT_FALSE(doc["ok"].get<bool>());
  CliRun list = Cxhub(dir, "contact list");
  EXPECT_EQ(list.out.find("C-1"), std::string::npos) << list.out;
}

TEST(WorkbookCli, ImportJsonExportAndDryRun) {
  TempDir dir;
  ASSERT_EQ(Cxhub(dir, "init").code, 0);
  WriteXlsx(dir.File("ok.xlsx"),
            {{"Accounts", {{T("Account ID"), T("Company Name")}, {T("A-1"), T("Acme Nig.")}}}});
  CliRun dry = Cxhub(dir, "import-workbook --dry-run --json " + dir.File("ok.xlsx"));
  EXPECT_EQ(dry.code, 0) << dry.err;
  auto d = nlohmann::json::parse(dry.out);
  EXPECT_TRUE(d["dry_run"].get<bool>());
  EXPECT_EQ(d["sheets"][0]["created"], 1);
  EXPECT_EQ(Cxhub(dir, "account list").out.find("A-1"), std::string::npos);
  CliRun imp = Cxhub(dir, "import-workbook --json " + dir.File("ok.xlsx"));
  EXPECT_EQ(imp.code, 0) << imp.err;
  EXPECT_NE(Cxhub(dir, "account list").out.find("A-1"), std::string::npos);
  CliRun exp = Cxhub(dir, "export-workbook " + dir.File("out.xlsx"));
  EXPECT_EQ(exp.code, 0) << exp.err;
  auto cells = ReadCells(dir.File("out.xlsx"));
  ASSERT_TRUE(cells.ok());
  EXPECT_EQ((*cells)["Accounts"][2][1], "s:Acme Nig.");
}

}  // namespace
}  // namespace cx
