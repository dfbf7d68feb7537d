// The one limit on stored text: every text the hub keeps fits in one spreadsheet cell, so that
// any record can be exported (docs/workbook.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cx {

// Excel's limit on the text of one cell: 32,767 characters, counted as Excel counts them (its
// LEN()), in UTF-16 code units: a character outside the Basic Multilingual Plane (most emoji)
// counts two. Every input path refuses longer text; the export cuts text already stored.
inline constexpr size_t kMaxCellChars = 32767;

// Tighter caps for what is matched, indexed and shown in one line: names (companies, people,
// touchpoints) and ids. A name's matching cost grows with the square of its length (its
// deletion variants), so it is bounded here rather than by the cell limit
// (docs/reliability.md, "Bounded cost for every input").
inline constexpr size_t kMaxNameChars = 300;
inline constexpr size_t kMaxIdChars = 100;

// Length of UTF-8 `text` in UTF-16 code units (each lead byte counts as its sequence would).
size_t CellLength(std::string_view text);

// Whether `text` fits in one cell. Counts nothing for text of at most kMaxCellChars bytes
// (UTF-8 never takes fewer bytes than UTF-16 code units), so it is cheap on every row.
bool FitsInCell(std::string_view text);

// The problem of a text too long for a cell, for an error that names its field or column:
// "is 100,000 characters long; a spreadsheet cell holds at most 32,767". Empty when it fits.
std::string CellLengthProblem(std::string_view text);

// The problem of a name or id longer than `max_chars` (counted as CellLength counts):
// "is 1,000 characters long; a name holds at most 300" (`what` = "a name"). Empty when it fits.
std::string LengthProblem(std::string_view text, size_t max_chars, std::string_view what);

// The longest prefix of `text` that fits in a cell, cut between two characters (never inside
// a UTF-8 sequence, nor between the two halves of a UTF-16 surrogate pair). `text` itself when
// it fits.
std::string_view CutToCell(std::string_view text);

}  // namespace cx
