// The demo's names: a generator seeded for repeatable data, a word list whose words never look
// like typos of each other, planted duplicates' variants, phone numbers and e-mail slugs.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace cx::demo {

// The sectors a demo company is in ("Motors", "Logistics", …); no word of WordList looks like one.
extern const std::array<const char*, 20> kSectors;

// A seeded random source: the same seed gives the same demo hub.
class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  int64_t Int(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool Chance(double p) { return Real(0, 1) < p; }
  template <typename A>
  const char* Pick(const A& arr) {
    return arr[size_t(Int(0, int64_t(arr.size()) - 1))];
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// `want` words (fewer only if the syllables run out): real Nigerian surnames and place names,
// then syllable-built words, each at least three edits from every other, so that two generated
// companies never look like typos of each other (only planted duplicates do).
std::vector<std::string> WordList(Gen& g, size_t want);

// A planted duplicate's name: company `name` (`base` plus `sector`) written differently; `kind`
// 0-5 picks the difference (case and punctuation, legal suffix, word order, a swapped letter,
// an accent and spaces, a dropped letter).
std::string Variant(Gen& g, const std::string& name, const std::string& base,
                    const std::string& sector, int kind);

// A Nigerian mobile number unique per `n`.
std::string Phone(int64_t n);

// `s` folded and without spaces: the local part of a demo e-mail address.
std::string Slug(const std::string& s);

}  // namespace cx::demo
