// The store contract, many records by id in one call (record_batch_store.h): each record that
// exists once, in id order (bytes), as its one-at-a-time read returns it; unknown ids left out.
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

TEST_F(StoreContract, GetOpportunitiesAndCasesReadManyByIdInIdOrder) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    // Ids whose byte order is not a locale's ("O-b" after "O-Z", "O-10" before "O-9").
    for (const char* id : {"O-9", "O-10", "O-Z", "O-b", "O-\"q\""}) {
      Opportunity o;
      o.id = id;
      o.account_id = "A-1";
      o.division = "Motors";
      o.created = 5;
      o.title = std::string("deal ") + id;
      o.amount = 12.5;
      ASSERT_TRUE(tx.InsertOpportunity(o).ok());
    }
    for (const char* id : {"K-2", "K-1"}) {
      Case c;
      c.id = id;
      c.account_id = "A-1";
      c.contact_id = "C-1";
      c.division = "Motors";
      c.kind = "complaint";
      c.summary = std::string("case ") + id;
      c.opened = 7;
      c.closed = 9;
      ASSERT_TRUE(tx.InsertCase(c).ok());
    }
  });
  InTx([&](Tx& tx) {
    auto opps = tx.GetOpportunities({"O-b", "O-9", "O-missing", "O-10", "O-b", "O-Z", "O-\"q\""});
    ASSERT_TRUE(opps.ok()) << opps.status().ToString();
    std::vector<std::string> ids;
    for (const auto& o : *opps) ids.push_back(o.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"O-\"q\"", "O-10", "O-9", "O-Z", "O-b"}));
    for (const auto& o : *opps) {
      auto one = tx.GetOpportunity(o.id);
      ASSERT_TRUE(one.ok() && one->has_value());
      EXPECT_EQ(o.title, (*one)->title);
      EXPECT_EQ(o.account_id, (*one)->account_id);
      EXPECT_EQ(o.amount, (*one)->amount);
      EXPECT_EQ(o.created, (*one)->created);
    }
    auto cases = tx.GetCases({"K-2", "K-3", "K-1"});
    ASSERT_TRUE(cases.ok()) << cases.status().ToString();
    ASSERT_EQ(cases->size(), 2u);
    EXPECT_EQ((*cases)[0].id, "K-1");
    EXPECT_EQ((*cases)[0].summary, "case K-1");
    EXPECT_EQ((*cases)[1].closed, std::optional<Timestamp>(9));
    auto none = tx.GetCases({});
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    auto unknown = tx.GetOpportunities({"O-nothing"});
    ASSERT_TRUE(unknown.ok());
    EXPECT_TRUE(unknown->empty());
  });
}

}  // namespace
}  // namespace cx
