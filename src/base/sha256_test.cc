// SHA-256 against the standard's test vectors, in one piece and in pieces, and of a file.
#include "base/sha256.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cx {
namespace {

std::string Hash(const std::string& s, size_t piece) {
  Sha256 sha;
  for (size_t at = 0; at < s.size(); at += piece)
    sha.Update(s.data() + at, std::min(piece, s.size() - at));
  auto hex = sha.HexDigest();
  EXPECT_TRUE(hex.ok()) << hex.status().ToString();
  return hex.ok() ? *hex : "";
}

TEST(Sha256Test, StandardVectorsWholeAndInPieces) {
  EXPECT_EQ(Hash("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t piece : {size_t(1), size_t(7), two_blocks.size()}) {
    EXPECT_EQ(Hash(two_blocks, piece),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  EXPECT_EQ(Hash(std::string(1000000, 'a'), 4096),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, FileAndMissingFile) {
  const auto path =
      std::filesystem::temp_directory_path() / ("cxhub_sha_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path, std::ios::binary) << std::string(3 << 20, 'a');
  auto hex = FileSha256(path.string());
  ASSERT_TRUE(hex.ok()) << hex.status().ToString();
  EXPECT_EQ(*hex, Hash(std::string(3 << 20, 'a'), 1 << 16));
  std::filesystem::remove(path);
  auto missing = FileSha256(path.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(path.string()), std::string::npos);
}

}  // namespace
}  // namespace cx
