// Tests of the ERP sync, field ownership and the steward's link queue, on real
// files and a real SQLite hub; the last tests run the real binary (exit codes,
// and a sync killed with SIGKILL that must leave the hub as it was).
#include "service/erp_sync.h"

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
#include "io/xlsx/xlsx_test_util.h"
#include "service/account_service.h"
#include "service/audit.h"
#include "service/interaction_service.h"
#include "service/link_service.h"
#include "service/merge_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

namespace fs = std::filesystem;

const char* kHeader =
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
    auto s = OpenStore("sqlite:" + db_);
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

const char* kTwo =
    "E1,Acme Cement Ltd,Cement,Motors,+2348031234567,info@acme.ng,12 "
    "Marina,Lagos,active,2026-01-05 10:00\n"
    "E2,Beta Foods,Food,Medical,,,,Abuja,active,05/01/2026 11:00\n";

TEST_F(ErpSyncTest, NewCustomersBecomeAccountsAndReRunningChangesNothing) {
  std::string f = Write("c.csv", std::string(kHeader) + kTwo);
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s).ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_TRUE(s.applied);
  auto a = ByErp("E1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "Acme Cement Ltd");
  EXPECT_EQ(a->divisions, "Motors");
  EXPECT_EQ(a->city, "Lagos");
  EXPECT_EQ(a->id.substr(0, 2), "A-");
  std::string before = Snapshot();
  ErpSyncSummary again;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &again).ok());
  EXPECT_EQ(again.created + again.updated, 0);
  EXPECT_EQ(again.skipped_older, 2);
  // Only the history grows (one more sync record and its audit line).
  std::string after = Snapshot();
  EXPECT_EQ(before.substr(0, before.find("audit")), after.substr(0, after.find("audit")));
}

TEST_F(ErpSyncTest, EveryEncodingAndDelimiterGivesTheSameAccounts) {
  std::string utf8 = std::string(kHeader) +
                     "E1,\"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA\",Bank,Motors,,,\"1 "
                     "Rue\nBP 4\",Lagos,active,2026-01-05\n";
  std::string semi = utf8;
  // The same file with ';' (the name holds a ',' and stays quoted).
  semi =
      "ERP Customer ID;Customer Name;Industry;Division;Phone;Email;Address;City;Status;Last "
      "Modified\n"
      "E1;\"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA\";Bank;Motors;;;\"1 Rue\nBP "
      "4\";Lagos;active;2026-01-05\n";
  std::string cp1252;
  for (size_t i = 0; i < semi.size(); ++i) {
    if (semi.compare(i, 2, "\xC3\xA9") == 0) {
      cp1252 += '\xE9';
      ++i;
    } else {
      cp1252 += semi[i];
    }
  }
  auto utf16 = [](const std::string& ascii_or_cp, bool le) {
    std::string out = le ? std::string("\xFF\xFE", 2) : std::string("\xFE\xFF", 2);
    for (unsigned char c : ascii_or_cp) {  // Latin-1 → UTF-16
      out += le ? std::string{char(c), '\0'} : std::string{'\0', char(c)};
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> files = {
      {"utf8.csv", utf8},
      {"bom.csv", "\xEF\xBB\xBF" + semi},
      {"cp1252.csv", cp1252},
      {"utf16le.csv", utf16(cp1252, true)},
      {"utf16be.csv", utf16(cp1252, false)},
  };
  std::vector<std::string> encodings;
  for (const auto& [name, bytes] : files) {
    SetUp();  // a fresh hub for each file
    ErpSyncSummary s;
    Status st = Sync(ErpKind::kCustomers, Write(name, bytes), &s);
    ASSERT_TRUE(st.ok()) << name << ": " << st.ToString();
    encodings.push_back(s.encoding + s.delimiter);
    auto a = ByErp("E1");
    ASSERT_TRUE(a) << name;
    EXPECT_EQ(a->name, "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA") << name;
    EXPECT_EQ(a->address, "1 Rue\nBP 4") << name;
  }
  EXPECT_EQ(encodings, (std::vector<std::string>{"utf-8,", "utf-8-bom;", "windows-1252;",
                                                 "utf-16le;", "utf-16be;"}));
}

TEST_F(ErpSyncTest, ErpOwnedFieldsAreReplacedHubOwnedKept) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  Account a = *ByErp("E1");
  // The hub's own fields: owner, type, custom, an extra division; and an interaction.
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) {
                    Account b = a;
                    b.owner = "ada";
                    b.type = "distributor";
                    b.custom["Segment"] = "Key";
                    b.divisions = "Motors; Medical";
                    return tx.UpdateAccount(b);
                  })
                  .ok());
  std::string c2 = std::string(kHeader) +
                   "E1,Acme Cement Plc,Building,Motors,+2348039999999,sales@acme.ng,,Ikeja,on "
                   "hold,2026-02-01 09:00\n";
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", c2), &s).ok());
  EXPECT_EQ(s.updated, 1);
  Account after = *ByErp("E1");
  EXPECT_EQ(after.name, "Acme Cement Plc");
  EXPECT_EQ(after.industry, "Building");
  EXPECT_EQ(after.city, "Ikeja");
  EXPECT_EQ(after.status, "on hold");
  EXPECT_EQ(after.address, "12 Marina");  // blank cell: kept
  EXPECT_EQ(after.owner, "ada");
  EXPECT_EQ(after.type, "distributor");
  EXPECT_EQ(after.custom.at("Segment"), "Key");
  EXPECT_EQ(after.divisions, "Motors; Medical");
  // Each change is audited with the sync as the reason.
  std::vector<AuditEntry> audit;
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = a.id;
                    f.action = "erp-sync";
                    CX_ASSIGN_OR_RETURN(audit, tx.ListAudit(f));
                    return Status::Ok();
                  })
                  .ok());
  bool name_change = false;
  for (const auto& e : audit) name_change |= e.field == "name" && e.after == "Acme Cement Plc";
  EXPECT_TRUE(name_change);
}

TEST_F(ErpSyncTest, BlankCellClearsOnlyWhenTheMappingSaysSo) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string blank = std::string(kHeader) + "E1,Acme Cement Ltd,,Motors,,,,,active,2026-03-01\n";
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", blank), Scratch()).ok());
  EXPECT_EQ(ByErp("E1")->address, "12 Marina");
  EXPECT_EQ(ByErp("E1")->industry, "Cement");
  std::string map = Write("m.toml", R"(
[customers]
clears = ["address"]
[customers.columns]
erp_customer_id = "ERP Customer ID"
name = "Customer Name"
industry = "Industry"
address = "Address"
last_modified = "Last Modified"
[orders.columns]
order_id = "Order ID"
erp_customer_id = "ERP Customer ID"
order_date = "Order Date"
division = "Division"
amount = "Amount"
last_modified = "Last Modified"
)");
  std::string blank2 = std::string(kHeader) + "E1,Acme Cement Ltd,,Motors,,,,,active,2026-03-02\n";
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("c3.csv", blank2), &s, false, false, map);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(ByErp("E1")->address, "");
  EXPECT_EQ(ByErp("E1")->industry, "Cement");
}

