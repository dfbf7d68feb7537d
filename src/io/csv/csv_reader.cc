// Streaming CSV reader: encoding and delimiter detection, conversion to UTF-8 with
// ICU, and RFC 4180 parsing with line numbers.
#include "io/csv/csv_reader.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "base/safe_text.h"
#include "base/sha256.h"

namespace cx {
namespace {

constexpr size_t kChunk = 1 << 20;

// Length of the valid UTF-8 prefix of [p, p+n). `*incomplete` is set when the
// rest is only the start of a sequence cut off by the end of the chunk.
// The line (1-based) of the first multi-byte UTF-8 character in the file that a text in
// Latin letters would hold (Latin-1 and Latin Extended-A letters, typographic punctuation, ₦,
// €, ™), or 0. Such a character in a file that is not valid UTF-8 means two encodings; a
// Windows-1252 byte pair that happens to form another character ("É" and a no-break space
// make U+0260) does not count.
int64_t LineOfUtf8Text(std::FILE* f) {
  if (std::fseek(f, 0, SEEK_SET) != 0) return 0;
  std::string buf(1 << 20, '\0'), data;
  int64_t line = 1;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    data.append(buf, 0, n);
    size_t i = 0;
    for (; i < data.size(); ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c == '\n') ++line;
      if (c < 0xC2 || c > 0xEF) continue;
      const size_t len = c < 0xE0 ? 2 : 3;
      if (i + len > data.size()) break;  // completed by the next read
      uint32_t cp = c & (len == 2 ? 0x1Fu : 0x0Fu);
      bool cont = true;
      for (size_t k = 1; k < len && cont; ++k) {
        const auto b = static_cast<unsigned char>(data[i + k]);
        cont = (b & 0xC0) == 0x80;
        cp = (cp << 6) | (b & 0x3Fu);
      }
      if (!cont) continue;
      if ((cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x2010 && cp <= 0x203A) || cp == 0x20A6 ||
          cp == 0x20AC || cp == 0x2122)
        return line;
      i += len - 1;
    }
    data.erase(0, i);
  }
  return 0;
}

size_t ValidUtf8Prefix(const unsigned char* p, size_t n, bool* incomplete) {
  *incomplete = false;
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) {
        *incomplete = true;
        return i;
      }
      unsigned char b = p[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += len;
  }
  return i;
}

}  // namespace

// ICU conversion from the file's encoding to UTF-8, chunk by chunk.
struct CsvReader::Converter {
  UConverter* from = nullptr;
  UConverter* to = nullptr;
  UChar pivot[4096];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
  std::string pending;  // source bytes not yet converted
  ~Converter() {
    if (from) ucnv_close(from);
    if (to) ucnv_close(to);
  }
};

