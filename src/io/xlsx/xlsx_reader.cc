// Streaming .xlsx reader: zip entries are inflated in chunks and fed to expat; rows are
// handed to the caller one at a time. Hostile input is refused (DTDs, entities, caps).
#include "io/xlsx/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/batch_pipe.h"
#include "base/safe_text.h"

namespace cx::xlsx {
namespace {

constexpr int64_t kMaxCellBytes = int64_t(1) << 20;  // one cell's text (Excel allows 32,767 chars)
constexpr int64_t kMaxRowBytes = int64_t(16) << 20;  // the text of one row's cells
// Rows are handed to the reading thread's consumer at least every kFlushBytes of text, so
// that the rows parsed ahead hold a bounded amount of memory whatever their size.
constexpr int64_t kFlushBytes = int64_t(4) << 20;
constexpr int64_t kMaxRows = 1048576;
constexpr int64_t kRatioFloor = int64_t(1) << 20;  // ratio checks apply above 1 MiB

std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* Attr(const XML_Char** atts, std::string_view name) {
  for (int i = 0; atts[i]; i += 2) {
    if (LocalName(atts[i]) == name) return atts[i + 1];
  }
  return nullptr;
}

// Receives the events of one XML part.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual Status Start(std::string_view name, const XML_Char** atts) = 0;
  virtual Status End(std::string_view name) = 0;
  virtual Status Text(const char*, int) { return Status::Ok(); }
};

struct ParseState {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  Status status;
};

void Stop(ParseState* st, Status s) {
  if (st->status.ok()) st->status = std::move(s);
  XML_StopParser(st->parser, XML_FALSE);
}

void XMLCALL OnStart(void* ud, const XML_Char* name, const XML_Char** atts) {
  auto* st = static_cast<ParseState*>(ud);
  Status s = st->handler->Start(LocalName(name), atts);
  if (!s.ok()) Stop(st, std::move(s));
}
void XMLCALL OnEnd(void* ud, const XML_Char* name) {
  auto* st = static_cast<ParseState*>(ud);
  Status s = st->handler->End(LocalName(name));
  if (!s.ok()) Stop(st, std::move(s));
}
void XMLCALL OnText(void* ud, const XML_Char* s, int len) {
  auto* st = static_cast<ParseState*>(ud);
  Status r = st->handler->Text(s, len);
  if (!r.ok()) Stop(st, std::move(r));
}
void XMLCALL OnDoctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  Stop(static_cast<ParseState*>(ud), Invalid("a DTD (<!DOCTYPE>) is not allowed in a workbook"));
}
void XMLCALL OnEntity(void* ud, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                      const XML_Char*, const XML_Char*, const XML_Char*) {
  Stop(static_cast<ParseState*>(ud), Invalid("entity declarations are not allowed in a workbook"));
}

class ReaderImpl : public Reader {
 public:
  ReaderImpl(zip_t* za, Limits limits, std::string label)
      : za_(za), limits_(limits), label_(std::move(label)) {}
  ~ReaderImpl() override {
    if (za_) zip_discard(za_);
  }

  Status Init();
  const std::vector<std::string>& SheetNames() const override { return names_; }
  bool Date1904() const override { return date1904_; }
  Status ReadSheet(const std::string& name, const RowFn& fn) override;

  // Parses one zip entry with `h`. `optional` entries that are absent are fine.
  Status ParsePart(const std::string& part, XmlHandler* h, bool optional);
  bool HasPart(const std::string& part) const {
    return zip_name_locate(za_, part.c_str(), ZIP_FL_NOCASE) >= 0;
  }

  std::vector<std::string> sst_;
  std::vector<bool> xf_is_date_;

 private:
  zip_t* za_;
  Limits limits_;
  std::string label_;
  std::vector<std::string> names_;
  std::vector<std::string> parts_;  // sheet part of each name
  bool date1904_ = false;
  bool sst_loaded_ = false;
  std::string sst_part_;
};

