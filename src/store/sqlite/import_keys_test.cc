// What search-first costs a workbook import into a hub that holds accounts, counted as the
// statements that read candidates' match keys (docs/store.md, "Search-first during a load"):
// the import keeps the keys it reads for its transaction, so that the next row's search, whose
// candidates are mostly the same records, reads none of them again; the kept keys are dropped
// whenever the import rewrites a record, so the duplicates reported are those read without them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "import_test_util.h"
#include "service/workbook_import.h"
#include "statement_counts.h"
#include "store/sqlite/db.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

using testing::StatementCounts;

const char* const kFirst[] = {"Adebayo", "Chukwu",  "Okafor", "Balogun", "Eze",
                              "Nwosu",   "Ibrahim", "Yusuf",  "Olawale", "Bello"};
const char* const kSecond[] = {"Motors", "Foods",  "Cement", "Logistics", "Textiles",
                               "Farms",  "Energy", "Steel",  "Pharma",    "Plastics"};

std::string Id(int i) {
  std::string n = std::to_string(i);
  return "A-" + std::string(6 - n.size(), '0') + n;
}

// The hub's own accounts: every pair of a first and a second word, three times; and a contact.
Sheets Held() {
  Sheets s = {{"Accounts", {{T("Account ID"), T("Company Name"), T("Phone")}}},
              {"Contacts",
               {{T("Contact ID"), T("Full Name"), T("Associated Account ID")},
                {T("C-000001"), T("Chinedu Okafor"), T("A-000001")}}}};
  for (int i = 0; i < 300; ++i) {
    s[0].second.push_back({T(Id(i + 1)),
                           T(std::string(kFirst[i % 10]) + " " + kSecond[(i / 10) % 10] + " " +
                             (i < 100   ? "Limited"
                              : i < 200 ? "Nigeria"
                                        : "Holdings")),
                           T("+23480" + std::to_string(30000000 + i))});
  }
  return s;
}

// New accounts whose names are those of the held ones with a letter changed (probable
// duplicates, found through the name index), with two held accounts renamed among them: each is
// renamed after the searches before it read its keys, keeps a word by which the searches after it
// still find it, and takes the other word of a new name that follows.
Sheets Loaded() {
  Sheets s = {{"Accounts", {{T("Account ID"), T("Company Name"), T("Phone")}}}};
  auto add = [&](const std::string& id, const std::string& name) {
    s[0].second.push_back({T(id), T(name), T("")});
  };
  for (int j = 0; j < 200; ++j) {
    if (j == 60) add(Id(1), "Adebayo Steel Limited");    // was "Adebayo Motors Limited"
    if (j == 120) add(Id(12), "Chukwu Cement Limited");  // was "Chukwu Foods Limited"
    std::string first = kFirst[j % 10];
    first[1] = 'x';  // "Axebayo", "Cxukwu", …
    add(Id(1000 + j), first + " " + kSecond[(j / 10) % 10] + " Limited");
  }
  return s;
}

class ImportKeysTest : public ::testing::Test {
 protected:
  // The load's summary, and the runs of the statements reading accounts' match keys by id.
  std::string Load(const std::string& hub, int64_t* key_reads) {
    {
      auto h = OpenHub(dir_.path(), hub);
      EXPECT_TRUE(h);
      if (!h) return "";
      auto r = ImportWorkbook(h->ctx, dir_.File("held.xlsx"), ImportOptions{});
      EXPECT_TRUE(r.ok() && r->ok()) << r.status().ToString();
    }
    counts_.emplace();
    auto h = OpenHub(dir_.path(), hub);  // the counts see the connections opened after them
    EXPECT_TRUE(h);
    if (!h) return "";
    auto r = ImportWorkbook(h->ctx, dir_.File("load.xlsx"), ImportOptions{});
    EXPECT_TRUE(r.ok() && r->ok()) << r.status().ToString();
    h.reset();
    *key_reads = counts_->Runs("SELECT id, name, name_key", "INDEXED BY accounts_match");
    counts_.reset();
    return r.ok() ? testing::DescribeImport(*r) : "";
  }
  void SetUp() override {
    WriteXlsx(dir_.File("held.xlsx"), Held());
    WriteXlsx(dir_.File("load.xlsx"), Loaded());
  }
  void TearDown() override { unsetenv("CXHUB_MATCH_KEY_CACHE"); }
  TempDir dir_;
  std::optional<StatementCounts> counts_;
};

