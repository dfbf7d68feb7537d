// The fixture of the store contract suite: a fresh, migrated store of the backend under test,
// opened through OpenStore from $CXHUB_TEST_STORE_URL (tests/test_store_url.h; by default a new
// SQLite file per test). Every test here uses the contract only (store/store.h): no SQL, no file.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/open/open_store.h"
#include "store/store.h"
#include "test_store_url.h"

namespace cx::testing {

class StoreContract : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cxhub-contract-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    url_ = TestStoreUrl(dir_);
    Open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // (Re)opens the store under test and brings its schema up to date. A URL this build cannot
  // open fails the test (never a skip).
  void Open() {
    store_.reset();
    auto s = OpenStore(url_);
    ASSERT_TRUE(s.ok()) << "the store under test (" << url_
                        << ") cannot be opened: " << s.status().ToString();
    store_ = std::move(*s);
    Status st = store_->Migrate();
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  // Runs `fn` in a transaction and fails the test on error.
  template <typename F>
  void InTx(F fn) {
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      fn(tx);
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::string dir_, url_;
  std::unique_ptr<Store> store_;
};

inline Account MakeAccount(const std::string& id, const std::string& name) {
  Account a;
  a.id = id;
  a.name = name;
  a.created_at = a.updated_at = 1;
  return a;
}

inline Contact MakeContact(const std::string& id, const std::string& name,
                           const std::string& account_id) {
  Contact c;
  c.id = id;
  c.full_name = name;
  c.account_id = account_id;
  c.created_at = c.updated_at = 1;
  return c;
}

}  // namespace cx::testing
