// libxlsxwriter wrapper: constant-memory sheets, a frozen and filterable header, widths from
// the content, day-first dates, inert text.
#include "io/xlsx/xlsx_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include "base/safe_text.h"

namespace cx::xlsx {
namespace {

// Excel's widths are in digits of the default font (Calibri 11; LibreOffice substitutes
// Carlito or, where that is missing, the wider DejaVu Sans, on which these were checked). A
// text's letters average a little under a digit; the margins below keep the last character
// clear of the cell's edge, and a header's clear of the filter's drop-down button.
constexpr double kPerChar = 1.1;
constexpr double kTextMargin = 1.5;
constexpr double kPerHeaderChar = 1.2;   // bold
constexpr double kHeaderMargin = 3.5;    // the filter button
constexpr double kMaxHeaderWidth = 255;  // Excel's widest column
// "dd/mm/yyyy hh:mm" and "dd/mm/yyyy": digits only, so their width is known up front.
constexpr double kDateTimeWidth = 19;
constexpr double kDateWidth = 12.5;
// Past this many characters a column is as wide as it gets: counting stops.
constexpr int kCountedChars = int((Writer::kMaxWidth - kTextMargin) / kPerChar) + 1;

// A wrapped cell's lines: the default row holds one line of 15 points; Excel's tallest row
// holds 409 points.
constexpr double kLineHeight = 15;
constexpr int kMaxLines = 27;
// What a line of a long-text column at its full width holds, in digit widths (measured on a
// LibreOffice render of the demo's notes: lines estimated at up to 57.2 fit, 57.7 did not).
// A line that wraps loses part of a word at its end, so wrapped lines are reckoned fuller.
constexpr double kOneLine = 57.5;
constexpr double kWrappedLine = 54;
// Quicker than estimating: a text of at most this many bytes fits in one line.
constexpr size_t kSurelyOneLine = 40;

// The width of a character in digit widths, by class: a narrow letter or punctuation (i, l,
// t, space, '.'), a wide one (m, w, M, W), another capital, another ASCII character, or the
// lead byte of a non-ASCII character. Proportions shared by Calibri and DejaVu Sans, close
// enough to tell a one-line note from a two-line one.
double CharWidth(unsigned char c) {
  static const auto table = [] {
    std::array<float, 256> t{};
    for (int b = 0; b < 256; ++b)
      t[size_t(b)] = (b & 0xC0) == 0x80 ? 0.0f : b >= 0x80 ? 1.0f : 0.9f;
    for (unsigned char n : std::string_view(" ijltfrI.,;:'!|()-/\"")) t[n] = 0.5f;
    for (unsigned char w : std::string_view("mwMW@%")) t[w] = 1.4f;
    for (int u = 'A'; u <= 'Z'; ++u) {
      if (t[size_t(u)] == 0.9f) t[size_t(u)] = 1.1f;
    }
    return t;
  }();
  return table[c];
}

// Lines `text` takes wrapped in a long-text column at its full width, counting no further
// than kMaxLines.
int WrappedLines(std::string_view text) {
  int lines = 0;
  double width = 0;
  auto end_line = [&] {
    lines += width <= kOneLine ? 1 : int(std::ceil(width / kWrappedLine));
    width = 0;
  };
  for (char c : text) {
    if (c == '\n') {
      end_line();
      if (lines >= kMaxLines) return kMaxLines;
    } else {
      width += CharWidth(static_cast<unsigned char>(c));
    }
  }
  end_line();
  return std::min(lines, kMaxLines);
}

// Characters (UTF-8 code points) of the longest line of `text`, counting no further than
// kCountedChars on any line.
int LongestLine(std::string_view text) {
  int best = 0, line = 0;
  for (char c : text) {
    if (c == '\n') {
      best = std::max(best, line);
      line = 0;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++line >= kCountedChars) {
      return kCountedChars;
    }
  }
  return std::max(best, line);
}

// Characters of a number as the General format shows it (an estimate: sign, integer digits,
// and a few decimals when it has a fraction).
int NumberChars(double v) {
  if (!std::isfinite(v)) return 6;
  double a = std::fabs(v);
  int n = v < 0 ? 1 : 0;
  n += a < 10 ? 1 : std::min(11, int(std::floor(std::log10(a))) + 1);
  if (a != std::floor(a)) n += 3;
  return n;
}

// Characters of the longest line of a header, all counted (a header is always shown whole).
int HeaderChars(const std::string& h) {
  int best = 0, line = 0;
  for (char c : h) {
    if (c == '\n') {
      line = 0;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      best = std::max(best, ++line);
    }
  }
  return best;
}

}  // namespace

struct Writer::Impl {
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* top = nullptr;  // the row format of a row made taller for a wrapped text
  lxw_format* quoted = nullptr;
  lxw_format* wrap = nullptr;
  lxw_format* quoted_wrap = nullptr;
  lxw_format* datetime = nullptr;
  lxw_format* date = nullptr;
  std::string sheet;
  std::string path;
  // The current sheet: its columns, the characters of each one's widest cell, its last row.
  std::vector<Column> cols;
  std::vector<int> chars;
  int64_t last_row = 0;
  // The row last made taller, and its lines (a row may hold several wrapped texts).
  int64_t tall_row = -1;
  int tall_lines = 1;
  Status first_error;

