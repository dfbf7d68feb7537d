// Quoting values in messages, escaping formula-looking CSV cells, and stripping terminal
// control sequences: the one place each of these is done.
#include "base/safe_text.h"

namespace cx {
namespace {

// Length of the UTF-8 sequence at s[i] when it is valid, else 0.
size_t Utf8Len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t len;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  else
    return 0;
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

std::string Grouped(size_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

bool IsPlainNumber(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  bool digit = false;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '.' && c != ',') {
      return false;
    }
  }
  return digit;
}

// Whether CsvCellText puts an apostrophe before `t`: a formula, or an apostrophe before what
// would be escaped (so that the escape can be undone without ambiguity).
bool NeedsEscape(std::string_view t) {
  size_t i = 0;
  while (i < t.size() && t[i] == '\'') ++i;
  const std::string_view rest = t.substr(i);
  return LooksLikeFormula(rest) && !IsPlainNumber(rest);
}

}  // namespace

std::string QuotePrefix(std::string_view text) {
  if (text.size() <= kQuotedPrefixBytes) return TerminalText(text);
  size_t end = kQuotedPrefixBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return TerminalText(text.substr(0, end)) + "… (" + Grouped(text.size()) + " bytes)";
}

bool LooksLikeFormula(std::string_view t) {
  if (t.empty()) return false;
  const char c = t.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

std::string CsvCellText(std::string_view text) {
  if (!NeedsEscape(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 1);
  out += '\'';
  out += text;
  return out;
}

std::string_view CsvCellValue(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '\'' && NeedsEscape(cell.substr(1)))
    return cell.substr(1);
  return cell;
}

std::string TerminalText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0x1B) {
      // ESC: a CSI sequence (ESC [ params final), an OSC/DCS/PM/APC string (ended by BEL or
      // ESC \), or ESC and one character.
      ++i;
      if (i >= s.size()) break;
      const char k = s[i++];
      if (k == '[') {
        while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E)) ++i;
        if (i < s.size()) ++i;
      } else if (k == ']' || k == 'P' || k == '^' || k == '_' || k == 'X') {
        while (i < s.size() && s[i] != '\a' &&
               !(s[i] == 0x1B && i + 1 < s.size() && s[i + 1] == '\\'))
          ++i;
        if (i < s.size()) i += s[i] == '\a' ? 1 : 2;
      }
      continue;
    }
    if (c < 0x20 && c != '\n' && c != '\t') {
      ++i;
      continue;
    }
    if (c == 0x7F) {
      ++i;
      continue;
    }
    const size_t len = Utf8Len(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    // C1 controls U+0080–U+009F (0xC2 0x80–0x9F), of which U+009B is a one-character CSI.
    if (len == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      i += 2;
      continue;
    }
    out.append(s, i, len);
    i += len;
  }
  return out;
}

}  // namespace cx
