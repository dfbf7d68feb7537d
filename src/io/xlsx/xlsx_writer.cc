// libxlsxwriter wrapper: constant-memory sheets, date formats, inert text.
#include "io/xlsx/xlsx_writer.h"

#include <xlsxwriter.h>

namespace cx::xlsx {

struct Writer::Impl {
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* quoted = nullptr;
  lxw_format* datetime = nullptr;
  lxw_format* date = nullptr;
  std::string sheet;
  std::string path;
  Status first_error;
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
  opt.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opt);
  if (!wb) return Internal("cannot create the workbook " + path);
  std::unique_ptr<Writer> w(new Writer());
  w->impl_ = std::make_unique<Impl>();
  Impl& i = *w->impl_;
  i.wb = wb;
  i.path = path;
  i.bold = workbook_add_format(wb);
  format_set_bold(i.bold);
  i.quoted = workbook_add_format(wb);
  format_set_num_format(i.quoted, "@");  // Text: stays text when edited
  i.datetime = workbook_add_format(wb);
  format_set_num_format(i.datetime, "yyyy-mm-dd hh:mm:ss");
  i.date = workbook_add_format(wb);
  format_set_num_format(i.date, "yyyy-mm-dd");
  return w;
}

Status Writer::AddSheet(const std::string& name) {
  lxw_error e = workbook_validate_sheet_name(impl_->wb, name.c_str());
  if (e != LXW_NO_ERROR) return Invalid("sheet name '" + name + "': " + lxw_strerror(e));
  impl_->ws = workbook_add_worksheet(impl_->wb, name.c_str());
  if (!impl_->ws) return Internal("cannot add the sheet " + name);
  impl_->sheet = name;
  return Status::Ok();
}

void Writer::Check(int err, int64_t row, int col) {
  if (err == LXW_NO_ERROR || !impl_->first_error.ok()) return;
  impl_->first_error =
      Invalid("sheet '" + impl_->sheet + "', row " + std::to_string(row + 1) + ", column " +
              std::to_string(col + 1) + ": " + lxw_strerror(lxw_error(err)));
}

bool Writer::LooksLikeFormula(std::string_view t) {
  if (t.empty()) return false;
  char c = t[0];
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void Writer::Header(int64_t row, int col, std::string_view text) {
  if (text.empty()) return;
  std::string s(text);
  Check(worksheet_write_string(impl_->ws, lxw_row_t(row), lxw_col_t(col), s.c_str(), impl_->bold),
        row, col);
}

void Writer::Text(int64_t row, int col, std::string_view text) {
  if (text.empty()) return;
  Text(row, col, std::string(text));
}

void Writer::Text(int64_t row, int col, const std::string& text) {
  if (text.empty()) return;
  Check(worksheet_write_string(impl_->ws, lxw_row_t(row), lxw_col_t(col), text.c_str(),
                               LooksLikeFormula(text) ? impl_->quoted : nullptr),
        row, col);
}

void Writer::Number(int64_t row, int col, double v) {
  Check(worksheet_write_number(impl_->ws, lxw_row_t(row), lxw_col_t(col), v, nullptr), row, col);
}

void Writer::DateTime(int64_t row, int col, double serial) {
  Check(worksheet_write_number(impl_->ws, lxw_row_t(row), lxw_col_t(col), serial, impl_->datetime),
        row, col);
}

void Writer::Date(int64_t row, int col, double serial) {
  Check(worksheet_write_number(impl_->ws, lxw_row_t(row), lxw_col_t(col), serial, impl_->date), row,
        col);
}

Status Writer::Close() {
  lxw_error e = workbook_close(impl_->wb);
  impl_->wb = nullptr;
  if (!impl_->first_error.ok()) return impl_->first_error;
  if (e != LXW_NO_ERROR)
    return Internal("cannot write the workbook " + impl_->path + ": " + lxw_strerror(e));
  return Status::Ok();
}

}  // namespace cx::xlsx
