// Test helpers for workbook tests: temp dirs, writing .xlsx files (libxlsxwriter or raw XML
// parts), reading every cell back, and opening a fresh hub. Header-only, tests only.
#pragma once

#include <xlsxwriter.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/xlsx/xlsx_reader.h"
#include "service/context.h"
#include "store/open/open_store.h"
#include "store/store.h"
#include "test_store_url.h"

namespace cx::wbtest {

// A temporary directory removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cxwb-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// One cell to write: text, number, a date (Excel serial with a date style), bool, or blank.
struct XCell {
  enum Kind { kText, kNumber, kDate, kBool, kBlank } kind = kBlank;
  std::string text;
  double number = 0;
};
inline XCell T(std::string s) { return {XCell::kText, std::move(s), 0}; }
inline XCell N(double v) { return {XCell::kNumber, "", v}; }
inline XCell D(double serial) { return {XCell::kDate, "", serial}; }
inline XCell B(bool v) { return {XCell::kBool, "", v ? 1.0 : 0.0}; }
inline XCell E() { return {}; }

using Rows = std::vector<std::vector<XCell>>;
using Sheets = std::vector<std::pair<std::string, Rows>>;

// Writes sheets with libxlsxwriter in normal mode (shared strings, like Excel does).
inline void WriteXlsx(const std::string& path, const Sheets& sheets) {
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy hh:mm");
  for (const auto& [name, rows] : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        const XCell& x = rows[r][c];
        auto rr = lxw_row_t(r);
        auto cc = lxw_col_t(c);
        switch (x.kind) {
          case XCell::kText:
            worksheet_write_string(ws, rr, cc, x.text.c_str(), nullptr);
            break;
          case XCell::kNumber:
            worksheet_write_number(ws, rr, cc, x.number, nullptr);
            break;
          case XCell::kDate:
            worksheet_write_number(ws, rr, cc, x.number, date);
            break;
          case XCell::kBool:
            worksheet_write_boolean(ws, rr, cc, int(x.number), nullptr);
            break;
          case XCell::kBlank:
            break;
        }
      }
    }
  }
  workbook_close(wb);
}

// Writes a zip with the given entries (name → bytes), deflated.
inline bool WriteZip(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& entries) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) return false;
  for (const auto& [name, data] : entries) {
    zip_source_t* src = zip_source_buffer(za, data.data(), data.size(), 0);
    if (!src || zip_file_add(za, name.c_str(), src, ZIP_FL_OVERWRITE) < 0) {
      zip_discard(za);
      return false;
    }
  }
  return zip_close(za) == 0;
}

// The minimal parts of a one-sheet workbook around `sheet_xml`; `workbook_pr` goes into
// <workbookPr>.
inline std::vector<std::pair<std::string, std::string>> MinimalParts(
    const std::string& sheet_name, const std::string& sheet_xml, const std::string& shared_xml = "",
    const std::string& styles_xml = "", const std::string& workbook_pr = "") {
  std::vector<std::pair<std::string, std::string>> parts = {
      {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
       "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml",
       "<?xml version=\"1.0\"?><workbook "
       "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
       "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
       "relationships\"><workbookPr " +
           workbook_pr + "/><sheets><sheet name=\"" + sheet_name +
           "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<?xml version=\"1.0\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
       "<Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
       "worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      {"xl/worksheets/sheet1.xml", sheet_xml},
  };
  if (!shared_xml.empty()) parts.emplace_back("xl/sharedStrings.xml", shared_xml);
  if (!styles_xml.empty()) parts.emplace_back("xl/styles.xml", styles_xml);
  return parts;
}

// Every cell of every sheet as text ("n:" numbers, "d:" dated numbers, "b:" booleans,
// "s:" strings), by sheet → row → column. Fails the Result on a read error.
using CellMap = std::map<std::string, std::map<int64_t, std::map<int, std::string>>>;
inline Result<CellMap> ReadCells(const std::string& path) {
  auto r = xlsx::Reader::Open(path);
  if (!r.ok()) return r.status();
  CellMap out;
  for (const auto& name : (*r)->SheetNames()) {
    auto& sheet = out[name];
    Status st =
        (*r)->ReadSheet(name, [&](int64_t row, const std::vector<xlsx::Cell>& cells) -> Status {
          for (const auto& c : cells) {
            std::string v;
            switch (c.type) {
              case xlsx::Cell::Type::kString:
                v = "s:" + c.text;
                break;
              case xlsx::Cell::Type::kNumber:
                v = (c.is_date ? "d:" : "n:") + c.text;
                break;
              case xlsx::Cell::Type::kBool:
                v = "b:" + c.text;
                break;
              case xlsx::Cell::Type::kError:
                v = "e:" + c.text;
                break;
            }
            sheet[row][c.col] = v;
          }
          return Status::Ok();
        });
    if (!st.ok()) return st;
  }
  return out;
}

// A migrated hub in `dir`.
struct Hub {
  std::unique_ptr<Store> store;
  Context ctx;
};
inline std::unique_ptr<Hub> OpenHub(const std::string& dir, const std::string& file = "hub.db") {
  auto s = OpenStore(TestStoreUrl(dir, file));
  if (!s.ok()) return nullptr;
  if (!(*s)->Migrate().ok()) return nullptr;
  auto h = std::make_unique<Hub>();
  h->store = std::move(*s);
  h->ctx.store = h->store.get();
  // The acting user is a user of the hub (an unknown actor is refused), a manager: the
  // workbooks of these tests may change Account Owners.
  h->ctx.actor = "tester";
  Status user = h->store->Transaction([](Tx& tx) {
    return tx.UpsertUser(User{"tester", "Tess Tester", "manager", "", "", false, 0});
  });
  if (!user.ok()) return nullptr;
  h->ctx.now = [] { return Timestamp(1767225600); };  // 2026-01-01T00:00:00Z
  return h;
}

}  // namespace cx::wbtest