Status ReaderImpl::ParsePart(const std::string& part, XmlHandler* h, bool optional) {
  zip_int64_t idx = zip_name_locate(za_, part.c_str(), ZIP_FL_NOCASE);
  if (idx < 0) {
    if (optional) return Status::Ok();
    return Invalid(label_ + ": the part " + part + " is missing (not an .xlsx workbook?)");
  }
  zip_stat_t zs;
  zip_stat_init(&zs);
  if (zip_stat_index(za_, idx, 0, &zs) != 0)
    return Invalid(label_ + ": cannot read the part " + part);
  if ((zs.valid & ZIP_STAT_SIZE) && int64_t(zs.size) > limits_.max_entry_bytes) {
    return Invalid(label_ + ": the part " + part + " is too large (" + std::to_string(zs.size) +
                   " bytes)");
  }
  int64_t comp = (zs.valid & ZIP_STAT_COMP_SIZE) ? int64_t(zs.comp_size) : 0;
  if ((zs.valid & ZIP_STAT_SIZE) && int64_t(zs.size) > kRatioFloor &&
      double(zs.size) > limits_.max_ratio * double(std::max<int64_t>(comp, 1))) {
    return Invalid(label_ + ": the part " + part +
                   " has a suspicious compression ratio (zip bomb?)");
  }
  zip_file_t* zf = zip_fopen_index(za_, idx, 0);
  if (!zf) return Invalid(label_ + ": cannot open the part " + part + ": " + zip_strerror(za_));

  ParseState st;
  st.handler = h;
  st.parser = XML_ParserCreate(nullptr);
  if (!st.parser) {
    zip_fclose(zf);
    return Internal("out of memory creating the XML parser");
  }
  XML_SetUserData(st.parser, &st);
  XML_SetElementHandler(st.parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(st.parser, OnText);
  XML_SetStartDoctypeDeclHandler(st.parser, OnDoctype);
  XML_SetEntityDeclHandler(st.parser, OnEntity);
  XML_SetParamEntityParsing(st.parser, XML_PARAM_ENTITY_PARSING_NEVER);

  std::vector<char> buf(1 << 16);
  int64_t total = 0;
  Status result;
  for (;;) {
    zip_int64_t n = zip_fread(zf, buf.data(), buf.size());
    if (n < 0) {
      result = Invalid(label_ + ": the part " + part + " is corrupt: " + zip_file_strerror(zf));
      break;
    }
    total += n;
    if (total > limits_.max_entry_bytes) {
      result = Invalid(label_ + ": the part " + part + " is too large");
      break;
    }
    if (total > kRatioFloor &&
        double(total) > limits_.max_ratio * double(std::max<int64_t>(comp, 1))) {
      result = Invalid(label_ + ": the part " + part +
                       " has a suspicious compression ratio (zip bomb?)");
      break;
    }
    bool last = n == 0;
    if (XML_Parse(st.parser, buf.data(), int(n), last) != XML_STATUS_OK) {
      if (!st.status.ok()) {
        result = st.status;
        if (result.code() == Code::kInvalid) {
          result = Status(result.code(), label_ + ", " + part + ": " + result.message());
          for (const auto& d : st.status.details()) result.AddDetail(d);
        }
      } else {
        result = Invalid(label_ + ": the part " + part + " is not well-formed XML (line " +
                         std::to_string(XML_GetCurrentLineNumber(st.parser)) +
                         "): " + XML_ErrorString(XML_GetErrorCode(st.parser)));
      }
      break;
    }
    if (last) break;
  }
  XML_ParserFree(st.parser);
  zip_fclose(zf);
  return result;
}

// _rels/.rels and xl/_rels/workbook.xml.rels: Id → Target, and the office document.
class RelsHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const XML_Char** atts) override {
    if (name != "Relationship") return Status::Ok();
    const char* id = Attr(atts, "Id");
    const char* target = Attr(atts, "Target");
    const char* type = Attr(atts, "Type");
    if (id && target) targets[id] = target;
    if (type && target && std::string_view(type).ends_with("/officeDocument")) office = target;
    if (type && target && std::string_view(type).ends_with("/sharedStrings")) shared = target;
    if (type && target && std::string_view(type).ends_with("/styles")) styles = target;
    return Status::Ok();
  }
  Status End(std::string_view) override { return Status::Ok(); }
  std::map<std::string, std::string> targets;
  std::string office, shared, styles;
};

class WorkbookHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const XML_Char** atts) override {
    if (name == "sheet") {
      const char* n = Attr(atts, "name");
      const char* rid = Attr(atts, "id");
      if (!n || !rid) return Invalid("a <sheet> has no name or relationship id");
      sheets.emplace_back(n, rid);
      if (sheets.size() > 10000) return Invalid("too many sheets");
    } else if (name == "workbookPr") {
      const char* d = Attr(atts, "date1904");
      if (d && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0)) date1904 = true;
    }
    return Status::Ok();
  }
  Status End(std::string_view) override { return Status::Ok(); }
  std::vector<std::pair<std::string, std::string>> sheets;
  bool date1904 = false;
};