TEST_F(ErpSyncTest, RowsNotNewerThanTheWatermarkAreSkippedAndCounted) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string c2 =
      std::string(kHeader) +
      "E1,Old Name,Cement,Motors,,,,Lagos,active,2026-01-05 10:00\n"  // = watermark: skipped
      "E2,Beta Foods Plc,Food,Medical,,,,Abuja,active,2026-01-06\n"   // newer: applied
      "E3,Gamma,Retail,,,,,Kano,active,2025-12-31\n";                 // older: skipped
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", c2), &s).ok());
  EXPECT_EQ(s.skipped_older, 2);
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(ByErp("E1")->name, "Acme Cement Ltd");
  EXPECT_FALSE(ByErp("E3"));
  ASSERT_TRUE(s.watermark_before && s.watermark_after);
  EXPECT_LT(*s.watermark_before, *s.watermark_after);
}

TEST_F(ErpSyncTest, FullExportFlagsMissingCustomersNeverDeletes) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string only_e1 =
      std::string(kHeader) + "E1,Acme Cement Ltd,Cement,Motors,,,,Lagos,active,2026-01-05 10:00\n";
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full.csv", only_e1), &s, /*full=*/true).ok());
  EXPECT_EQ(s.flagged_missing, (std::vector<std::string>{"E2"}));
  EXPECT_TRUE(ByErp("E2"));  // never deleted
  auto q = ListErpQueue(ctx_);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ((*q)[0].kind, "missing");
  EXPECT_EQ((*q)[0].erp_id, "E2");
  // Again: still listed in the summary, not queued twice.
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full.csv", only_e1), &s2, true).ok());
  EXPECT_EQ(s2.flagged_missing.size(), 1u);
  EXPECT_EQ(ListErpQueue(ctx_)->size(), 1u);
  // E2 is back in a later export (even unchanged, older than the watermark): its flag closes.
  ErpSyncSummary s3;
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c2.csv", std::string(kHeader) + kTwo), &s3, true).ok());
  EXPECT_EQ(s3.reappeared, (std::vector<std::string>{"E2"}));
  EXPECT_TRUE(s3.flagged_missing.empty());
  EXPECT_TRUE(ListErpQueue(ctx_, "open")->empty());
  auto closed = ListErpQueue(ctx_, "reappeared");
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].erp_id, "E2");
  EXPECT_EQ((*closed)[0].reason, "back in c2.csv");
  // Missing again later: flagged anew.
  ErpSyncSummary s4;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full2.csv", only_e1), &s4, true).ok());
  EXPECT_EQ(s4.flagged_missing, (std::vector<std::string>{"E2"}));
  EXPECT_EQ(ListErpQueue(ctx_, "open")->size(), 1u);
}

TEST_F(ErpSyncTest, OrdersLandByErpCustomerIdUnknownCustomerIsARowError) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string orders =
      "Order ID;ERP Customer ID;Order Date;Division;Amount;Currency;Last Modified\n"
      "O1;E1;03/01/2026;Motors;\"1,500.50\";;2026-01-03\n"
      "O2;E2;2026-01-04;medical;200;USD;2026-01-04\n"
      "O3;E9;2026-01-04;Motors;10;NGN;2026-01-04\n";
  std::string f = Write("o.csv", orders);
  std::string before = Snapshot({"O1", "O2"});
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kOrders, f, &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 4);
  EXPECT_NE(s.rejected[0].reason.find("'E9' is not a known ERP customer"), std::string::npos);
  EXPECT_EQ(Snapshot({"O1", "O2"}), before);
  // With --partial the good orders land.
  ErpSyncSummary p;
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &p, false, true).ok());
  EXPECT_EQ(p.created, 2);
  std::optional<Order> o1 = OrderById("O1");
  ASSERT_TRUE(o1);
  EXPECT_DOUBLE_EQ(o1->amount, 1500.5);
  EXPECT_EQ(o1->currency, "NGN");
  EXPECT_EQ(o1->erp_customer_id, "E1");
  // Re-running changes nothing.
  ErpSyncSummary again;
  std::string mid = Snapshot({"O1", "O2"});
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &again, false, true).ok());
  EXPECT_EQ(again.created + again.updated, 0);
  std::string end = Snapshot({"O1", "O2"});
  EXPECT_EQ(mid.substr(0, mid.find("audit")), end.substr(0, end.find("audit")));
}

