// Tests of the ERP sync's refusals and rejected rows: a bad file refused whole, --partial and
// FILE.rejected.csv, missing columns, damaged rows, amounts and dates, corrected rows later.
#include "erp_sync_fixture.h"

namespace cx {
namespace {

namespace fs = std::filesystem;
using erptest::ErpSyncTest;
using erptest::kHeader;
using erptest::kTwo;

TEST_F(ErpSyncTest, BadFileIsRefusedWholeEveryBadRowNamedNothingWritten) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string bad =
      std::string(kHeader) +
      "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"        // line 2: fine
      ",Nameless,Retail,,,,,,active,2026-02-01\n"                     // line 3: no id
      "E6,,Retail,,,,,,active,2026-13-45\n"                           // line 4: no name, bad date
      "E7,\"Multi\nLine\",Retail,Spaceships,,,,,active,2026-02-01\n"  // line 5: bad division
      "E8,Bad Mail,Retail,,,not-an-email,,,active,2026-02-01\n"       // line 7: bad email
      "E5,Twice,Retail,,,,,,active,2026-02-01\n"                      // line 8: duplicate id
      "E9,Short\n";                                                   // line 9: too few fields
  std::string before = Snapshot();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("bad.csv", bad), &s);
  ASSERT_EQ(st.code(), Code::kInvalid) << st.ToString();
  std::vector<int64_t> lines;
  for (const auto& r : s.rejected) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{3, 4, 5, 7, 8, 9}));
  EXPECT_EQ(st.details().size(), 6u);
  EXPECT_NE(s.rejected[0].reason.find("ERP Customer ID is blank"), std::string::npos);
  EXPECT_NE(s.rejected[1].reason.find("Customer Name is blank"), std::string::npos);
  EXPECT_NE(s.rejected[1].reason.find("2026-13-45"), std::string::npos);
  EXPECT_NE(s.rejected[2].reason.find("Spaceships"), std::string::npos);
  EXPECT_NE(s.rejected[3].reason.find("email"), std::string::npos);
  EXPECT_NE(s.rejected[4].reason.find("appears already on line 2"), std::string::npos);
  EXPECT_NE(s.rejected[5].reason.find("has 2 fields"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(fs::exists(dir_ / "bad.csv.rejected.csv"));
}

TEST_F(ErpSyncTest, PartialAppliesGoodRowsAndWritesRejectedWithReasons) {
  std::string bad = std::string(kHeader) +
                    "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"
                    "E6,Bad Mail,Retail,,,not-an-email,,,active,2026-01-15\n";
  std::string f = Write("p.csv", bad);
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s, false, true).ok());
  EXPECT_EQ(s.created, 1);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_TRUE(ByErp("E5"));
  EXPECT_FALSE(ByErp("E6"));
  std::ifstream in(f + ".rejected.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Last Modified,Line,Reason\r\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("E6,Bad Mail"), std::string::npos);
  EXPECT_NE(text.str().find(",3,"), std::string::npos);
  // The watermark stays below the rejected row, so its fix is not skipped later.
  ErpSyncSummary fix;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("fix.csv", std::string(kHeader) +
                                        "E6,Bad Mail,Retail,,,ok@mail.ng,,,active,2026-01-15\n"),
                   &fix)
                  .ok());
  EXPECT_EQ(fix.created, 1);
}

TEST_F(ErpSyncTest, MissingColumnsAndBadMappingAreRefusedNamingThem) {
  std::string smoke =
      Write("smoke.csv", "ERP Customer ID,Customer Name,Last Modified\n,Nameless,2026-13-45\n");
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, smoke, &s);
  EXPECT_EQ(st.code(),
            Code::kInvalid);  // optional columns may be absent; the bad row is the problem
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 2);
  std::string nocols = Write("n.csv", "Customer Name,Industry\nAcme,Cement\n");
  st = Sync(ErpKind::kCustomers, nocols, &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("'ERP Customer ID'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'Last Modified'"), std::string::npos) << st.message();
  std::string badmap = Write("bad.toml", "[customers.columns]\nname = \"N\"\n");
  st = Sync(ErpKind::kCustomers, smoke, &s, false, false, badmap);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.ToString().find("columns.erp_customer_id is missing"), std::string::npos)
      << st.ToString();
  EXPECT_EQ(Count(), 0);
}

