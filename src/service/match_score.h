// Scoring one name against a query, as Search ranks names (docs/search.md): the word-by-word
// score, the whole-name score, and the bar below which a search does not score a name at all.
// match.cc's; kept apart so that the bound can be tested against the full score.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace cx {

// Words joined in the order given (JoinSorted, base/text.h, is the order-free key).
template <typename Word>
std::string Joined(const std::vector<Word>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

// How well query word `q` matches a name's word `c`: 1 the same, 0.9 or 0.8 within one or two
// typos (words of 4 and 8 letters or more), 0.75 when `c` begins with `q` (of 2 letters or
// more) and `prefix_ok` (the last word typed), else 0.
double OneWord(std::string_view q, std::string_view c, bool prefix_ok);

// A query as names are scored against it: its match words (MatchWords), those sorted and
// joined (as a name key is) and joined as typed.
struct ScoreQuery {
  explicit ScoreQuery(std::vector<std::string> query_words);
  std::vector<std::string> words;
  std::string sorted, typed;
  bool ascii = false;  // whether `typed` (and so `sorted`) is ASCII
};

// Buffers a caller scoring many names reuses (no allocation per name once warm).
struct ScoreBuffers {
  std::string folded, joined;
  std::vector<std::string_view> words;
};

// The score of a record of kind `k` named `name`, with name key `name_key`, for the query `q`:
// the larger of its word-by-word score (WordScore, the last query word as a prefix) and its
// whole-name score (WholeNameScore, with the name key as the name's sorted words). Or -1 when
// that score is certainly below `bar`: then what cannot reach it is not computed. A whole-name
// match with a typo scores at most kWholeNameOneTypo and a word-by-word one at most
// kWordMatchCap, below kWholeNameTwoTypos; `bar` -1 asks for the score.
double ScoreName(NameKind k, const ScoreQuery& q, std::string_view name, std::string_view name_key,
                 double bar, ScoreBuffers* buffers);

// The least score a name must reach to matter among a kind's name matches: the `needed`-th
// best score added so far, so that `needed` names certainly score at least as much as any
// name below it. It only rises as names are added; -1 (no bar) until `needed` are known, and
// when none is needed.
class NameBar {
 public:
  explicit NameBar(size_t needed) : needed_(needed) {}
  double Score() const { return needed_ > 0 && best_.size() == needed_ ? best_.front() : -1; }
  void Add(double score);

 private:
  size_t needed_;
  std::vector<double> best_;  // a heap of the best `needed_` scores, the least on top
};

}  // namespace cx