// Big exports take the bulk paths: every customer read at once for an orders export, new
// orders written many per statement into an empty table, no per-row account lookup into an
// empty hub. Each must give exactly what the row-by-row path gives on the same file.
class ErpBulkTest : public ErpSyncTest {
 protected:
  // 25,000 customers (a few rows bad), as an export.
  static std::string Customers(std::vector<int64_t>* bad_lines) {
    std::string out = kHeader;
    const char* divisions[] = {"Motors", "medical", "P&I", "GRAS", "Cube65", ""};
    for (int i = 0; i < 25000; ++i) {
      const int64_t line = i + 2;
      std::string name = "Customer " + std::to_string(i) + (i % 7 == 0 ? " Nigeria Ltd" : " Co");
      std::string erp = "C" + std::to_string(i);
      std::string division = divisions[i % 6];
      if (i == 100) name = "";            // blank name
      if (i == 2000) erp = "C1999";       // the id of line 2001 again
      if (i == 3000) division = "Dairy";  // not a division
      // Only the account's own checks find this one (after the export's).
      std::string email =
          i == 3500 ? "c3500-at-example.ng" : "c" + std::to_string(i) + "@example.ng";
      if (i == 100 || i == 2000 || i == 3000 || i == 3500) bad_lines->push_back(line);
      out += erp + ",\"" + name + "\",Trade," + division + ",+23480" +
             std::to_string(10000000 + i) + "," + email + ",\"" + std::to_string(i) +
             " Marina Road\",Lagos,active,2026-01-05 10:00\n";
    }
    return out;
  }
  // 30,000 orders of those customers (a few rows bad).
  static std::string Orders(std::vector<int64_t>* bad_lines) {
    std::string out =
        "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
    const char* divisions[] = {"Motors", "Medical", "Power & Industrial", "GRAS", "cube 65"};
    for (int i = 0; i < 30000; ++i) {
      const int64_t line = i + 2;
      std::string id = "SO" + std::to_string(i);
      std::string customer = "C" + std::to_string(4000 + (i * 7919) % 20000);  // all good ones
      char date_text[16];
      if (i % 5 == 0) {
        std::snprintf(date_text, sizeof date_text, "%02d/%02d/2025", 1 + i % 28, 1 + i % 12);
      } else {
        std::snprintf(date_text, sizeof date_text, "2025-%02d-%02d", 1 + i % 12, 1 + i % 28);
      }
      std::string date = date_text;
      if (i == 10) customer = "C999999";  // unknown customer
      if (i == 20000) id = "SO19999";     // the id of line 20001 again
      if (i == 25000) date = "2025-13-40";
      if (i == 10 || i == 20000 || i == 25000) bad_lines->push_back(line);
      out += id + "," + customer + "," + date + "," + divisions[i % 5] + ",\"" +
             std::to_string(1000 + i) + "." + std::to_string(i % 100) + "\",," +
             "2026-01-05 10:00\n";
    }
    return out;
  }
  std::vector<int64_t> Lines(const ErpSyncSummary& s) {
    std::vector<int64_t> out;
    for (const auto& r : s.rejected) out.push_back(r.line);
    return out;
  }
  // Syncs `file` (of `rows` rows) with --partial: exactly the `bad` lines are rejected and
  // every other row creates a record.
  ErpSyncSummary SyncExpecting(ErpKind kind, const std::string& file,
                               const std::vector<int64_t>& bad, int64_t rows) {
    ErpSyncSummary s;
    Status st = Sync(kind, file, &s, false, true);
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(Lines(s), bad);
    EXPECT_EQ(s.created, rows - int64_t(bad.size()));
    return s;
  }
  // Every account linked to the ERP, by ERP id, without its hub id and times.
  std::map<std::string, std::string> AccountsByErp() {
    std::map<std::string, std::string> out;
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto accounts, EveryAccount(tx));
      for (const auto& a : accounts) {
        std::string text;
        for (const auto& [k, v] : FieldsOf(a))
          if (k != "id") text += k + "=" + v + "|";
        out[a.erp_customer_id] = text;
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  // The name index of accounts as each word's records (by ERP id, in the index's order), and
  // what the accounts' names call for.
  struct NameIndex {
    std::map<std::string, std::vector<std::string>> held, due;
  };
  NameIndex AccountNameIndex() {
    NameIndex out;
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto accounts, EveryAccount(tx));
      std::map<std::string, std::string> erp_of;
      std::map<std::string, std::set<std::string>> due;
      for (const auto& a : accounts) {
        erp_of[a.id] = a.erp_customer_id;
        for (const auto& w : CompanyWords(a.name)) due[w].insert(a.erp_customer_id);
      }
      for (auto& [w, erp_ids] : due) out.due[w].assign(erp_ids.begin(), erp_ids.end());
      CX_ASSIGN_OR_RETURN(auto words, tx.WordsByPrefix(NameKind::kAccount, "", 1 << 20));
      for (const auto& w : words) {
        CX_ASSIGN_OR_RETURN(auto ids, tx.IdsByWord(NameKind::kAccount, w.word, 1 << 20));
        EXPECT_EQ(int64_t(ids.size()), w.records) << w.word;
        auto& held = out.held[w.word];
        for (const auto& id : ids) held.push_back(erp_of.count(id) ? erp_of[id] : "?" + id);
        std::sort(held.begin(), held.end());
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  std::map<std::string, std::string> AllOrders() {
    std::map<std::string, std::string> out;
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      return tx.ForEachOrder([&](const Order& o) {
        std::ostringstream text;
        text << o.erp_customer_id << "|" << o.date << "|" << o.division << "|" << o.amount << "|"
             << o.currency << "|" << o.last_modified;
        out[o.id] = text.str();
        return Status::Ok();
      });
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  void Fresh() {
    store_.reset();
    fs::remove(db_);
    Reopen();
  }
};

TEST_F(ErpBulkTest, CustomersIntoAnEmptyHubMatchTheRowByRowPath) {
  std::vector<int64_t> bad;
  const std::string file = Write("customers.csv", Customers(&bad));
  std::map<std::string, std::string> accounts[2];
  std::vector<std::string> reasons[2];
  for (int prefilled = 0; prefilled < 2; ++prefilled) {
    Fresh();
    if (prefilled) {
      // One linked account already there: the hub is not empty, every row is looked up.
      ASSERT_TRUE(
          Sync(ErpKind::kCustomers,
               Write("one.csv", std::string(kHeader) + "Z1,Zenith Ltd,Trade,Motors,,,,Lagos,active,"
                                                       "2026-01-01 10:00\n"),
               Scratch())
              .ok());
    }
    ErpSyncSummary s = SyncExpecting(ErpKind::kCustomers, file, bad, 25000);
    for (const auto& r : s.rejected) reasons[prefilled].push_back(r.reason);
    accounts[prefilled] = AccountsByErp();
    accounts[prefilled].erase("Z1");
    // Every word of every name, each record under it once: into an empty hub the entries are
    // sorted and cut into blocks on a second thread while the account indexes are rebuilt.
    NameIndex index = AccountNameIndex();
    EXPECT_GT(index.held.size(), 25000u - 4);
    EXPECT_TRUE(index.held == index.due)
        << index.held.size() << " words held, " << index.due.size() << " due";
    // The name index holds every new account under each word of its name.
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto all, tx.IdsByWord(NameKind::kAccount, "customer", 100000));
      EXPECT_EQ(all.size(), 25000u - 4);
      CX_ASSIGN_OR_RETURN(auto one, tx.IdsByWord(NameKind::kAccount, "12345", 10));
      CX_ASSIGN_OR_RETURN(auto account, tx.FindAccountByErpId("C12345"));
      EXPECT_TRUE(account.has_value());
      EXPECT_EQ(one, std::vector<std::string>{account ? account->id : ""});
      CX_ASSIGN_OR_RETURN(auto suffix, tx.IdsByWord(NameKind::kAccount, "nigeria", 10));
      EXPECT_TRUE(suffix.empty());  // part of the legal suffix
      CX_ASSIGN_OR_RETURN(auto words, tx.WordsByPrefix(NameKind::kAccount, "custo", 5));
      EXPECT_EQ(words.size(), 1u);
      EXPECT_EQ(words.empty() ? 0 : words[0].records, 25000 - 4);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ASSERT_EQ(accounts[0].size(), 25000u - 4);
  EXPECT_EQ(accounts[0], accounts[1]);
  EXPECT_EQ(reasons[0], reasons[1]);
  ASSERT_EQ(reasons[0].size(), 4u);
  EXPECT_NE(reasons[0][3].find("email"), std::string::npos) << reasons[0][3];
  EXPECT_NE(accounts[0]["C3"].find("divisions=GRAS|"), std::string::npos) << accounts[0]["C3"];
}

TEST_F(ErpBulkTest, OrdersIntoAnEmptyTableMatchTheRowByRowPath) {
  std::vector<int64_t> bad_customers, bad;
  const std::string customers = Write("customers.csv", Customers(&bad_customers));
  const std::string file = Write("orders.csv", Orders(&bad));
  std::map<std::string, std::string> orders[2];
  std::vector<std::string> reasons[2];
  for (int prefilled = 0; prefilled < 2; ++prefilled) {
    Fresh();
    ASSERT_TRUE(Sync(ErpKind::kCustomers, customers, Scratch(), false, true).ok());
    if (prefilled) {
      // One order already there: each row is looked up and upserted.
      ASSERT_TRUE(Sync(ErpKind::kOrders,
                       Write("one.csv",
                             "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,"
                             "Last Modified\nX1,C1,2025-01-01,Motors,5,NGN,2026-01-01 10:00\n"),
                       Scratch())
                      .ok());
    }
    ErpSyncSummary s = SyncExpecting(ErpKind::kOrders, file, bad, 30000);
    for (const auto& r : s.rejected) reasons[prefilled].push_back(r.reason);
    orders[prefilled] = AllOrders();
    orders[prefilled].erase("X1");
    // A second run changes nothing.
    ErpSyncSummary again;
    ASSERT_TRUE(Sync(ErpKind::kOrders, file, &again, false, true).ok());
    EXPECT_EQ(again.created + again.updated, 0);
  }
  ASSERT_EQ(orders[0].size(), 30000u - 3);
  EXPECT_EQ(orders[0], orders[1]);
  EXPECT_EQ(reasons[0], reasons[1]);
  EXPECT_NE(reasons[0][0].find("'C999999' is not a known ERP customer"), std::string::npos);
  EXPECT_NE(reasons[0][1].find("'SO19999' appears already on line 20001"), std::string::npos);
  EXPECT_EQ(orders[0]["SO2"].substr(0, orders[0]["SO2"].find('|')), "C19838");
}

TEST_F(ErpSyncTest, BadFileIsRefusedWholeEveryBadRowNamedNothingWritten) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string bad =
      std::string(kHeader) +
      "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"        // line 2: fine
      ",Nameless,Retail,,,,,,active,2026-02-01\n"                     // line 3: no id
      "E6,,Retail,,,,,,active,2026-13-45\n"                           // line 4: no name, bad date
      "E7,\"Multi\nLine\",Retail,Spaceships,,,,,active,2026-02-01\n"  // line 5: bad division
      "E8,Bad Mail,Retail,,,not-an-email,,,active,2026-02-01\n"       // line 7: bad email
      "E5,Twice,Retail,,,,,,active,2026-02-01\n"                      // line 8: duplicate id
      "E9,Short\n";                                                   // line 9: too few fields
  std::string before = Snapshot();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("bad.csv", bad), &s);
  ASSERT_EQ(st.code(), Code::kInvalid) << st.ToString();
  std::vector<int64_t> lines;
  for (const auto& r : s.rejected) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{3, 4, 5, 7, 8, 9}));
  EXPECT_EQ(st.details().size(), 6u);
  EXPECT_NE(s.rejected[0].reason.find("ERP Customer ID is blank"), std::string::npos);
  EXPECT_NE(s.rejected[1].reason.find("Customer Name is blank"), std::string::npos);
  EXPECT_NE(s.rejected[1].reason.find("2026-13-45"), std::string::npos);
  EXPECT_NE(s.rejected[2].reason.find("Spaceships"), std::string::npos);
  EXPECT_NE(s.rejected[3].reason.find("email"), std::string::npos);
  EXPECT_NE(s.rejected[4].reason.find("appears already on line 2"), std::string::npos);
  EXPECT_NE(s.rejected[5].reason.find("has 2 fields"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(fs::exists(dir_ / "bad.csv.rejected.csv"));
}

TEST_F(ErpSyncTest, PartialAppliesGoodRowsAndWritesRejectedWithReasons) {
  std::string bad = std::string(kHeader) +
                    "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"
                    "E6,Bad Mail,Retail,,,not-an-email,,,active,2026-01-15\n";
  std::string f = Write("p.csv", bad);
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s, false, true).ok());
  EXPECT_EQ(s.created, 1);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_TRUE(ByErp("E5"));
  EXPECT_FALSE(ByErp("E6"));
  std::ifstream in(f + ".rejected.csv");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("Last Modified,Line,Reason\r\n"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("E6,Bad Mail"), std::string::npos);
  EXPECT_NE(text.str().find(",3,"), std::string::npos);
  // The watermark stays below the rejected row, so its fix is not skipped later.
  ErpSyncSummary fix;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("fix.csv", std::string(kHeader) +
                                        "E6,Bad Mail,Retail,,,ok@mail.ng,,,active,2026-01-15\n"),
                   &fix)
                  .ok());
  EXPECT_EQ(fix.created, 1);
}

