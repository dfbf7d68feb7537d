// Tests of the CSV reader on real files in every supported encoding and delimiter.
#include "io/csv/csv_reader.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace cx {
namespace {

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cxhub_csv_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  static std::vector<CsvRecord> ReadAll(CsvReader& r) {
    std::vector<CsvRecord> out;
    CsvRecord rec;
    while (true) {
      auto more = r.Next(&rec);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      out.push_back(rec);
    }
    return out;
  }
  // Reads the two-line "ID,Name / E1,Zoë" file in UTF-16 (with or without its byte-order mark).
  void ExpectZoeInUtf16(bool le, bool bom);
  std::filesystem::path dir_;
};

// "Zoë" encoded as UTF-16 code units.
std::string Utf16(const std::u16string& s, bool le) {
  std::string out = le ? std::string("\xFF\xFE", 2) : std::string("\xFE\xFF", 2);
  for (char16_t c : s) {
    char lo = char(c & 0xFF), hi = char(c >> 8);
    out += le ? std::string{lo, hi} : std::string{hi, lo};
  }
  return out;
}

TEST_F(CsvReaderTest, Utf8WithoutBomAndComma) {
  auto r = CsvReader::Open(Write("a.csv", "ID,Name\nE1,Zo\xC3\xAB Ltd\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->encoding(), "utf-8");
  EXPECT_EQ((*r)->delimiter(), ',');
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"E1", "Zo\xC3\xAB Ltd"}));
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ((*r)->sha256().size(), 64u);
}

TEST_F(CsvReaderTest, Utf8BomAndSemicolon) {
  auto r = CsvReader::Open(Write("a.csv", "\xEF\xBB\xBFID;Name;Amount\r\nE1;\"A, B; C\";1,5\r\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->encoding(), "utf-8-bom");
  EXPECT_EQ((*r)->delimiter(), ';');
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields[0], "ID");  // the BOM is not part of the first header
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"E1", "A, B; C", "1,5"}));
}

TEST_F(CsvReaderTest, Windows1252) {
  // 0xE9 = é, 0x80 = € in Windows-1252; not valid UTF-8.
  auto r = CsvReader::Open(Write("a.csv", "ID;Name\nE1;Soci\xE9t\xE9 \x80 SA\n"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->encoding(), "windows-1252");
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[1].fields[1], "Soci\xC3\xA9t\xC3\xA9 \xE2\x82\xAC SA");
}

void CsvReaderTest::ExpectZoeInUtf16(bool le, bool bom) {
  std::string bytes = Utf16(u"ID,Name\r\nE1,Zo\u00EB\r\n", le);
  if (!bom) bytes = bytes.substr(2);
  auto r = CsvReader::Open(Write(le ? "le.csv" : "be.csv", bytes));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->encoding(), le ? "utf-16le" : "utf-16be");
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"ID", "Name"}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"E1", "Zo\xC3\xAB"}));
}

TEST_F(CsvReaderTest, Utf16LittleAndBigEndian) {
  for (bool le : {true, false}) ExpectZoeInUtf16(le, /*bom=*/true);
}

// Some tools write UTF-16 without a byte-order mark: the NUL bytes of ASCII text tell the order.
TEST_F(CsvReaderTest, Utf16WithoutByteOrderMark) {
  for (bool le : {true, false}) ExpectZoeInUtf16(le, /*bom=*/false);
}

TEST_F(CsvReaderTest, QuotedLineBreaksReportTheStartLine) {
  auto r = CsvReader::Open(
      Write("a.csv", "ID,Address\nE1,\"12 Road\r\nIkeja\nLagos\"\n\nE2,\"say \"\"hi\"\"\"\n"));
  ASSERT_TRUE(r.ok());
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].fields[1], "12 Road\r\nIkeja\nLagos");
  EXPECT_EQ(recs[2].line, 6);  // after the three-line record and a blank line
  EXPECT_EQ(recs[2].fields[1], "say \"hi\"");
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesTheLine) {
  auto r = CsvReader::Open(Write("a.csv", "ID,Name\nE1,ok\nE2,\"never closed\nE3,x\n"));
  ASSERT_TRUE(r.ok());
  CsvRecord rec;
  ASSERT_TRUE((*r)->Next(&rec).ok());
  ASSERT_TRUE((*r)->Next(&rec).ok());
  auto bad = (*r)->Next(&rec);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("not closed"), std::string::npos);
}

TEST_F(CsvReaderTest, BytesNeitherUtf8NorWindows1252NameTheLine) {
  // 0x81 is undefined in Windows-1252 and invalid in UTF-8.
  // The refusal comes from Open() (the first chunk is converted to find the delimiter).
  auto r = CsvReader::Open(Write("a.csv", "ID,Name\nE1,ok\nE2,bad \x81 byte\n"));
  Status st = r.status();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("0x81"), std::string::npos) << st.message();
}