class StylesHandler : public XmlHandler {
 public:
  Status Start(std::string_view name, const XML_Char** atts) override {
    if (name == "numFmt") {
      const char* id = Attr(atts, "numFmtId");
      const char* code = Attr(atts, "formatCode");
      if (id && code) formats[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_xfs = true;
    } else if (name == "xf" && in_xfs) {
      const char* id = Attr(atts, "numFmtId");
      xfs.push_back(id ? std::atoi(id) : 0);
      if (xfs.size() > 1000000) return Invalid("too many cell styles");
    }
    return Status::Ok();
  }
  Status End(std::string_view name) override {
    if (name == "cellXfs") in_xfs = false;
    return Status::Ok();
  }
  std::map<int, std::string> formats;
  std::vector<int> xfs;
  bool in_xfs = false;
};

class SharedStringsHandler : public XmlHandler {
 public:
  SharedStringsHandler(std::vector<std::string>* out, int64_t cap) : out_(out), cap_(cap) {}
  Status Start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      in_si_ = true;
      cur_.clear();
    } else if (name == "rPh") {
      ++skip_;
    } else if (name == "t" && in_si_ && skip_ == 0) {
      in_t_ = true;
    }
    return Status::Ok();
  }
  Status End(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      total_ += int64_t(cur_.size()) + 32;
      if (total_ > cap_)
        return Invalid("the shared strings exceed " + std::to_string(cap_) + " bytes");
      out_->push_back(std::move(cur_));
      cur_.clear();
    } else if (name == "rPh") {
      --skip_;
    } else if (name == "t") {
      in_t_ = false;
    }
    return Status::Ok();
  }
  Status Text(const char* s, int len) override {
    if (in_t_) {
      if (int64_t(cur_.size()) + len > kMaxCellBytes)
        return Invalid("a shared string is longer than 1 MiB");
      cur_.append(s, size_t(len));
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string>* out_;
  int64_t cap_;
  int64_t total_ = 0;
  std::string cur_;
  bool in_si_ = false, in_t_ = false;
  int skip_ = 0;
};

// Receives each parsed row; may take the cells (the handler starts the next row afresh).
using RowSink = std::function<Status(int64_t row, std::vector<Cell>& cells)>;

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(const ReaderImpl& r, const RowSink& fn) : r_(r), fn_(fn) {}

  Status Start(std::string_view name, const XML_Char** atts) override {
    if (name == "row") {
      const char* rr = Attr(atts, "r");
      int64_t n = rr ? std::atoll(rr) : row_ + 1;
      if (n < 1 || n > kMaxRows)
        return Invalid("row number out of range: " + std::string(rr ? rr : ""));
      row_ = n;
      in_row_ = true;
      col_ = -1;
      cells_.clear();
    } else if (name == "c" && in_row_) {
      in_c_ = true;
      const char* ref = Attr(atts, "r");
      int c = ref ? ColumnOf(ref) : col_ + 1;
      if (c < 0 || c >= kMaxColumns)
        return Invalid("bad cell reference in row " + std::to_string(row_));
      col_ = c;
      const char* t = Attr(atts, "t");
      type_ = t ? t : "n";
      const char* s = Attr(atts, "s");
      style_ = s ? std::atoi(s) : 0;
      value_.clear();
      inline_.clear();
    } else if (in_c_ && name == "v") {
      in_v_ = true;
    } else if (in_c_ && name == "is") {
      in_is_ = true;
    } else if (in_is_ && name == "rPh") {
      ++skip_;
    } else if (in_is_ && name == "t" && skip_ == 0) {
      in_t_ = true;
    }
    return Status::Ok();
  }

  Status End(std::string_view name) override {
    if (name == "v") {
      in_v_ = false;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      if (skip_ > 0) --skip_;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "c" && in_c_) {
      in_c_ = false;
      return FinishCell();
    } else if (name == "row" && in_row_) {
      in_row_ = false;
      if (cells_.empty()) return Status::Ok();
      std::sort(cells_.begin(), cells_.end(),
                [](const Cell& a, const Cell& b) { return a.col < b.col; });
      Status st = fn_(row_, cells_);
      cells_.clear();
      row_bytes_ = 0;
      return st;
    }
    return Status::Ok();
  }

  Status Text(const char* s, int len) override {
    std::string* into = in_v_ ? &value_ : (in_t_ ? &inline_ : nullptr);
    if (!into) return Status::Ok();
    if (int64_t(into->size()) + len > kMaxCellBytes) {
      return Invalid("a cell in row " + std::to_string(row_) + " holds more than 1 MiB of text");
    }
    into->append(s, size_t(len));
    return Status::Ok();
  }

 private:
  Status FinishCell() {
    Cell c;
    c.col = col_;
    if (type_ == "s") {
      char* end = nullptr;
      long long idx = std::strtoll(value_.c_str(), &end, 10);
      if (value_.empty() || *end != '\0' || idx < 0 || size_t(idx) >= r_.sst_.size()) {
        return Invalid("row " + std::to_string(row_) + ": a shared string index is out of range");
      }
      c.text = r_.sst_[size_t(idx)];
    } else if (type_ == "inlineStr") {
      c.text = std::move(inline_);
    } else if (type_ == "str" || type_ == "d") {
      c.text = std::move(value_);
    } else if (type_ == "b") {
      c.type = Cell::Type::kBool;
      c.number = value_ == "1" || value_ == "true" ? 1 : 0;
      c.text = c.number ? "TRUE" : "FALSE";
      if (value_.empty()) return Status::Ok();
    } else if (type_ == "e") {
      c.type = Cell::Type::kError;
      c.text = std::move(value_);
    } else {
      if (value_.empty()) return Status::Ok();
      char* end = nullptr;
      c.number = std::strtod(value_.c_str(), &end);
      if (*end != '\0' || !std::isfinite(c.number)) {
        return Invalid("row " + std::to_string(row_) + ": '" + QuotePrefix(value_) +
                       "' is not a number");
      }
      c.type = Cell::Type::kNumber;
      c.text = std::move(value_);
      c.is_date =
          style_ >= 0 && size_t(style_) < r_.xf_is_date_.size() && r_.xf_is_date_[size_t(style_)];
    }
    if (c.type == Cell::Type::kString && c.text.empty()) return Status::Ok();
    // A row's cells are kept together until the row ends: a row that repeats a long shared
    // string in thousands of cells would otherwise cost gigabytes.
    row_bytes_ += int64_t(c.text.size()) + int64_t(sizeof(Cell));
    if (row_bytes_ > kMaxRowBytes) {
      return Invalid("row " + std::to_string(row_) + " holds more than " +
                     std::to_string(kMaxRowBytes >> 20) + " MiB of text");
    }
    cells_.push_back(std::move(c));
    return Status::Ok();
  }

  const ReaderImpl& r_;
  const RowSink& fn_;
  int64_t row_ = 0;
  int col_ = -1;
  bool in_row_ = false, in_c_ = false, in_v_ = false, in_is_ = false, in_t_ = false;
  int skip_ = 0;
  std::string type_;
  int style_ = 0;
  std::string value_, inline_;
  std::vector<Cell> cells_;
  int64_t row_bytes_ = 0;
};