TEST_F(ErpSyncTest, MissingColumnsAndBadMappingAreRefusedNamingThem) {
  std::string smoke =
      Write("smoke.csv", "ERP Customer ID,Customer Name,Last Modified\n,Nameless,2026-13-45\n");
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, smoke, &s);
  EXPECT_EQ(st.code(),
            Code::kInvalid);  // optional columns may be absent; the bad row is the problem
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 2);
  std::string nocols = Write("n.csv", "Customer Name,Industry\nAcme,Cement\n");
  st = Sync(ErpKind::kCustomers, nocols, &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("'ERP Customer ID'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'Last Modified'"), std::string::npos) << st.message();
  std::string badmap = Write("bad.toml", "[customers.columns]\nname = \"N\"\n");
  st = Sync(ErpKind::kCustomers, smoke, &s, false, false, badmap);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.ToString().find("columns.erp_customer_id is missing"), std::string::npos)
      << st.ToString();
  EXPECT_EQ(Count(), 0);
}

TEST_F(ErpSyncTest, SpreadsheetBlankRowsRepeatedUnmappedColumnsAndNulBytes) {
  // Blank lines before the header, a spreadsheet's empty rows (",,,"), a blank-only line, a
  // DOS end-of-file mark; a column the mapping does not name appears twice.
  using namespace std::string_literals;
  const std::string messy =
      "\n\nERP Customer ID,Notes,Customer Name,Notes,Last Modified\n"
      "E1,a,Acme Cement Ltd,b,2026-01-05\n"
      ",,,,\n"
      "   \n"
      "E2,,Beta Foods,,2026-01-06\n"
      "E3,,Gamma\0Oil,,2026-01-06\n"
      "\x1a"s;
  ASSERT_EQ(messy.back(), '\x1a');
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("m.csv", messy), &s);
  ASSERT_EQ(st.code(), Code::kInvalid) << st.ToString();
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 8);  // physical lines: two blank ones before the header
  EXPECT_NE(s.rejected[0].reason.find("column 'Customer Name' holds a NUL byte"), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_EQ(s.rows, 3);
  // The message of the refusal holds no NUL byte, so stderr shows all of it.
  EXPECT_EQ(st.ToString().find('\0'), std::string::npos);
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("m2.csv", messy), &s, false, true).ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_TRUE(ByErp("E2"));
  EXPECT_FALSE(ByErp("E3"));
  // A mapped column twice is refused: which one holds the field is not clear.
  st = Sync(ErpKind::kCustomers,
            Write("twice.csv",
                  "ERP Customer ID,Customer Name,Customer Name,Last Modified\n"
                  "E4,A,B,2026-01-07\n"),
            &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("has the column 'Customer Name' twice"), std::string::npos)
      << st.message();
}