  ColumnKind KindOf(int col) const {
    return size_t(col) < cols.size() ? cols[size_t(col)].kind : ColumnKind::kText;
  }
};

Writer::~Writer() {
  if (impl_ && impl_->wb) {
    workbook_close(impl_->wb);
    impl_->wb = nullptr;
  }
}

Result<std::unique_ptr<Writer>> Writer::Create(const std::string& path) {
  lxw_workbook_options opt = {};
  opt.constant_memory = LXW_TRUE;
  // The rows of each sheet wait in temporary files until the close: in the destination's own
  // folder, not /tmp, so that a full disk is met by the close, which reports it, rather than
  // by those files' writes, whose errors libxlsxwriter ignores (a workbook with a cut sheet).
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  opt.tmpdir = folder.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  if (!wb) return Internal("cannot create the workbook " + path);
  std::unique_ptr<Writer> w(new Writer());
  w->impl_ = std::make_unique<Impl>();
  Impl& i = *w->impl_;
  i.wb = wb;
  i.path = path;
  // Every cell format aligns to the top: a row made taller for a wrapped note then reads from
  // its first line across (in a one-line row the alignment shows no difference).
  auto add = [&](const char* num_format, bool wrap) {
    lxw_format* f = workbook_add_format(wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (num_format) format_set_num_format(f, num_format);
    if (wrap) format_set_text_wrap(f);
    return f;
  };
  i.bold = workbook_add_format(wb);
  format_set_bold(i.bold);
  i.top = add(nullptr, false);
  i.quoted = add("@", false);  // Text: stays text when edited
  i.wrap = add(nullptr, true);
  i.quoted_wrap = add("@", true);
  // Day-first, as Nigerian users read dates; the minutes suffice on screen (the seconds stay
  // in the value, so a round trip loses nothing).
  i.datetime = add("dd/mm/yyyy hh:mm", false);
  i.date = add("dd/mm/yyyy", false);
  return w;
}

void Writer::FinishSheet() {
  Impl& i = *impl_;
  if (!i.ws) return;
  for (size_t c = 0; c < i.cols.size(); ++c) {
    const Column& col = i.cols[c];
    double header =
        std::min(kMaxHeaderWidth, HeaderChars(col.header) * kPerHeaderChar + kHeaderMargin);
    double content = i.chars[c] > 0 ? i.chars[c] * kPerChar + kTextMargin : 0;
    lxw_format* format = nullptr;
    switch (col.kind) {
      case ColumnKind::kDateTime:
        content = kDateTimeWidth;
        format = i.datetime;
        break;
      case ColumnKind::kDate:
        content = kDateWidth;
        format = i.date;
        break;
      case ColumnKind::kLongText:
        if (content > kLongTextWidth) content = kLongTextWidth;
        format = i.wrap;
        break;
      case ColumnKind::kText:
      case ColumnKind::kNumber:
        break;
    }
    // The header is always whole; the content widens the column up to kMaxWidth. The column's
    // format serves the cells a user adds under the last row.
    const double width = std::max(header, std::min(content, kMaxWidth));
    Check(worksheet_set_column(i.ws, lxw_col_t(c), lxw_col_t(c), std::round(width * 4) / 4, format),
          0, int(c));
  }
  if (!i.cols.empty()) {
    Check(worksheet_autofilter(i.ws, 0, 0, lxw_row_t(i.last_row), lxw_col_t(i.cols.size() - 1)), 0,
          0);
  }
}

Status Writer::AddSheet(const std::string& name, const std::vector<Column>& columns) {
  lxw_error e = workbook_validate_sheet_name(impl_->wb, name.c_str());
  if (e != LXW_NO_ERROR) return Invalid("sheet name '" + name + "': " + lxw_strerror(e));
  FinishSheet();
  Impl& i = *impl_;
  i.ws = workbook_add_worksheet(i.wb, name.c_str());
  if (!i.ws) return Internal("cannot add the sheet " + name);
  i.sheet = name;
  i.cols = columns;
  i.chars.assign(columns.size(), 0);
  i.last_row = 0;
  i.tall_row = -1;
  worksheet_freeze_panes(i.ws, 1, 0);
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].header.empty()) continue;
    Check(worksheet_write_string(i.ws, 0, lxw_col_t(c), columns[c].header.c_str(), i.bold), 0,
          int(c));
  }
  return Status::Ok();
}