CsvReader::~CsvReader() {
  if (f_) std::fclose(f_);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  r->path_ = path;
  r->f_ = std::fopen(path.c_str(), "rb");
  if (!r->f_) return Invalid(path + ": cannot open: " + std::strerror(errno));
  Sha256 sha;
  // One pass: the SHA-256 of the bytes, and whether they are UTF-8. The chunk is read 4 bytes
  // into its buffer, so that a sequence cut off by the previous chunk's end goes just before.
  std::string chunk(kChunk + 4, '\0');
  unsigned char carried[4];  // a sequence cut off by the chunk's end, for the next one
  size_t carry = 0;
  bool utf8 = true;
  int64_t bad_offset = -1;  // of the first byte that is not UTF-8
  unsigned bad_byte = 0;
  unsigned char bom[4] = {0, 0, 0, 0};
  size_t head = 0;
  while (true) {
    const size_t n = std::fread(chunk.data() + 4, 1, kChunk, r->f_);
    if (n == 0) break;
    unsigned char* bytes = reinterpret_cast<unsigned char*>(chunk.data()) + 4;
    sha.Update(bytes, n);
    for (size_t i = 0; i < n && head < 4; ++i) bom[head++] = bytes[i];
    if (utf8) {
      // The bytes carried from the previous chunk (hashed with it) lead this one's.
      unsigned char* from = bytes - carry;
      std::memcpy(from, carried, carry);
      bool incomplete = false;
      const size_t ok = ValidUtf8Prefix(from, n + carry, &incomplete);
      if (ok < n + carry && !incomplete) {
        utf8 = false;
        bad_offset = r->size_ - int64_t(carry) + int64_t(ok);
        bad_byte = from[ok];
        carry = 0;
      } else {
        carry = n + carry - ok;
        std::memcpy(carried, from + ok, carry);
      }
    }
    r->size_ += int64_t(n);
  }
  if (std::ferror(r->f_)) return Invalid(path + ": cannot read: " + std::strerror(errno));
  if (utf8 && carry > 0) {
    utf8 = false;
    bad_offset = r->size_ - int64_t(carry);
  }
  // The line of the first byte that is not UTF-8, counted only when there is one.
  int64_t bad_line = 0;
  if (!utf8) {
    bad_line = 1;
    if (std::fseek(r->f_, 0, SEEK_SET) != 0)
      return Invalid(path + ": cannot seek: " + std::strerror(errno));
    for (int64_t left = bad_offset; left > 0;) {
      const size_t n = std::fread(chunk.data(), 1, size_t(std::min<int64_t>(left, kChunk)), r->f_);
      if (n == 0) break;
      bad_line += std::count(chunk.data(), chunk.data() + n, '\n');
      left -= int64_t(n);
    }
  }
  if (r->size_ == 0) return Invalid(path + ": the file is empty");
  CX_ASSIGN_OR_RETURN(r->sha256_, sha.HexDigest());

  size_t skip = 0;
  const char* icu_name = nullptr;
  if (head >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) {
    r->encoding_ = "utf-16le";
    icu_name = "UTF-16LE";
    skip = 2;
  } else if (head >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) {
    r->encoding_ = "utf-16be";
    icu_name = "UTF-16BE";
    skip = 2;
  } else if (head >= 4 && bom[0] != 0 && bom[1] == 0 && bom[2] != 0 && bom[3] == 0) {
    // No byte-order mark, but "I\0D\0": text never holds NUL bytes, UTF-16 little-endian
    // does between the bytes of every ASCII character.
    r->encoding_ = "utf-16le";
    icu_name = "UTF-16LE";
  } else if (head >= 4 && bom[0] == 0 && bom[1] != 0 && bom[2] == 0 && bom[3] != 0) {
    r->encoding_ = "utf-16be";
    icu_name = "UTF-16BE";
  } else if (head >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) {
    if (!utf8) {
      return Invalid(
          path + ": line " + std::to_string(bad_line) +
          ": the file starts with a UTF-8 byte-order mark but holds bytes that are not UTF-8");
    }
    r->encoding_ = "utf-8-bom";
    skip = 3;
  } else if (utf8) {
    r->encoding_ = "utf-8";
  } else if (int64_t utf8_text_line = bad_byte ? LineOfUtf8Text(r->f_) : 0; utf8_text_line > 0) {
    // Accented text in UTF-8, then a byte that is not: pieces saved in two encodings. Read as
    // Windows-1252, the UTF-8 part would be stored garbled ("SociÃ©tÃ©").
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%02X", bad_byte & 0xFFu);
    return Invalid(path + ": line " + std::to_string(bad_line) + ": byte " + hex +
                   " is not UTF-8, yet line " + std::to_string(utf8_text_line) +
                   " holds UTF-8 text: the file mixes encodings; save the export as UTF-8");
  } else {
    r->encoding_ = "windows-1252";
    icu_name = "windows-1252";
  }
  if (icu_name) {
    r->conv_ = std::make_unique<Converter>();
    UErrorCode err = U_ZERO_ERROR;
    r->conv_->from = ucnv_open(icu_name, &err);
    if (U_SUCCESS(err)) r->conv_->to = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err))
      return Internal(std::string("ICU cannot open converter ") + icu_name + ": " +
                      u_errorName(err));
    ucnv_setToUCallBack(r->conv_->from, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
    ucnv_setFromUCallBack(r->conv_->to, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
    if (U_FAILURE(err))
      return Internal(std::string("ICU converter setup failed: ") + u_errorName(err));
  }
  if (std::fseek(r->f_, long(skip), SEEK_SET) != 0)
    return Invalid(path + ": cannot seek: " + std::strerror(errno));

  // Delimiter: count ',' and ';' outside quotes on the first record's first line.
  int commas = 0, semis = 0;
  bool in_quotes = false;
  while (true) {
    int c = r->Peek();
    if (!r->error_.ok()) return r->error_;
    if (c < 0) break;
    ++r->pos_;
    if (c == '"') in_quotes = !in_quotes;
    if (!in_quotes && (c == '\n' || c == '\r')) break;
    if (!in_quotes && c == ',') ++commas;
    if (!in_quotes && c == ';') ++semis;
  }
  r->delimiter_ = semis > commas ? ';' : ',';
  // Rewind to parse from the start.
  r->buf_.clear();
  r->pos_ = 0;
  r->eof_ = false;
  if (r->conv_) {
    ucnv_reset(r->conv_->from);
    ucnv_reset(r->conv_->to);
    r->conv_->pending.clear();
    r->conv_->pivot_source = r->conv_->pivot_target = r->conv_->pivot;
  }
  if (std::fseek(r->f_, long(skip), SEEK_SET) != 0)
    return Invalid(path + ": cannot seek: " + std::strerror(errno));
  return r;
}