TEST_F(ErpSyncTest, RejectedFileIsWrittenBeforeTheCommitAndAStaleOneRemoved) {
  const std::string rows = std::string(kHeader) +
                           "E5,Good One,Retail,Motors,,,,Lagos,active,2026-02-01\n"
                           "E6,Bad Mail,Retail,,,not-an-email,,,active,2026-01-15\n";
  std::string f = Write("p.csv", rows);
  // A directory where the rejected file goes: the sync fails and writes nothing.
  fs::create_directory(f + ".rejected.csv");
  std::string before = Snapshot();
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, f, &s, false, true);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("was not written by cxhub"), std::string::npos) << st.message();
  EXPECT_FALSE(s.applied);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(fs::exists(f + ".rejected.csv.tmp"));
  fs::remove(f + ".rejected.csv");
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s, false, true).ok());
  EXPECT_TRUE(s.applied);
  EXPECT_EQ(s.rejected_file, f + ".rejected.csv");
  EXPECT_TRUE(fs::is_regular_file(f + ".rejected.csv"));
  EXPECT_FALSE(fs::exists(f + ".rejected.csv.tmp"));
  // The fixed file applies cleanly; the old rejected rows beside it go, and the summary says so.
  Write("p.csv", std::string(kHeader) + "E6,Bad Mail,Retail,,,mail@bad.ng,,,active,2026-01-15\n");
  ErpSyncSummary fixed;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &fixed, false, true).ok());
  EXPECT_TRUE(fixed.rejected_file.empty());
  EXPECT_EQ(fixed.removed_rejected_file, f + ".rejected.csv");
  EXPECT_FALSE(fs::exists(f + ".rejected.csv"));
  EXPECT_TRUE(ByErp("E6"));
  // What cxhub did not write it leaves alone: a directory in the rejected file's place after a
  // clean run is a warning.
  std::string g = Write("g.csv", std::string(kHeader) +
                                     "E10,Good Two,Retail,Motors,,,,Lagos,active,2026-03-01\n"
                                     "E11,Bad Two,Retail,,,not-an-email,,,active,2026-03-01\n");
  fs::create_directory(g + ".rejected.csv");
  ErpSyncSummary clean;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("g.csv", std::string(kHeader) + "E12,Gee Ltd,,,,,,,active,2026-03-02\n"),
                   &clean, false, true)
                  .ok());
  ASSERT_EQ(clean.warnings.size(), 1u);
  EXPECT_NE(clean.warnings[0].find("left as it is"), std::string::npos) << clean.warnings[0];
  EXPECT_TRUE(fs::is_directory(g + ".rejected.csv"));
}

TEST_F(ErpSyncTest, OrderAmountsCurrenciesAndFutureDatesAreCheckedNotGuessed) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  const std::string h =
      "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
  std::string f = Write("o.csv", h + "O1,E1,2026-01-03,Motors,\"1.234,50\",NGN,2026-01-03\n"
                                     "O2,E1,2026-01-03,Motors,\"12,34\",NGN,2026-01-03\n"
                                     "O3,E1,2026-01-03,Motors,\"2,500.75\",ngn,2026-01-03\n"
                                     "O4,E1,2026-01-03,Motors,10,Naira,2026-01-03\n"
                                     "O5,E1,2026-01-03,Motors,10,USD,2099-01-10 10:00\n");
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &s, false, true).ok());
  EXPECT_EQ(s.created, 1);
  ASSERT_EQ(s.rejected.size(), 4u);
  EXPECT_NE(s.rejected[0].reason.find("'1.234,50' is not an amount"), std::string::npos)
      << s.rejected[0].reason;
  EXPECT_NE(s.rejected[1].reason.find("'12,34' is not an amount"), std::string::npos);
  EXPECT_NE(s.rejected[2].reason.find("'Naira' is not a three-letter currency code"),
            std::string::npos)
      << s.rejected[2].reason;
  EXPECT_NE(s.rejected[3].reason.find("is in the future"), std::string::npos)
      << s.rejected[3].reason;
  // The future row does not carry the watermark to 2099.
  ASSERT_TRUE(s.watermark_after);
  EXPECT_LT(*s.watermark_after, clock_);
  std::optional<Order> o3 = OrderById("O3");
  ASSERT_TRUE(o3);
  EXPECT_DOUBLE_EQ(o3->amount, 2500.75);
  EXPECT_EQ(o3->currency, "NGN");
  // A mapping of customers only is refused for an orders export, naming the missing table.
  std::string map = Write("cust.toml",
                          "[customers.columns]\nerp_customer_id = \"ERP Customer ID\"\n"
                          "name = \"Customer Name\"\nlast_modified = \"Last Modified\"\n");
  Status st = Sync(ErpKind::kOrders, f, Scratch(), false, true, map);
  ASSERT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("has no [orders] table"), std::string::npos) << st.message();
  EXPECT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", std::string(kHeader) + kTwo), Scratch(),
                   false, false, map)
                  .ok());
}