TEST_F(ErpSyncTest, SpreadsheetBlankRowsRepeatedUnmappedColumnsAndNulBytes) {
  // Blank lines before the header, a spreadsheet's empty rows (",,,"), a blank-only line, a
  // DOS end-of-file mark; a column the mapping does not name appears twice.
  using namespace std::string_literals;
  const std::string messy =
      "\n\nERP Customer ID,Notes,Customer Name,Notes,Last Modified\n"
      "E1,a,Acme Cement Ltd,b,2026-01-05\n"
      ",,,,\n"
      "   \n"
      "E2,,Beta Foods,,2026-01-06\n"
      "E3,,Gamma\0Oil,,2026-01-06\n"
      "\x1a"s;
  ASSERT_EQ(messy.back(), '\x1a');
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("m.csv", messy), &s);
  ASSERT_EQ(st.code(), Code::kInvalid) << st.ToString();
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 8);  // physical lines: two blank ones before the header
  EXPECT_NE(s.rejected[0].reason.find("column 'Customer Name' holds a NUL byte"), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_EQ(s.rows, 3);
  // The message of the refusal holds no NUL byte, so stderr shows all of it.
  EXPECT_EQ(st.ToString().find('\0'), std::string::npos);
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("m2.csv", messy), &s, false, true).ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_TRUE(ByErp("E2"));
  EXPECT_FALSE(ByErp("E3"));
  // A mapped column twice is refused: which one holds the field is not clear.
  st = Sync(ErpKind::kCustomers,
            Write("twice.csv",
                  "ERP Customer ID,Customer Name,Customer Name,Last Modified\n"
                  "E4,A,B,2026-01-07\n"),
            &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("has the column 'Customer Name' twice"), std::string::npos)
      << st.message();
}

TEST_F(ErpSyncTest, RejectedFileIsWrittenBeforeTheCommitAndAStaleOneRemoved) {
  const std::string rows = std::string(kHeader) +
                           "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"
                           "E6,Bad Mail,Retail,,,not-an-email,,,active,2026-01-15\n";
  std::string f = Write("p.csv", rows);
  // A directory where the rejected file goes: the sync fails and writes nothing.
  fs::create_directory(f + ".rejected.csv");
  std::string before = Snapshot();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, f, &s, false, true);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("is a directory"), std::string::npos) << st.message();
  EXPECT_FALSE(s.applied);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(fs::exists(f + ".rejected.csv.tmp"));
  fs::remove(f + ".rejected.csv");
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s, false, true).ok());
  EXPECT_TRUE(s.applied);
  EXPECT_EQ(s.rejected_file, f + ".rejected.csv");
  EXPECT_TRUE(fs::is_regular_file(f + ".rejected.csv"));
  EXPECT_FALSE(fs::exists(f + ".rejected.csv.tmp"));
  // The fixed file applies cleanly; the old rejected rows beside it go, and the summary says so.
  Write("p.csv", std::string(kHeader) + "E6,Bad Mail,Retail,,,mail@bad.ng,,,active,2026-01-15\n");
  ErpSyncSummary fixed;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &fixed, false, true).ok());
  EXPECT_TRUE(fixed.rejected_file.empty());
  EXPECT_EQ(fixed.removed_rejected_file, f + ".rejected.csv");
  EXPECT_FALSE(fs::exists(f + ".rejected.csv"));
  EXPECT_TRUE(ByErp("E6"));
  // What cxhub did not write it leaves alone: a directory in the temporary file's place is
  // not removed (the sync fails, writing nothing), and one in the rejected file's place
  // after a clean run is a warning.
  std::string g = Write("g.csv", std::string(kHeader) +
                                     "E10,Good Two,Retail,Motors,,,,Lagos,active,2026-03-01\n"
                                     "E11,Bad Two,Retail,,,not-an-email,,,active,2026-03-01\n");
  fs::create_directory(g + ".rejected.csv.tmp");
  ErpSyncSummary in_the_way;
  st = Sync(ErpKind::kCustomers, g, &in_the_way, false, true);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("is in the way"), std::string::npos) << st.message();
  EXPECT_TRUE(fs::is_directory(g + ".rejected.csv.tmp"));
  fs::remove(g + ".rejected.csv.tmp");
  fs::create_directory(g + ".rejected.csv");
  ErpSyncSummary clean;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("g.csv", std::string(kHeader) + "E12,Gee Ltd,,,,,,,active,2026-03-02\n"),
                   &clean, false, true)
                  .ok());
  ASSERT_EQ(clean.warnings.size(), 1u);
  EXPECT_NE(clean.warnings[0].find("could not be removed"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(g + ".rejected.csv"));
}