void Writer::Check(int err, int64_t row, int col) {
  if (err == LXW_NO_ERROR || !impl_->first_error.ok()) return;
  impl_->first_error =
      Invalid("sheet '" + impl_->sheet + "', row " + std::to_string(row + 1) + ", column " +
              std::to_string(col + 1) + ": " + lxw_strerror(lxw_error(err)));
}

void Writer::Track(int64_t row, int col, std::string_view text) {
  Impl& i = *impl_;
  if (row > i.last_row) i.last_row = row;
  if (size_t(col) >= i.chars.size()) return;  // a cell beyond the declared columns
  int& chars = i.chars[size_t(col)];
  if (chars < kCountedChars) chars = std::max(chars, LongestLine(text));
}

void Writer::Text(int64_t row, int col, std::string_view text) {
  if (text.empty()) return;
  Text(row, col, std::string(text));
}

void Writer::Text(int64_t row, int col, const std::string& text) {
  if (text.empty()) return;
  Track(row, col, text);
  Impl& i = *impl_;
  const bool formula = cx::LooksLikeFormula(text);
  lxw_format* format = formula ? i.quoted : nullptr;
  if (i.KindOf(col) == ColumnKind::kLongText) {
    format = formula ? i.quoted_wrap : i.wrap;
    // LibreOffice does not size the rows of this sheet to their wrapped text (it keeps one
    // line and draws the rest over the row above), so a row is made as tall as its longest
    // wrapped text needs. In constant-memory mode the row being written may still change.
    const int lines = text.size() > kSurelyOneLine || text.find('\n') != std::string::npos
                          ? WrappedLines(text)
                          : 1;
    if (lines > 1 && (row != i.tall_row || lines > i.tall_lines)) {
      Check(worksheet_set_row(i.ws, lxw_row_t(row), lines * kLineHeight, i.top), row, col);
      i.tall_row = row;
      i.tall_lines = lines;
    }
  }
  Check(worksheet_write_string(i.ws, lxw_row_t(row), lxw_col_t(col), text.c_str(), format), row,
        col);
}

void Writer::Number(int64_t row, int col, double v) {
  Impl& i = *impl_;
  if (row > i.last_row) i.last_row = row;
  if (size_t(col) < i.chars.size())
    i.chars[size_t(col)] = std::max(i.chars[size_t(col)], NumberChars(v));
  Check(worksheet_write_number(i.ws, lxw_row_t(row), lxw_col_t(col), v, nullptr), row, col);
}

void Writer::Time(int64_t row, int col, double serial) {
  Impl& i = *impl_;
  if (row > i.last_row) i.last_row = row;
  lxw_format* format = i.KindOf(col) == ColumnKind::kDate ? i.date : i.datetime;
  Check(worksheet_write_number(i.ws, lxw_row_t(row), lxw_col_t(col), serial, format), row, col);
}

Status Writer::Close() {
  FinishSheet();
  lxw_error e = workbook_close(impl_->wb);
  impl_->wb = nullptr;
  if (!impl_->first_error.ok()) return impl_->first_error;
  if (e != LXW_NO_ERROR)
    return Internal("cannot write the workbook " + impl_->path + ": " + lxw_strerror(e));
  return Status::Ok();
}

}  // namespace cx::xlsx