TEST_F(ErpSyncTest, CorrectedRejectedRowsApplyAfterLaterSyncsMovedTheWatermark) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  const std::string h =
      "Order ID,ERP Customer ID,Order Date,Division,Amount,Currency,Last Modified\n";
  // P2 is rejected; the next day's export moves the watermark past it.
  std::string day1 = Write("day1.csv", h + "P1,E1,2026-01-11,Motors,10,NGN,2026-01-11 10:00\n"
                                           "P2,E1,2026-01-11,Motors,abc,NGN,2026-01-11 11:00\n");
  ErpSyncSummary s1;
  ASSERT_TRUE(Sync(ErpKind::kOrders, day1, &s1, false, true).ok());
  ASSERT_EQ(s1.rejected.size(), 1u);
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("day2.csv", h + "P5,E1,2026-01-12,Motors,5,NGN,2026-01-12 10:00\n"), &s2,
                   false, true)
                  .ok());
  ASSERT_TRUE(s2.watermark_after);
  // The corrected row, fed days later, still applies: it is not lost behind the watermark.
  std::string fixed = Write("fixed.csv", h + "P2,E1,2026-01-11,Motors,100,NGN,2026-01-11 11:00\n");
  ErpSyncSummary s3;
  ASSERT_TRUE(Sync(ErpKind::kOrders, fixed, &s3, false, true).ok());
  EXPECT_EQ(s3.created, 1);
  EXPECT_EQ(s3.skipped_older, 0);
  ASSERT_TRUE(OrderById("P2"));
  EXPECT_DOUBLE_EQ(OrderById("P2")->amount, 100);
  // Put right once, the key waits no more: the same row again is older than the watermark.
  ErpSyncSummary s4;
  ASSERT_TRUE(Sync(ErpKind::kOrders, fixed, &s4, false, true).ok());
  EXPECT_EQ(s4.skipped_older, 1);
  // A repeated id's older row is rejected, and feeding it back never replaces the newer one.
  std::string dup = Write("dup.csv", h + "X1,E1,2026-01-13,Motors,100,NGN,2026-01-13 12:00\n"
                                         "X1,E1,2026-01-13,Motors,150,NGN,2026-01-13 10:00\n");
  ErpSyncSummary s5;
  ASSERT_TRUE(Sync(ErpKind::kOrders, dup, &s5, false, true).ok());
  ASSERT_EQ(s5.rejected.size(), 1u);
  ErpSyncSummary s6;
  ASSERT_TRUE(Sync(ErpKind::kOrders, dup + ".rejected.csv", &s6, false, true).ok());
  EXPECT_EQ(s6.updated, 0);
  EXPECT_DOUBLE_EQ(OrderById("X1")->amount, 100);
  // An order rejected in its newer version, then an older version fed: the stored, newer one
  // stays.
  ErpSyncSummary s7;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("newer.csv", h + "X1,E1,2026-01-13,Motors,zzz,NGN,2026-01-14 09:00\n"),
                   &s7, false, true)
                  .ok());
  ASSERT_EQ(s7.rejected.size(), 1u);
  ErpSyncSummary s8;
  ASSERT_TRUE(Sync(ErpKind::kOrders,
                   Write("stale.csv", h + "X1,E1,2026-01-13,Motors,90,NGN,2026-01-13 08:00\n"), &s8,
                   false, true)
                  .ok());
  EXPECT_EQ(s8.skipped_older, 1);
  EXPECT_EQ(s8.updated, 0);
  EXPECT_DOUBLE_EQ(OrderById("X1")->amount, 100);
  // Customers too: a rejected customer's corrected row applies after later syncs.
  ErpSyncSummary c2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) +
                                       "E7,Bad Mail Ltd,,,,not-an-email,,,active,2026-02-01\n"),
                   &c2, false, true)
                  .ok());
  ASSERT_EQ(c2.rejected.size(), 1u);
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c3.csv", std::string(kHeader) + "E8,Later Ltd,,,,,,,active,2026-02-05\n"),
                   Scratch())
                  .ok());
  ErpSyncSummary c4;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c4.csv", std::string(kHeader) +
                                       "E7,Bad Mail Ltd,,,,mail@badmail.ng,,,active,2026-02-01\n"),
                   &c4)
                  .ok());
  EXPECT_EQ(c4.created, 1);
  EXPECT_TRUE(ByErp("E7"));
  // A newer row rejected keeps its key open, but only for rows as new as it: an older row of
  // that customer is still older than what the hub holds.
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("k1.csv", std::string(kHeader) + "E9,Alpha Ltd,,,,,,Lagos,,2026-03-01\n"),
                   Scratch())
                  .ok());
  ErpSyncSummary k2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("k2.csv", std::string(kHeader) +
                                       "E9,Alpha New Ltd,,,,bad email,,Abuja,,2026-04-01\n"),
                   &k2, false, true)
                  .ok());
  ASSERT_EQ(k2.rejected.size(), 1u);
  ErpSyncSummary k3;
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers,
           Write("k3.csv", std::string(kHeader) + "E9,Alpha Old Ltd,,,,,,Kano,,2026-02-01\n"), &k3)
          .ok());
  EXPECT_EQ(k3.skipped_older, 1);
  EXPECT_EQ(ByErp("E9")->name, "Alpha Ltd");
  EXPECT_EQ(ByErp("E9")->city, "Lagos");
}

TEST_F(ErpSyncTest, DryRunWritesNothing) {
  std::string before = Snapshot();
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s, false,
                   false, "", true)
                  .ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_FALSE(s.applied);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ErpSyncTest, OnlyErpAdminStewardOrCliMaySync) {
  ASSERT_TRUE(AddUser(ctx_, User{"sam", "Sam", "sales", "", "", false, 0}, "").ok());
  ASSERT_TRUE(AddUser(ctx_, User{"erpjob", "ERP export job", "erp", "", "", false, 0}, "").ok());
  std::string f = Write("c.csv", std::string(kHeader) + kTwo);
  ctx_.actor = "sam";
  ErpSyncSummary s;
  EXPECT_EQ(Sync(ErpKind::kCustomers, f, &s).code(), Code::kForbidden);
  EXPECT_EQ(Count(), 0);
  ctx_.actor = "erpjob";
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s).ok());
  auto h = ErpSyncHistory(ctx_, 10);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 1u);
  const ErpSyncRecord& r = (*h)[0];
  EXPECT_EQ(r.actor, "erpjob");
  EXPECT_EQ(r.file_name, "c.csv");
  EXPECT_EQ(r.file_sha256, s.sha256);
  EXPECT_EQ(r.created, 2);
  EXPECT_FALSE(r.watermark_before);
  ASSERT_TRUE(r.watermark_after);
  EXPECT_EQ(r.kind, "customers");
  EXPECT_GT(r.finished_at, 0);
}

