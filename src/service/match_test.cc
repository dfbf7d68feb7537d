// Tests for search-as-you-type and duplicate clustering rules.
#include "service/match.h"

#include "hub_fixture.h"
#include "service/dedupe.h"

namespace cx {
namespace {

class MatchTest : public testing::HubTest {
 protected:
  void AddAccount(const std::string& id, const std::string& name, const std::string& phone = "",
                  const std::string& email = "") {
    InTx([&](Tx& tx) {
      Account a;
      a.id = id;
      a.name = name;
      a.phone = phone;
      a.email = email;
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    });
  }
  std::vector<Match> Find(const std::string& q) {
    std::vector<Match> out;
    InTx([&](Tx& tx) {
      auto r = Search(tx, q, 10);
      ASSERT_TRUE(r.ok());
      out = *r;
    });
    return out;
  }
};

TEST_F(MatchTest, SearchIsTypoTolerantPrefixAwareAndRanked) {
  AddAccount("A-1", "Adeyemi Engineering Ltd", "+234 803 000 1111", "sales@adeyemi.ng");
  AddAccount("A-2", "Adeyemi Foods");
  AddAccount("A-3", "Balogun Engineering");
  auto exact = Find("adeyemi engineering");
  ASSERT_FALSE(exact.empty());
  EXPECT_EQ(exact[0].id, "A-1");
  EXPECT_DOUBLE_EQ(exact[0].score, 1.0);
  auto typo = Find("Adeyemmi Enginering");
  ASSERT_FALSE(typo.empty());
  EXPECT_EQ(typo[0].id, "A-1");
  auto prefix = Find("adeyemi eng");  // as the user types
  ASSERT_FALSE(prefix.empty());
  EXPECT_EQ(prefix[0].id, "A-1");
  auto order = Find("engineering balogun");
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(order[0].id, "A-3");
  auto phone = Find("0803 000 1111");
  ASSERT_FALSE(phone.empty());
  EXPECT_EQ(phone[0].id, "A-1");
  auto email = Find("SALES@adeyemi.ng");
  ASSERT_FALSE(email.empty());
  EXPECT_EQ(email[0].id, "A-1");
  EXPECT_TRUE(Find("zzzz qqqq").empty());
  EXPECT_TRUE(Find("").empty());
}

TEST_F(MatchTest, DuplicatesClusterEveryKindOfVariant) {
  AddAccount("A-01", "Okafor & Sons Nig. Ltd", "0803 111 2222");
  AddAccount("A-02", "okafor and sons limited");  // case, punctuation, suffix
  AddAccount("A-03", "Sons Okafor");              // word order
  AddAccount("A-04", "Okafro & Sons");            // typo
  AddAccount("A-05", "Mikano Power", "", "info@mikano.ng");
  AddAccount("A-06", "Mikano Generators", "", "INFO@mikano.ng");  // same email
  AddAccount("A-07", "Chukwu Steel", "+234 805 999 8888");
  AddAccount("A-08", "CS Holdings", "08059998888");  // same phone
  AddAccount("A-09", "Société Générale");
  AddAccount("A-10", "Societe Generale Plc");  // accents
  AddAccount("A-11", "Zenith Logistics");      // alone
  AddAccount("A-12", "Zenith Textiles");       // a different company
  DedupeStats stats;
  auto clusters = FindDuplicates(*store_, NameKind::kAccount, &stats);
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 4u);
  std::vector<std::vector<std::string>> ids;
  for (const auto& c : *clusters) {
    ids.push_back(c.ids);
    EXPECT_GE(c.score, kProbableDuplicate);
    EXPECT_LE(c.score, 1.0);
    EXPECT_FALSE(c.why.empty());
  }
  auto has = [&](std::vector<std::string> want) {
    return std::find(ids.begin(), ids.end(), want) != ids.end();
  };
  EXPECT_TRUE(has({"A-01", "A-02", "A-03", "A-04"}));
  EXPECT_TRUE(has({"A-05", "A-06"}));
  EXPECT_TRUE(has({"A-07", "A-08"}));
  EXPECT_TRUE(has({"A-09", "A-10"}));
  // Best first: the clusters joined by a typo or a phone score lower.
  for (size_t i = 1; i < clusters->size(); ++i)
    EXPECT_GE((*clusters)[i - 1].score, (*clusters)[i].score);
  // Blocking: far fewer comparisons than all pairs (12 * 11 / 2 = 66).
  EXPECT_LT(stats.pairs_compared, 20);
}

TEST_F(MatchTest, ShortOrCommonNamesAreNotFuzzyMatched) {
  AddAccount("A-1", "ABC");
  AddAccount("A-2", "ABD");
  EXPECT_TRUE(FindDuplicates(*store_, NameKind::kAccount)->empty());
}

// A contact's name counts only within its account, so a name common across the hub (more
// contacts than one block compares) still finds a typo'd twin inside one account, and
// the same name in two accounts is not a duplicate.
TEST_F(MatchTest, ContactDuplicatesAreSoughtWithinEachAccount) {
  InTx([&](Tx& tx) {
    for (int a = 0; a < 60; ++a) {
      Account acc;
      acc.id = "A-" + std::to_string(a);
      acc.name = "Company " + std::to_string(a);
      ASSERT_TRUE(tx.InsertAccount(acc).ok());
      Contact c;
      c.id = "C-" + std::to_string(a);
      c.full_name = "Chinedu Okonkwo";
      c.account_id = acc.id;
      ASSERT_TRUE(tx.InsertContact(c).ok());
    }
    Contact twin;
    twin.id = "C-twin";
    twin.full_name = "Chinedu Okonkow";  // a typo, in the same account as C-7
    twin.account_id = "A-7";
    ASSERT_TRUE(tx.InsertContact(twin).ok());
  });
  DedupeStats stats;
  auto clusters = FindDuplicates(*store_, NameKind::kContact, &stats);
  ASSERT_TRUE(clusters.ok());
  ASSERT_EQ(clusters->size(), 1u);
  EXPECT_EQ((*clusters)[0].ids, (std::vector<std::string>{"C-7", "C-twin"}));
  EXPECT_LT(stats.pairs_compared, 10);
}

}  // namespace
}  // namespace cx
