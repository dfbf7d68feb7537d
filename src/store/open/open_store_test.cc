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

TEST(OpenStoreTest, AServerUrlGoesToPostgresAndNamesAServerItCannotReach) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  for (const char* url :
       {"postgresql://hub@127.0.0.1:1/cx?connect_timeout=2", "postgres://127.0.0.1:1/cx"}) {
    auto s = OpenStore(url);
    EXPECT_EQ(s.status().code(), Code::kInternal) << url;
    EXPECT_NE(s.status().message().find("cannot connect to the PostgreSQL hub 127.0.0.1:1/cx"),
              std::string::npos)
        << s.status().message();
    EXPECT_EQ(StoreFilePath(url), "") << url;
  }
}

TEST(OpenStoreTest, MessagesLeaveAServerPasswordOut) {
  EXPECT_EQ(RedactedStoreUrl("postgresql://hub:s3cret@db.example:5432/cx"),
            "postgresql://hub:***@db.example:5432/cx");
  EXPECT_EQ(RedactedStoreUrl("postgresql://hub@db.example:5432/cx"),
            "postgresql://hub@db.example:5432/cx");
  EXPECT_EQ(RedactedStoreUrl("postgres://db.example/cx"), "postgres://db.example/cx");
  EXPECT_EQ(RedactedStoreUrl("sqlite:/tmp/a:b@c.db"), "sqlite:/tmp/a:b@c.db");
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
