// Test helpers of the journey services: a hub (the store under test) in a temporary directory with
// a settable clock.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "service/account_service.h"
#include "service/config_service.h"
#include "service/context.h"
#include "service/user_service.h"
#include "store/open/open_store.h"
#include "test_store_url.h"

namespace cx::journey_testing {

// A fresh hub (migrated) with the shipped configuration and a clock tests move by hand.
class Hub {
 public:
  Hub() {
    dir_ = std::filesystem::temp_directory_path() /
           ("cxhub-journeys-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = OpenStore(TestStoreUrl(dir_.string()));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    EXPECT_TRUE(store_->Migrate().ok());
    ctx.store = store_.get();
    ctx.now = [this] { return now; };
    auto cfg = LoadConfig("");
    EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
    UseConfig(std::move(cfg).value());
  }
  ~Hub() {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Sets the clock to a wall time in Lagos.
  Timestamp At(const char* text) {
    now = *ParseTime(text, ctx.zone);
    return now;
  }
  // A context acting as `login`.
  Context As(const std::string& login) const {
    Context c = ctx;
    c.actor = login;
    return c;
  }
  void AddUser(const std::string& login, const std::string& role,
               const std::string& division = "") {
    User u;
    u.login = login;
    u.name = login;
    u.role = role;
    u.division = division;
    auto r = cx::AddUser(ctx, u, "");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  std::string AddAccount(const std::string& name, const std::string& division,
                         const std::string& industry = "", const std::string& city = "") {
    Account a;
    a.name = name;
    a.divisions = division;
    a.industry = industry;
    a.city = city;
    auto r = cx::AddAccount(ctx, a, CreateOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : "";
  }
  std::string AddContact(const std::string& name, const std::string& account) {
    Contact c;
    c.full_name = name;
    c.account_id = account;
    auto r = cx::AddContact(ctx, c, CreateOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : "";
  }
  // Number of audit entries: a refusal must leave it unchanged.
  int64_t AuditCount() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      AuditFilter f;
                      f.limit = 1000000;
                      CX_ASSIGN_OR_RETURN(auto all, tx.ListAudit(f));
                      n = int64_t(all.size());
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }
  Store& store() { return *store_; }

  Context ctx;
  Timestamp now = 0;

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace cx::journey_testing