TEST_F(ErpSyncTest, OrderAmountsCurrenciesAndFutureDatesAreCheckedNotGuessed) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  const std::string h =
      "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
  std::string f = Write("o.csv", h + "O1,E1,2026-01-03,Motors,\"1.234,50\",NGN,2026-01-03\n"
                                     "O2,E1,2026-01-03,Motors,\"12,34\",NGN,2026-01-03\n"
                                     "O3,E1,2026-01-03,Motors,\"2,500.75\",ngn,2026-01-03\n"
                                     "O4,E1,2026-01-03,Motors,10,Naira,2026-01-03\n"
                                     "O5,E1,2026-01-03,Motors,10,USD,2099-01-10 10:00\n");
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &s, false, true).ok());
  EXPECT_EQ(s.created, 1);
  ASSERT_EQ(s.rejected.size(), 4u);
  EXPECT_NE(s.rejected[0].reason.find("'1.234,50' is not an amount"), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_NE(s.rejected[1].reason.find("'12,34' is not an amount"), std::string::npos);
  EXPECT_NE(s.rejected[2].reason.find("'Naira' is not a three-letter currency code"),
            std::string::npos)
      << s.rejected[2].reason;
  EXPECT_NE(s.rejected[3].reason.find("is in the future"), std::string::npos)
      << s.rejected[3].reason;
  // The future row does not carry the watermark to 2099.
  ASSERT_TRUE(s.watermark_after);
  EXPECT_LT(*s.watermark_after, clock_);
  std::optional<Order> o3 = OrderById("O3");
  ASSERT_TRUE(o3);
  EXPECT_DOUBLE_EQ(o3->amount, 2500.75);
  EXPECT_EQ(o3->currency, "NGN");
  // A mapping of customers only is refused for an orders export, naming the missing table.
  std::string map = Write("cust.toml",
                          "[customers.columns]\nerp_customer_id = \"ERP Customer ID\"\n"
                          "name = \"Customer Name\"\nlast_modified = \"Last Modified\"\n");
  Status st = Sync(ErpKind::kOrders, f, Scratch(), false, true, map);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("has no [orders] table"), std::string::npos) << st.message();
  EXPECT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", std::string(kHeader) + kTwo), Scratch(),
                   false, false, map)
                  .ok());
}