Result<bool> CsvReader::Fill() {
  buf_.clear();
  pos_ = 0;
  if (eof_) return false;
  std::string raw(kChunk, '\0');
  size_t n = std::fread(raw.data(), 1, raw.size(), f_);
  if (std::ferror(f_)) return Invalid(path_ + ": cannot read: " + std::strerror(errno));
  raw.resize(n);
  bool last = n == 0 || std::feof(f_);
  if (!conv_) {
    buf_ = std::move(raw);
    if (last) eof_ = true;
    return !buf_.empty();
  }
  if (encoding_ == "windows-1252") {
    // ICU maps the five bytes Windows-1252 leaves undefined to C1 controls; refuse them.
    int64_t line = line_;
    for (char ch : raw) {
      unsigned char b = static_cast<unsigned char>(ch);
      if (b == '\n') ++line;
      if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", unsigned(b));
        return Invalid(path_ + ": line " + std::to_string(line) + ": byte " + hex +
                       " is neither UTF-8 nor Windows-1252; save the export as UTF-8");
      }
    }
  }
  // Convert raw bytes → UTF-8 through ICU's pivot buffer.
  std::string src = conv_->pending + raw;
  conv_->pending.clear();
  buf_.resize(src.size() * 3 + 64);
  char* target = buf_.data();
  const char* source = src.data();
  UErrorCode err = U_ZERO_ERROR;
  ucnv_convertEx(conv_->to, conv_->from, &target, buf_.data() + buf_.size(), &source,
                 src.data() + src.size(), conv_->pivot, &conv_->pivot_source, &conv_->pivot_target,
                 conv_->pivot + 4096, false, last, &err);
  size_t produced = size_t(target - buf_.data());
  buf_.resize(produced);
  if (U_FAILURE(err)) {
    int64_t line = line_;
    for (char c : buf_) line += c == '\n';
    char bad[8] = "";
    int8_t len = 8;
    UErrorCode e2 = U_ZERO_ERROR;
    ucnv_getInvalidChars(conv_->from, bad, &len, &e2);
    std::string bytes;
    for (int8_t i = 0; i < len && U_SUCCESS(e2); ++i) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%s0x%02X", i ? " " : "",
                    unsigned(static_cast<unsigned char>(bad[i])));
      bytes += hex;
    }
    return Invalid(
        path_ + ": line " + std::to_string(line) + ": bytes " + bytes + " are not valid " +
        encoding_ +
        (encoding_ == "windows-1252" ? " (and the file is not valid UTF-8 either)" : ""));
  }
  const char* src_end = src.data() + src.size();
  if (source < src_end) conv_->pending.assign(source, src_end);
  if (last) eof_ = true;
  if (buf_.empty() && !eof_) return Fill();
  return !buf_.empty();
}

