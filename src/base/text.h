// Text normalisation for matching people and companies: ICU folding, name keys,
// phone and email keys, and edit-distance similarity.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cx {

// Case-folds, strips accents, turns punctuation into spaces, "&" into "and", and
// collapses runs of spaces. "  Société  Générale, Ltd." → "societe generale ltd".
// Invalid UTF-8 is replaced, never an error.
std::string FoldText(std::string_view s);

// The words of FoldText(s).
std::vector<std::string> Words(std::string_view s);

// The matching key of a company name: folded words without "and"/"the"/"of" and
// without trailing legal suffixes (Ltd, Limited, Plc, Nig., Nigeria Limited, Inc,
// Co, LLC), sorted so that word order does not matter.
// "Okafor & Sons Nig. Ltd" → "okafor sons".
std::string CompanyKey(std::string_view name);
// The matching key of a person's name: folded words, sorted.
std::string PersonKey(std::string_view name);
// The words of a company name as CompanyKey keeps them (unsorted).
std::vector<std::string> CompanyWords(std::string_view name);
// Words(s) and CompanyWords(name) as views into `folded` (FoldText of it), into buffers a caller
// reuses: a search splits hundreds of names (no allocation once the buffers are warm).
void WordViews(std::string_view s, std::string* folded, std::vector<std::string_view>* words);
void CompanyWordViews(std::string_view name, std::string* folded,
                      std::vector<std::string_view>* words);
// Words sorted and joined by spaces: CompanyKey(n) is JoinSorted(CompanyWords(n)).
std::string JoinSorted(const std::vector<std::string>& words);

// A phone number reduced to its national form: digits only, +234 / 234 prefixes
// replaced by 0. Empty when fewer than 7 digits remain.
std::string PhoneKey(std::string_view phone);
// An email address trimmed and lower-cased; empty unless it has one '@'.
std::string EmailKey(std::string_view email);

// Optimal-string-alignment distance (edits incl. adjacent swaps) between two
// UTF-8 strings, counted in code points. Stops early and returns max+1 once the
// distance must exceed `max`.
int EditDistance(std::string_view a, std::string_view b, int max = 1 << 20);
// 1 − distance / longer length, in [0, 1].
double Similarity(std::string_view a, std::string_view b);

// Trims ASCII and Unicode spaces at both ends.
std::string Trim(std::string_view s);
// The same, as a view into `s`.
std::string_view TrimView(std::string_view s);
// The same, in place (no copy when there is nothing to trim).
void TrimInPlace(std::string* s);
// Lower-cases ASCII letters only (for header names and enum values).
std::string AsciiLower(std::string_view s);
// True when the text is valid UTF-8.
bool IsValidUtf8(std::string_view s);
// Text made safe inside HTML element content and quoted attribute values (& < > " ').
std::string HtmlEscape(std::string_view s);

}  // namespace cx

namespace cx {
// The word itself and, for words of 4 or more code points, every variant with one
// code point deleted: the keys of a symmetric-delete typo index. Two words within
// one edit (or one edit each) share a variant. A word of digits only has no deletion
// variants: "Cube 65" and "Cube 6", "Depot 12" and "Depot 13" are different places,
// not typos of each other.
// A text over kMaxVariantBytes has no variants (only itself): that bounds the cost of a
// name stored before names had a length cap.
inline constexpr size_t kMaxVariantBytes = 1200;
std::vector<std::string> DeletionVariants(std::string_view word);
}  // namespace cx