TEST_F(ErpSyncTest, CorrectedRejectedRowsApplyAfterLaterSyncsMovedTheWatermark) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  const std::string h =
      "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
  // P2 is rejected; the next day's export moves the watermark past it.
  std::string day1 = Write("day1.csv", h + "P1,E1,2026-01-11,Motors,10,NGN,2026-01-11 10:00\n"
                                           "P2,E1,2026-01-11,Motors,abc,NGN,2026-01-11 11:00\n");
  ErpSyncSummary s1;
  ASSERT_TRUE(Sync(ErpKind::kOrders, day1, &s1, false, true).ok());
  ASSERT_EQ(s1.rejected.size(), 1u);
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("day2.csv", h + "P5,E1,2026-01-12,Motors,5,NGN,2026-01-12 10:00\n"), &s2,
                   false, true)
                  .ok());
  ASSERT_TRUE(s2.watermark_after);
  // The corrected row, fed days later, still applies: it is not lost behind the watermark.
  std::string fixed = Write("fixed.csv", h + "P2,E1,2026-01-11,Motors,100,NGN,2026-01-11 11:00\n");
  ErpSyncSummary s3;
  ASSERT_TRUE(Sync(ErpKind::kOrders, fixed, &s3, false, true).ok());
  EXPECT_EQ(s3.created, 1);
  EXPECT_EQ(s3.skipped_older, 0);
  ASSERT_TRUE(OrderById("P2"));
  EXPECT_DOUBLE_EQ(OrderById("P2")->amount, 100);
  // Put right once, the key waits no more: the same row again is older than the watermark.
  ErpSyncSummary s4;
  ASSERT_TRUE(Sync(ErpKind::kOrders, fixed, &s4, false, true).ok());
  EXPECT_EQ(s4.skipped_older, 1);
  // A repeated id's older row is rejected, and feeding it back never replaces the newer one.
  std::string dup = Write("dup.csv", h + "X1,E1,2026-01-13,Motors,100,NGN,2026-01-13 12:00\n"
                                         "X1,E1,2026-01-13,Motors,150,NGN,2026-01-13 10:00\n");
  ErpSyncSummary s5;
  ASSERT_TRUE(Sync(ErpKind::kOrders, dup, &s5, false, true).ok());
  ASSERT_EQ(s5.rejected.size(), 1u);
  ErpSyncSummary s6;
  ASSERT_TRUE(Sync(ErpKind::kOrders, dup + ".rejected.csv", &s6, false, true).ok());
  EXPECT_EQ(s6.updated, 0);
  EXPECT_DOUBLE_EQ(OrderById("X1")->amount, 100);
  // An order rejected in its newer version, then an older version fed: the stored, newer one
  // stays.
  ErpSyncSummary s7;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("newer.csv", h + "X1,E1,2026-01-13,Motors,zzz,NGN,2026-01-14 09:00\n"),
                   &s7, false, true)
                  .ok());
  ASSERT_EQ(s7.rejected.size(), 1u);
  ErpSyncSummary s8;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("stale.csv", h + "X1,E1,2026-01-13,Motors,90,NGN,2026-01-13 08:00\n"), &s8,
                   false, true)
                  .ok());
  EXPECT_EQ(s8.skipped_older, 1);
  EXPECT_EQ(s8.updated, 0);
  EXPECT_DOUBLE_EQ(OrderById("X1")->amount, 100);
  // Customers too: a rejected customer's corrected row applies after later syncs.
  ErpSyncSummary c2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) +
                                       "E7,Bad Mail Ltd,,,,not-an-email,,,active,2026-02-01\n"),
                   &c2, false, true)
                  .ok());
  ASSERT_EQ(c2.rejected.size(), 1u);
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c3.csv", std::string(kHeader) + "E8,Later Ltd,,,,,,,active,2026-02-05\n"),
                   Scratch())
                  .ok());
  ErpSyncSummary c4;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c4.csv", std::string(kHeader) +
                                       "E7,Bad Mail Ltd,,,,mail@badmail.ng,,,active,2026-02-01\n"),
                   &c4)
                  .ok());
  EXPECT_EQ(c4.created, 1);
  EXPECT_TRUE(ByErp("E7"));
  // A newer row rejected keeps its key open, but only for rows as new as it: an older row of
  // that customer is still older than what the hub holds.
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("k1.csv", std::string(kHeader) + "E9,Alpha Ltd,,,,,,Lagos,,2026-03-01\n"),
                   Scratch())
                  .ok());
  ErpSyncSummary k2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("k2.csv", std::string(kHeader) +
                                       "E9,Alpha New Ltd,,,,bad email,,Abuja,,2026-04-01\n"),
                   &k2, false, true)
                  .ok());
  ASSERT_EQ(k2.rejected.size(), 1u);
  ErpSyncSummary k3;
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers,
           Write("k3.csv", std::string(kHeader) + "E9,Alpha Old Ltd,,,,,,Kano,,2026-02-01\n"), &k3)
          .ok());
  EXPECT_EQ(k3.skipped_older, 1);
  EXPECT_EQ(ByErp("E9")->name, "Alpha Ltd");
  EXPECT_EQ(ByErp("E9")->city, "Lagos");
}

}  // namespace
}  // namespace cx
