// Tests of the streaming .xlsx reader on real files written by the tests.
#include "io/xlsx/xlsx_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "xlsx_test_util.h"

namespace cx::xlsx {
namespace {

using wbtest::MinimalParts;
using wbtest::TempDir;
using wbtest::WriteZip;

const char* kNs = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";

std::string Sheet(const std::string& rows) {
  return std::string("<?xml version=\"1.0\"?><worksheet ") + kNs + "><sheetData>" + rows +
         "</sheetData></worksheet>";
}

TEST(XlsxReader, ReadsEveryCellKindSparseCellsAndDateStyles) {
  TempDir d;
  std::string shared = std::string("<?xml version=\"1.0\"?><sst ") + kNs +
                       "><si><t>Account ID</t></si><si><r><t>Rich </t></r><r><t>text</t></r>"
                       "<rPh><t>phonetic</t></rPh></si></sst>";
  std::string styles = std::string("<?xml version=\"1.0\"?><styleSheet ") + kNs +
                       "><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
                       "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
                       "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"22\"/>"
                       "<xf numFmtId=\"4\"/></cellXfs></styleSheet>";
  std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>00123</t></is></c><c r=\"D4\" "
      "t=\"b\"><v>1</v></c>"
      "<c r=\"E4\" s=\"1\"><v>45383</v></c><c r=\"F4\" s=\"3\"><v>12.5</v></c><c r=\"G4\" "
      "t=\"str\"><f>A1</f>"
      "<v>=x</v></c><c r=\"H4\" t=\"e\"><v>#N/A</v></c><c r=\"I4\" s=\"2\"><v>45383.5</v></c></row>"
      "<row><c><v>7</v></c><c><v>8</v></c></row>";
  ASSERT_TRUE(WriteZip(d.File("a.xlsx"), MinimalParts("Data", Sheet(rows), shared, styles)));
  auto r = Reader::Open(d.File("a.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)->SheetNames(), std::vector<std::string>{"Data"});
  EXPECT_FALSE((*r)->Date1904());
  std::vector<std::pair<int64_t, std::vector<Cell>>> got;
  ASSERT_TRUE((*r)->ReadSheet("Data",
                              [&](int64_t row, const std::vector<Cell>& cells) {
                                got.emplace_back(row, cells);
                                return Status::Ok();
                              })
                  .ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, 1);
  EXPECT_EQ(got[0].second[0].text, "Account ID");
  EXPECT_EQ(got[0].second[1].col, 2);
  EXPECT_EQ(got[0].second[1].text, "Rich text");  // runs joined, phonetic hint left out
  const auto& r4 = got[1].second;
  EXPECT_EQ(got[1].first, 4);
  EXPECT_EQ(r4[0].col, 1);
  EXPECT_EQ(r4[0].text, "00123");
  EXPECT_EQ(r4[0].type, Cell::Type::kString);
  EXPECT_EQ(r4[1].type, Cell::Type::kBool);
  EXPECT_EQ(r4[1].number, 1);
  EXPECT_EQ(r4[2].type, Cell::Type::kNumber);
  EXPECT_TRUE(r4[2].is_date);
  EXPECT_FALSE(r4[3].is_date);
  EXPECT_EQ(r4[3].number, 12.5);
  EXPECT_EQ(r4[4].text, "=x");  // a formula's cached text result, as a string
  EXPECT_EQ(r4[4].type, Cell::Type::kString);
  EXPECT_EQ(r4[5].type, Cell::Type::kError);
  EXPECT_TRUE(r4[6].is_date);
  EXPECT_EQ(got[2].first, 5);  // rows without r follow the previous one
  EXPECT_EQ(got[2].second[1].col, 1);
}

TEST(XlsxReader, Date1904FlagAndSerials) {
  TempDir d;
  ASSERT_TRUE(WriteZip(d.File("a.xlsx"), MinimalParts("S", Sheet(""), "", "", "date1904=\"1\"")));
  auto r = Reader::Open(d.File("a.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)->Date1904());
  int64_t days = 0;
  int secs = 0;
  ASSERT_TRUE(SerialToCivil(45383, false, &days, &secs).ok());
  EXPECT_EQ(CivilFromDays(days), (Date{2024, 4, 1}));
  ASSERT_TRUE(SerialToCivil(45383 - 1462, true, &days, &secs).ok());  // the same day in 1904
  EXPECT_EQ(CivilFromDays(days), (Date{2024, 4, 1}));
  ASSERT_TRUE(SerialToCivil(1, false, &days, &secs).ok());
  EXPECT_EQ(CivilFromDays(days), (Date{1900, 1, 1}));
  ASSERT_TRUE(SerialToCivil(61, false, &days, &secs).ok());
  EXPECT_EQ(CivilFromDays(days), (Date{1900, 3, 1}));
  ASSERT_TRUE(SerialToCivil(45383.75, false, &days, &secs).ok());
  EXPECT_EQ(secs, 18 * 3600);
  EXPECT_FALSE(SerialToCivil(-1, false, &days, &secs).ok());
  EXPECT_FALSE(SerialToCivil(1e12, false, &days, &secs).ok());
}

TEST(XlsxReader, DateFormats) {
  EXPECT_TRUE(IsDateFormat("dd/mm/yyyy"));
  EXPECT_TRUE(IsDateFormat("[$-409]h:mm AM/PM"));
  EXPECT_TRUE(IsDateFormat("[h]:mm"));
  EXPECT_FALSE(IsDateFormat("0.00"));
  EXPECT_FALSE(IsDateFormat("[Red]#,##0"));
  EXPECT_FALSE(IsDateFormat("\"days\" 0"));
  EXPECT_TRUE(IsBuiltinDateFormat(14));
  EXPECT_FALSE(IsBuiltinDateFormat(4));
}

TEST(XlsxReader, RefusesDtdAndEntityBomb) {
  TempDir d;
  std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;\">"
      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;\">]><worksheet><sheetData><row><c "
      "t=\"inlineStr\"><is><t>"
      "&lol3;</t></is></c></row></sheetData></worksheet>";
  ASSERT_TRUE(WriteZip(d.File("a.xlsx"), MinimalParts("S", bomb)));
  auto r = Reader::Open(d.File("a.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Status st = (*r)->ReadSheet("S", [](int64_t, const std::vector<Cell>&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("DTD"), std::string::npos) << st.message();
}

TEST(XlsxReader, RefusesZipBomb) {
  TempDir d;
  std::string rows =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>" + std::string(8 << 20, 'a') + "</t></is></c></row>";
  ASSERT_TRUE(WriteZip(d.File("bomb.xlsx"), MinimalParts("S", Sheet(rows))));
  auto r = Reader::Open(d.File("bomb.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  int rows_seen = 0;
  Status st = (*r)->ReadSheet("S", [&](int64_t, const std::vector<Cell>&) {
    ++rows_seen;
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("zip bomb"), std::string::npos) << st.message();
  EXPECT_EQ(rows_seen, 0);
}

TEST(XlsxReader, CapsEntryCountAndEntrySize) {
  TempDir d;
  auto parts = MinimalParts("S", Sheet("<row><c><v>1</v></c></row>"));
  for (int i = 0; i < 20; ++i) parts.emplace_back("junk/" + std::to_string(i), "x");
  ASSERT_TRUE(WriteZip(d.File("many.xlsx"), parts));
  Limits few;
  few.max_entries = 10;
  auto r = Reader::Open(d.File("many.xlsx"), few);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too many entries"), std::string::npos);
  Limits small;
  small.max_entry_bytes = 100;
  auto r2 = Reader::Open(d.File("many.xlsx"), small);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("too large"), std::string::npos) << r2.status().message();
}

TEST(XlsxReader, BrokenFilesAreInvalid) {
  TempDir d;
  {
    std::ofstream f(d.File("bad.xlsx"), std::ios::binary);
    f << "PK\x03\x04 this is not a workbook";
  }
  auto r = Reader::Open(d.File("bad.xlsx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_FALSE(Reader::Open(d.File("missing.xlsx")).ok());
  ASSERT_TRUE(WriteZip(d.File("nowb.xlsx"), {{"hello.txt", "hi"}}));
  auto r2 = Reader::Open(d.File("nowb.xlsx"));
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.status().message().find("xl/workbook.xml"), std::string::npos)
      << r2.status().message();
  ASSERT_TRUE(WriteZip(d.File("badxml.xlsx"), MinimalParts("S", "<worksheet><sheetData><row>")));
  auto r3 = Reader::Open(d.File("badxml.xlsx"));
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(
      (*r3)->ReadSheet("S", [](int64_t, const std::vector<Cell>&) { return Status::Ok(); }).code(),
      Code::kInvalid);
}

// Rows are parsed ahead on another thread; the caller still sees every row once, in order,
// and a stop or a broken part ends the read at the right row.
TEST(XlsxReader, ManyRowsArriveInOrderAndStopsAreHonoured) {
  TempDir d;
  std::string rows;
  const int kRows = 20000;  // far more than the reader parses ahead
  for (int r = 1; r <= kRows; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) +
            "\" t=\"inlineStr\"><is><t>id" + std::to_string(r) + "</t></is></c><c r=\"C" +
            std::to_string(r) + "\"><v>" + std::to_string(r * 2) + "</v></c></row>";
  }
  ASSERT_TRUE(WriteZip(d.File("many.xlsx"), MinimalParts("S", Sheet(rows))));
  // The same rows, then broken XML.
  ASSERT_TRUE(WriteZip(d.File("broken.xlsx"),
                       MinimalParts("S", std::string("<worksheet ") + kNs + "><sheetData>" + rows +
                                             "<row r=\"20001\"><c><v>1</v></row>")));
  auto r = Reader::Open(d.File("many.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  int64_t expected = 1;
  bool in_order = true;
  Status st = (*r)->ReadSheet("S", [&](int64_t row, const std::vector<Cell>& cells) {
    in_order = in_order && row == expected && cells.size() == 2 &&
               cells[0].text == "id" + std::to_string(row) && cells[1].col == 2 &&
               cells[1].number == double(row * 2);
    ++expected;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(in_order);
  EXPECT_EQ(expected, kRows + 1);

  // The caller stops at row 5000: its status comes back and no later row is delivered.
  int64_t last = 0;
  st = (*r)->ReadSheet("S", [&](int64_t row, const std::vector<Cell>&) {
    last = row;
    return row == 5000 ? Conflict("enough") : Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_EQ(st.message(), "enough");
  EXPECT_EQ(last, 5000);

  // A broken part: every good row first, then the error.
  auto b = Reader::Open(d.File("broken.xlsx"));
  ASSERT_TRUE(b.ok());
  last = 0;
  st = (*b)->ReadSheet("S", [&](int64_t row, const std::vector<Cell>&) {
    last = row;
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("not well-formed"), std::string::npos) << st.message();
  EXPECT_EQ(last, kRows);
}

TEST(XlsxReader, IgnoresSheetTargetsOutsideThePackage) {
  TempDir d;
  auto parts = MinimalParts("S", Sheet(""));
  for (auto& [name, data] : parts) {
    if (name == "xl/_rels/workbook.xml.rels") {
      data =
          "<?xml version=\"1.0\"?><Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
          "Target=\"../../etc/passwd\"/></Relationships>";
    }
  }
  ASSERT_TRUE(WriteZip(d.File("slip.xlsx"), parts));
  auto r = Reader::Open(d.File("slip.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE((*r)->SheetNames().empty());
}

TEST(XlsxReader, ColumnReferences) {
  int64_t row = 0;
  EXPECT_EQ(ColumnOf("A1", &row), 0);
  EXPECT_EQ(row, 1);
  EXPECT_EQ(ColumnOf("AB12", &row), 27);
  EXPECT_EQ(row, 12);
  EXPECT_EQ(ColumnOf("XFD1"), 16383);
  EXPECT_EQ(ColumnOf("ZZZZ1"), -1);
}

}  // namespace
}  // namespace cx::xlsx

namespace cx::xlsx {
namespace {

// A row that repeats one long shared string in many cells is small in the file and huge in
// memory: refused once its text passes 16 MiB, naming the row.
TEST(XlsxReader, RefusesARowOfRepeatedLongSharedStrings) {
  TempDir d;
  std::string cells;
  for (int c = 0; c < 40; ++c)
    cells += "<c r=\"" + std::string(1, char('A' + c % 26)) + (c >= 26 ? "A" : "") +
             "2\" t=\"s\"><v>0</v></c>";
  const std::string sheet =
      "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
      "</row><row r=\"2\">" +
      cells + "</row></sheetData></worksheet>";
  const std::string shared = "<sst><si><t>" + std::string(900 << 10, 'x') + "</t></si></sst>";
  ASSERT_TRUE(WriteZip(d.File("rep.xlsx"), MinimalParts("S", sheet, shared)));
  auto r = Reader::Open(d.File("rep.xlsx"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  int64_t rows = 0;
  Status st = (*r)->ReadSheet("S", [&](int64_t, const std::vector<Cell>&) {
    ++rows;
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("row 2 holds more than 16 MiB of text"), std::string::npos)
      << st.message();
  EXPECT_EQ(rows, 1);
}

}  // namespace
}  // namespace cx::xlsx