TEST_F(ErpSyncTest, LinkedAccountsRefuseErpOwnedEditsHubOwnedAllowed) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  Account a = *ByErp("E1");
  Account edit = a;
  edit.city = "Abuja";
  auto r = UpdateAccount(ctx_, edit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().message(),
            "field city is owned by the ERP (account " + a.id + " linked to ERP customer E1)");
  EXPECT_EQ(ByErp("E1")->city, "Lagos");
  Account hub = a;
  hub.type = "distributor";
  hub.custom["Region"] = "West";
  ASSERT_TRUE(UpdateAccount(ctx_, hub).ok());
  EXPECT_EQ(Get(a.id)->type, "distributor");
  EXPECT_EQ(Get(a.id)->custom["Region"], "West");
  // The workbook's rule: keep the ERP's value, list each difference.
  Account incoming = a;
  incoming.name = "Typo Name";
  incoming.phone = "+2348000000000";
  incoming.owner = "bo";
  auto warnings = KeepErpOwned(a, &incoming);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(incoming.name, a.name);
  EXPECT_EQ(incoming.owner, "bo");
  EXPECT_NE(warnings[0].find("name is owned by the ERP"), std::string::npos);
}

TEST_F(ErpSyncTest, LookAlikeHubAccountIsProposedAcceptMergesKeepingInteractions) {
  Account h;
  h.name = "Acme Cement Limited";
  h.owner = "ada";
  h.divisions = "Motors";
  auto hub = AddAccount(ctx_, h);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  Contact c;
  c.full_name = "Ngozi Okafor";
  c.account_id = hub->id;
  auto contact = AddContact(ctx_, c);
  ASSERT_TRUE(contact.ok()) << contact.status().ToString();
  Interaction i;
  i.at = clock_;
  i.contact_id = contact->id;
  i.channel = "phone";
  i.notes = "asked for a quote";
  auto logged = LogInteraction(ctx_, i);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();

  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s).ok());
  ASSERT_EQ(s.proposed_links.size(), 1u);
  EXPECT_EQ(s.proposed_links[0].account, hub->id);
  EXPECT_EQ(s.proposed_links[0].erp_id, "E1");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());  // never merged automatically
  std::string erp_account = ByErp("E1")->id;
  auto queue = ListErpQueue(ctx_);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);

  auto accepted = AcceptErpQueueItem(ctx_, (*queue)[0].id, "same company");
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->status, "accepted");
  Account linked = *Get(hub->id);
  EXPECT_EQ(linked.erp_customer_id, "E1");
  EXPECT_EQ(linked.name, "Acme Cement Ltd");  // the ERP's name
  EXPECT_EQ(linked.phone, "+2348031234567");
  EXPECT_EQ(linked.owner, "ada");  // the hub's owner
  EXPECT_EQ(Get(erp_account)->merged_into, hub->id);
  EXPECT_EQ(ByErp("E1")->id, hub->id);
  auto view = ShowAccount(ctx_, hub->id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->interactions.size(), 1u);
  EXPECT_EQ(view->interactions[0].notes, "asked for a quote");
  // Audited as a link.
  std::vector<AuditEntry> audit;
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = hub->id;
                    f.action = "link";
                    CX_ASSIGN_OR_RETURN(audit, tx.ListAudit(f));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(audit.empty());
  // The next sync updates the linked hub account.
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) + "E1,Acme Cement Plc,,,,,,,,2026-03-01\n"),
                   &s2)
                  .ok());
  EXPECT_EQ(s2.updated, 1);
  EXPECT_EQ(Get(hub->id)->name, "Acme Cement Plc");
  EXPECT_EQ(AcceptErpQueueItem(ctx_, (*queue)[0].id, "").status().code(), Code::kConflict);

  // Undoing the link's merge: the ERP's account is back with its ERP id, the hub's account
  // is unlinked with its own name again, and the rows each brought go back to it.
  auto merges = ListMerges(ctx_, 10);
  ASSERT_TRUE(merges.ok());
  ASSERT_EQ(merges->size(), 1u);
  auto undone = UndoMerge(ctx_, (*merges)[0].id, "linked the wrong customer");
  ASSERT_TRUE(undone.ok()) << undone.status().ToString();
  EXPECT_TRUE(Get(erp_account)->merged_into.empty());
  EXPECT_EQ(Get(erp_account)->erp_customer_id, "E1");
  EXPECT_EQ(ByErp("E1")->id, erp_account);
  // … with what the ERP sent while the link stood (a re-sync would skip those rows now).
  EXPECT_EQ(Get(erp_account)->name, "Acme Cement Plc");
  EXPECT_EQ(Get(erp_account)->phone, "+2348031234567");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());
  EXPECT_EQ(Get(hub->id)->name, "Acme Cement Limited");
  EXPECT_EQ(Get(hub->id)->divisions, "Motors");
  auto hub_view = ShowAccount(ctx_, hub->id);
  ASSERT_TRUE(hub_view.ok());
  ASSERT_EQ(hub_view->interactions.size(), 1u);  // the hub's own conversation stays with it
  EXPECT_EQ(hub_view->interactions[0].notes, "asked for a quote");
}

TEST_F(ErpSyncTest, RejectedProposalIsNeverProposedAgain) {
  Account h;
  h.name = "Beta Foods";
  auto hub = AddAccount(ctx_, h);
  ASSERT_TRUE(hub.ok());
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s).ok());
  ASSERT_EQ(s.proposed_links.size(), 1u);
  EXPECT_EQ(s.proposed_links[0].erp_id, "E2");
  auto q = ListErpQueue(ctx_);
  auto r = RejectErpQueueItem(ctx_, (*q)[0].id, "different company");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "rejected");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) + "E2,Beta Foods,Food,,,,,,,2026-03-01\n"),
                   &s2)
                  .ok());
  EXPECT_TRUE(s2.proposed_links.empty());
  EXPECT_TRUE(ListErpQueue(ctx_)->empty());
}

