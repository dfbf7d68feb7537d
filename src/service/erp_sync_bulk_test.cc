// Tests that the ERP sync's bulk paths (into an empty hub or an empty orders table) end where
// the row-by-row path ends, bad rows included.
#include "erp_sync_fixture.h"

namespace cx {
namespace {

namespace fs = std::filesystem;
using erptest::ErpSyncTest;
using erptest::kHeader;
using erptest::kTwo;

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
  // The name index of accounts as each word's records (by ERP id, sorted), and
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
        // An account without an ERP id (one the hub held before) by its own id.
        erp_of[a.id] = a.erp_customer_id.empty() ? "hub " + a.id : a.erp_customer_id;
        for (const auto& w : CompanyWords(a.name)) due[w].insert(erp_of[a.id]);
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
  // 0: an empty hub; 1: a hub of 200 accounts without ERP ids (look-alikes of some customers)
  // and one linked account, whose ERP ids are read at the start (every other row is new and
  // made on the reading thread); 2: the same beside 7,000 linked accounts, too many to read
  // for a file of 25,000 rows: every row is looked up.
  constexpr int kCases = 3;
  std::map<std::string, std::string> accounts[kCases];
  std::vector<std::string> reasons[kCases], proposals[kCases];
  for (int prefilled = 0; prefilled < kCases; ++prefilled) {
    Fresh();
    if (prefilled) {
      ASSERT_TRUE(store_
                      ->Transaction([&](Tx& tx) -> Status {
                        for (int i = 0; i < 200; ++i) {
                          Account a;
                          CX_ASSIGN_OR_RETURN(a.id, tx.NextId("A"));
                          const int c = i * 97;
                          // The same name, a typo in it, the same phone, or the same email.
                          a.name = i % 4 == 1 ? "Custmer " + std::to_string(c) + " Co"
                                              : "Customer " + std::to_string(c) + " Co";
                          if (i % 4 == 2) a.name = "Hub Trading " + std::to_string(i);
                          if (i % 4 == 2) a.phone = "+23480" + std::to_string(10000000 + c);
                          if (i % 4 == 3) a.name = "Other Firm " + std::to_string(i);
                          if (i % 4 == 3) a.email = "c" + std::to_string(c) + "@example.ng";
                          CX_RETURN_IF_ERROR(tx.InsertAccount(a));
                        }
                        return Status::Ok();
                      })
                      .ok());
      std::string linked = kHeader;
      for (int i = 0; i < (prefilled == 1 ? 1 : 7000); ++i)
        linked += "Z" + std::to_string(i) + ",Zenith " + std::to_string(i) +
                  " Ltd,Trade,Motors,,,,Lagos,active,2026-01-01 10:00\n";
      ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("linked.csv", linked), Scratch()).ok());
    }
    ErpSyncSummary s = SyncExpecting(ErpKind::kCustomers, file, bad, 25000);
    for (const auto& r : s.rejected) reasons[prefilled].push_back(r.reason);
    for (const auto& l : s.proposed_links)
      proposals[prefilled].push_back(l.account + " " + l.erp_id + " " + l.why);
    std::sort(proposals[prefilled].begin(), proposals[prefilled].end());
    accounts[prefilled] = AccountsByErp();
    for (auto it = accounts[prefilled].begin(); it != accounts[prefilled].end();) {
      const bool hub = it->first.empty() || it->first[0] == 'Z';  // not the file's
      it = hub ? accounts[prefilled].erase(it) : std::next(it);
    }
    // Every word of every name, each record under it once: into an empty hub the entries are
    // sorted and cut into blocks on a second thread while the account indexes are rebuilt.
    NameIndex index = AccountNameIndex();
    EXPECT_GT(index.held.size(), 25000u - 4);
    EXPECT_TRUE(index.held == index.due)
        << index.held.size() << " words held, " << index.due.size() << " due";
    // The name index holds every new account under each word of its name.
    Status st = store_->Transaction([&](Tx& tx) -> Status {
      CX_ASSIGN_OR_RETURN(auto all, tx.IdsByWord(NameKind::kAccount, "customer", 100000));
      EXPECT_EQ(all.size(), 25000u - 4 + (prefilled ? 50 : 0));
      CX_ASSIGN_OR_RETURN(auto one, tx.IdsByWord(NameKind::kAccount, "12345", 10));
      CX_ASSIGN_OR_RETURN(auto account, tx.FindAccountByErpId("C12345"));
      EXPECT_TRUE(account.has_value());
      EXPECT_EQ(one, std::vector<std::string>{account ? account->id : ""});
      CX_ASSIGN_OR_RETURN(auto suffix, tx.IdsByWord(NameKind::kAccount, "nigeria", 10));
      EXPECT_TRUE(suffix.empty());  // part of the legal suffix
      CX_ASSIGN_OR_RETURN(auto words, tx.WordsByPrefix(NameKind::kAccount, "custo", 5));
      EXPECT_EQ(words.size(), 1u);
      EXPECT_EQ(words.empty() ? 0 : words[0].records, 25000 - 4 + (prefilled ? 50 : 0));
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ASSERT_EQ(accounts[0].size(), 25000u - 4);
  for (int c = 1; c < kCases; ++c) {
    EXPECT_EQ(accounts[0], accounts[c]) << "case " << c;
    EXPECT_EQ(reasons[0], reasons[c]) << "case " << c;
  }
  // The look-alikes found on the reading thread are those the row-by-row path proposes.
  EXPECT_GE(proposals[1].size(), 150u);
  EXPECT_EQ(proposals[1], proposals[2]);
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

}  // namespace
}  // namespace cx
