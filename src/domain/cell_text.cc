// Counting text as a spreadsheet counts it, and cutting it to one cell.
#include "domain/cell_text.h"

namespace cx {
namespace {

// UTF-16 code units of the UTF-8 sequence led by `lead`: two for a four-byte sequence (a
// surrogate pair), none for a continuation byte (counted with its lead), else one.
size_t UnitsOf(unsigned char lead) {
  if ((lead & 0xC0) == 0x80) return 0;
  return lead >= 0xF0 && lead <= 0xF4 ? 2 : 1;
}

std::string Grouped(size_t n) {
  std::string s = std::to_string(n);
  for (int i = int(s.size()) - 3; i > 0; i -= 3) s.insert(size_t(i), ",");
  return s;
}

}  // namespace

size_t CellLength(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += UnitsOf(static_cast<unsigned char>(c));
  return n;
}

bool FitsInCell(std::string_view text) {
  return text.size() <= kMaxCellChars || CellLength(text) <= kMaxCellChars;
}

std::string CellLengthProblem(std::string_view text) {
  if (FitsInCell(text)) return "";
  return "is " + Grouped(CellLength(text)) + " characters long; a spreadsheet cell holds at most " +
         Grouped(kMaxCellChars);
}

std::string LengthProblem(std::string_view text, size_t max_chars, std::string_view what) {
  if (text.size() <= max_chars) return "";
  const size_t n = CellLength(text);
  if (n <= max_chars) return "";
  return "is " + Grouped(n) + " characters long; " + std::string(what) + " holds at most " +
         Grouped(max_chars);
}

std::string_view CutToCell(std::string_view text) {
  if (text.size() <= kMaxCellChars) return text;
  size_t units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t u = UnitsOf(static_cast<unsigned char>(text[i]));
    // A character starts here: it fits only if all its units do.
    if (u > 0 && units + u > kMaxCellChars) return text.substr(0, i);
    units += u;
  }
  return text;
}

}  // namespace cx
