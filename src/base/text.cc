// Name matching on top of ICU: NFD, drop non-spacing marks, full case folding.
#include "base/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

namespace cx {
namespace {

const icu::Normalizer2* Nfkd() {
  static const icu::Normalizer2* n = [] {
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* p = icu::Normalizer2::getNFKDInstance(err);
    return U_SUCCESS(err) ? p : nullptr;
  }();
  return n;
}

bool IsAsciiSimple(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

void AppendSpaceOnce(std::string* out) {
  if (!out->empty() && out->back() != ' ') out->push_back(' ');
}

// Fast path for ASCII text, which is most names: into `out` (its memory reused).
void FoldAsciiInto(std::string_view s, std::string* out_text) {
  std::string& out = *out_text;
  out.clear();
  out.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(char(c));
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(char(c - 'A' + 'a'));
    } else if (c == '&') {
      AppendSpaceOnce(&out);
      out += "and ";
    } else if (c == '\'') {
      // apostrophes join: "O'Brien" → "obrien"
    } else {
      AppendSpaceOnce(&out);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
}

std::string FoldAscii(std::string_view s) {
  std::string out;
  FoldAsciiInto(s, &out);
  return out;
}

bool IsLegalSuffix(std::string_view w) {
  static const std::array<std::string_view, 9> kSuffixes = {
      "ltd", "limited", "plc", "nig", "inc", "co", "llc", "incorporated", "company"};
  return std::find(kSuffixes.begin(), kSuffixes.end(), w) != kSuffixes.end();
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  int32_t i = 0;
  int32_t n = int32_t(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    out.push_back(c < 0 ? 0xFFFD : char32_t(c));
  }
  return out;
}

}  // namespace

std::string JoinSorted(const std::vector<std::string>& words) {
  std::vector<std::string_view> sorted(words.begin(), words.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto w : sorted) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

std::string FoldText(std::string_view s) {
  if (IsAsciiSimple(s)) return FoldAscii(s);
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), int32_t(s.size())));
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString decomposed = Nfkd() ? Nfkd()->normalize(u, err) : u;
  if (U_FAILURE(err)) decomposed = u;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
        type == U_COMBINING_SPACING_MARK) {
      continue;
    }
    if (c == '&') {
      kept.append(icu::UnicodeString(" and "));
    } else if (c == '\'' || c == 0x2019) {
      continue;
    } else if (u_isalnum(c)) {
      kept.append(u_foldCase(c, U_FOLD_CASE_DEFAULT));
    } else {
      kept.append(UChar32(' '));
    }
  }
  std::string utf8;
  kept.toUTF8String(utf8);
  // Collapse spaces.
  std::string out;
  out.reserve(utf8.size());
  for (char c : utf8) {
    if (c == ' ') {
      AppendSpaceOnce(&out);
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

void WordViews(std::string_view s, std::string* folded, std::vector<std::string_view>* words) {
  if (IsAsciiSimple(s))
    FoldAsciiInto(s, folded);
  else
    *folded = FoldText(s);
  words->clear();
  const std::string_view text = *folded;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) words->push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

void CompanyWordViews(std::string_view name, std::string* folded,
                      std::vector<std::string_view>* words_out) {
  WordViews(name, folded, words_out);
  std::vector<std::string_view>& words = *words_out;
  // "&", "and", "the" and "of" do not tell companies apart ("Okafor & Sons" = "Okafor Sons"),
  // unless the name has no other word.
  auto filler = [](std::string_view w) { return w == "and" || w == "the" || w == "of"; };
  if (!std::all_of(words.begin(), words.end(), filler))
    words.erase(std::remove_if(words.begin(), words.end(), filler), words.end());
  bool stripped = false;
  while (words.size() > 1 && IsLegalSuffix(words.back())) {
    words.pop_back();
    stripped = true;
  }
  // "Nigeria Limited" / "Nig. Ltd": the country before a legal suffix is part of it.
  if (stripped && words.size() > 1 && (words.back() == "nigeria" || words.back() == "nig")) {
    words.pop_back();
  }
}

std::vector<std::string> Words(std::string_view s) {
  std::string folded;
  std::vector<std::string_view> views;
  WordViews(s, &folded, &views);
  return std::vector<std::string>(views.begin(), views.end());
}

std::vector<std::string> CompanyWords(std::string_view name) {
  std::string folded;
  std::vector<std::string_view> views;
  CompanyWordViews(name, &folded, &views);
  return std::vector<std::string>(views.begin(), views.end());
}

std::string CompanyKey(std::string_view name) { return JoinSorted(CompanyWords(name)); }

std::string PersonKey(std::string_view name) { return JoinSorted(Words(name)); }

std::string PhoneKey(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (digits.size() >= 7 && (c == '/' || c == ',' || c == ';' || (c >= 'a' && c <= 'z') ||
                                      (c >= 'A' && c <= 'Z'))) {
      break;  // a second number ("… / 0805 …") or an extension ("… ext 2"): the first counts
    }
  }
  if (digits.size() == 13 && digits.compare(0, 3, "234") == 0) {
    digits = "0" + digits.substr(3);
  } else if (digits.size() == 14 && digits.compare(0, 4, "2340") == 0) {
    digits = digits.substr(3);
  } else if (digits.size() == 10 && digits[0] != '0') {
    digits = "0" + digits;
  }
  if (digits.size() < 7) return "";
  return digits;
}

std::string EmailKey(std::string_view email) {
  std::string e(TrimView(email));
  for (char& c : e) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string::npos) {
    return "";
  }
  // No spaces, display names ("Ade <ade@x.ng>"), quotes or list separators; dots only between
  // characters; a domain with at least one dot.
  if (e.find_first_of(" \t<>()[]\\,;:\"") != std::string::npos) return "";
  if (e.find("..") != std::string::npos || e.front() == '.' || e.back() == '.' ||
      e[at - 1] == '.' || e[at + 1] == '.' || e.find('.', at) == std::string::npos) {
    return "";
  }
  // Domain labels neither start nor end with a hyphen.
  if (e[at + 1] == '-' || e.back() == '-' || e.find(".-", at) != std::string::npos ||
      e.find("-.", at) != std::string::npos) {
    return "";
  }
  return e;
}

