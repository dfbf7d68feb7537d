// Tests of workbook import and export on real .xlsx files written by the tests.
#include "service/workbook_import.h"

#include <gtest/gtest.h>
#include <zip.h>

#include "service/workbook_export.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

std::string LongNotes() {
  std::string s;
  while (s.size() < 5000)
    s += "Customer asked about the Ọ̀ṣun generator — quote №42 😀\nsecond line; ";
  return s.substr(0, 5000);
}

// A valid workbook with the mess real workbooks have.
Sheets SeedSheets() {
  return {
      {"Accounts",
       {{T("COMPANY  NAME"), T("  account id "), T("Industry"), T("ERP Customer ID"),
         T("Account Owner"), T("Region")},
        {},
        {T("Dangote Cement Plc"), T("A-000001"), T("Cement"), T("00042"), T("Ada Obi"), T("North")},
        {T("  "), E(), E()},
        {T("Zenith Motors Ltd"), T("A-000002"), T("Automotive"), E(), T("Stranger Person"), E()}}},
      {"contacts",
       {{T("Contact ID"), T("Full Name"), T("Job Title"), T("Associated Account ID")},
        {T("C-000001"), T("Chinedu Okafor"), T("=SUM(A1:A2)"), T("A-000001")},
        {T("C-000002"), T("Ngozi Ádébáyọ̀"), T("+2348031234567"), T("A-000002")}}},
      {"Interactions",
       {{T("Interaction ID"), T("Date"), T("Contact ID"), T("Channel"), T("Notes"),
         T("Next Action"), T("Logged By")},
        {T("I-000001"), D(45383.5), T("C-000001"), T("Phone"), T(LongNotes()), T("Send quote"),
         T("Ada Obi")},
        {T("I-000002"), T("03/04/2026 14:05"), T("C-000002"), T("whatsapp"),
         T("-5 units\tand @ mention"), E(), T("ada")}}},
      {"Opportunities",
       {{T("Opportunity ID"), T("Account ID"), T("Division"), T("Owner"), T("Stage"), T("Amount"),
         T("Created"), T("Closed"), T("Outcome"), T("Lost Reason")},
        {T("O-000001"), T("A-000001"), T("power and industrial"), T("Ada Obi"), T("quote"),
         N(1250000.5), D(45383), E(), T("open"), E()}}},
      {"Stage History",
       {{T("Opportunity ID"), T("Stage"), T("Entered"), T("By")},
        {T("O-000001"), T("inquiry"), D(45383), T("Ada Obi")},
        {T("O-000001"), T("quote"), D(45384.25), T("Ada Obi")}}},
      {"Cases",
       {{T("Case ID"), T("Account ID"), T("Contact ID"), T("Division"), T("Kind"), T("Opened"),
         T("First Response"), T("Resolution Confirmed"), T("Closed"), T("Owner")},
        {T("K-000001"), T("A-000001"), T("C-000001"), T("Motors"), T("complaint"), D(45383),
         D(45383.1), E(), E(), T("Ada Obi")}}},
      {"Orders",
       {{T("Order ID"), T("ERP Customer ID"), T("Order Date"), T("Division"), T("Amount"),
         T("Currency")},
        {T("SO-1"), T("00042"), D(45383), T("Motors"), N(99.5), T("NGN")}}},
      {"Feedback",
       {{T("Feedback ID"), T("Date"), T("Account ID"), T("Contact ID"), T("Division"), T("Kind"),
         T("Score"), T("Stage"), T("Platform"), T("Comment")},
        {T("F-000001"), D(45383), T("A-000001"), T("C-000001"), T("Motors"), T("nps"), N(9), E(),
         E(), T("great")}}},
      {"Notes to self", {{T("anything")}}},
  };
}

class WorkbookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = OpenHub(dir_.path());
    ASSERT_TRUE(hub_);
    ASSERT_TRUE(hub_->store
                    ->Transaction([](Tx& tx) {
                      User u;
                      u.login = "ada";
                      u.name = "Ada Obi";
                      u.role = "sales";
                      return tx.UpsertUser(u);
                    })
                    .ok());
  }
  Context& ctx() { return hub_->ctx; }

  ImportSummary Import(const std::string& path, bool dry_run = false) {
    ImportOptions o;
    o.dry_run = dry_run;
    auto r = ImportWorkbook(ctx(), path, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ImportSummary{};
  }
  // Records of every kind plus audit entries: what "nothing written" is checked against.
  int64_t Footprint() {
    int64_t n = 0;
    EXPECT_TRUE(
        hub_->store
            ->Transaction([&](Tx& tx) -> Status {
              auto count = [&](const Status& st) { return st; };
              CX_RETURN_IF_ERROR(
                  count(tx.ForEachAccount([&](const Account&) { return ++n, Status::Ok(); })));
              CX_RETURN_IF_ERROR(
                  tx.ForEachContact([&](const Contact&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(
                  tx.ForEachInteraction([&](const Interaction&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(
                  tx.ForEachOpportunity([&](const Opportunity&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(
                  tx.ForEachStage([&](const StageEntry&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(tx.ForEachCase([&](const Case&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(tx.ForEachOrder([&](const Order&) { return ++n, Status::Ok(); }));
              CX_RETURN_IF_ERROR(
                  tx.ForEachFeedback([&](const Feedback&) { return ++n, Status::Ok(); }));
              AuditFilter f;
              f.limit = 1000000;
              CX_ASSIGN_OR_RETURN(auto audit, tx.ListAudit(f));
              n += int64_t(audit.size());
              return Status::Ok();
            })
            .ok());
    return n;
  }
  template <typename T, typename F>
  T Read(F f) {
    T out{};
    EXPECT_TRUE(hub_->store
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(out, f(tx));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  Account GetAccount(const std::string& id) {
    auto a = Read<std::optional<Account>>([&](Tx& tx) { return tx.GetAccount(id); });
    EXPECT_TRUE(a.has_value()) << id;
    return a.value_or(Account{});
  }
  Interaction GetInteraction(const std::string& id) {
    auto a = Read<std::optional<Interaction>>([&](Tx& tx) { return tx.GetInteraction(id); });
    EXPECT_TRUE(a.has_value()) << id;
    return a.value_or(Interaction{});
  }
  const SheetCounts* Counts(const ImportSummary& s, const std::string& sheet) {
    for (const auto& c : s.sheets) {
      if (NormalizeHeaderForTest(c.sheet) == NormalizeHeaderForTest(sheet)) return &c;
    }
    ADD_FAILURE() << "no sheet " << sheet;
    static SheetCounts none;
    return &none;
  }
  static std::string NormalizeHeaderForTest(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(WorkbookTest, ImportsMessyWorkbookEveryRule) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ImportSummary s = Import(dir_.File("seed.xlsx"));
  ASSERT_TRUE(s.ok()) << ImportErrors(s).ToString();
  EXPECT_EQ(Counts(s, "Accounts")->created, 2);
  EXPECT_EQ(Counts(s, "Contacts")->created, 2);
  EXPECT_EQ(Counts(s, "Interactions")->created, 2);
  EXPECT_EQ(Counts(s, "Stage History")->created, 2);
  EXPECT_EQ(Counts(s, "Orders")->created, 1);
  EXPECT_EQ(Counts(s, "Feedback")->created, 1);
  // Headers in other case/spacing, reordered columns, blank rows skipped, custom column kept.
  Account a = GetAccount("A-000001");
  EXPECT_EQ(a.name, "Dangote Cement Plc");
  EXPECT_EQ(a.erp_customer_id, "00042");  // leading zeros kept
  EXPECT_EQ(a.owner, "ada");              // a user's name links to the user
  EXPECT_EQ(a.custom["Region"], "North");
  EXPECT_EQ(GetAccount("A-000002").owner, "Stranger Person");
  EXPECT_EQ(s.unknown_people, std::vector<std::string>{"Stranger Person"});
  // A sheet outside the contract is a warning, not an error.
  ASSERT_FALSE(s.warnings.empty());
  EXPECT_NE(s.warnings[0].find("Notes to self"), std::string::npos);
  // Real Excel date (serial, wall clock in Lagos = UTC+1) and a day-first text date.
  Interaction i1 = GetInteraction("I-000001");
  EXPECT_EQ(i1.at, (DaysFromCivil({2024, 4, 1}) * 86400) + 11 * 3600);
  EXPECT_EQ(i1.notes, LongNotes());  // 5,000 characters, Unicode and line breaks
  EXPECT_EQ(i1.channel, "phone");
  Interaction i2 = GetInteraction("I-000002");
  EXPECT_EQ(i2.at, (DaysFromCivil({2026, 4, 3}) * 86400) + 13 * 3600 + 5 * 60);
  EXPECT_EQ(i2.notes, "-5 units\tand @ mention");
  auto c1 = Read<std::optional<Contact>>([](Tx& tx) { return tx.GetContact("C-000001"); });
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->job_title, "=SUM(A1:A2)");  // text that looks like a formula stays text
  auto c2 = Read<std::optional<Contact>>([](Tx& tx) { return tx.GetContact("C-000002"); });
  EXPECT_EQ(c2->job_title, "+2348031234567");  // text that looks like a number stays text
  EXPECT_EQ(c2->full_name, "Ngozi Ádébáyọ̀");
}

TEST_F(WorkbookTest, SameWorkbookTwiceChangesNothing) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  int64_t before = Footprint();
  ImportSummary again = Import(dir_.File("seed.xlsx"));
  ASSERT_TRUE(again.ok()) << ImportErrors(again).ToString();
  for (const auto& c : again.sheets) {
    EXPECT_EQ(c.created, 0) << c.sheet;
    EXPECT_EQ(c.updated, 0) << c.sheet;
  }
  EXPECT_EQ(Counts(again, "Interactions")->unchanged, 2);
  // Only the one "import" summary entry is added to the audit log.
  EXPECT_EQ(Footprint(), before + 1);
}

TEST_F(WorkbookTest, BlankCellKeepsValueAndNeverTakesThePreviousRow) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  WriteXlsx(dir_.File("blank.xlsx"),
            {{"Accounts",
              {{T("Account ID"), T("Company Name"), T("Industry"), T("ERP Customer ID")},
               {T("A-000001"), T("Dangote Cement Plc"), T("Building materials"), E()},
               {T("A-000003"), T("Brand New Co"), E(), E()}}}});
  ImportSummary s = Import(dir_.File("blank.xlsx"));
  ASSERT_TRUE(s.ok()) << ImportErrors(s).ToString();
  Account a = GetAccount("A-000001");
  EXPECT_EQ(a.erp_customer_id, "00042");           // blank cell: kept
  EXPECT_EQ(a.owner, "ada");                       // column absent: kept
  EXPECT_EQ(GetAccount("A-000003").industry, "");  // not the previous row's value
  EXPECT_EQ(Counts(s, "Accounts")->created, 1);
  // A-000001 is linked to the ERP, which owns its industry: the ERP's value stays and the
  // difference is a warning in the report.
  EXPECT_NE(a.industry, "Building materials");
  EXPECT_EQ(Counts(s, "Accounts")->updated, 0);
  bool warned = false;
  for (const auto& w : s.warnings) {
    warned = warned || (w.find("industry is owned by the ERP") != std::string::npos &&
                        w.find("row 2") != std::string::npos);
  }
  EXPECT_TRUE(warned);
}

TEST_F(WorkbookTest, EveryErrorIsReportedAndNothingIsWritten) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  int64_t before = Footprint();
  WriteXlsx(dir_.File("bad.xlsx"),
            {{"Accounts",
              {{T("Account ID"), T("Company Name"), T("Industry")},
               {T("A-000001"), T("Dangote Cement Plc"), T("Changed, but must not be written")},
               {T("A-000010"), E(), T("no name")},
               {T("A-000011"), T("Twice"), E()},
               {T("A-000011"), T("Twice again"), E()}}},
             {"Contacts",
              {{T("Contact ID"), T("Full Name"), T("Job Title"), T("Associated Account ID")},
               {T("C-000010"), T("Orphan Person"), E(), T("A-0099")},
               {T("C-000011"), T("Also New"), E(), T("A-000010")}}},
             {"Interactions",
              {{T("Interaction ID"), T("Date"), T("Contact ID"), T("Channel")},
               {T("I-000010"), T("31/02/2026"), T("C-000001"), T("phone")},
               {T("I-000011"), D(45383), T("C-404"), T("fax")},
               {E(), D(45383), T("C-000001"), T("phone")}}}});
  ImportSummary s = Import(dir_.File("bad.xlsx"));
  EXPECT_FALSE(s.ok());
  std::string all;
  for (const auto& e : s.errors) all += e + "\n";
  EXPECT_NE(
      all.find(
          "Sheet 'Contacts', row 2, column 'Associated Account ID': account A-0099 does not exist"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("Sheet 'Accounts', row 3"), std::string::npos) << all;  // no name
  EXPECT_NE(all.find("Sheet 'Accounts', row 5, column 'Account ID': A-000011 appears more than "
                     "once (first in row 4)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("Sheet 'Interactions', row 2, column 'Date': '31/02/2026' is not a date"),
            std::string::npos)
      << all;
  EXPECT_NE(
      all.find("Sheet 'Interactions', row 3, column 'Contact ID': contact C-404 does not exist"),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("Sheet 'Interactions', row 3: channel"), std::string::npos) << all;
  EXPECT_NE(all.find("Sheet 'Interactions', row 4, column 'Interaction ID': is empty"),
            std::string::npos)
      << all;
  // C-000011 refers to the account whose own row failed: no cascade of errors.
  EXPECT_EQ(all.find("account A-000010 does not exist"), std::string::npos) << all;
  EXPECT_EQ(Footprint(), before);
  EXPECT_EQ(GetAccount("A-000001").industry, "Cement");
  Status st = ImportErrors(s);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.details().size(), s.errors.size());
}

TEST_F(WorkbookTest, DryRunWritesNothing) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  int64_t before = Footprint();
  ImportSummary s = Import(dir_.File("seed.xlsx"), /*dry_run=*/true);
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s.dry_run);
  EXPECT_EQ(Counts(s, "Accounts")->created, 2);
  EXPECT_EQ(Footprint(), before);
}

TEST_F(WorkbookTest, HostileFilesAreRefusedAndWriteNothing) {
  int64_t before = Footprint();
  std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
      "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
      "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>Account ID</t></is></c></row><row><c "
      "t=\"inlineStr\">"
      "<is><t>&b;</t></is></c></row></sheetData></worksheet>";
  ASSERT_TRUE(WriteZip(dir_.File("entity.xlsx"), MinimalParts("Accounts", bomb)));
  auto r = ImportWorkbook(ctx(), dir_.File("entity.xlsx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  std::string zipbomb =
      "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>Account ID</t></is></c></row><row>"
      "<c t=\"inlineStr\"><is><t>" +
      std::string(8 << 20, '0') + "</t></is></c></row></sheetData></worksheet>";
  ASSERT_TRUE(WriteZip(dir_.File("zipbomb.xlsx"), MinimalParts("Accounts", zipbomb)));
  auto r2 = ImportWorkbook(ctx(), dir_.File("zipbomb.xlsx"));
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("zip bomb"), std::string::npos) << r2.status().message();
  EXPECT_EQ(Footprint(), before);
}

TEST_F(WorkbookTest, Dates1904System) {
  std::string shared;
  std::string sheet =
      "<worksheet><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Interaction ID</t></is></c><c r=\"B1\" "
      "t=\"inlineStr\"><is>"
      "<t>Date</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>Contact ID</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>I-1904</t></is></c><c r=\"B2\" "
      "s=\"1\"><v>43921.5</v></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><t>C-000001</t></is></c></row></sheetData></worksheet>";
  std::string styles =
      "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  ASSERT_TRUE(WriteZip(dir_.File("mac.xlsx"),
                       MinimalParts("Interactions", sheet, "", styles, "date1904=\"1\"")));
  ImportSummary s = Import(dir_.File("mac.xlsx"));
  ASSERT_TRUE(s.ok()) << ImportErrors(s).ToString();
  // 43921.5 in the 1904 system is 2024-04-01 12:00 (45383.5 in the 1900 system).
  EXPECT_EQ(GetInteraction("I-1904").at, (DaysFromCivil({2024, 4, 1}) * 86400) + 11 * 3600);
}

TEST_F(WorkbookTest, ProbableDuplicateIsReportedNotRefused) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  WriteXlsx(
      dir_.File("dup.xlsx"),
      {{"Accounts",
        {{T("Account ID"), T("Company Name")}, {T("A-000050"), T("DANGOTE CEMENT LIMITED")}}}});
  ImportSummary s = Import(dir_.File("dup.xlsx"));
  ASSERT_TRUE(s.ok()) << ImportErrors(s).ToString();
  EXPECT_EQ(Counts(s, "Accounts")->created, 1);
  ASSERT_EQ(s.duplicates.size(), 1u);
  EXPECT_EQ(s.duplicates[0].id, "A-000050");
  EXPECT_EQ(s.duplicates[0].row, 2);
  ASSERT_FALSE(s.duplicates[0].matches.empty());
  EXPECT_EQ(s.duplicates[0].matches[0].id, "A-000001");
}

TEST_F(WorkbookTest, ExportWritesSeedSheetsFirstDatesAndInertText) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  auto e = ExportWorkbook(ctx(), dir_.File("out.xlsx"));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  auto cells = ReadCells(dir_.File("out.xlsx"));
  ASSERT_TRUE(cells.ok()) << cells.status().ToString();
  auto r = xlsx::Reader::Open(dir_.File("out.xlsx"));
  ASSERT_TRUE(r.ok());
  std::vector<std::string> expected = {"Accounts",      "Contacts",      "Interactions",
                                       "Opportunities", "Stage History", "Cases",
                                       "Orders",        "Feedback",      "Touchpoints"};
  EXPECT_EQ((*r)->SheetNames(), expected);
  auto& acc = (*cells)["Accounts"];
  EXPECT_EQ(acc[1][0], "s:Account ID");
  EXPECT_EQ(acc[1][4], "s:Account Owner");
  EXPECT_EQ(acc[1][12], "s:Region");  // the custom column after the known ones
  EXPECT_EQ(acc[2][3], "s:00042");
  EXPECT_EQ(acc[2][12], "s:North");
  auto& con = (*cells)["Contacts"];
  EXPECT_EQ(con[1][3], "s:Associated Account ID");
  EXPECT_EQ(con[2][2], "s:=SUM(A1:A2)");
  auto& inter = (*cells)["Interactions"];
  std::vector<std::string> seed_cols = {"Interaction ID", "Date",        "Contact ID", "Channel",
                                        "Notes",          "Next Action", "Logged By"};
  for (size_t c = 0; c < seed_cols.size(); ++c) EXPECT_EQ(inter[1][int(c)], "s:" + seed_cols[c]);
  EXPECT_EQ(inter[2][1], "d:45383.5");  // a real date cell, wall clock in the hub zone
  // No formula anywhere in the file.
  int err = 0;
  zip_t* za = zip_open(dir_.File("out.xlsx").c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(za, nullptr);
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, i, 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(za, i, 0);
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    EXPECT_EQ(data.find("<f>"), std::string::npos) << st.name;
    EXPECT_EQ(data.find("<f "), std::string::npos) << st.name;
  }
  zip_close(za);
}

TEST_F(WorkbookTest, RoundTripGivesTheSameCells) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  ASSERT_TRUE(ExportWorkbook(ctx(), dir_.File("a.xlsx")).ok());
  auto other = OpenHub(dir_.path(), "other.db");
  ASSERT_TRUE(other);
  auto imp = ImportWorkbook(other->ctx, dir_.File("a.xlsx"));
  ASSERT_TRUE(imp.ok()) << imp.status().ToString();
  ASSERT_TRUE(imp->ok()) << ImportErrors(*imp).ToString();
  ASSERT_TRUE(ExportWorkbook(other->ctx, dir_.File("b.xlsx")).ok());
  auto a = ReadCells(dir_.File("a.xlsx"));
  auto b = ReadCells(dir_.File("b.xlsx"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ((*a)["Interactions"].size(), 3u);
  // And importing the export into the hub it came from changes nothing.
  ImportSummary again = Import(dir_.File("a.xlsx"));
  for (const auto& c : again.sheets) EXPECT_EQ(c.created + c.updated, 0) << c.sheet;
}

TEST_F(WorkbookTest, EditedExportAppliesExactlyTheEditsAudited) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  ASSERT_TRUE(ExportWorkbook(ctx(), dir_.File("a.xlsx")).ok());
  auto cells = ReadCells(dir_.File("a.xlsx"));
  ASSERT_TRUE(cells.ok());
  (*cells)["Accounts"][3][2] = "s:Building materials";  // Industry of A-000002 (not ERP-linked)
  (*cells)["Interactions"][3][5] = "s:Call back on Monday";  // Next Action of I-000002
  // Write the edited cells back as a workbook, as a spreadsheet would.
  Sheets edited;
  for (const auto& [name, rows] : *cells) {
    Rows out;
    for (const auto& [r, cols] : rows) {
      out.resize(size_t(r));
      auto& row = out[size_t(r - 1)];
      for (const auto& [c, v] : cols) {
        row.resize(size_t(c + 1));
        std::string t = v.substr(2);
        if (v[0] == 's') row[size_t(c)] = T(t);
        if (v[0] == 'n') row[size_t(c)] = N(std::stod(t));
        if (v[0] == 'd') row[size_t(c)] = D(std::stod(t));
      }
    }
    edited.emplace_back(name, out);
  }
  WriteXlsx(dir_.File("edited.xlsx"), edited);
  ImportSummary s = Import(dir_.File("edited.xlsx"));
  ASSERT_TRUE(s.ok()) << ImportErrors(s).ToString();
  int64_t updated = 0, created = 0;
  for (const auto& c : s.sheets) updated += c.updated, created += c.created;
  EXPECT_EQ(updated, 2);
  EXPECT_EQ(created, 0);
  EXPECT_EQ(GetAccount("A-000002").industry, "Building materials");
  EXPECT_EQ(GetInteraction("I-000002").next_action, "Call back on Monday");
  auto audit = Read<std::vector<AuditEntry>>([](Tx& tx) {
    AuditFilter f;
    f.entity_id = "A-000002";
    f.action = "update";
    return tx.ListAudit(f);
  });
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].field, "industry");
  EXPECT_EQ(audit[0].before, "Automotive");
  EXPECT_EQ(audit[0].after, "Building materials");
  EXPECT_EQ(audit[0].actor, "tester");
}

TEST_F(WorkbookTest, MergedRecordsAreNotExported) {
  WriteXlsx(dir_.File("seed.xlsx"), SeedSheets());
  ASSERT_TRUE(Import(dir_.File("seed.xlsx")).ok());
  ASSERT_TRUE(hub_->store
                  ->Transaction([](Tx& tx) -> Status {
                    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount("A-000002"));
                    a->merged_into = "A-000001";
                    return tx.UpdateAccount(*a);
                  })
                  .ok());
  ASSERT_TRUE(ExportWorkbook(ctx(), dir_.File("a.xlsx")).ok());
  auto cells = ReadCells(dir_.File("a.xlsx"));
  ASSERT_TRUE(cells.ok());
  EXPECT_EQ((*cells)["Accounts"].size(), 2u);  // header + the survivor
}

}  // namespace
}  // namespace cx

namespace cx {
namespace {

TEST(WorkbookLibreOffice, ImportsAWorkbookSavedByLibreOffice) {
  wbtest::TempDir dir;
  auto hub = wbtest::OpenHub(dir.path());
  ASSERT_TRUE(hub);
  auto r =
      ImportWorkbook(hub->ctx, std::string(CXHUB_SOURCE_DIR) + "/tests/data/libreoffice_seed.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->ok()) << ImportErrors(*r).ToString();
  ASSERT_EQ(r->sheets.size(), 3u);
  for (const auto& s : r->sheets) EXPECT_EQ(s.created, 2) << s.sheet;
  Status st = hub->store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount("A-000101"));
    EXPECT_TRUE(a);
    EXPECT_EQ(a->erp_customer_id, "000777");
    EXPECT_EQ(a->custom["Region"], "South-West");
    CX_ASSIGN_OR_RETURN(auto c, tx.GetContact("C-000101"));
    EXPECT_EQ(c->job_title, "=Procurement lead");
    EXPECT_EQ(c->full_name, "Fúnmiláyọ̀ Ransome");
    CX_ASSIGN_OR_RETURN(auto i1, tx.GetInteraction("I-000101"));
    EXPECT_EQ(i1->at, DaysFromCivil({2026, 4, 3}) * 86400 + 13 * 3600 + 5 * 60);  // 14:05 in Lagos
    EXPECT_EQ(i1->notes, "Site visit.\nGenerator 500 kVA — needs quote");
    CX_ASSIGN_OR_RETURN(auto i2, tx.GetInteraction("I-000102"));
    EXPECT_EQ(i2->at, DaysFromCivil({2026, 5, 4}) * 86400 - 3600);  // 04/05/2026 is 4 May
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

}  // namespace
}  // namespace cx