TEST_F(ErpSyncTest, XlsxExportsSyncLikeCsv) {
  using namespace wbtest;
  std::string f = (dir_ / "customers.xlsx").string();
  WriteXlsx(
      f, {{"Customers",
           {{T("ERP Customer ID"), T("Customer Name"), T("City"), T("Phone"), T("Last Modified")},
            {T("X1"), T("Xylo Ltd"), T("Lagos"), E(), D(46027.0 + 10.0 / 24)},
            {T("X2"), T("Yam Co"), E(), E(), T("06/01/2026")}}}});
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, f, &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.created, 2);
  EXPECT_EQ(s.encoding, "xlsx");
  EXPECT_EQ(ByErp("X1")->city, "Lagos");
  ASSERT_TRUE(s.watermark_after);
  EXPECT_EQ(FormatTime(*s.watermark_after, ctx_.zone), "2026-01-06T00:00:00");
  std::string o = (dir_ / "orders.xlsx").string();
  WriteXlsx(o, {{"Orders",
                 {{T("Order ID"), T("ERP Customer ID"), T("Order Date"), T("Division"), T("Amount"),
                   T("Last Modified")},
                  {T("SO-1"), T("X1"), D(46028), T("Motors"), N(1250.75), D(46028.5)},
                  {T("SO-2"), T("NOPE"), D(46028), T("Motors"), N(1), D(46028.5)}}}});
  ErpSyncSummary so;
  st = Sync(ErpKind::kOrders, o, &so);
  ASSERT_EQ(st.code(), Code::kInvalid);
  ASSERT_EQ(so.rejected.size(), 1u);
  EXPECT_EQ(so.rejected[0].line, 3);  // the sheet's row number
  ASSERT_TRUE(Sync(ErpKind::kOrders, o, &so, false, true).ok());
  EXPECT_EQ(so.created, 1);
  // A long numeric id Excel keeps as 1E+17 comes in as its digits; a workbook saved under a
  // .csv name is still read as the workbook it is.
  std::string renamed = (dir_ / "export.csv").string();
  WriteXlsx(renamed, {{"Customers",
                       {{T("ERP Customer ID"), T("Customer Name"), T("Last Modified")},
                        {N(100000000000000000.0), T("Long Id Ltd"), T("07/01/2026")}}}});
  ErpSyncSummary big;
  st = Sync(ErpKind::kCustomers, renamed, &big);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(big.encoding, "xlsx");
  EXPECT_TRUE(ByErp("100000000000000000"));
  // A mapping's date_format is for dates written as text; date cells are dates whatever it says.
  std::string map = Write("dmy.toml",
                          "[customers]\ndate_format = \"%d/%m/%Y\"\n[customers.columns]\n"
                          "erp_customer_id = \"ERP Customer ID\"\nname = \"Customer Name\"\n"
                          "last_modified = \"Last Modified\"\n");
  std::string dated = (dir_ / "dated.xlsx").string();
  WriteXlsx(dated, {{"Customers",
                     {{T("ERP Customer ID"), T("Customer Name"), T("Last Modified")},
                      {T("X3"), T("Cell Date Ltd"), D(46040.5)},
                      {T("X4"), T("Text Date Ltd"), T("20/01/2026")}}}});
  ErpSyncSummary dm;
  st = Sync(ErpKind::kCustomers, dated, &dm, false, false, map);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(dm.created, 2);
}

// ---- the real binary ----

int RunCxhub(const std::string& db, const std::vector<std::string>& args,
             std::string* out = nullptr) {
  std::string cmd = "CXHUB_DB=sqlite:" + db + " " + CXHUB_BINARY;
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int st = pclose(p);
  if (out) *out = text;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(ErpSyncTest, CliExitCodesJsonAndLinks) {
  store_.reset();
  std::string smoke =
      Write("smoke.csv", "ERP Customer ID,Customer Name,Last Modified\n,Nameless,2026-13-45\n");
  std::string out;
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "customers", smoke, "--json"}, &out), 2);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["rejected"][0]["line"], 2);
  EXPECT_EQ(
      RunCxhub(db_,
               {"erp-sync", "customers", Write("c.csv", std::string(kHeader) + kTwo), "--json"},
               &out),
      0);
  j = nlohmann::json::parse(out);
  EXPECT_EQ(j["created"], 2);
  for (const char* k :
       {"updated", "unchanged", "skipped_older", "flagged_missing", "proposed_links", "rejected"}) {
    EXPECT_TRUE(j.contains(k)) << k;
  }
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--json"}, &out), 0);
  j = nlohmann::json::parse(out);
  ASSERT_EQ(j["syncs"].size(), 1u);
  EXPECT_EQ(j["syncs"][0]["actor"], "cli");
  EXPECT_EQ(RunCxhub(db_, {"links", "list", "--json"}, &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)["items"].size(), 0u);
  EXPECT_EQ(RunCxhub(db_, {"links", "accept", "99"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "invoices", smoke}, &out), 2);
  // History takes only --limit (1 or more) and --json; what a sync takes is refused.
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--limit", "0"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", smoke}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--full"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "orders", smoke, "--limit", "3"}, &out), 2);
  EXPECT_EQ(RunCxhub(db_, {"erp-sync", "history", "--limit", "1", "--json"}, &out), 0);
  EXPECT_EQ(nlohmann::json::parse(out)["syncs"].size(), 1u);
}

TEST_F(ErpSyncTest, KilledSyncLeavesTheHubAsBefore) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string before = Snapshot();
  store_.reset();
  // A large export: long enough to be killed in the middle.
  std::string big = (dir_ / "big.csv").string();
  {
    std::ofstream f(big, std::ios::binary);
    f << kHeader;
    for (int i = 0; i < 300000; ++i) {
      f << "K" << i << ",Company number " << i << " Ltd,Trade,Motors,,,Street " << i
        << ",Lagos,active,2026-06-01\n";
    }
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("CXHUB_DB", ("sqlite:" + db_).c_str(), 1);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(CXHUB_BINARY, CXHUB_BINARY, "erp-sync", "customers", big.c_str(), (char*)nullptr);
    _exit(127);
  }
  // Wait until the sync holds the write transaction (a probe's BEGIN IMMEDIATE is busy)
  // and has worked inside it for a second, then kill it.
  bool midway = false;
  auto busy_since = std::chrono::steady_clock::time_point();
  for (int i = 0; i < 3000 && !midway; ++i) {
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) break;
    sqlite3* probe = nullptr;
    if (sqlite3_open_v2(db_.c_str(), &probe, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      int rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) {
        sqlite3_exec(probe, "ROLLBACK", nullptr, nullptr, nullptr);
        busy_since = {};
      } else if (rc == SQLITE_BUSY) {
        auto now = std::chrono::steady_clock::now();
        if (busy_since == std::chrono::steady_clock::time_point()) busy_since = now;
        midway = now - busy_since > std::chrono::seconds(1);
      }
    }
    sqlite3_close(probe);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(midway) << "the sync ended before it could be killed";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  Reopen();
  EXPECT_EQ(Snapshot(), before);
  EXPECT_FALSE(ByErp("K0"));
}

}  // namespace
}  // namespace cx
