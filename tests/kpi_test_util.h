// Test helpers for the KPI and review tests: a fresh hub in a temp dir and terse record builders.
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

namespace cx::kpitest {

// A migrated hub (the store under test) in its own temp directory, removed at the end.
class Hub {
 public:
  Hub() {
    char tmpl[] = "/tmp/cxhub_kpi_XXXXXX";
    const char* d = mkdtemp(tmpl);
    EXPECT_NE(d, nullptr);
    dir_ = d ? d : "/tmp";
    auto s = OpenStore(TestStoreUrl(dir_));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    Status st = store_->Migrate();
    EXPECT_TRUE(st.ok()) << st.ToString();
    ctx.store = store_.get();
    ctx.now = [] { return Timestamp(1790000000); };  // 2026-09-21, after every fact of the tests
  }
  // The same builders over a store the caller owns and has migrated (the store contract suite's
  // fixture): no directory of its own.
  explicit Hub(Store* store) {
    ctx.store = store;
    ctx.now = [] { return Timestamp(1790000000); };
  }
  ~Hub() {
    store_.reset();
    if (dir_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::string& dir() const { return dir_; }

  // Local wall-clock time in the hub's zone.
  Timestamp L(int y, int m, int d, int h = 0, int mi = 0) const {
    return ctx.zone.ToUtc(Date{y, m, d}, h * 3600 + mi * 60);
  }

  // Runs `fn` in one transaction and expects success.
  void Write(const std::function<Status(Tx&)>& fn) {
    Status st = ctx.store->Transaction(fn);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  void Account(Tx& tx, const std::string& id, const std::string& erp = "") {
    cx::Account a;
    a.id = id;
    a.name = "Company " + id;
    a.erp_customer_id = erp;
    a.created_at = a.updated_at = 1;
    Status st = tx.InsertAccount(a);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Contact(Tx& tx, const std::string& id, const std::string& account) {
    cx::Contact c;
    c.id = id;
    c.full_name = "Person " + id;
    c.account_id = account;
    c.created_at = c.updated_at = 1;
    Status st = tx.InsertContact(c);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Opp(Tx& tx, const std::string& id, const std::string& division, Timestamp created,
           const std::string& owner = "", const std::string& outcome = "open",
           std::optional<Timestamp> closed = std::nullopt) {
    Opportunity o;
    o.id = id;
    o.account_id = "A-1";
    o.division = division;
    o.owner = owner;
    o.created = created;
    o.outcome = outcome;
    o.closed = closed;
    Status st = tx.InsertOpportunity(o);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Stage(Tx& tx, const std::string& opp, const std::string& stage, Timestamp at) {
    Status st = tx.AddStage(StageEntry{opp, stage, at, ""});
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void Interact(Tx& tx, const std::string& id, Timestamp at, const std::string& by,
                const std::string& opp = "", const std::string& kase = "",
                const std::string& contact = "C-1", const std::string& division = "") {
    Interaction i;
    i.id = id;
    i.at = at;
    i.contact_id = contact;
    i.channel = "phone";
    i.logged_by = by;
    i.opportunity_id = opp;
    i.case_id = kase;
    i.division = division;
    i.created_at = at;
    Status st = tx.InsertInteraction(i);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void CaseRow(Tx& tx, const std::string& id, const std::string& division, const std::string& kind,
               Timestamp opened, std::optional<Timestamp> closed = std::nullopt,
               std::optional<Timestamp> confirmed = std::nullopt,
               const std::string& account = "A-1") {
    cx::Case c;
    c.id = id;
    c.account_id = account;
    c.division = division;
    c.kind = kind;
    c.opened = opened;
    c.closed = closed;
    c.resolution_confirmed = confirmed;
    Status st = tx.InsertCase(c);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void OrderRow(Tx& tx, const std::string& id, const std::string& erp, const std::string& division,
                Timestamp date, double amount) {
    Order o;
    o.id = id;
    o.erp_customer_id = erp;
    o.division = division;
    o.date = date;
    o.amount = amount;
    Status st = tx.UpsertOrder(o);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void FeedbackRow(Tx& tx, const std::string& id, const std::string& division,
                   const std::string& kind, double score, Timestamp date) {
    Feedback f;
    f.id = id;
    f.division = division;
    f.kind = kind;
    f.score = score;
    f.date = date;
    Status st = tx.InsertFeedback(f);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  void UserRow(Tx& tx, const std::string& login, const std::string& name, const std::string& role) {
    User u;
    u.login = login;
    u.name = name;
    u.role = role;
    u.created_at = 1;
    Status st = tx.UpsertUser(u);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }

  Context ctx;

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace cx::kpitest
