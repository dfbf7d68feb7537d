// Scoring one name against a query (service/match_score.h): the rules of docs/search.md.
#include "service/match_score.h"

#include <algorithm>
#include <functional>
#include <memory>

#include "base/text.h"
#include "service/match.h"

namespace cx {
namespace {

// Whether a[0, n) and b[0, n) are the same: a byte loop, words are short (a call of memcmp for
// each query word and each word of hundreds of names was over 1 % of a search).
bool SameBytes(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && SameBytes(s.data(), p.data(), p.size());
}

int MaxTypos(std::string_view w) {
  size_t n = w.size();
  if (n >= 8) return 2;
  if (n >= 4) return 1;
  return 0;
}

constexpr double kWholeWord = 1.0;
constexpr double kWordOneTypo = 0.9;
constexpr double kWordTwoTypos = 0.8;
constexpr double kPartialWord = 0.75;
// Within a word-by-word match: how much of the query matches, then how tight the name is.
constexpr double kQueryShare = 0.9;

}  // namespace

namespace {

// OneWord; `ascii` when both words are known to be ASCII: then words whose lengths differ by
// more than the typos allowed are not compared (EditDistance counts their bytes).
double OneWordOf(std::string_view q, std::string_view c, bool prefix_ok, bool ascii) {
  if (q.size() == c.size() && SameBytes(q.data(), c.data(), q.size())) return kWholeWord;
  double best = 0;
  if (prefix_ok && q.size() >= 2 && StartsWith(c, q)) best = kPartialWord;
  int max = std::min(MaxTypos(q), MaxTypos(c));
  if (max == 0) return best;
  if (ascii && (q.size() > c.size() ? q.size() - c.size() : c.size() - q.size()) > size_t(max))
    return best;
  int d = EditDistance(q, c, max);
  if (d <= 1) return std::max(best, kWordOneTypo);
  if (d <= max) return std::max(best, kWordTwoTypos);
  return best;
}

}  // namespace

double OneWord(std::string_view q, std::string_view c, bool prefix_ok) {
  return OneWordOf(q, c, prefix_ok, false);
}

namespace {

// Code points in a word: the weight of a word in "how much of the query matches".
double Length(std::string_view w) {
  double n = 0;
  for (unsigned char c : w) n += (c & 0xC0) != 0x80;
  return n;
}

// The digits of a key, in order.
std::string Digits(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

// Whether every byte of `s` is ASCII: then its bytes are its letters, as EditDistance counts
// them.
bool Ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

size_t Apart(size_t a, size_t b) { return a > b ? a - b : b - a; }

}  // namespace

int KeyTypos(std::string_view a, std::string_view b) {
  if (a.size() < 5 || b.size() < 5) return -1;
  size_t longer = std::max(a.size(), b.size());
  int max = longer >= 16 ? 2 : 1;
  int d = EditDistance(a, b, max);  // banded: most pairs are rejected after a few letters
  if (d > max) return -1;
  // Names that differ in their numbers name different things ("Branch 12", "Branch 13"): only a
  // shared phone or email makes those duplicates.
  return Digits(a) == Digits(b) ? d : -1;
}

double KeySimilarity(const std::string& a, const std::string& b) {
  int d = KeyTypos(a, b);
  if (d < 0) return 0;
  size_t longer = std::max(a.size(), b.size());
  return std::max(1.0 - double(d) / double(longer), kProbableDuplicate);
}

namespace {

// WordScore of a name's words as strings or as views.
template <typename Word>
double WordScoreOf(const std::vector<std::string>& query, const std::vector<Word>& candidate,
                   bool last_is_prefix, bool ascii = false) {
  if (query.empty() || candidate.empty()) return 0;
  double got = 0, total = 0;
  // Which of the name's words a query word matched: on the stack for names of up to 32 words
  // (a search scores hundreds of candidates).
  bool small[32] = {};
  std::unique_ptr<bool[]> large;
  bool* used = small;
  if (candidate.size() > 32) {
    large = std::make_unique<bool[]>(candidate.size());
    used = large.get();
  }
  for (size_t i = 0; i < query.size(); ++i) {
    bool prefix_ok = last_is_prefix && i + 1 == query.size();
    double best = 0;
    size_t best_j = 0;
    for (size_t j = 0; j < candidate.size(); ++j) {
      double s = OneWordOf(query[i], candidate[j], prefix_ok, ascii);
      if (s > best || (s == best && s > 0 && used[best_j] && !used[j])) {
        best = s;
        best_j = j;
      }
    }
    if (best > 0) used[best_j] = true;
    got += best * Length(query[i]);
    total += Length(query[i]);
  }
  if (total == 0) return 0;
  // The name's side counts words, not letters: "Bola Okafor" and "Okafor Foods" are as tight
  // a match of "okafor", and Search interleaves such ties by kind.
  size_t matched = 0;
  for (size_t j = 0; j < candidate.size(); ++j) matched += used[j];
  double named = double(matched) / double(candidate.size());
  return kWordMatchCap * (kQueryShare * got / total + (1 - kQueryShare) * named);
}

}  // namespace

double WordScore(const std::vector<std::string>& query, const std::vector<std::string>& candidate,
                 bool last_is_prefix) {
  return WordScoreOf(query, candidate, last_is_prefix);
}

namespace {

// WholeNameScore of a candidate whose name key is `c_sorted` and words `candidate`, for the
// query `q`. KeyTypos allows two edits at most, and an edit changes a length by one at most:
// keys whose lengths differ by more are not compared when both are ASCII (whose bytes are the
// letters EditDistance counts), nor joined first: most of a search's candidates.
// `words_ascii` says whether every word of the candidate is ASCII (false when not known).
// `joined` is a buffer for the candidate's words as typed (a caller scoring many reuses it).
template <typename Word>
double WholeName(const ScoreQuery& q, std::string_view c_sorted, const std::vector<Word>& candidate,
                 bool words_ascii, std::string* joined) {
  if (q.sorted.empty() || candidate.empty()) return 0;
  if (q.sorted == c_sorted) return 1.0;
  int d = -1;
  if (!(q.ascii && Apart(q.sorted.size(), c_sorted.size()) > 2 && Ascii(c_sorted)))
    d = KeyTypos(q.sorted, c_sorted);
  // A typo in a word's first letter can change the sorted order: compare as typed too (a query
  // too short for a typo is not joined again for each of hundreds of candidates).
  if (d < 0 && q.typed.size() >= 5) {
    size_t typed = candidate.size() - 1;
    for (const auto& w : candidate) typed += w.size();
    if (!(q.ascii && words_ascii && Apart(q.typed.size(), typed) > 2)) {
      joined->clear();
      for (const auto& w : candidate) {
        if (!joined->empty()) joined->push_back(' ');
        *joined += w;
      }
      d = KeyTypos(q.typed, *joined);
    }
  }
  if (d < 0) return 0;
  return d <= 1 ? kWholeNameOneTypo : kWholeNameTwoTypos;
}

}  // namespace

double WholeNameScore(const std::vector<std::string>& query,
                      const std::vector<std::string>& candidate) {
  std::string joined;
  const bool ascii = std::all_of(candidate.begin(), candidate.end(),
                                 [](const std::string& w) { return Ascii(w); });
  return WholeName(ScoreQuery(query), JoinSorted(candidate), candidate, ascii, &joined);
}

ScoreQuery::ScoreQuery(std::vector<std::string> query_words)
    : words(std::move(query_words)),
      sorted(JoinSorted(words)),
      typed(Joined(words)),
      ascii(Ascii(typed)) {}

double ScoreName(NameKind k, const ScoreQuery& q, std::string_view name, std::string_view name_key,
                 double bar, ScoreBuffers* buffers) {
  // Only the same words (in any order) score above kWholeNameOneTypo.
  if (bar > kWholeNameOneTypo && name_key != q.sorted) return -1;
  // The name's words as views into one buffer: no allocation per name.
  if (k == NameKind::kAccount)
    CompanyWordViews(name, &buffers->folded, &buffers->words);
  else
    WordViews(name, &buffers->folded, &buffers->words);
  const bool ascii = Ascii(buffers->folded);
  const double whole = WholeName(q, name_key, buffers->words, ascii, &buffers->joined);
  if (whole > 0) return whole;  // above any word-by-word score
  if (bar >= kWholeNameTwoTypos) return -1;
  return WordScoreOf(q.words, buffers->words, true, q.ascii && ascii);
}

void NameBar::Add(double score) {
  if (needed_ == 0) return;
  if (best_.size() < needed_) {
    best_.push_back(score);
    std::push_heap(best_.begin(), best_.end(), std::greater<>());
  } else if (score > best_.front()) {
    std::pop_heap(best_.begin(), best_.end(), std::greater<>());
    best_.back() = score;
    std::push_heap(best_.begin(), best_.end(), std::greater<>());
  }
}

}  // namespace cx
