// Test fixture: a real hub (the store under test, tests/test_store_url.h) in a fresh temporary
// directory, with a settable clock.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "service/context.h"
#include "store/open/open_store.h"
#include "store/store.h"
#include "test_store_url.h"

namespace cx::testing {

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cxhub-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto s = OpenStore(TestStoreUrl(dir_));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
    ctx_.store = store_.get();
    ctx_.actor = "cli";
    ctx_.now = [this] { return now_; };
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
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
  // Number of audit entries (to check that a refusal wrote nothing).
  int64_t AuditCount() {
    int64_t n = 0;
    InTx([&](Tx& tx) {
      auto r = tx.ListAudit(AuditFilter{"", "", "", "", 1000000, true});
      ASSERT_TRUE(r.ok());
      n = int64_t(r->size());
    });
    return n;
  }
  // Local wall-clock time in the hub's zone.
  Timestamp At(const std::string& text) {
    auto t = ParseTime(text, ctx_.zone);
    EXPECT_TRUE(t.ok()) << text;
    return t.ok() ? *t : 0;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  Context ctx_;
  Timestamp now_ = 1775206800;  // 2026-04-03T10:00:00 Africa/Lagos
};

}  // namespace cx::testing
