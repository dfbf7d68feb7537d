// Tests of the look of a written sheet: frozen bold header, filter over the rows, widths from
// the content (bounded), day-first date formats, wrapped long text in a row tall enough.
#include "io/xlsx/xlsx_writer.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <regex>

#include "xlsx_test_util.h"

namespace cx::xlsx {
namespace {

std::string Part(const std::string& path, const std::string& name) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!za) return "";
  std::string data;
  zip_stat_t st;
  if (zip_stat(za, name.c_str(), 0, &st) == 0) {
    data.assign(st.size, '\0');
    zip_file_t* f = zip_fopen(za, name.c_str(), 0);
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
  }
  zip_close(za);
  return data;
}

// Column number (1-based) → its width in the sheet's <cols>.
std::map<int, double> Widths(const std::string& sheet) {
  std::map<int, double> out;
  std::regex col(R"re(<col min="(\d+)" max="(\d+)" width="([0-9.]+)")re");
  for (std::sregex_iterator it(sheet.begin(), sheet.end(), col), end; it != end; ++it) {
    for (int c = std::stoi((*it)[1]); c <= std::stoi((*it)[2]); ++c) out[c] = std::stod((*it)[3]);
  }
  return out;
}

TEST(XlsxWriterTest, SheetHasFrozenHeaderFilterWidthsAndDayFirstDates) {
  wbtest::TempDir dir;
  const std::string path = dir.File("look.xlsx");
  auto w = Writer::Create(path);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("Interactions", {{"Interaction ID", ColumnKind::kText},
                                              {"Date", ColumnKind::kDateTime},
                                              {"Notes", ColumnKind::kLongText},
                                              {"Order Date", ColumnKind::kDate},
                                              {"Amount", ColumnKind::kNumber}})
                  .ok());
  (*w)->Text(1, 0, std::string("I-000001"));
  (*w)->Time(1, 1, 46115.5);
  (*w)->Text(1, 2, std::string(300, 'n'));  // five lines or more at the column's width
  (*w)->Time(1, 3, 46115);
  (*w)->Number(1, 4, 154057000);
  (*w)->Text(2, 0, std::string("I-000002"));
  (*w)->Text(2, 2, std::string("=1+1"));
  ASSERT_TRUE((*w)->AddSheet("Empty", {{"A Rather Long Header Name", ColumnKind::kText}}).ok());
  ASSERT_TRUE((*w)->Close().ok());

  const std::string sheet = Part(path, "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find(R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft")"),
            std::string::npos)
      << sheet.substr(0, 600);
  EXPECT_NE(sheet.find(R"(<autoFilter ref="A1:E3"/>)"), std::string::npos);
  auto widths = Widths(sheet);
  ASSERT_EQ(widths.size(), 5u) << sheet.substr(0, 800);
  EXPECT_GE(widths[1], 14);  // "Interaction ID", bold, with the filter button
  EXPECT_GE(widths[2], 17);  // "dd/mm/yyyy hh:mm" never shows ###
  EXPECT_GE(widths[3], 55);  // the long note: as wide as a long text column gets
  EXPECT_LE(widths[3], 61);
  EXPECT_GE(widths[4], 11);  // "Order Date"
  EXPECT_GE(widths[5], 10);  // nine digits
  // The row of the long note is taller than one line.
  EXPECT_TRUE(
      std::regex_search(sheet, std::regex(R"re(<row r="2"[^>]* ht="\d+" customHeight="1")re")))
      << sheet;
  EXPECT_FALSE(std::regex_search(sheet, std::regex(R"re(<row r="3"[^>]* ht=)re")));
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);

  const std::string styles = Part(path, "xl/styles.xml");
  EXPECT_NE(styles.find(R"(formatCode="dd/mm/yyyy hh:mm")"), std::string::npos) << styles;
  EXPECT_NE(styles.find(R"(formatCode="dd/mm/yyyy")"), std::string::npos);
  EXPECT_NE(styles.find(R"(wrapText="1")"), std::string::npos);
  EXPECT_NE(styles.find("<b/>"), std::string::npos);

  // A sheet with no rows still has its header frozen and filterable, whole.
  const std::string empty = Part(path, "xl/worksheets/sheet2.xml");
  EXPECT_NE(empty.find(R"(<autoFilter ref="A1"/>)"), std::string::npos) << empty;
  EXPECT_GE(Widths(empty)[1], 25);
}

TEST(XlsxWriterTest, WidthsAreBoundedAndCountCharactersNotBytes) {
  wbtest::TempDir dir;
  const std::string path = dir.File("w.xlsx");
  auto w = Writer::Create(path);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->AddSheet("S", {{"ID", ColumnKind::kText},
                                   {"Name", ColumnKind::kText},
                                   {"Address", ColumnKind::kText}})
                  .ok());
  std::string naira;
  for (int i = 0; i < 10; ++i) naira += "\xE2\x82\xA6";  // 10 characters, 30 bytes
  for (int r = 1; r <= 3; ++r) {
    (*w)->Text(r, 0, std::string("A-1"));
    (*w)->Text(r, 1, naira);
    (*w)->Text(r, 2, std::string(500, 'a') + "\nshort");
  }
  ASSERT_TRUE((*w)->Close().ok());
  auto widths = Widths(Part(path, "xl/worksheets/sheet1.xml"));
  EXPECT_LT(widths[1], 8);   // "ID" and "A-1"
  EXPECT_LT(widths[2], 20);  // ten characters, not thirty bytes
  EXPECT_LE(widths[3], 61);  // bounded
  EXPECT_GE(widths[3], 55);
}

}  // namespace
}  // namespace cx::xlsx
