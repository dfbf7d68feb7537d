// Text that leaves the hub safely: quoted in an error message, written into a CSV or a
// spreadsheet cell, or printed on a terminal (docs/reliability.md, "Hostile values").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cx {

// How many bytes of a value an error message quotes at most.
inline constexpr size_t kQuotedPrefixBytes = 60;

// `text` as an error message quotes it: at most kQuotedPrefixBytes bytes, cut between two
// characters and followed by "…" and the full size when cut, with control characters and
// escape sequences removed (TerminalText). A 50 MB value costs a message of a line.
std::string QuotePrefix(std::string_view text);

// Whether a spreadsheet would take `text` for a formula when it is typed, pasted or opened
// as CSV: it starts with '=', '+', '-', '@', a tab or a carriage return.
bool LooksLikeFormula(std::string_view text);

// `text` as a CSV cell that a spreadsheet shows as written and never evaluates: text that
// looks like a formula gets a leading apostrophe ("=1+1" → "'=1+1"), except a plain number
// ("-500", "+234 803 000 0000" is not one), which a spreadsheet reads as a number, not a
// formula. Text that is apostrophes before such a formula gets one more, so the escape can
// always be undone. The one escape of every CSV the hub writes; CsvCellValue undoes it.
std::string CsvCellText(std::string_view text);

// The value a cell written by CsvCellText stood for: the apostrophe it added is dropped
// ("'=1+1" → "=1+1"); anything else is returned as it is.
std::string_view CsvCellValue(std::string_view cell);

// `text` safe to print on a terminal: escape sequences (ESC … as CSI, OSC, or a single
// character), C0 control characters other than line feed and tab, DEL and C1 control
// characters (U+0080–U+009F) are removed; bytes that are not UTF-8 become U+FFFD.
std::string TerminalText(std::string_view text);

}  // namespace cx