TEST_F(CsvReaderTest, AFileMixingUtf8AndWindows1252IsRefusedNamingBothLines) {
  // Line 2 in UTF-8 (Société), line 3 in Windows-1252 (Café): read either way, one is garbled.
  auto r = CsvReader::Open(Write(
      "mixed.csv", "ID,Name\nE1,Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale\nE2,Caf\xE9 Ltd\n"));
  Status st = r.status();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 3: byte 0xE9 is not UTF-8, yet line 2 holds UTF-8 text"),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("mixes encodings"), std::string::npos) << st.message();
  // The other way round too: Windows-1252 first, UTF-8 (Naïve) further on.
  auto later =
      CsvReader::Open(Write("later.csv", "ID,Name\nE1,Caf\xE9 Ltd\nE2,x\nE3,Na\xC3\xAFve Ltd\n"));
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.status().message().find("line 2: byte 0xE9 is not UTF-8, yet line 4 holds"),
            std::string::npos)
      << later.status().message();
  // Windows-1252 alone is still read as such, even where two of its bytes happen to form a
  // UTF-8 character no Latin text holds (É and a no-break space: U+0260).
  auto w = CsvReader::Open(Write("w.csv", "ID,Name\nE1,CAF\xC9\xA0LTD\nE2,Caf\xE9 Ltd\n"));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ((*w)->encoding(), "windows-1252");
  auto recs = ReadAll(**w);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].fields[1], "CAF\xC3\x89\xC2\xA0LTD");
}