// Resolves a relationship target against the folder of the part that names it.
// Returns "" for names that escape the package (zip-slip style "../" or empty).
std::string ResolvePart(const std::string& base_dir, const std::string& target) {
  std::string t = target;
  std::string full = t.starts_with("/") ? t.substr(1) : base_dir + t;
  if (full.empty() || full.find("..") != std::string::npos ||
      full.find('\\') != std::string::npos || full.find(':') != std::string::npos) {
    return "";
  }
  return full;
}

Status ReaderImpl::Init() {
  zip_int64_t n = zip_get_num_entries(za_, 0);
  if (n > limits_.max_entries) {
    return Invalid(label_ + ": too many entries in the zip (" + std::to_string(n) + ")");
  }
  RelsHandler root;
  CX_RETURN_IF_ERROR(ParsePart("_rels/.rels", &root, true));
  std::string wb_part = root.office.empty() ? "xl/workbook.xml" : ResolvePart("", root.office);
  if (wb_part.empty()) return Invalid(label_ + ": the workbook part name is not allowed");
  std::string dir = wb_part.substr(0, wb_part.rfind('/') + 1);
  std::string file = wb_part.substr(dir.size());

  WorkbookHandler wb;
  CX_RETURN_IF_ERROR(ParsePart(wb_part, &wb, false));
  date1904_ = wb.date1904;
  RelsHandler rels;
  CX_RETURN_IF_ERROR(ParsePart(dir + "_rels/" + file + ".rels", &rels, false));
  for (const auto& [name, rid] : wb.sheets) {
    auto it = rels.targets.find(rid);
    if (it == rels.targets.end()) continue;
    std::string part = ResolvePart(dir, it->second);
    if (part.empty()) continue;  // a name outside the package is ignored
    names_.push_back(name);
    parts_.push_back(part);
  }
  StylesHandler styles;
  std::string styles_part =
      rels.styles.empty() ? dir + "styles.xml" : ResolvePart(dir, rels.styles);
  if (!styles_part.empty()) CX_RETURN_IF_ERROR(ParsePart(styles_part, &styles, true));
  xf_is_date_.reserve(styles.xfs.size());
  for (int id : styles.xfs) {
    auto f = styles.formats.find(id);
    xf_is_date_.push_back(f != styles.formats.end() ? IsDateFormat(f->second)
                                                    : IsBuiltinDateFormat(id));
  }
  sst_part_ = rels.shared.empty() ? dir + "sharedStrings.xml" : ResolvePart(dir, rels.shared);
  return Status::Ok();
}

