// Tests for name folding, matching keys and edit distance.
#include "base/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cx {
namespace {

TEST(TextTest, FoldingIgnoresCaseAccentsPunctuationAndSpacing) {
  EXPECT_EQ(FoldText("  Société   Générale, Ltd. "), "societe generale ltd");
  EXPECT_EQ(FoldText("OKAFOR-&-SONS"), "okafor and sons");
  EXPECT_EQ(FoldText("O'Brien"), "obrien");
  EXPECT_EQ(FoldText("Ọ̀ṣun Ìlú"), "osun ilu");  // Yoruba tone marks
  EXPECT_EQ(FoldText("ＡＢＣ"), "abc");         // full-width letters
}

TEST(TextTest, CompanyKeyDropsLegalSuffixesAndWordOrder) {
  std::string k = CompanyKey("Okafor & Sons Nig. Ltd");
  EXPECT_EQ(k, "okafor sons");
  EXPECT_EQ(CompanyKey("Okafor Sons"), k);
  EXPECT_EQ(CompanyKey("okafor and sons limited"), k);
  EXPECT_EQ(CompanyKey("Sons & Okafor Nigeria Limited"), k);
  EXPECT_EQ(CompanyKey("OKAFOR AND SONS PLC"), k);
  EXPECT_EQ(CompanyKey("Nigeria Breweries Plc"),
            "breweries nigeria");               // only a trailing "Nigeria Limited" is a suffix
  EXPECT_EQ(CompanyKey("Limited"), "limited");  // never empty for a one-word name
}

TEST(TextTest, PhoneKeyUnifiesNigerianPrefixes) {
  EXPECT_EQ(PhoneKey("+234 803 123 4567"), "08031234567");
  EXPECT_EQ(PhoneKey("0803-123-4567"), "08031234567");
  EXPECT_EQ(PhoneKey("234 (0) 803 123 4567"), "08031234567");
  EXPECT_EQ(PhoneKey("803 123 4567"), "08031234567");
  EXPECT_EQ(PhoneKey("12345"), "");
  EXPECT_EQ(EmailKey("  Ada.Obi@Example.COM "), "ada.obi@example.com");
  EXPECT_EQ(EmailKey("not an email"), "");
  EXPECT_EQ(EmailKey("a@b@c"), "");
  for (const char* bad :
       {"Info @Dangote.com", "a b@x.com", "Ade Bola <ade@bola.com>", "<a@x.com>", "ade@x..com",
        "ade@x.com.", ".ade@x.com", "ade.@x.com", "ade@.x.com", "ade@localhost", "a@x.com; b@x.com",
        "\"ade\"@x.com", "ade@-x.com", "ade@x-.com", "ade@x.com-"}) {
    EXPECT_EQ(EmailKey(bad), "") << bad;
  }
  EXPECT_EQ(EmailKey("SALES@GAMMA.NG "), "sales@gamma.ng");
  EXPECT_EQ(EmailKey("o'brien+orders@mail.co.uk"), "o'brien+orders@mail.co.uk");
  // A cell with two numbers or an extension: the first number is the key.
  EXPECT_EQ(PhoneKey("0803 123 4567 / 0805 123 4567"), "08031234567");
  EXPECT_EQ(PhoneKey("0803 123 4567 ext 2"), "08031234567");
  EXPECT_EQ(PhoneKey("Tel: +234 803 123 4567"), "08031234567");
  EXPECT_EQ(PhoneKey("08031234567, 08051234567"), "08031234567");
}

// Within one typo the distance is found without the table (OsaWithinOne): the same answers as
// the table gives, over every pair of short words of a few letters (swaps, repeats, prefixes).
TEST(TextTest, EditDistanceWithinOneIsTheTablesAnswer) {
  std::vector<std::string> words = {""};
  for (size_t len = 1; len <= 5; ++len) {
    std::vector<std::string> longer;
    for (const auto& w : words)
      if (w.size() == len - 1)
        for (char c : std::string("abc")) longer.push_back(w + c);
    words.insert(words.end(), longer.begin(), longer.end());
  }
  words.push_back(
      "\xC3\xA9"
      "ab");  // code points, not bytes
  words.push_back(
      "e\xC3\xA9"
      "b");
  for (const auto& a : words) {
    for (const auto& b : words) {
      const int full = EditDistance(a, b, 8);
      ASSERT_EQ(EditDistance(a, b, 1), std::min(full, 2)) << a << " / " << b;
    }
  }
}

TEST(TextTest, EditDistanceCountsCodePointsAndSwaps) {
  EXPECT_EQ(EditDistance("okafor", "okafro"), 1);  // adjacent swap
  EXPECT_EQ(EditDistance("okafor", "okfor"), 1);
  EXPECT_EQ(EditDistance("é", "e"), 1);               // one code point, two bytes
  EXPECT_EQ(EditDistance("abcdef", "uvwxyz", 2), 3);  // stops early past max
  EXPECT_DOUBLE_EQ(Similarity("abcd", "abcd"), 1.0);
  // ASCII is compared byte by byte, other text code point by code point: the same counts.
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("kïtten", "sïttïng"), 3);
  EXPECT_EQ(EditDistance("Müller", "Mueller"), 2);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("adebayo", "adebayo"), 0);
  // With a bound, the distance is the same up to the bound, and bound + 1 past it.
  const char* words[] = {"adebayo",        "adebyao", "adeabyo",     "okafor",     "okaforr",
                         "kofi",           "",        "chukwuemeka", "chukwemeka", "emeka",
                         "mama",           "amam",    "abcdefgh",    "hgfedcba",   "adebayo okafor",
                         "okafor adebayo", "ade",     "ëdebayo"};
  for (const char* x : words) {
    for (const char* y : words) {
      const int full = EditDistance(x, y);
      for (int bound = 0; bound <= 4; ++bound)
        EXPECT_EQ(EditDistance(x, y, bound), std::min(full, bound + 1)) << x << " / " << y;
    }
  }
  // A long pair after a short one: the working rows grow as needed.
  EXPECT_EQ(EditDistance(std::string(300, 'a'), std::string(299, 'a') + "b"), 1);
}

TEST(TextTest, DeletionVariantsShareAKeyWithinOneTypo) {
  auto a = DeletionVariants("engineering");
  auto b = DeletionVariants("enginering");
  bool shared = false;
  for (const auto& x : a) {
    for (const auto& y : b) shared = shared || x == y;
  }
  EXPECT_TRUE(shared);
  EXPECT_EQ(DeletionVariants("abc").size(), 1u);  // short words match only exactly
  // Numbers match only exactly: one digit more or less is another branch or site.
  EXPECT_EQ(DeletionVariants("12345"), std::vector<std::string>{"12345"});
  EXPECT_GT(DeletionVariants("a2345").size(), 1u);
}

}  // namespace
}  // namespace cx
