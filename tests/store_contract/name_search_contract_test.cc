// The store contract, search over names and keys: words found by prefix and by typo variant with
// their counts, ids by word and by groups of words ranked by how many groups they match, records
// found by exact and partial keys, and the keys of live records only.
#include <gtest/gtest.h>

#include <algorithm>

#include "base/text.h"
#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

std::vector<std::string> IdsOf(const std::vector<MatchKeys>& keys) {
  std::vector<std::string> ids;
  for (const auto& k : keys) ids.push_back(k.id);
  return ids;
}

std::vector<std::string> WordsOf(const std::vector<IndexedWord>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.word + ":" + std::to_string(w.records));
  return out;
}

// Ids matching most groups come first, ties by id; a word listed in two groups counts for
// each; fewer than min_groups are left out; limit cuts the list.
TEST_F(StoreContract, IdsByWordGroupsRanksByGroupsMatchedThenId) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-5", "Alpha Beta Gamma")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Alpha Beta")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-3", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Beta Gamma")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-4", "Delta")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Alpha Beta", "A-1")).ok());
  });
  InTx([&](Tx& tx) {
    const std::vector<std::vector<std::string>> groups = {
        {"alpha"}, {"beta", "betta"}, {"gamma", "alpha"}};
    auto two = tx.IdsByWordGroups(NameKind::kAccount, groups, 2, 10);
    ASSERT_TRUE(two.ok()) << two.status().ToString();
    // A-2 and A-5 match all three ("alpha" stands in two groups), A-1 and A-3 two.
    EXPECT_EQ(*two, (std::vector<std::string>{"A-2", "A-5", "A-1", "A-3"}));
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, groups, 3, 10),
              (std::vector<std::string>{"A-2", "A-5"}));
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kAccount, groups, 1, 3),
              (std::vector<std::string>{"A-2", "A-5", "A-1"}));
    EXPECT_TRUE(tx.IdsByWordGroups(NameKind::kAccount, {{"omega"}}, 1, 10)->empty());
    // Contacts are another index.
    EXPECT_EQ(*tx.IdsByWordGroups(NameKind::kContact, groups, 1, 10),
              std::vector<std::string>{"C-1"});
    // IdsByWord: in id order, up to the limit.
    EXPECT_EQ(*tx.IdsByWord(NameKind::kAccount, "alpha", 10),
              (std::vector<std::string>{"A-2", "A-3", "A-5"}));
    EXPECT_EQ(*tx.IdsByWord(NameKind::kAccount, "alpha", 2),
              (std::vector<std::string>{"A-2", "A-3"}));
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "alpha", 0)->empty());
  });
}

// Words by prefix: most used first, then by word, up to the limit, with their counts; a word
// whose records all left the index is no longer found, by prefix or by variant.
TEST_F(StoreContract, WordsByPrefixAndVariantsCountLiveRecords) {
  InTx([&](Tx& tx) {
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-" + std::to_string(i), "Alpha Foods")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-4", "Alps Travel")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-5", "Alpine Travel")).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-6", "Alpine Water")).ok());
  });
  InTx([&](Tx& tx) {
    auto words = tx.WordsByPrefix(NameKind::kAccount, "alp", 10);
    ASSERT_TRUE(words.ok()) << words.status().ToString();
    EXPECT_EQ(WordsOf(*words), (std::vector<std::string>{"alpha:3", "alpine:2", "alps:1"}));
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "alp", 2)),
              (std::vector<std::string>{"alpha:3", "alpine:2"}));
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "travel", 10)),
              std::vector<std::string>{"travel:2"});
    EXPECT_TRUE(tx.WordsByPrefix(NameKind::kContact, "alp", 10)->empty());
    // The typo "alpa" shares a variant with "alpha" ("alpha" less its "h") and with "alps"
    // (both less their last letter give "alp"); a variant that is a word itself finds it.
    auto near = tx.WordsByVariants(NameKind::kAccount, DeletionVariants("alpa"));
    ASSERT_TRUE(near.ok()) << near.status().ToString();
    std::vector<std::string> found = WordsOf(*near);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, (std::vector<std::string>{"alpha:3", "alps:1"}));
    auto exact = tx.WordsByVariants(NameKind::kAccount, {"water"});
    EXPECT_EQ(WordsOf(*exact), std::vector<std::string>{"water:1"});
    // The last record of "alps" is renamed, the last of "water" merged away.
    Account a4 = MakeAccount("A-4", "Summit Travel");
    ASSERT_TRUE(tx.UpdateAccount(a4).ok());
    Account a6 = MakeAccount("A-6", "Alpine Water");
    a6.merged_into = "A-5";
    ASSERT_TRUE(tx.UpdateAccount(a6).ok());
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kAccount, "alp", 10)),
              (std::vector<std::string>{"alpha:3", "alpine:1"}));
    found = WordsOf(*tx.WordsByVariants(NameKind::kAccount, DeletionVariants("alpa")));
    EXPECT_EQ(found, std::vector<std::string>{"alpha:3"});
    EXPECT_TRUE(tx.WordsByVariants(NameKind::kAccount, {"water"})->empty());
    EXPECT_TRUE(tx.IdsByWord(NameKind::kAccount, "water", 10)->empty());
  });
}

