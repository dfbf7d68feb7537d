// The unlinked accounts an ERP sync proposes links to (UnlinkedAccounts): the look-alikes it
// finds are those PairMatch finds against every account, and a customer like no account costs
// (almost) no look-up in the hash table (docs/erp.md, "Bulk writes").
#include "service/unlinked_accounts.h"

#include <set>

#include "base/text.h"
#include "hub_fixture.h"
#include "service/dedupe.h"

namespace cx {
namespace {

class UnlinkedAccountsTest : public testing::HubTest {
 protected:
  // 400 workbook accounts (no ERP id) with random two-word names, phones and emails, and two
  // with names of several bytes a letter.
  void SetUp() override {
    HubTest::SetUp();
    uint64_t seed = 42;
    auto word = [&seed] {  // seven or eight letters drawn at random: names far apart
      std::string w;
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      for (int n = 7 + int((seed >> 60) & 1); n > 0; --n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        w += char('a' + (seed >> 33) % 26);
      }
      return w;
    };
    InTx([&](Tx& tx) {
      for (int i = 0; i < 400; ++i) {
        Account a;
        a.id = "A-" + std::to_string(1000 + i);
        std::string w1 = word();
        w1[0] = char(w1[0] - 'a' + 'A');
        a.name = w1 + " " + word() + " Ltd";
        a.phone = "+23480310" + std::to_string(10000 + i);
        a.email = "office" + std::to_string(i) + "@firm.ng";
        ASSERT_TRUE(tx.InsertAccount(a).ok());
        accounts_.push_back(a);
      }
      for (const char* name : {"Ọlọ́run Ọjà Trading", "Ẹ̀kọ́ Àṣẹ Holdings"}) {
        Account a;
        a.id = "A-" + std::to_string(1000 + accounts_.size());
        a.name = name;
        ASSERT_TRUE(tx.InsertAccount(a).ok());
        accounts_.push_back(a);
      }
      ASSERT_TRUE(unlinked_.Load(tx, int64_t(accounts_.size())).ok());
    });
    ASSERT_TRUE(unlinked_.loaded());
  }
  // A customer of the ERP with this name, phone and email, keyed as the sync keys it.
  static MatchKeys Customer(const std::string& name, const std::string& phone = "",
                            const std::string& email = "") {
    Account c;
    c.name = name;
    c.phone = phone;
    c.email = email;
    MatchKeys k = KeysOf(c);
    k.id.clear();
    return k;
  }
  std::set<std::string> Found(const MatchKeys& k) {
    std::set<std::string> out;
    for (const auto& m : unlinked_.Find(k)) out.insert(m.id);
    return out;
  }
  // Every account PairMatch calls a probable duplicate of `k`, comparing it with each in turn.
  std::set<std::string> EveryPair(const MatchKeys& k) {
    std::set<std::string> out;
    for (const auto& a : accounts_)
      if (PairMatch(NameKind::kAccount, k, KeysOf(a)).score >= kProbableDuplicate) out.insert(a.id);
    return out;
  }
  std::vector<Account> accounts_;
  UnlinkedAccounts unlinked_;
};

TEST_F(UnlinkedAccountsTest, FindsWhatComparingWithEveryAccountFinds) {
  std::vector<size_t> probed;  // every seventh account, and the two of several-byte letters
  for (size_t i = 0; i < 400; i += 7) probed.push_back(i);
  probed.insert(probed.end(), {400, 401});
  size_t found = 0;
  for (size_t i : probed) {
    const Account& a = accounts_[i];
    std::string dropped = a.name;  // a letter left out (a code point, not a byte)
    size_t at = dropped.size() / 3;
    while (at > 0 && (static_cast<unsigned char>(dropped[at]) & 0xC0) == 0x80) --at;
    size_t end = at + 1;
    while (end < dropped.size() && (static_cast<unsigned char>(dropped[end]) & 0xC0) == 0x80) ++end;
    dropped.erase(at, end - at);
    std::string upper = a.name;  // another case
    for (char& ch : upper)
      if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
    for (const MatchKeys& k : {Customer(dropped), Customer(upper), Customer("Other", a.phone),
                               Customer("Someone Else", "", a.email)}) {
      auto got = Found(k);
      EXPECT_EQ(got, EveryPair(k)) << "customer '" << k.name << "' like " << a.name;
      found += got.count(a.id) > 0;
    }
  }
  // Each look-alike was made from an account: all of them are found (the two accounts of
  // several-byte letters have no phone nor email).
  EXPECT_EQ(found, 4 * probed.size() - 4);
}

// An ERP sync hands Find the name's words as the account's keys already split them: the key
// made from those is the one Find would make from the name, and so are the look-alikes.
TEST_F(UnlinkedAccountsTest, TheTypedKeyFromAnAccountsWordsIsTheOneFromItsName) {
  for (const std::string name :
       {"Dangote Cement Plc", "  kola   PALM trading ltd ", "Société Générale Côte d'Ivoire", "Ltd",
        "", "A.B.C. (Nigeria) Limited", "12 Marina Road Stores"}) {
    EXPECT_EQ(UnlinkedAccounts::TypedKey(CompanyWords(name)), OrderedKey(NameKind::kAccount, name))
        << name;
  }
  for (size_t i = 0; i < accounts_.size(); i += 11) {
    Account a = accounts_[i];
    a.name.insert(a.name.size() / 2, "x");
    const KeyedAccount k = KeyAccount(a);
    const MatchKeys keys{"", a.name, k.name_key, k.phone_key, k.email_key, ""};
    const auto with = unlinked_.Find(keys, UnlinkedAccounts::TypedKey(k.words));
    const auto without = unlinked_.Find(keys);
    ASSERT_EQ(with.size(), without.size()) << a.name;
    for (size_t m = 0; m < with.size(); ++m) EXPECT_EQ(with[m].id, without[m].id);
  }
}

TEST_F(UnlinkedAccountsTest, ACustomerLikeNoAccountCostsAlmostNoTableLookUp) {
  const uint64_t before = unlinked_.slot_reads();
  for (int i = 0; i < 2000; ++i) {
    MatchKeys k =
        Customer("Sahel Alpha " + std::to_string(i) + " Ltd",
                 "+2348000" + std::to_string(100000 + i), "c" + std::to_string(i) + "@example.ng");
    ASSERT_TRUE(unlinked_.Find(k).empty()) << k.name;
  }
  // Each customer hashes some forty keys (name, phone, email, every one-letter deletion of its
  // name twice); without the filter each of them read the table.
  EXPECT_LT(unlinked_.slot_reads() - before, 2000u);
}

}  // namespace
}  // namespace cx