Status ReaderImpl::ReadSheet(const std::string& name, const RowFn& fn) {
  size_t i = 0;
  while (i < names_.size() && names_[i] != name) ++i;
  if (i == names_.size()) return NotFound(label_ + ": no sheet named '" + name + "'");
  if (!sst_loaded_) {
    sst_loaded_ = true;
    if (!sst_part_.empty()) {
      SharedStringsHandler h(&sst_, limits_.max_shared_strings_bytes);
      CX_RETURN_IF_ERROR(ParsePart(sst_part_, &h, true));
    }
  }
  // The XML is parsed on a second thread while `fn` works on the rows already parsed: an
  // import spends most of its time writing, and parsing then costs no wall time.
  using Row = std::pair<int64_t, std::vector<Cell>>;
  return Pipelined<Row>(
      [&](BatchPipe<Row>& pipe) {
        int64_t queued_bytes = 0;
        RowSink push = [&](int64_t row, std::vector<Cell>& cells) {
          for (const auto& c : cells) queued_bytes += int64_t(c.text.size());
          CX_RETURN_IF_ERROR(pipe.Push(Row(row, std::move(cells))));
          if (queued_bytes < kFlushBytes) return Status::Ok();
          queued_bytes = 0;
          return pipe.Flush();
        };
        SheetHandler h(*this, push);
        return ParsePart(parts_[i], &h, false);
      },
      [&](Row& r) { return fn(r.first, r.second); });
}

Result<std::unique_ptr<Reader>> OpenSource(zip_source_t* src, const Limits& limits,
                                           const std::string& label) {
  zip_error_t err;
  zip_error_init(&err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!za) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return Invalid(label + " is not an .xlsx workbook (" + msg + ")");
  }
  zip_error_fini(&err);
  auto r = std::make_unique<ReaderImpl>(za, limits, label);
  CX_RETURN_IF_ERROR(r->Init());
  return std::unique_ptr<Reader>(std::move(r));
}

}  // namespace

Result<std::unique_ptr<Reader>> Reader::Open(const std::string& path, const Limits& limits) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_file_create(path.c_str(), 0, -1, &err);
  if (!src) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return Invalid(path + ": cannot open (" + msg + ")");
  }
  zip_error_fini(&err);
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    zip_source_free(src);
    return Invalid(path + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::fclose(f);
  return OpenSource(src, limits, path);
}

Result<std::unique_ptr<Reader>> Reader::OpenBuffer(const void* data, size_t size,
                                                   const Limits& limits) {
  zip_error_t err;
  zip_error_init(&err);
  if (size == 0) {
    zip_error_fini(&err);
    return Invalid("the workbook is empty (not an .xlsx file)");
  }
  // libzip keeps the pointer; copy into a buffer it frees itself.
  void* copy = std::malloc(size);
  if (!copy) {
    zip_error_fini(&err);
    return Internal("out of memory");
  }
  std::memcpy(copy, data, size);
  zip_source_t* src = zip_source_buffer_create(copy, size, 1, &err);
  zip_error_fini(&err);
  if (!src) {
    std::free(copy);
    return Internal("cannot create a zip source");
  }
  return OpenSource(src, limits, "the workbook");
}

}  // namespace cx::xlsx