// Exact keys find live records of one kind, each once, by id; key prefixes find them in key
// order; an empty key or prefix finds nothing.
TEST_F(StoreContract, RecordsAreFoundByTheirKeys) {
  InTx([&](Tx& tx) {
    Account a1 = MakeAccount("A-1", "Okafor & Sons Ltd");
    a1.phone = "0803 555 1001";
    a1.email = "Sales@Okafor.ng";
    ASSERT_TRUE(tx.InsertAccount(a1).ok());
    Account a2 = MakeAccount("A-2", "Okafor and Sons");
    a2.phone = "0803 555 1002";
    ASSERT_TRUE(tx.InsertAccount(a2).ok());
    Account a3 = MakeAccount("A-3", "Bayo Foods");
    a3.phone = "0803 555 1001";
    a3.email = "sales@okafor.ng";
    ASSERT_TRUE(tx.InsertAccount(a3).ok());
    Account a4 = MakeAccount("A-4", "Okafor Sons");
    a4.merged_into = "A-1";
    ASSERT_TRUE(tx.InsertAccount(a4).ok());
    Contact c1 = MakeContact("C-1", "Ada Obi", "A-1");
    c1.phone = "0803 555 1001";
    ASSERT_TRUE(tx.InsertContact(c1).ok());
  });
  InTx([&](Tx& tx) {
    const std::string name = CompanyKey("Okafor & Sons Ltd");
    const std::string phone = PhoneKey("0803 555 1001");
    const std::string email = EmailKey("sales@okafor.ng");
    auto by_name = tx.FindByKeys(NameKind::kAccount, name, "", "");
    ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
    EXPECT_EQ(IdsOf(*by_name), (std::vector<std::string>{"A-1", "A-2"}));
    EXPECT_EQ(IdsOf(*tx.FindByKeys(NameKind::kAccount, "", phone, "")),
              (std::vector<std::string>{"A-1", "A-3"}));
    EXPECT_EQ(IdsOf(*tx.FindByKeys(NameKind::kAccount, name, phone, email)),
              (std::vector<std::string>{"A-1", "A-2", "A-3"}));
    EXPECT_TRUE(tx.FindByKeys(NameKind::kAccount, "", "", "")->empty());
    auto contacts = tx.FindByKeys(NameKind::kContact, "", phone, "");
    ASSERT_EQ(contacts->size(), 1u);
    EXPECT_EQ((*contacts)[0].id, "C-1");
    EXPECT_EQ((*contacts)[0].name, "Ada Obi");
    EXPECT_EQ((*contacts)[0].account_id, "A-1");
    EXPECT_EQ((*contacts)[0].phone_key, phone);
    EXPECT_EQ((*contacts)[0].name_key, PersonKey("Ada Obi"));

    // Prefixes: in key order, live only, up to the limit.
    const std::string common = phone.substr(0, phone.size() - 1);
    auto prefixed = tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kPhone, common, 10);
    ASSERT_TRUE(prefixed.ok()) << prefixed.status().ToString();
    ASSERT_EQ(prefixed->size(), 3u);
    EXPECT_EQ((*prefixed)[0].phone_key, phone);
    EXPECT_EQ((*prefixed)[1].phone_key, phone);
    EXPECT_EQ((*prefixed)[2].id, "A-2");
    EXPECT_EQ(tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kPhone, common, 2)->size(), 2u);
    EXPECT_EQ(IdsOf(*tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kPhone,
                                        PhoneKey("0803 555 1002"), 10)),
              std::vector<std::string>{"A-2"});
    auto mail = tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kEmail, "sales@", 10);
    std::vector<std::string> mail_ids = IdsOf(*mail);
    std::sort(mail_ids.begin(), mail_ids.end());
    EXPECT_EQ(mail_ids, (std::vector<std::string>{"A-1", "A-3"}));
    EXPECT_TRUE(tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kPhone, "", 10)->empty());
    EXPECT_TRUE(tx.FindByKeyPrefix(NameKind::kAccount, KeyField::kEmail, "zz", 10)->empty());
    EXPECT_EQ(IdsOf(*tx.FindByKeyPrefix(NameKind::kContact, KeyField::kPhone, common, 10)),
              std::vector<std::string>{"C-1"});
  });
}

