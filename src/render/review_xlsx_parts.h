// The pieces the weekly pack's .xlsx is written with (render/review_xlsx.cc and its sheets in
// other files, such as render/review_voice_xlsx.cc), so every sheet prints the same: A4, one page
// wide, the title row frozen and repeated, the week in the page header.
#pragma once

#include <xlsxwriter.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "base/safe_text.h"
#include "base/time.h"
#include "service/review_service.h"

namespace cx::review_xlsx {

// One sheet of the pack: column titles in bold with the widths given, the title row frozen and
// repeated on every printed page, printed on A4 across the page width with the week in the header.
class Sheet {
 public:
  Sheet(lxw_workbook* wb, const char* name, lxw_format* bold, const std::string& header)
      : ws_(workbook_add_worksheet(wb, name)), bold_(bold), wb_(wb) {
    worksheet_set_paper(ws_, 9);  // A4
    worksheet_fit_to_pages(ws_, 1, 0);
    worksheet_set_header(ws_, header.c_str());
    worksheet_set_footer(ws_, "&RPage &P of &N");
  }
  lxw_worksheet* ws() { return ws_; }
  bool ok() const { return ws_ != nullptr; }
  // Column titles (width in characters per column); the first title row is frozen and printed on
  // every page. More columns than 7 print in landscape.
  void Head(std::initializer_list<std::pair<const char*, double>> cols) {
    int c = 0;
    for (const auto& [s, width] : cols) {
      worksheet_write_string(ws_, lxw_row_t(row_), lxw_col_t(c), s, bold_);
      if (!widths_set_) worksheet_set_column(ws_, lxw_col_t(c), lxw_col_t(c), width, nullptr);
      ++c;
    }
    if (!widths_set_) {
      worksheet_freeze_panes(ws_, lxw_row_t(row_ + 1), 0);
      worksheet_repeat_rows(ws_, lxw_row_t(row_), lxw_row_t(row_));
      if (c > 7) worksheet_set_landscape(ws_);
    }
    widths_set_ = true;
    ++row_;
  }
  // A second block's column titles in bold (the widths and the frozen row stay the first block's).
  void Titles(std::initializer_list<const char*> cols) {
    int c = 0;
    for (const char* t : cols)
      worksheet_write_string(ws_, lxw_row_t(row_), lxw_col_t(c++), t, bold_);
    ++row_;
  }
  void Title(const std::string& s) {
    worksheet_write_string(ws_, lxw_row_t(row_++), 0, s.c_str(), bold_);
  }
  // A text cell. Text a spreadsheet would take for a formula gets the Text number format, so
  // that editing the cell keeps it text (as the workbook export does: base/safe_text.h).
  void Str(int col, const std::string& s) {
    if (s.empty()) return;
    lxw_format* f = nullptr;
    if (LooksLikeFormula(s)) {
      if (!text_) {
        text_ = workbook_add_format(wb_);
        format_set_num_format(text_, "@");
      }
      f = text_;
    }
    worksheet_write_string(ws_, lxw_row_t(row_), lxw_col_t(col), s.c_str(), f);
  }
  void Num(int col, std::optional<double> v, lxw_format* f = nullptr) {
    if (v) worksheet_write_number(ws_, lxw_row_t(row_), lxw_col_t(col), *v, f);
  }
  void Next() { ++row_; }
  int row() const { return row_; }

 private:
  lxw_worksheet* ws_;
  lxw_format* bold_;
  lxw_workbook* wb_;
  lxw_format* text_ = nullptr;
  int row_ = 0;
  bool widths_set_ = false;
};

inline std::string T(const std::optional<Timestamp>& t, const Zone& z) {
  if (!t) return "";
  std::string s = FormatTime(*t, z);
  return s.size() >= 16 ? s.substr(0, 10) + " " + s.substr(11, 5) : s;
}

// "$A$1"-style absolute cell name.
inline std::string Cell(int row, int col) {
  char buf[32];
  lxw_rowcol_to_cell_abs(buf, lxw_row_t(row), lxw_col_t(col), 1, 1);
  return buf;
}

// The voice of the customer (docs/kpi.md): sheet "Voice" (NPS and CSAT by division with a
// column chart, each division's emotion curve with a line chart beside its figures), sheet
// "Touchpoints" (the week's ranking, every touchpoint) and sheet "Key results". `header` is the
// pack's page header; `bold` its title format. Written in render/review_voice_xlsx.cc.
void VoiceSheets(lxw_workbook* wb, lxw_format* bold, const std::string& header,
                 const ReviewPack& p);

}  // namespace cx::review_xlsx
