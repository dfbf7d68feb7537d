// Opening a store by URL: the schemes this build has, and a clear refusal of the others.
#include "store/open/open_store.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

TEST(OpenStoreTest, RejectsUnknownUrls) {
  EXPECT_EQ(OpenStore("").status().code(), Code::kInvalid);
  EXPECT_EQ(OpenStore("sqlite:").status().code(), Code::kInvalid);
  EXPECT_FALSE(OpenStore("sqlite:/nonexistent-dir/sub/x.db").ok());
}

TEST(OpenStoreTest, AServerUrlIsRefusedClearlyByThisBuild) {
  for (const char* url : {"postgresql://hub@localhost/cx", "postgres://localhost/cx"}) {
    auto s = OpenStore(url);
    EXPECT_EQ(s.status().code(), Code::kInvalid) << url;
    EXPECT_NE(s.status().message().find("not supported by this build yet"), std::string::npos)
        << s.status().message();
    EXPECT_EQ(StoreFilePath(url), "") << url;
  }
}

TEST(OpenStoreTest, AFileUrlNamesItsFileAndCompanions) {
  EXPECT_EQ(StoreFilePath("sqlite:/tmp/a.db"), "/tmp/a.db");
  EXPECT_EQ(StoreFilePath("sqlite:///tmp/a.db"), "/tmp/a.db");
  EXPECT_EQ(StoreFilePath("/tmp/a.db"), "/tmp/a.db");
  const auto files = StoreFiles("/tmp/a.db");
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front(), "/tmp/a.db");
}

}  // namespace
}  // namespace cx
