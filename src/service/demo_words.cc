// The demo's names (service/demo_words.h).
#include "service/demo_words.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <unordered_set>

#include "base/text.h"

namespace cx::demo {

const std::array<const char*, 20> kSectors = {
    "Motors", "Engineering", "Logistics", "Foods",   "Pharmacy", "Hospital", "Construction",
    "Energy", "Industries",  "Farms",     "Hotels",  "Textiles", "Plastics", "Steel",
    "Agro",   "Petroleum",   "Telecoms",  "Estates", "Ventures", "Holdings"};

namespace {

// Real Nigerian surnames and place names, then syllable-built names; every word kept
// is at least three edits from every other, so that two generated companies never
// look like typos of each other (only planted duplicates do).
const std::array<const char*, 60> kRealWords = {
    "Adeyemi",  "Okonkwo", "Balogun", "Chukwu",   "Ibrahim",  "Nwosu",    "Olawale",  "Eze",
    "Bello",    "Okafor",  "Adebayo", "Onyeka",   "Danjuma",  "Ogunleye", "Abubakar", "Igwe",
    "Lagos",    "Ikeja",   "Abuja",   "Kano",     "Enugu",    "Ibadan",   "Calabar",  "Jos",
    "Benin",    "Warri",   "Sokoto",  "Zaria",    "Owerri",   "Akure",    "Lekki",    "Apapa",
    "Yaba",     "Niger",   "Delta",   "Savannah", "Atlantic", "Crescent", "Heritage", "Pinnacle",
    "Sterling", "Zenith",  "Unity",   "Horizon",  "Meridian", "Summit",   "Harmony",  "Liberty",
    "Beacon",   "Coral",   "Emerald", "Falcon",   "Granite",  "Ivory",    "Jasper",   "Kestrel",
    "Lotus",    "Monarch", "Nova",    "Orchid"};
const std::array<const char*, 24> kSyllables = {
    "ba", "de", "fo", "gu",  "ka",  "le",  "mo",  "nu",  "pe",  "ri",  "sa",  "to",
    "wu", "ya", "ze", "chi", "ola", "emi", "obi", "ade", "tun", "kan", "gbe", "nna"};

std::string Capitalise(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

// Whether two short ASCII words are within two edits (restricted Damerau-Levenshtein).
bool WithinTwoEdits(const std::string& a, const std::string& b) {
  if (a.size() > b.size() + 2 || b.size() > a.size() + 2 || a.size() > 30 || b.size() > 30)
    return false;
  int d[32][32];
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = int(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = int(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()] <= 2;
}

}  // namespace

// The word list: real words plus syllable words, each ≥3 edits from all others.
std::vector<std::string> WordList(Gen& g, size_t want) {
  std::vector<std::string> words;
  std::vector<std::string> lower;
  for (const char* s : kSectors) lower.push_back(AsciiLower(s));
  auto take = [&](const std::string& w) {
    std::string lw = AsciiLower(w);
    for (const auto& x : lower) {
      if (WithinTwoEdits(lw, x)) return;
    }
    lower.push_back(lw);
    words.push_back(w);
  };
  for (const char* w : kRealWords) take(w);
  for (int tries = 0; words.size() < want && tries < 20000; ++tries) {
    std::string w;
    int n = int(g.Int(2, 3));
    for (int i = 0; i < n; ++i) w += g.Pick(kSyllables);
    take(Capitalise(w));
  }
  return words;
}

// A planted duplicate's name: the same company written differently.
std::string Variant(Gen& g, const std::string& name, const std::string& base,
                    const std::string& sector, int kind) {
  switch (kind) {
    case 0: {  // case and punctuation
      std::string up = name;
      for (char& c : up) c = char(std::toupper(static_cast<unsigned char>(c)));
      return up + ".";
    }
    case 1:  // another legal suffix
      return base + " " + sector +
             (name.find("Limited") != std::string::npos ? " Ltd" : " Nigeria Limited");
    case 2: {  // word order
      size_t sp = base.find(' ');
      if (sp == std::string::npos) return sector + " " + base;
      return base.substr(sp + 1) + " " + base.substr(0, sp) + " " + sector;
    }
    case 3: {  // a typo: swap two letters in the longest word
      std::string out = name;
      size_t pos = size_t(g.Int(1, std::max<int64_t>(1, int64_t(base.size()) - 3)));
      if (pos + 1 < out.size() && out[pos] != ' ' && out[pos + 1] != ' ')
        std::swap(out[pos], out[pos + 1]);
      else
        out.insert(pos, 1, out[pos]);
      return out;
    }
    case 4: {  // an accent and extra spaces (inside: an import trims the outer ones, so a name
               // stored with them would come back from its own export as a change)
      std::string out = name;
      size_t space = out.find(' ');
      if (space != std::string::npos) out.insert(space, "  ");
      size_t e = out.find('e');
      if (e != std::string::npos) out.replace(e, 1, "\xC3\xA9");
      return out;
    }
    default:  // a dropped letter
    {
      std::string out = name;
      size_t pos = size_t(g.Int(2, std::max<int64_t>(2, int64_t(base.size()) - 2)));
      if (pos < out.size() && out[pos] != ' ') out.erase(pos, 1);
      return out;
    }
  }
}

std::string Phone(int64_t n) {
  // +234 80X: unique per index.
  char buf[32];
  std::snprintf(buf, sizeof buf, "+234 8%02lld %03lld %04lld", (long long)(n / 10000000 % 30 + 2),
                (long long)(n / 10000 % 1000), (long long)(n % 10000));
  return buf;
}

std::string Slug(const std::string& s) {
  std::string out;
  for (char c : FoldText(s)) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

}  // namespace cx::demo
