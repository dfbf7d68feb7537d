// Search-first of contacts (FindProbableDuplicates): the verdicts are those of comparing the new
// contact with every contact of the hub by PairMatch, whether the name index is read or skipped
// (docs/search.md, "Search-first").
#include <set>

#include "hub_fixture.h"
#include "service/dedupe.h"
#include "service/match.h"

namespace cx {
namespace {

class SearchFirstTest : public testing::HubTest {
 protected:
  // Twenty companies, each with a contact called Chinedu Okonkwo (a name the name index finds
  // at every one of them), and a few other people. (Search-first compares the best 30 names the
  // index ranks: with more namesakes than that, a typo'd twin ranks below them.)
  void SetUp() override {
    HubTest::SetUp();
    InTx([&](Tx& tx) {
      for (int a = 0; a < 20; ++a) {
        Account acc;
        acc.id = "A-" + std::to_string(a);
        acc.name = "Company " + std::to_string(a);
        ASSERT_TRUE(tx.InsertAccount(acc).ok());
        Contact c;
        c.id = "C-" + std::to_string(a);
        c.full_name = "Chinedu Okonkwo";
        c.account_id = acc.id;
        if (a == 15) c.email = "chinedu@example.com";
        if (a == 16) c.phone = "0803 555 0101";
        ASSERT_TRUE(tx.InsertContact(c).ok());
      }
      Contact twin;  // a typo of the name, at the seventh company
      twin.id = "C-twin";
      twin.full_name = "Chinedu Okonkow";
      twin.account_id = "A-7";
      ASSERT_TRUE(tx.InsertContact(twin).ok());
      Contact other;  // someone else at the eighth
      other.id = "C-other";
      other.full_name = "Amaka Eze";
      other.account_id = "A-8";
      ASSERT_TRUE(tx.InsertContact(other).ok());
    });
  }
  // The ids FindProbableDuplicates gives for a new contact.
  std::set<std::string> Found(const MatchKeys& probe) {
    std::set<std::string> out;
    InTx([&](Tx& tx) {
      auto r = FindProbableDuplicates(tx, NameKind::kContact, probe);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      for (const auto& m : *r) out.insert(m.id);
    });
    return out;
  }
  // The ids of every live contact PairMatch calls a probable duplicate of the new one.
  std::set<std::string> EveryPair(const MatchKeys& probe) {
    std::set<std::string> out;
    InTx([&](Tx& tx) {
      ASSERT_TRUE(tx.ForEachMatchKeys(NameKind::kContact, [&](const MatchKeys& other) {
                      if (PairMatch(NameKind::kContact, probe, other).score >= kProbableDuplicate)
                        out.insert(other.id);
                      return Status::Ok();
                    }).ok());
    });
    return out;
  }
  static MatchKeys Probe(const std::string& name, const std::string& account,
                         const std::string& email = "", const std::string& phone = "") {
    Contact c;
    c.full_name = name;
    c.account_id = account;
    c.email = email;
    c.phone = phone;
    return KeysOf(c);
  }
};

// A typo'd twin in the same company shares no key with the new contact: only the name index
// finds it, so it must be read although many others bear the name.
TEST_F(SearchFirstTest, ATypoTwinInTheSameCompanyIsFound) {
  const auto probe = Probe("Chinedu Okonkwo", "A-7");
  EXPECT_EQ(Found(probe), (std::set<std::string>{"C-7", "C-twin"}));
  EXPECT_EQ(Found(probe), EveryPair(probe));
}

// The same name elsewhere is no duplicate; a shared email or phone is, at any company; without a
// company only those count.
TEST_F(SearchFirstTest, ACommonNameCountsOnlyWithinACompanyOrWithASharedKey) {
  const std::vector<MatchKeys> probes = {
      Probe("Chinedu Okonkwo", ""),
      Probe("Chinedu Okonkwo", "A-8"),
      Probe("Chinedu Okonkwo", "", "Chinedu@Example.com"),
      Probe("Chinedu Okonkwo", "A-9", "", "+234 803 555 0101"),
      Probe("Amaka Eze", "A-8"),
      Probe("Amaka Ezeh", "A-8"),
      Probe("Amaka Ezeh", "A-9"),
  };
  const std::vector<std::set<std::string>> want = {
      {}, {"C-8"}, {"C-15"}, {"C-9", "C-16"}, {"C-other"}, {"C-other"}, {},
  };
  for (size_t i = 0; i < probes.size(); ++i) {
    EXPECT_EQ(Found(probes[i]), want[i]) << probes[i].name << " at " << probes[i].account_id;
    EXPECT_EQ(Found(probes[i]), EveryPair(probes[i])) << probes[i].name;
  }
}

}  // namespace
}  // namespace cx
