// Tests of the text that leaves the hub: quoted prefixes, CSV formula escapes, terminal text.
#include "base/safe_text.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

TEST(SafeText, QuotePrefixIsShortAndCutAtACharacter) {
  EXPECT_EQ(QuotePrefix("Okafor"), "Okafor");
  const std::string big = std::string(59, 'a') + "é" + std::string(50'000'000, 'b');
  const std::string q = QuotePrefix(big);
  EXPECT_EQ(q, std::string(59, 'a') + "… (50,000,061 bytes)");
  EXPECT_EQ(QuotePrefix("a\x1b[2Jb"), "ab");
}

TEST(SafeText, FormulaCellsAreEscapedOnceAndUndone) {
  for (const char* t : {"=1+1", "+cmd", "-2+3", "@SUM(1)", "\tx", "\rx", "'=x", "''@y"}) {
    const std::string e = CsvCellText(t);
    EXPECT_EQ(e, std::string("'") + t) << t;
    EXPECT_EQ(CsvCellValue(e), t) << t;
  }
  for (const char* t : {"-500", "+1,234.50", "plain", "'quoted", "", "'", "a=b"}) {
    EXPECT_EQ(CsvCellText(t), t) << t;
    EXPECT_EQ(CsvCellValue(t), t) << t;
  }
}

TEST(SafeText, TerminalTextDropsControlsAndEscapes) {
  EXPECT_EQ(TerminalText("Evil\x1b]0;pwned\x07\x1b[2J\x1b[31m Corp\xc2\x9b"
                         "6n\b\b"),
            "Evil Corp6n");
  EXPECT_EQ(TerminalText("line\nnext\ttab\x7f"), "line\nnext\ttab");
  EXPECT_EQ(TerminalText("Zoë ₦ 😀"), "Zoë ₦ 😀");
  EXPECT_EQ(TerminalText("bad \xff byte"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(TerminalText("osc\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "osclink");
}

}  // namespace
}  // namespace cx
