// Writes the one-page customer strategy as an .xlsx sheet in the template's layout.
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>

#include "render/strategy_page.h"

namespace cx {
namespace {

constexpr double kLabelWidth = 26, kYearWidth = 34;  // in characters

// The height of a row whose wrapped text runs `chars` characters in a cell `width` wide.
double RowHeight(size_t chars, double width) {
  const double per_line = std::max(1.0, width * 1.05);
  const double lines = std::max(1.0, std::ceil(double(chars) / per_line));
  return 12.5 * lines + 2;
}

size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  // A line break starts a new line: count it as the rest of a line.
  return n + size_t(std::count(s.begin(), s.end(), '\n')) * 30;
}

class Sheet {
 public:
  Sheet(lxw_workbook* wb, lxw_worksheet* ws) : wb_(wb), ws_(ws) {
    title_ = Format(true, 14, 0);
    part_ = Format(true, 11, 0xE8EEF5);
    label_ = Format(true, 9, 0xF4F7FB);
    text_ = Format(false, 9, 0);
    head_ = Format(true, 9, 0xE8EEF5);
  }
  lxw_format* Format(bool bold, double size, lxw_color_t fill) {
    lxw_format* f = workbook_add_format(wb_);
    if (bold) format_set_bold(f);
    format_set_font_size(f, size);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    // Text stays text: a value typed like a formula is never one.
    format_set_num_format(f, "@");
    if (fill) {
      format_set_bg_color(f, fill);
      format_set_border(f, LXW_BORDER_THIN);
      format_set_border_color(f, 0xB9C3CF);
    } else if (size <= 9) {
      format_set_border(f, LXW_BORDER_THIN);
      format_set_border_color(f, 0xB9C3CF);
    }
    return f;
  }
  // A full-width title or part heading.
  void Heading(const std::string& s, lxw_format* f, double height) {
    worksheet_merge_range(ws_, row_, 0, row_, 3, s.c_str(), f);
    worksheet_set_row(ws_, row_, height, nullptr);
    ++row_;
  }
  // A label and its text across the three year columns.
  void Wide(const std::string& label, const std::string& text) {
    worksheet_write_string(ws_, row_, 0, label.c_str(), label_);
    worksheet_merge_range(ws_, row_, 1, row_, 3, text.c_str(), text_);
    worksheet_set_row(
        ws_, row_,
        std::max(RowHeight(Chars(text), 3 * kYearWidth), RowHeight(Chars(label), kLabelWidth)),
        nullptr);
    ++row_;
  }
  // A label and four cells.
  void Cells(const std::string& a, const std::string& b, const std::string& c, const std::string& d,
             lxw_format* first, lxw_format* rest) {
    const std::string* v[4] = {&a, &b, &c, &d};
    size_t longest = Chars(a) * size_t(kYearWidth) / size_t(kLabelWidth);
    for (int i = 0; i < 4; ++i) {
      worksheet_write_string(ws_, row_, lxw_col_t(i), v[i]->c_str(), i ? rest : first);
      if (i) longest = std::max(longest, Chars(*v[i]));
    }
    worksheet_set_row(ws_, row_, RowHeight(longest, kYearWidth), nullptr);
    ++row_;
  }
  void Years(const std::string& label) {
    Cells(label, "1 year", "3 years", "5 years", head_, head_);
  }
  void Horizon(const std::string& label, const Horizons& h) {
    Cells(label, h.year1, h.year3, h.year5, label_, text_);
  }
  lxw_format *title_, *part_, *label_, *text_, *head_;
  lxw_row_t row_ = 0;

 private:
  lxw_workbook* wb_;
  lxw_worksheet* ws_;
};

}  // namespace

Status WriteStrategyXlsx(const StrategyPage& page, const Zone& zone, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Internal("cannot write " + path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Strategy");
  worksheet_set_paper(ws, 9);  // A4
  worksheet_set_portrait(ws);
  worksheet_fit_to_pages(ws, 1, 1);
  worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
  worksheet_set_column(ws, 0, 0, kLabelWidth, nullptr);
  worksheet_set_column(ws, 1, 3, kYearWidth, nullptr);
  Sheet s(wb, ws);
  const Strategy& st = page.saved.strategy;
  s.Heading("One Page Customer Strategy", s.title_, 22);
  s.Heading("Version " + std::to_string(page.saved.version) + " · saved by " + page.saved_by_name +
                " on " + FormatTime(page.saved.saved_at, zone).substr(0, 10) +
                " · key results live for " + PeriodLabel(page.period),
            s.text_, 15);
  s.Heading("Input from Business Strategy", s.part_, 18);
  s.Wide("Mission", st.mission);
  s.Wide("Vision", st.vision);
  s.Years("Key Objectives");
  s.Horizon("Expected growth", st.growth);
  s.Horizon("New markets", st.new_markets);
  s.Horizon("New customers", st.new_customers);
  s.Heading("Customer Experience Strategy", s.part_, 18);
  s.Wide("Customer Ambition (how do we want to be perceived by our customers?)", st.ambition);
  s.Years("Objectives");
  for (size_t i = 0; i < st.objectives.size(); ++i)
    s.Horizon(std::to_string(i + 1) + ". " + st.objectives[i].title, st.objectives[i].horizons);
  s.Cells("Key Results", "KPI · division", "Target · now", "Due · met", s.head_, s.head_);
  for (const auto& k : page.key_results) {
    const std::string target =
        k.target && k.direction
            ? std::string(DirectionSymbol(*k.direction)) + " " + FormatKpiValue(k.target, k.unit)
            : "—";
    const std::string met = !k.met ? "no data" : (*k.met ? "✓ met" : "✗ not met");
    s.Cells(k.kr.title.empty() ? k.kpi_name : k.kr.title, k.kpi_name + " · " + k.kr.division,
            target + " · now " + FormatKpiValue(k.value, k.unit),
            FormatDate(k.kr.due) + " · " + met, s.label_, s.text_);
  }
  if (page.key_results.empty()) s.Wide("Key Results", "No key results yet.");
  s.Wide("Communication Plan", st.communication);
  s.Wide("Notes", st.notes);
  worksheet_print_area(ws, 0, 0, s.row_ - 1, 3);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Internal("cannot write " + path + ": " + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace cx