TEST_F(ImportKeysTest, SearchFirstReadsTheHeldAccountsKeysOnceAndReportsTheSame) {
  int64_t kept_reads = 0, plain_reads = 0;
  const std::string kept = Load("kept.db", &kept_reads);
  // The same load with no cache of keys (0: none): each search reads its candidates' keys.
  setenv("CXHUB_MATCH_KEY_CACHE", "0", 1);
  const std::string plain = Load("plain.db", &plain_reads);
  EXPECT_EQ(kept, plain);
  // The new accounts look like held ones: the report lists them, the renamed two by their new
  // names.
  EXPECT_NE(kept.find("A-000001 Adebayo Steel Limited"), std::string::npos) << kept;
  EXPECT_NE(kept.find("A-000012 Chukwu Cement Limited"), std::string::npos) << kept;
  EXPECT_NE(kept.find("Accounts 200/2/0"), std::string::npos) << kept;
  // 200 searches: without the cache each read its candidates' keys; with it, the held
  // accounts' keys are read once, and again after each of the two renames emptied them.
  EXPECT_GE(plain_reads, 200) << plain_reads << " " << kept_reads;
  EXPECT_LE(kept_reads, 60) << kept_reads << " " << plain_reads;
}

// The keys a write transaction keeps follow its own changes: a renamed account and one added.
TEST_F(ImportKeysTest, KeptKeysFollowTheTransactionsOwnChanges) {
  auto h = OpenHub(dir_.path());
  ASSERT_TRUE(h);
  auto r = ImportWorkbook(h->ctx, dir_.File("held.xlsx"), ImportOptions{});
  ASSERT_TRUE(r.ok() && r->ok());
  Status st = h->store->Transaction([&](Tx& tx) -> Status {
    tx.KeepMatchKeys();
    CX_ASSIGN_OR_RETURN(auto before, tx.GetMatchKeys(NameKind::kAccount, {Id(1), Id(2)}));
    EXPECT_EQ(before.size(), 2u);
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Id(1)));
    EXPECT_TRUE(a);
    if (!a) return Status::Ok();
    a->name = "Zenith Cement Limited";
    a->phone = "+2348031234567";
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    Account n;
    n.id = Id(5000);
    n.name = "Brand New Limited";
    CX_RETURN_IF_ERROR(tx.InsertAccount(n));
    CX_ASSIGN_OR_RETURN(auto after, tx.GetMatchKeys(NameKind::kAccount, {Id(1), Id(2), Id(5000)}));
    EXPECT_EQ(after.size(), 3u);
    if (after.size() == 3) {
      EXPECT_EQ(after[0].name, "Zenith Cement Limited");
      EXPECT_NE(after[0].phone_key, before[0].phone_key);
      EXPECT_EQ(after[1].name, before[1].name);
      EXPECT_EQ(after[2].name, "Brand New Limited");
    }
    // Renamed again, once its new keys were read (and kept) after the first change.
    a->name = "Zenith Steel Limited";
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    CX_ASSIGN_OR_RETURN(auto again, tx.GetMatchKeys(NameKind::kAccount, {Id(1)}));
    EXPECT_EQ(again.size(), 1u);
    if (again.size() == 1) {
      EXPECT_EQ(again[0].name, "Zenith Steel Limited");
    }
    // A contact moved to another account: its kept keys (the account is one) follow.
    CX_ASSIGN_OR_RETURN(auto held, tx.GetMatchKeys(NameKind::kContact, {"C-000001"}));
    EXPECT_EQ(held.size(), 1u);
    CX_ASSIGN_OR_RETURN(auto c, tx.GetContact("C-000001"));
    EXPECT_TRUE(c);
    if (!c) return Status::Ok();
    c->account_id = Id(2);
    CX_RETURN_IF_ERROR(tx.UpdateContact(*c));
    CX_ASSIGN_OR_RETURN(auto moved, tx.GetMatchKeys(NameKind::kContact, {"C-000001"}));
    EXPECT_EQ(moved.size(), 1u);
    if (moved.size() == 1) {
      EXPECT_EQ(moved[0].account_id, Id(2));
    }
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

}  // namespace
}  // namespace cx
