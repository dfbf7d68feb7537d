// Tests for the scoring of one name and the bar below which Search does not score a name
// (service/match_score.h): what is skipped must be what could not have been listed.
#include "service/match_score.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/text.h"
#include "service/match.h"

namespace cx {
namespace {

// The score Search gave a name before any of it was skipped, written from the rules
// (docs/search.md) with the public pieces: the larger of the word-by-word score and the
// whole-name score, the name key being the name's words sorted.
double FullScore(NameKind k, const std::vector<std::string>& query, const std::string& name) {
  const std::vector<std::string> words = MatchWords(k, name);
  const double by_words = WordScore(query, words, true);
  if (query.empty() || words.empty()) return by_words;
  double whole = 0;
  if (JoinSorted(query) == JoinSorted(words)) {
    whole = 1;
  } else {
    int d = KeyTypos(JoinSorted(query), JoinSorted(words));
    if (d < 0 && Joined(query).size() >= 5) d = KeyTypos(Joined(query), Joined(words));
    if (d >= 0) whole = d <= 1 ? kWholeNameOneTypo : kWholeNameTwoTypos;
  }
  return std::max(by_words, whole);
}

// Names made of words that are one or two typos apart, of every length that allows none, one
// or two, with and without accents, numbers, legal suffixes and fillers.
const char* const kWords[] = {
    "Okafor",      "Okafr", "Okafro",  "Okaforo", "Okafar",      "Bola",       "Bolu",
    "Bla",         "Ade",   "Adi",     "Ad",      "Engineering", "Enginering", "Engineeringg",
    "Enginnering", "Foods", "Food",    "Fods",    "Ltd",         "Limited",    "and",
    "the",         "of",    "Nigeria", "Émile",   "Emile",       "Zoë",        "Zoe",
    "12",          "13",    "Branch",  "Brnach",  "Chukwuemeka", "Chukwuemka", "Chukwuemekaa",
    "O",           "Ok",    "Oka",     "Okaf"};

std::string RandomName(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<int> count(1, 4);
  std::string name;
  for (int n = count(rng); n > 0; --n) {
    if (!name.empty()) name += rng() % 9 == 0 ? "  " : " ";
    name += kWords[word(rng)];
  }
  return name;
}

// A query as one types it: a name's words, the last perhaps cut short.
std::vector<std::string> RandomQuery(NameKind k, std::mt19937& rng) {
  std::vector<std::string> words;
  while (words.empty()) words = MatchWords(k, RandomName(rng));
  std::string& last = words.back();
  if (rng() % 3 == 0 && last.size() > 2) last.resize(2 + rng() % (last.size() - 1));
  return words;
}

// Every name scored with every bar: the score is the full one, or -1 only when the full score
// is below the bar. The bars are the scores names take (so that ties at the bar are met) and
// values between them.
TEST(MatchScoreTest, ANameIsSkippedOnlyWhenItsScoreIsBelowTheBar) {
  std::mt19937 rng(21);
  const double bars[] = {-1,   0.25, 0.5,  0.6975, 0.75, 0.8,  0.85, 0.9,
                         0.91, 0.92, 0.93, 0.95,   0.96, 0.99, 1.0};
  int skipped = 0, scored = 0, whole = 0;
  for (int round = 0; round < 4000; ++round) {
    const NameKind k = round % 2 == 0 ? NameKind::kAccount : NameKind::kContact;
    const ScoreQuery q(RandomQuery(k, rng));
    ScoreBuffers buffers;
    for (int n = 0; n < 8; ++n) {
      // Half the names are the query's own words, reordered or with a typo: whole-name matches.
      std::string name = RandomName(rng);
      if (n % 2 == 0) {
        std::vector<std::string> words = q.words;
        std::shuffle(words.begin(), words.end(), rng);
        name = Joined(words);
        // As typed, or with letters changed, dropped or added (two at most: a key of 16
        // letters or more allows two typos); a space dropped or added joins or splits words.
        for (int edits = int(rng() % 3); edits > 0 && name.size() > 3; --edits) {
          const size_t at = 1 + rng() % (name.size() - 2);
          switch (rng() % 4) {
            case 0:
              name[at] = 'x';
              break;
            case 1:
              name.erase(at, 1);
              break;
            case 2:
              name.insert(at, 1, 'y');
              break;
            default:
              name.insert(at, 1, ' ');
              break;
          }
        }
      }
      const std::string key = k == NameKind::kAccount ? CompanyKey(name) : PersonKey(name);
      const double full = FullScore(k, q.words, name);
      whole += full > kWordMatchCap;
      for (double bar : bars) {
        const double got = ScoreName(k, q, name, key, bar, &buffers);
        if (got == -1) {
          ++skipped;
          EXPECT_LT(full, bar) << "query \"" << q.typed << "\", name \"" << name << "\", bar "
                               << bar;
        } else {
          ++scored;
          EXPECT_EQ(got, full) << "query \"" << q.typed << "\", name \"" << name << "\", bar "
                               << bar;
        }
      }
      // A bar of a name's own score never skips it (a tie is ordered by name).
      EXPECT_EQ(ScoreName(k, q, name, key, full, &buffers), full) << q.typed << " / " << name;
    }
  }
  // Every case was met: names skipped, names scored, whole-name matches.
  EXPECT_GT(skipped, 10000);
  EXPECT_GT(scored, 10000);
  EXPECT_GT(whole, 1000);
}

// The bar is the `needed`-th best score added, whatever the order, and none until that many.
TEST(MatchScoreTest, TheBarIsTheLeastOfTheBestScores) {
  std::mt19937 rng(7);
  for (size_t needed : {0, 1, 3, 10}) {
    NameBar bar(needed);
    std::vector<double> all;
    for (int i = 0; i < 200; ++i) {
      const double s = double(rng() % 1000) / 1000;
      all.push_back(s);
      bar.Add(s);
      std::vector<double> sorted = all;
      std::sort(sorted.rbegin(), sorted.rend());
      const double want = needed > 0 && all.size() >= needed ? sorted[needed - 1] : -1;
      ASSERT_EQ(bar.Score(), want) << "needed " << needed << " after " << all.size();
    }
  }
}

}  // namespace
}  // namespace cx