TEST_F(CsvReaderTest, EmptyFileIsRefused) {
  auto r = CsvReader::Open(Write("a.csv", ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);
}

TEST_F(CsvReaderTest, CsvLineQuotesWhatNeedsIt) {
  EXPECT_EQ(CsvLine({"a", "b,c", "say \"x\"", "l1\nl2"}),
            "a,\"b,c\",\"say \"\"x\"\"\",\"l1\nl2\"\r\n");
}

TEST_F(CsvReaderTest, ChunkBoundariesDoNotMatter) {
  // Larger than one 1 MiB chunk, in UTF-16 (2 bytes per unit) and Windows-1252.
  std::u16string text = u"ID,Name\n";
  std::string cp = "ID,Name\n";
  for (int i = 0; i < 60000; ++i) {
    std::string n = std::to_string(i);
    text += u"E" + std::u16string(n.begin(), n.end()) + u",\"Soci\u00E9t\u00E9\nX\"\n";
    cp += "E" + std::to_string(i) + ",\"Soci\xE9t\xE9\nX\"\n";
  }
  for (auto [name, bytes] :
       {std::pair<std::string, std::string>{"u16.csv", Utf16(text, true)}, {"cp.csv", cp}}) {
    auto r = CsvReader::Open(Write(name, bytes));
    ASSERT_TRUE(r.ok());
    auto recs = ReadAll(**r);
    ASSERT_EQ(recs.size(), 60001u) << name;
    EXPECT_EQ(recs.back().fields[1], "Soci\xC3\xA9t\xC3\xA9\nX");
    EXPECT_EQ(recs.back().line, 2 + 2 * 59999);
  }
}

TEST_F(CsvReaderTest, Utf8AcrossChunksTheLineOfABadByteAndTheHash) {
  // Every position of a two- and a three-byte character around the first 1 MiB chunk's end.
  const size_t chunk = size_t(1) << 20;
  for (size_t shift = 0; shift < 4; ++shift) {
    std::string bytes = "ID,Name\n";
    int lines = 1;
    while (bytes.size() < chunk - 40) {
      bytes += "E" + std::to_string(lines) + ",Plain Name Ltd\n";
      ++lines;
    }
    bytes += "E0,";
    bytes += std::string(chunk - bytes.size() - 2 + shift, 'x');
    bytes += "\xC3\xA9\xE2\x82\xA6 Ltd\n";  // é ₦ across the end of the chunk
    ++lines;
    for (int i = 0; i < 40000; ++i) bytes += "E" + std::to_string(i) + ",Soci\xC3\xA9t\xC3\xA9\n";
    auto r = CsvReader::Open(Write("u" + std::to_string(shift) + ".csv", bytes));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ((*r)->encoding(), "utf-8") << shift;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    std::string hex;
    for (unsigned char c : digest)
      hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
    EXPECT_EQ((*r)->sha256(), hex);
    auto recs = ReadAll(**r);
    ASSERT_EQ(recs.size(), size_t(lines) + 40000u);
    EXPECT_EQ(
        recs[size_t(lines) - 1].fields[1].substr(recs[size_t(lines) - 1].fields[1].size() - 9),
        "\xC3\xA9\xE2\x82\xA6 Ltd");

    // A byte that is not UTF-8 two chunks on is named by its line (and the file is read as
    // Windows-1252 when nothing before it is UTF-8 text).
    std::string late = bytes.substr(0, chunk - 100) + "\n";
    int late_lines = 1 + int(std::count(late.begin(), late.end(), '\n'));
    for (int i = 0; late.size() < 2 * chunk + 10; ++i, ++late_lines)
      late += "E" + std::to_string(i) + ",x\n";
    late += "E9,Caf\xE9\n";
    auto w = CsvReader::Open(Write("late.csv", late));
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ((*w)->encoding(), "windows-1252");
    auto bom = CsvReader::Open(Write("bom.csv", "\xEF\xBB\xBF" + late));
    ASSERT_FALSE(bom.ok());
    EXPECT_NE(bom.status().message().find("line " + std::to_string(late_lines) + ":"),
              std::string::npos)
        << bom.status().message();
  }
}

TEST_F(CsvReaderTest, OneRecordReusedForRecordsOfEveryWidth) {
  // The caller's record is refilled in place: nothing of a longer record before may remain.
  auto r = CsvReader::Open(Write(
      "w.csv", "a,b,c,d\n\nx\n\"a long quoted field, with a comma\",y\n,,\nlast one here,z,q\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  CsvRecord rec;
  std::vector<std::pair<int64_t, std::vector<std::string>>> got;
  while (true) {
    auto more = (*r)->Next(&rec);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    got.push_back({rec.line, rec.fields});
  }
  const std::vector<std::pair<int64_t, std::vector<std::string>>> want = {
      {1, {"a", "b", "c", "d"}},
      {3, {"x"}},
      {4, {"a long quoted field, with a comma", "y"}},
      {5, {"", "", ""}},
      {6, {"last one here", "z", "q"}}};
  EXPECT_EQ(got, want);
  EXPECT_TRUE(rec.fields.empty());  // at the end
}

}  // namespace
}  // namespace cx

namespace cx {
namespace {

// A field past the cap is cut (at a character) and named with its whole size; the records
// after it read as usual, and the line numbers stay physical.
TEST_F(CsvReaderTest, AFieldPastTheCapIsCutAndNamedNotBuffered) {
  const std::string big(3 * kCsvMaxFieldBytes, 'Z');
  const std::string quoted = std::string(kCsvMaxFieldBytes, 'q') + "\n" + "é";
  auto r = CsvReader::Open(
      Write("big.csv", "ID,Name\nE1," + big + "\nE2,\"" + quoted + "\"\nE3,Fine\n"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 4u);
  ASSERT_EQ(recs[1].overlong.size(), 1u);
  EXPECT_EQ(recs[1].overlong[0].field, 1u);
  EXPECT_EQ(recs[1].overlong[0].bytes, int64_t(big.size()));
  EXPECT_EQ(recs[1].fields[1].size(), kCsvMaxFieldBytes);
  ASSERT_EQ(recs[2].overlong.size(), 1u);
  EXPECT_EQ(recs[2].line, 3);
  EXPECT_LE(recs[2].fields[1].size(), kCsvMaxFieldBytes);
  EXPECT_TRUE(recs[3].overlong.empty());
  EXPECT_EQ(recs[3].line, 5);
  EXPECT_EQ(recs[3].fields[1], "Fine");
}

TEST_F(CsvReaderTest, TooManyFieldsRefuseTheFileNamingTheLine) {
  auto r = CsvReader::Open(Write("wide.csv", "A,B\n" + std::string(kCsvMaxFields + 5, ',') + "\n"));
  ASSERT_TRUE(r.ok());
  CsvRecord rec;
  ASSERT_TRUE((*r)->Next(&rec).ok());
  auto more = (*r)->Next(&rec);
  ASSERT_FALSE(more.ok());
  EXPECT_NE(more.status().message().find("line 2: the record has more than 16384 fields"),
            std::string::npos)
      << more.status().message();
}

// What CsvLine writes reads back as it was, formula-looking cells included, and a
// spreadsheet opening the file sees them as text.
TEST_F(CsvReaderTest, CsvLineEscapesFormulasAndTheReaderUndoesIt) {
  const std::vector<std::string> row = {"=1+1",     "-500",  "@SUM(A1)", "'=kept",
                                        "+234 803", "plain", "-"};
  const std::string line = CsvLine(row);
  EXPECT_EQ(line, "'=1+1,-500,'@SUM(A1),''=kept,'+234 803,plain,'-\r\n");
  auto r = CsvReader::Open(Write("round.csv", line));
  ASSERT_TRUE(r.ok());
  auto recs = ReadAll(**r);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, row);
}

}  // namespace
}  // namespace cx