namespace {
// Whether a[0, n) and b[0, n) are the same.
template <typename Ch>
bool Same(const Ch* a, const Ch* b, int n) {
  for (int i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Osa with max 1 (a search compares each query word of up to seven letters with every word of
// its candidates' names so): past the common start, the one edit is there, so the rest must be
// the same after one substitution, deletion, insertion or swap of neighbours. No table.
template <typename Ch>
int OsaWithinOne(const Ch* a, int n, const Ch* b, int m) {
  const int shorter = std::min(n, m);
  int i = 0;
  while (i < shorter && a[i] == b[i]) ++i;
  if (i == n && i == m) return 0;
  if (n == m) {
    if (Same(a + i + 1, b + i + 1, n - i - 1)) return 1;  // substitution
    if (n - i >= 2 && a[i] == b[i + 1] && a[i + 1] == b[i] && Same(a + i + 2, b + i + 2, n - i - 2))
      return 1;  // neighbours swapped
    return 2;
  }
  if (n == m + 1) return Same(a + i + 1, b + i, m - i) ? 1 : 2;  // a[i] deleted
  return Same(a + i, b + i + 1, n - i) ? 1 : 2;                  // b[i] inserted (m == n + 1)
}

// Optimal string alignment distance over two sequences of code units (bytes for ASCII,
// code points otherwise), or max + 1 once it is past `max`. Only the cells within `max`
// of the diagonal can stay within `max`, so only that band is computed; a comparison
// allocates nothing once warm.
template <typename Ch>
int Osa(const Ch* a, int n, const Ch* b, int m, int max) {
  if (std::abs(n - m) > max) return max + 1;
  if (max == 1) return OsaWithinOne(a, n, b, m);
  const int inf = max + 1;
  // Three rows of a word of up to 63 code units on the stack, longer ones in a buffer kept by
  // the thread.
  int small[3 * 64];
  thread_local std::vector<int> large;
  int* rows = small;
  if (m + 1 > 64) {
    large.resize(size_t(3) * size_t(m + 1));
    rows = large.data();
  }
  int* prev2 = rows;
  int* prev = prev2 + (m + 1);
  int* cur = prev + (m + 1);
  for (int j = 0; j <= m; ++j) prev[j] = std::min(j, inf);
  for (int i = 1; i <= n; ++i) {
    const int lo = std::max(1, i - max), hi = std::min(m, i + max);
    cur[0] = std::min(i, inf);
    cur[lo - 1] = lo == 1 ? cur[0] : inf;
    int row_min = cur[lo - 1];
    for (int j = lo; j <= hi; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = std::min(v, inf);
      row_min = std::min(row_min, cur[j]);
    }
    if (hi < m) cur[hi + 1] = inf;
    if (row_min > max) return inf;
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}
}  // namespace

int EditDistance(std::string_view a8, std::string_view b8, int max) {
  if (IsAscii(a8) && IsAscii(b8)) {
    return Osa(a8.data(), int(a8.size()), b8.data(), int(b8.size()), max);
  }
  std::u32string a = ToU32(a8);
  std::u32string b = ToU32(b8);
  return Osa(a.data(), int(a.size()), b.data(), int(b.size()), max);
}

double Similarity(std::string_view a, std::string_view b) {
  size_t la = ToU32(a).size();
  size_t lb = ToU32(b).size();
  size_t longer = std::max(la, lb);
  if (longer == 0) return 1.0;
  return 1.0 - double(EditDistance(a, b)) / double(longer);
}

std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

void TrimInPlace(std::string* s) {
  const std::string_view t = TrimView(*s);
  if (t.size() == s->size()) return;
  *s = std::string(t);
}

std::string_view TrimView(std::string_view s) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // Non-breaking spaces (U+00A0) at either end, common in pasted cells.
  while (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
  while (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
  return s;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  int32_t n = int32_t(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace cx

namespace cx {
std::vector<std::string> DeletionVariants(std::string_view word) {
  std::vector<std::string> out;
  out.emplace_back(word);
  if (std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return out;
  // Past a name's cap (domain/cell_text.h: 300 characters, at most 1,200 bytes) a text only
  // matches exactly: its variants would cost the square of its length (a name stored before
  // the cap existed must not stall the index).
  if (word.size() > kMaxVariantBytes) return out;
  std::u32string u = ToU32(word);
  if (u.size() < 4) return out;
  // Byte offsets of each code point.
  std::vector<size_t> starts;
  int32_t i = 0;
  int32_t n = int32_t(word.size());
  while (i < n) {
    starts.push_back(size_t(i));
    UChar32 c;
    U8_NEXT(word.data(), i, n, c);
    (void)c;
  }
  starts.push_back(word.size());
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    std::string v(word.substr(0, starts[k]));
    v += word.substr(starts[k + 1]);
    if (v != out.back()) out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
std::string HtmlEscape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

}  // namespace cx
