// Test fixture: one SQLite hub file in a fresh temporary folder, two stores on it (two
// connections of one process, as a server's readers are) and the hub's cache of match keys
// that they share (src/store/sqlite/match_key_cache.h), found as the stores find it.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "store/sqlite/match_key_cache.h"
#include "store/sqlite/sqlite_store.h"

namespace cx::testing {

class TwoStoresTest : public ::testing::Test {
 protected:
  // Runs before the stores open (a statement counter must exist before the connections it
  // counts).
  virtual void BeforeOpen() {}

  void SetUp() override {
    BeforeOpen();
    char tmpl[] = "/tmp/cxhub-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/hub.db";
    a_ = Open();
    ASSERT_TRUE(a_->Migrate().ok());
    b_ = Open();
    // The cache is named by SQLite's name of the file, as the stores name it.
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &h), SQLITE_OK);
    cache_ = sqlite::MatchKeyCache::ForFile(sqlite3_db_filename(h, "main"));
    sqlite3_close(h);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> Open() {
    auto s = OpenSqliteStore(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  // Runs `fn` in a write transaction of `s`, which must commit.
  void Write(Store* s, const std::function<void(Tx&)>& fn) {
    Status st = s->Transaction([&](Tx& tx) -> Status {
      fn(tx);
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::string dir_, path_;
  std::unique_ptr<Store> a_, b_;
  std::shared_ptr<sqlite::MatchKeyCache> cache_;
};

}  // namespace cx::testing
