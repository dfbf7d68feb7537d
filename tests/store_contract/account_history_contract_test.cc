// The store contract, an account's history: the orders of an ERP customer and the feedback of an
// account, newest first (date, then id, both descending), a page at a time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::StoreContract;

Order MakeOrder(const std::string& id, const std::string& customer, Timestamp date) {
  return Order{id, customer, date, "Motors", 1000, "NGN", date};
}

Feedback MakeFeedback(const std::string& id, const std::string& account, Timestamp date) {
  Feedback f;
  f.id = id;
  f.date = date;
  f.kind = "nps";
  f.score = 9;
  f.division = "Motors";
  f.account_id = account;
  f.source = "staff";
  return f;
}

template <typename T>
std::vector<std::string> Ids(const Result<std::vector<T>>& rows) {
  std::vector<std::string> out;
  if (!rows.ok()) return {"error: " + rows.status().ToString()};
  for (const auto& r : *rows) out.push_back(r.id);
  return out;
}

TEST_F(StoreContract, AnAccountsOrdersAndFeedbackComeNewestFirstByPage) {
  InTx([](Tx& tx) {
    Account a = MakeAccount("A-1", "Okafor Motors");
    a.erp_customer_id = "ERP-1";
    ASSERT_TRUE(tx.InsertAccount(a).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Zenith Medical")).ok());
    for (const auto& o : {MakeOrder("O-1", "ERP-1", 100), MakeOrder("O-2", "ERP-1", 300),
                          MakeOrder("O-3", "ERP-1", 300), MakeOrder("O-4", "ERP-2", 500),
                          MakeOrder("O-5", "ERP-1", 200)}) {
      ASSERT_TRUE(tx.UpsertOrder(o).ok());
    }
    for (const auto& f : {MakeFeedback("F-1", "A-1", 50), MakeFeedback("F-2", "A-1", 70),
                          MakeFeedback("F-3", "A-2", 90), MakeFeedback("F-4", "A-1", 70)}) {
      ASSERT_TRUE(tx.InsertFeedback(f).ok());
    }
  });
  InTx([](Tx& tx) {
    using V = std::vector<std::string>;
    EXPECT_EQ(Ids(tx.OrdersOfCustomer("ERP-1", 10, 0)), (V{"O-3", "O-2", "O-5", "O-1"}));
    EXPECT_EQ(Ids(tx.OrdersOfCustomer("ERP-1", 2, 0)), (V{"O-3", "O-2"}));
    EXPECT_EQ(Ids(tx.OrdersOfCustomer("ERP-1", 2, 2)), (V{"O-5", "O-1"}));
    EXPECT_EQ(Ids(tx.OrdersOfCustomer("ERP-1", 2, 4)), V{});
    EXPECT_EQ(Ids(tx.OrdersOfCustomer("", 10, 0)), V{});
    EXPECT_EQ(Ids(tx.FeedbackOfAccount("A-1", 10, 0)), (V{"F-4", "F-2", "F-1"}));
    EXPECT_EQ(Ids(tx.FeedbackOfAccount("A-1", 1, 1)), V{"F-2"});
    EXPECT_EQ(Ids(tx.FeedbackOfAccount("A-9", 10, 0)), V{});
  });
}

}  // namespace
}  // namespace cx
