// The store contract, typed kinds and bulk loads: existence, emptiness and custom fields by kind;
// a load announced as bulk ends with every row stored and found, whatever the store put off.
#include <gtest/gtest.h>

#include "base/text.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

TEST_F(StoreContract, ExistsIsEmptyAndCustomFieldsAreAskedByKind) {
  InTx([&](Tx& tx) {
    for (Entity e : {Entity::kAccount, Entity::kContact, Entity::kInteraction, Entity::kOpportunity,
                     Entity::kCase, Entity::kOrder, Entity::kFeedback}) {
      EXPECT_TRUE(*tx.IsEmpty(e));
      EXPECT_FALSE(*tx.Exists(e, "X-1"));
    }
    Account a = MakeAccount("A-1", "Alpha Motors");
    a.custom = {{"Region", "North"}, {"Tier", "Gold"}};
    ASSERT_TRUE(tx.InsertAccount(a).ok());
    Contact c = MakeContact("C-1", "Ada Obi", "A-1");
    c.custom = {{"Birthday", "1 May"}};
    ASSERT_TRUE(tx.InsertContact(c).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_FALSE(*tx.IsEmpty(Entity::kAccount));
    EXPECT_FALSE(*tx.IsEmpty(Entity::kContact));
    EXPECT_TRUE(*tx.IsEmpty(Entity::kOrder));
    EXPECT_TRUE(*tx.Exists(Entity::kAccount, "A-1"));
    EXPECT_FALSE(*tx.Exists(Entity::kContact, "A-1"));  // an id is of one kind
    EXPECT_TRUE(*tx.Exists(Entity::kContact, "C-1"));
    EXPECT_EQ(*tx.CustomFieldNames(Entity::kAccount), (std::vector<std::string>{"Region", "Tier"}));
    EXPECT_EQ(*tx.CustomFieldNames(Entity::kContact), std::vector<std::string>{"Birthday"});
    EXPECT_TRUE(tx.CustomFieldNames(Entity::kInteraction)->empty());
    EXPECT_EQ(tx.CustomFieldNames(Entity::kOrder).status().code(), Code::kInvalid);
  });
}

// Accounts loaded after a bulk hint: every one stored, searchable by word and key, counted by
// owner, and the next transaction sees them all. A merged account leaves the index as usual.
TEST_F(StoreContract, ABulkLoadEndsWithEveryRowFound) {
  for (BulkShape shape : {BulkShape::kAny, BulkShape::kErpLinkedUnowned}) {
    Open();  // the same store again: the second load lands on the first
    const std::string tag = shape == BulkShape::kAny ? "any" : "erp";
    const int base = shape == BulkShape::kAny ? 0 : 1000;
    InTx([&](Tx& tx) {
      auto put_off = tx.ExpectBulkLoad(Entity::kAccount, 100000, shape);
      ASSERT_TRUE(put_off.ok()) << put_off.status().ToString();
      EXPECT_GE(*put_off, 0);
      for (int i = 1; i <= 300; ++i) {
        const int n = base + i;
        Account a = MakeAccount("A-" + std::to_string(n), "Bulk Firm " + std::to_string(n));
        a.phone = "0803 555 " + std::to_string(10000 + n);
        if (shape == BulkShape::kErpLinkedUnowned) {
          a.erp_customer_id = "E" + std::to_string(n);
        } else if (i % 3 == 0) {
          a.owner = "ada";
        }
        ASSERT_TRUE(tx.InsertAccount(a).ok());
      }
    });
    InTx([&](Tx& tx) {
      AccountFilter all;
      all.limit = -1;
      EXPECT_EQ(*tx.CountAccounts(all), base == 0 ? 300 : 600) << tag;
      AccountFilter owned;
      owned.owner = "ada";
      owned.limit = -1;
      EXPECT_EQ(*tx.CountAccounts(owned), 100) << tag;
      AccountFilter unlinked;
      unlinked.missing_erp_id = true;
      unlinked.limit = -1;
      EXPECT_EQ(*tx.CountAccounts(unlinked), 300) << tag;
      const std::string last = std::to_string(base + 300);
      EXPECT_EQ(*tx.IdsByWord(NameKind::kAccount, last, 5), std::vector<std::string>{"A-" + last})
          << tag;
      auto by_phone = tx.FindByKeys(NameKind::kAccount, "",
                                    PhoneKey("0803 555 " + std::to_string(10000 + base + 7)), "");
      ASSERT_TRUE(by_phone.ok());
      ASSERT_EQ(by_phone->size(), 1u) << tag;
      EXPECT_EQ((*by_phone)[0].id, "A-" + std::to_string(base + 7));
      if (shape == BulkShape::kErpLinkedUnowned) {
        auto linked = tx.FindAccountByErpId("E" + std::to_string(base + 9));
        ASSERT_TRUE(linked.ok() && linked->has_value());
        EXPECT_EQ((*linked)->id, "A-" + std::to_string(base + 9));
      }
    });
  }
}

TEST_F(StoreContract, AFailedBulkLoadLeavesNothingAndTheNextOneWorks) {
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kContact, 100000).status());
    CX_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("A-1", "Alpha")));
    CX_RETURN_IF_ERROR(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")));
    return Invalid("the file had a bad row");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  InTx([&](Tx& tx) {
    EXPECT_TRUE(*tx.IsEmpty(Entity::kContact));
    EXPECT_TRUE(tx.IdsByWord(NameKind::kContact, "ada", 5)->empty());
    ASSERT_TRUE(tx.ExpectBulkLoad(Entity::kContact, 100000).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
  });
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.IdsByWord(NameKind::kContact, "ada", 5), std::vector<std::string>{"C-1"});
  });
}

TEST_F(StoreContract, OnlyTheKindsABulkLoadCanHoldTakeTheHint) {
  InTx([&](Tx& tx) {
    for (Entity e : {Entity::kAccount, Entity::kContact, Entity::kInteraction, Entity::kOrder})
      EXPECT_TRUE(tx.ExpectBulkLoad(e, 10).ok());
    for (Entity e : {Entity::kOpportunity, Entity::kCase, Entity::kFeedback})
      EXPECT_EQ(tx.ExpectBulkLoad(e, 10).status().code(), Code::kInvalid);
    EXPECT_TRUE(tx.ReserveLargeWriteMemory(64).ok());
  });
}

}  // namespace
}  // namespace cx
