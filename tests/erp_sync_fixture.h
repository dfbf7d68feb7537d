// The ERP sync tests' fixture: a real SQLite hub in a temp dir with a settable clock, files
// written beside it, and the two small exports most tests start from. Tests only.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <deque>

#include <fcntl.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "service/account_service.h"
#include "service/audit.h"
#include "service/erp_sync.h"
#include "service/interaction_service.h"
#include "service/link_service.h"
#include "service/merge_service.h"
#include "service/user_service.h"
#include "xlsx_test_util.h"

namespace cx::erptest {

namespace fs = std::filesystem;

inline const char* const kHeader =
    "ERP Customer ID,Customer Name,Industry,Division,Phone,Email,Address,City,Status,Last "
    "Modified\n";

class ErpSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cxhub_erp_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "hub.db").string();
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = OpenStore(db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->Migrate().ok());
    ctx_.store = store_.get();
    ctx_.actor = "cli";
    ctx_.now = [this] { return clock_; };
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  // A summary the test does not look at, owned by the fixture.
  ErpSyncSummary* Scratch() { return &scratch_.emplace_back(); }
  std::deque<ErpSyncSummary> scratch_;

  Status Sync(ErpKind kind, const std::string& file, ErpSyncSummary* s, bool full = false,
              bool partial = false, const std::string& map = "", bool dry_run = false) {
    ErpSyncOptions o;
    o.kind = kind;
    o.file = file;
    o.full = full;
    o.partial = partial;
    o.map_file = map;
    o.dry_run = dry_run;
    ++clock_;
    return RunErpSync(ctx_, o, s);
  }
  std::optional<Account> ByErp(const std::string& erp) {
    std::optional<Account> a;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(a, tx.FindAccountByErpId(erp));
                      return Status::Ok();
                    })
                    .ok());
    return a;
  }
  std::optional<Order> OrderById(const std::string& id) {
    std::optional<Order> o;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(o, tx.GetOrder(id));
                      return Status::Ok();
                    })
                    .ok());
    return o;
  }
  std::optional<Account> Get(const std::string& id) {
    std::optional<Account> a;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(a, tx.GetAccount(id));
                      return Status::Ok();
                    })
                    .ok());
    return a;
  }
  // Every account, merged ones too.
  static Result<std::vector<Account>> EveryAccount(Tx& tx) {
    AccountFilter f;
    f.include_merged = true;
    f.limit = -1;
    return tx.ListAccounts(f);
  }
  // Everything a sync may write, as text: accounts, audit, syncs, queue, the given orders.
  std::string Snapshot(const std::vector<std::string>& orders = {}) {
    std::ostringstream out;
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto accounts, EveryAccount(tx));
      for (const auto& a : accounts) {
        for (const auto& [k, v] : FieldsOf(a)) out << k << "=" << v << "|";
        out << a.updated_at << "\n";
      }
      AuditFilter af;
      af.limit = 1 << 30;
      CX_ASSIGN_OR_RETURN(auto audit, tx.ListAudit(af));
      out << "audit " << audit.size() << "\n";
      CX_ASSIGN_OR_RETURN(auto syncs, tx.ListErpSyncs(1000));
      out << "syncs " << syncs.size() << "\n";
      CX_ASSIGN_OR_RETURN(auto queue, tx.ListErpQueue("", 100000));
      for (const auto& q : queue)
        out << q.id << q.kind << q.account_id << q.erp_id << q.status << "\n";
      for (const auto& id : orders) {
        CX_ASSIGN_OR_RETURN(auto o, tx.GetOrder(id));
        if (o)
          out << o->id << o->erp_customer_id << o->date << o->division << o->amount << o->currency
              << "\n";
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out.str();
  }
  int64_t Count() {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Transaction([&](Tx& tx) -> Status {
                      AccountFilter f;
                      f.include_merged = true;
                      CX_ASSIGN_OR_RETURN(n, tx.CountAccounts(f));
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  fs::path dir_;
  std::string db_;
  std::unique_ptr<Store> store_;
  Context ctx_;
  Timestamp clock_ = 1800000000;
};

inline const char* const kTwo =
    "E1,Acme Cement Ltd,Cement,Motors,+2348031234567,info@acme.ng,12 "
    "Marina,Lagos,active,2026-01-05 10:00\n"
    "E2,Beta Foods,Food,Medical,,,,Abuja,active,05/01/2026 11:00\n";

}  // namespace cx::erptest