int CsvReader::Refill() {
  if (!error_.ok()) return -1;
  auto more = Fill();
  if (!more.ok()) {
    error_ = more.status();
    return -1;
  }
  if (!*more) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

namespace {

// Cuts a field that was stopped at the cap back to a character boundary.
void CutToCharacter(std::string* field) {
  size_t end = field->size();
  size_t k = end;
  while (k > 0 && (static_cast<unsigned char>((*field)[k - 1]) & 0xC0) == 0x80) --k;
  if (k > 0) {
    const auto lead = static_cast<unsigned char>((*field)[k - 1]);
    const size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (k - 1 + len > end) field->resize(k - 1);
  }
}

}  // namespace

Result<bool> CsvReader::Next(CsvRecord* rec) {
  // The record's strings are reused from one record to the next (a caller that keeps a
  // record moves it away): most records then cost no allocation at all.
  std::vector<std::string>& fields = rec->fields;
  rec->overlong.clear();
  while (true) {
    size_t count = 0;  // fields of this record so far
    size_t record_bytes = 0;
    rec->line = line_;
    int c = Peek();
    if (!error_.ok()) {
      fields.clear();
      return error_;
    }
    if (c < 0) {
      fields.clear();
      return false;
    }
    bool any = false;  // anything on the record beyond an empty line
    while (true) {
      if (count == kCsvMaxFields) {
        fields.clear();
        return Invalid(path_ + ": line " + std::to_string(rec->line) +
                       ": the record has more than " + std::to_string(kCsvMaxFields) + " fields");
      }
      if (count == fields.size()) fields.emplace_back();
      std::string& field = fields[count++];
      field.clear();
      int64_t field_bytes = 0;  // the whole field's size, beyond the cap too
      // Appends [p, p+n) up to the cap; the rest is only counted.
      auto append = [&](const char* p, size_t n) {
        field_bytes += int64_t(n);
        if (field.size() < kCsvMaxFieldBytes)
          field.append(p, std::min(n, kCsvMaxFieldBytes - field.size()));
      };
      c = Get();
      if (c == '"' && field.empty()) {
        any = true;
        // Quoted field.
        while (true) {
          int q = Get();
          if (q < 0) {
            if (!error_.ok()) return error_;
            return Invalid(path_ + ": line " + std::to_string(rec->line) +
                           ": a quoted field is not closed before the end of the file");
          }
          if (q == '"') {
            int n = Peek();
            if (n == '"') {
              ++pos_;
              append("\"", 1);
              continue;
            }
            break;
          }
          if (q == '\r') {
            // CRLF or CR inside quotes: keep as a line break, count the line.
            int n = Peek();
            if (n != '\n') ++line_;
          }
          const char ch = char(q);
          append(&ch, 1);
          // Copy the rest of the quoted run (no quote, no line break) from the buffer.
          size_t end = pos_;
          while (end < buf_.size() && buf_[end] != '"' && buf_[end] != '\n' && buf_[end] != '\r')
            ++end;
          append(buf_.data() + pos_, end - pos_);
          pos_ = end;
        }
        c = Get();
        if (c >= 0 && c != delimiter_ && c != '\n' && c != '\r') {
          return Invalid(path_ + ": line " + std::to_string(line_) + ": unexpected character '" +
                         QuotePrefix(std::string(1, char(c))) +
                         "' after a closing quote (a quote inside a field must be doubled)");
        }
      } else {
        while (c >= 0 && c != delimiter_ && c != '\n' && c != '\r') {
          const char ch = char(c);
          append(&ch, 1);
          any = true;
          // Copy the rest of the field from the buffer in one go.
          size_t end = pos_;
          while (end < buf_.size() && buf_[end] != delimiter_ && buf_[end] != '\n' &&
                 buf_[end] != '\r')
            ++end;
          append(buf_.data() + pos_, end - pos_);
          pos_ = end;
          c = Get();
        }
      }
      if (field_bytes > int64_t(field.size())) {
        CutToCharacter(&field);
        rec->overlong.push_back({count - 1, field_bytes});
      }
      // A cell the hub escaped when it wrote the file (CsvLine) reads as what it stood for.
      if (!field.empty() && field[0] == '\'' && CsvCellValue(field).size() < field.size())
        field.erase(0, 1);

      record_bytes += field.size();
      if (record_bytes > kCsvMaxRecordBytes) {
        fields.clear();
        return Invalid(path_ + ": line " + std::to_string(rec->line) +
                       ": the record is longer than " + std::to_string(kCsvMaxRecordBytes >> 20) +
                       " MiB");
      }
      if (c == delimiter_) {
        any = true;
        continue;
      }
      if (c == '\r') {
        int n = Peek();
        if (n == '\n') {
          Get();
        } else {
          ++line_;
        }
      }
      break;  // end of record ('\n', '\r' or end of file)
    }
    fields.resize(count);
    if (!error_.ok()) return error_;
    if (any) return true;
    // A blank line: skip it.
    rec->overlong.clear();
  }
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    // A cell a spreadsheet would evaluate is written as text (base/safe_text.h).
    const std::string f = CsvCellText(fields[i]);
    if (f.find_first_of(",;\"\r\n") != std::string::npos) {
      out += '"';
      for (char c : f) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    } else {
      out += f;
    }
  }
  out += "\r\n";
  return out;
}

}  // namespace cx