// Keys by id: GetMatchKeys for any record, GetLiveMatchKeys for the live ones, both in the
// order asked; the walks over every live record and over the unlinked accounts.
TEST_F(StoreContract, MatchKeysAreReadByIdAndWalked) {
  InTx([&](Tx& tx) {
    Account a1 = MakeAccount("A-1", "Alpha Motors");
    a1.erp_customer_id = "E-1";
    ASSERT_TRUE(tx.InsertAccount(a1).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-2", "Beta Foods")).ok());
    Account a3 = MakeAccount("A-3", "Gamma");
    a3.merged_into = "A-2";
    ASSERT_TRUE(tx.InsertAccount(a3).ok());
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-4", "Delta")).ok());
  });
  InTx([&](Tx& tx) {
    auto all = tx.GetMatchKeys(NameKind::kAccount, {"A-3", "A-1", "A-9"});
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(IdsOf(*all), (std::vector<std::string>{"A-3", "A-1"}));
    EXPECT_EQ((*all)[1].name, "Alpha Motors");
    EXPECT_EQ((*all)[1].name_key, CompanyKey("Alpha Motors"));
    EXPECT_EQ((*all)[1].account_id, "");
    EXPECT_EQ(IdsOf(*tx.GetLiveMatchKeys(NameKind::kAccount, {"A-4", "A-3", "A-1"})),
              (std::vector<std::string>{"A-4", "A-1"}));
    std::vector<std::string> live;
    ASSERT_TRUE(tx.ForEachMatchKeys(NameKind::kAccount, [&](const MatchKeys& m) {
                    live.push_back(m.id);
                    return Status::Ok();
                  }).ok());
    std::sort(live.begin(), live.end());
    EXPECT_EQ(live, (std::vector<std::string>{"A-1", "A-2", "A-4"}));
    std::vector<std::string> unlinked;
    ASSERT_TRUE(tx.ForEachUnlinkedAccountKeys([&](const MatchKeys& m) {
                    unlinked.push_back(m.id);
                    return Status::Ok();
                  }).ok());
    std::sort(unlinked.begin(), unlinked.end());
    EXPECT_EQ(unlinked, (std::vector<std::string>{"A-2", "A-4"}));
    // A walk stops at the first error of its callback and returns it.
    int seen = 0;
    Status st = tx.ForEachMatchKeys(NameKind::kAccount, [&](const MatchKeys&) {
      ++seen;
      return Invalid("enough");
    });
    EXPECT_EQ(st.code(), Code::kInvalid);
    EXPECT_EQ(seen, 1);
    seen = 0;
    st = tx.ForEachUnlinkedAccountKeys([&](const MatchKeys&) {
      ++seen;
      return Invalid("enough");
    });
    EXPECT_EQ(st.code(), Code::kInvalid);
    EXPECT_EQ(seen, 1);
  });
}

// Names written earlier in the same transaction are searchable, before and after a commit, and
// a name index written by a transaction that failed is gone with it.
TEST_F(StoreContract, NamesWrittenInATransactionAreSearchableInIt) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ngozi Adeyemi", "")).ok());
    EXPECT_EQ(*tx.IdsByWord(NameKind::kContact, "ngozi", 10), std::vector<std::string>{"C-1"});
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-2", "Ngozi Bello", "")).ok());
    EXPECT_EQ(WordsOf(*tx.WordsByPrefix(NameKind::kContact, "ngo", 5)),
              std::vector<std::string>{"ngozi:2"});
    Contact c1 = MakeContact("C-1", "Ngozi Okoro", "");
    ASSERT_TRUE(tx.UpdateContact(c1).ok());
    EXPECT_TRUE(tx.IdsByWord(NameKind::kContact, "adeyemi", 10)->empty());
    EXPECT_EQ(*tx.IdsByWord(NameKind::kContact, "okoro", 10), std::vector<std::string>{"C-1"});
  });
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.InsertContact(MakeContact("C-3", "Ngozi Eze", "")));
    return Invalid("a later row was bad");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.IdsByWord(NameKind::kContact, "ngozi", 10),
              (std::vector<std::string>{"C-1", "C-2"}));
    EXPECT_TRUE(tx.IdsByWord(NameKind::kContact, "eze", 10)->empty());
    auto near = tx.WordsByVariants(NameKind::kContact, DeletionVariants("okro"));
    EXPECT_EQ(WordsOf(*near), std::vector<std::string>{"okoro:1"});
  });
}

}  // namespace
}  // namespace cx
