// Tests for the ranking rules of search (docs/search.md): what a person typing a name means.
#include <algorithm>

#include "hub_fixture.h"
#include "service/match.h"

namespace cx {
namespace {

class SearchRankTest : public testing::HubTest {
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
  void AddContact(const std::string& id, const std::string& name, const std::string& account,
                  const std::string& email = "", const std::string& phone = "") {
    InTx([&](Tx& tx) {
      Contact c;
      c.id = id;
      c.full_name = name;
      c.account_id = account;
      c.email = email;
      c.phone = phone;
      ASSERT_TRUE(tx.InsertContact(c).ok());
    });
  }
  std::vector<Match> Find(const std::string& q, int limit = 10) {
    std::vector<Match> out;
    InTx([&](Tx& tx) {
      auto r = Search(tx, q, limit);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      out = *r;
    });
    return out;
  }
  static std::string Ids(const std::vector<Match>& ms) {
    std::string out;
    for (const auto& m : ms) out += m.id + "(" + std::to_string(m.score) + ") ";
    return out;
  }
  // Twenty-five people called Okafor, as in the demo, at the account `account`.
  void AddOkafors(const std::string& account) {
    const char* first[] = {"Bola", "Femi", "Kemi", "Tolu", "Uche"};
    for (int i = 0; i < 25; ++i)
      AddContact("C-" + std::to_string(100 + i), std::string(first[i % 5]) + " Okafor", account);
  }
};

// One typo in the query (or in the stored name) still names the account: it comes first, above
// every record that shares only a word with the query, whichever kind.
TEST_F(SearchRankTest, OneTypoInAnAccountNameRanksThatAccountFirst) {
  AddAccount("A-01", "Ibe Hotels");
  AddAccount("A-02", "Jos Hotels");
  AddAccount("A-03", "Eko Hotels");
  AddAccount("A-04", "Okafor Foods Plc");
  AddAccount("A-05", "Okafor Engineering Ltd");
  AddAccount("A-06", "Molefo Engineering");
  AddOkafors("A-04");
  // A typo in a three-letter word: only the whole name says which hotel is meant.
  auto hotel = Find("ekp hotels");
  ASSERT_FALSE(hotel.empty());
  EXPECT_EQ(hotel[0].id, "A-03") << Ids(hotel);
  EXPECT_GE(hotel[0].score, kWholeNameOneTypo);
  auto eng = Find("okafor enginering");
  ASSERT_FALSE(eng.empty());
  EXPECT_EQ(eng[0].id, "A-05") << Ids(eng);
  EXPECT_EQ(eng[0].kind, NameKind::kAccount);
  EXPECT_GT(eng[0].score, kWordMatchCap);
  // The same when the typo is in the stored name, and with the words swapped.
  AddAccount("A-07", "Adeyemi Enginering Services");
  auto stored = Find("services adeyemi engineering");
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored[0].id, "A-07") << Ids(stored);
}

// A query word that is a whole word of a name beats one that only begins a word.
TEST_F(SearchRankTest, WholeWordsRankBeforePartialWords) {
  AddAccount("A-1", "Okaforson");
  AddAccount("A-2", "Okafor Foods Plc");
  auto r = Find("okafor");
  ASSERT_EQ(r.size(), 2u) << Ids(r);
  EXPECT_EQ(r[0].id, "A-2") << Ids(r);
  EXPECT_EQ(r[1].id, "A-1");
  EXPECT_GT(r[0].score, r[1].score);
  // While typing, the partial word still finds the name.
  auto typing = Find("okaforso");
  ASSERT_FALSE(typing.empty());
  EXPECT_EQ(typing[0].id, "A-1") << Ids(typing);
}

// A name that matches ranks before a record found through its email or phone.
TEST_F(SearchRankTest, NamesRankBeforeEmailAndPhone) {
  AddAccount("A-1", "Adeyemi Motors");
  AddAccount("A-2", "Mikano Power", "0803 111 2222");
  AddAccount("A-3", "Depot 0803 Lekki");
  AddContact("C-1", "Kemi Adeyemi", "A-1");
  AddContact("C-2", "Ada Obi", "A-1", "kemi.obi@mail.ng");
  auto kemi = Find("kemi");
  ASSERT_EQ(kemi.size(), 2u) << Ids(kemi);
  EXPECT_EQ(kemi[0].id, "C-1") << Ids(kemi);
  EXPECT_EQ(kemi[1].id, "C-2");  // found by the email as typed so far
  EXPECT_GT(kemi[0].score, kemi[1].score);
  auto digits = Find("0803");
  ASSERT_EQ(digits.size(), 2u) << Ids(digits);
  EXPECT_EQ(digits[0].id, "A-3") << Ids(digits);  // the name has the number
  EXPECT_EQ(digits[1].id, "A-2");                 // the phone starts with it
  // A whole phone or email still finds its record, below an exact name.
  auto phone = Find("+234 803 111 2222");
  ASSERT_EQ(phone.size(), 1u) << Ids(phone);
  EXPECT_EQ(phone[0].id, "A-2");
  EXPECT_DOUBLE_EQ(phone[0].score, kSameField);
  EXPECT_LT(phone[0].score, Find("mikano power")[0].score);
}

// Accounts and contacts form one list ordered by score: a crowd of contacts that share one
// short word with the query does not push out the accounts that match more of it.
TEST_F(SearchRankTest, KindsInterleaveByScore) {
  AddAccount("A-1", "Okafor Engineering Ltd");
  AddAccount("A-2", "Molefo Engineering");
  AddAccount("A-3", "Baademo Engineering");
  AddAccount("A-4", "Okafor Foods Plc");
  AddOkafors("A-4");
  auto r = Find("okafor enginering", 10);
  ASSERT_EQ(r.size(), 10u) << Ids(r);
  EXPECT_EQ(r[0].id, "A-1") << Ids(r);
  for (size_t i = 1; i < r.size(); ++i) EXPECT_GE(r[i - 1].score, r[i].score) << Ids(r);
  auto rank = [&](const std::string& id) {
    return std::find_if(r.begin(), r.end(), [&](const Match& m) { return m.id == id; }) - r.begin();
  };
  // The engineering companies match ten letters of the query, the Okafors six.
  EXPECT_LT(rank("A-2"), 10) << Ids(r);
  EXPECT_LT(rank("A-3"), 10) << Ids(r);
  EXPECT_TRUE(
      std::any_of(r.begin(), r.end(), [](const Match& m) { return m.kind == NameKind::kContact; }));
  // Records of equal score take turns by kind: "Okafor Foods Plc" matches "okafor" as well as
  // "Bola Okafor" does, and is not hidden behind twenty-five people.
  auto okafor = Find("okafor", 4);
  ASSERT_EQ(okafor.size(), 4u);
  EXPECT_EQ(okafor[0].kind, NameKind::kContact) << Ids(okafor);
  EXPECT_EQ(okafor[1].kind, NameKind::kAccount) << Ids(okafor);
  EXPECT_EQ(okafor[2].kind, NameKind::kContact) << Ids(okafor);
  EXPECT_EQ(okafor[3].kind, NameKind::kAccount) << Ids(okafor);
  EXPECT_DOUBLE_EQ(okafor[0].score, okafor[1].score);
  // Further down, an account follows contacts of a higher score: one list, not two blocks.
  auto all = Find("okafor enginering", 40);
  std::string kinds;
  for (const auto& m : all) kinds += m.kind == NameKind::kAccount ? 'a' : 'c';
  EXPECT_NE(kinds.find("ca"), std::string::npos) << kinds;
  EXPECT_NE(kinds.find("ac"), std::string::npos) << kinds;
}

// A contact's result names its company; an account's does not.
TEST_F(SearchRankTest, ContactCarriesItsAccount) {
  AddAccount("A-1", "Okafor Engineering Ltd");
  AddContact("C-1", "Bola Okafor", "A-1");
  AddContact("C-2", "Bola Okafor", "");
  auto r = Find("bola okafor");
  ASSERT_EQ(r.size(), 3u) << Ids(r);
  for (const auto& m : r) {
    if (m.id == "C-1") {
      EXPECT_EQ(m.account_id, "A-1");
      EXPECT_EQ(m.account_name, "Okafor Engineering Ltd");
    } else {
      EXPECT_EQ(m.account_id, "") << m.id;
      EXPECT_EQ(m.account_name, "") << m.id;
    }
  }
  // The company's name lists the company, then its people, who name it.
  auto company = Find("okafor enginering");
  ASSERT_GE(company.size(), 2u) << Ids(company);
  EXPECT_EQ(company[0].id, "A-1") << Ids(company);
  EXPECT_EQ(company[1].id, "C-1") << Ids(company);
  EXPECT_EQ(company[1].account_name, "Okafor Engineering Ltd");
}

// A shorter list is the start of a longer one: ranking reads every candidate, but orders only
// the first `limit` of each kind (records of equal score take turns by kind, in name order).
TEST_F(SearchRankTest, AShorterListIsTheStartOfALongerOne) {
  const char* first[] = {"Zainab", "Bola", "Femi", "Ade", "Kemi", "Tolu", "Uche"};
  const char* sector[] = {"Foods", "Motors", "Zinc", "Agro", "Oil Nig. Ltd", "Steel"};
  for (int i = 0; i < 30; ++i) {
    // Ids out of name order, names of one and two words: scores tie within each kind.
    AddAccount("A-" + std::to_string(200 - i),
               std::string("Okafor ") + sector[i % 6] + (i % 4 == 0 ? " Works" : ""));
    AddContact("C-" + std::to_string(300 - i),
               std::string(first[i % 7]) + " Okafor" + (i % 5 == 0 ? " Jr" : ""), "");
  }
  for (const std::string q : {"okaf", "okafor", "okafor foods"}) {
    auto all = Find(q, 100);
    ASSERT_GE(all.size(), 40u) << q;
    for (int limit : {1, 2, 3, 7, 10, 25}) {
      auto some = Find(q, limit);
      ASSERT_EQ(some.size(), size_t(limit)) << q;
      for (int i = 0; i < limit; ++i)
        EXPECT_EQ(some[size_t(i)].id, all[size_t(i)].id)
            << q << " limit " << limit << ": " << Ids(some);
    }
  }
}

// Many records named exactly as typed (score 1), some a typo away (0.95) and others sharing
// words: a search skips scoring the names that cannot reach the first `limit`
// (service/match_score.h), and every limit still lists the start of the list that a limit
// above every candidate gives (then nothing is skipped: fewer names than the limit are known).
TEST_F(SearchRankTest, NamesakesRankTheSameAtAnyLimit) {
  const char* contacts[] = {"Bola Okafor", "Bola Okafr",   "Bola Okafor Ade",
                            "Bola Smith",  "bola  OKAFOR", "Okafor Bola"};
  const char* accounts[] = {"Bola Okafor Ltd", "Bola Okafro Foods", "Bola Okafor",
                            "Okafor Bola Nigeria Limited", "Bola Foods"};
  InTx([&](Tx& tx) {
    for (int i = 0; i < 25; ++i) {
      // Ids out of name order.
      Account a;
      a.id = "A-" + std::to_string(500 - 7 * i);
      a.name = accounts[i % 5];
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
    for (int i = 0; i < 90; ++i) {
      Contact c;
      c.id = "C-" + std::to_string(900 - 7 * i);
      c.full_name = contacts[i % 6];
      c.account_id = i % 3 == 0 ? "A-" + std::to_string(500 - 7 * (i % 25)) : "";
      ASSERT_TRUE(tx.InsertContact(c).ok());
    }
    // A typo away, first by name among those, last by id: read after the bar is reached.
    for (int i = 0; i < 2; ++i) {
      Contact c;
      c.id = "C-99" + std::to_string(8 + i);
      c.full_name = i == 0 ? "Abola Okafor" : "Abola Okafr";
      ASSERT_TRUE(tx.InsertContact(c).ok());
    }
  });
  for (const std::string q : {"bola okafor", "bola okafr", "okafor bola", "bola oka", "bola"}) {
    auto all = Find(q, 200);
    ASSERT_GE(all.size(), 20u) << q;
    for (int limit : {1, 2, 3, 5, 10, 20}) {
      auto some = Find(q, limit);
      ASSERT_EQ(some.size(), size_t(limit)) << q;
      for (int i = 0; i < limit; ++i) {
        EXPECT_EQ(some[size_t(i)].id, all[size_t(i)].id)
            << q << " limit " << limit << ": " << Ids(some);
        EXPECT_EQ(some[size_t(i)].score, all[size_t(i)].score) << q << " limit " << limit;
        EXPECT_EQ(some[size_t(i)].why, all[size_t(i)].why) << q << " limit " << limit;
      }
    }
  }
}

// Two words under which few records are both: the records under either are taken too, those
// under both and then the first of the others in id order, as many as make kCandidates / 2 (200)
// with them. Here the three under both have the last ids, so the first 200 of either word in
// id order hold 200 others; only the first 197 of those are candidates, and the three after
// them, whose names come first, are not listed.
TEST_F(SearchRankTest, TheRecordsUnderEitherWordAreTheFirstByIdAfterThoseUnderBoth) {
  InTx([&](Tx& tx) {
    for (int i = 0; i < 200; ++i) {
      Account a;
      a.id = "A-" + std::to_string(1000 + i);
      a.name = std::string("Kwame ") + (i >= 197 ? "Aa" : "Zz") + std::to_string(1000 + i);
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
    for (int i = 0; i < 3; ++i) {
      Account a;
      a.id = "A-" + std::to_string(2000 + i);
      a.name = "Zuri Kwame Y" + std::to_string(i);
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
  });
  auto found = Find("zuri kwame", 10);
  ASSERT_EQ(found.size(), 10u) << Ids(found);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(found[size_t(i)].id, "A-" + std::to_string(2000 + i));
  for (size_t i = 3; i < found.size(); ++i)
    EXPECT_EQ(found[i].name.substr(0, 8), "Kwame Zz") << Ids(found);
}

}  // namespace
}  // namespace cx
