// Search-first of a workbook import beside its writer (docs/store.md, "Search-first beside the
// writer"): the new records' searches run on a second connection, on the hub as it was, while
// nothing the import did but add records could change their answers; the rest run in the
// import's transaction. The report and the hub are those of the import searching everything in
// its transaction (CXHUB_SEARCH_ASIDE=0), with new records that look like hub records, like
// each other, and both, and with a hub record rewritten half-way.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "import_test_util.h"
#include "service/workbook_import.h"
#include "store/open/open_store.h"
#include "store/sqlite/db.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

const char* const kFirst[] = {"Adebayo", "Chukwu",  "Okafor", "Balogun", "Eze",
                              "Nwosu",   "Ibrahim", "Yusuf",  "Olawale", "Bello"};
const char* const kSecond[] = {"Motors", "Foods",  "Cement", "Logistics", "Textiles",
                               "Farms",  "Energy", "Steel",  "Pharma",    "Plastics"};

std::string Num(const char* prefix, int i) {
  std::string n = std::to_string(i);
  return prefix + std::string(6 - n.size(), '0') + n;
}
std::string HeldName(int i) {
  return std::string(kFirst[i % 10]) + " " + kSecond[(i / 10) % 10] + " " +
         (i < 100 ? "Limited" : "Holdings");
}
std::string Phone(int i) { return "+23480" + std::to_string(30000000 + i); }

// The hub's own: 200 accounts (every pair of words, twice) with phones, and a contact of each of
// the first 50 with an email.
Sheets Held() {
  Sheets s = {
      {"Accounts", {{T("Account ID"), T("Company Name"), T("Phone")}}},
      {"Contacts", {{T("Contact ID"), T("Full Name"), T("Associated Account ID"), T("Email")}}}};
  for (int i = 0; i < 200; ++i)
    s[0].second.push_back({T(Num("A-", i + 1)), T(HeldName(i)), T(Phone(i))});
  for (int i = 0; i < 50; ++i) {
    s[1].second.push_back({T(Num("C-", i + 1)), T(std::string("Chinedu ") + kFirst[i % 10]),
                           T(Num("A-", i + 1)), T("c" + std::to_string(i) + "@held.ng")});
  }
  return s;
}

// New accounts and contacts. `alike`: many of them look like records of the hub (a letter
// changed, a held phone or email), like records of the import before them (the same phone,
// the same name, a colleague of the same name), or both; and, when `rename`, a held account is
// renamed half-way through the accounts. Else none looks like another new record.
Sheets Loaded(bool alike, bool rename) {
  Sheets s = {
      {"Accounts", {{T("Account ID"), T("Company Name"), T("Phone")}}},
      {"Contacts", {{T("Contact ID"), T("Full Name"), T("Associated Account ID"), T("Email")}}}};
  auto& acc = s[0].second;
  auto& con = s[1].second;
  for (int j = 0; j < 120; ++j) {
    if (rename && j == 60) acc.push_back({T(Num("A-", 1)), T("Renamed Works Limited"), E()});
    std::string first = kFirst[j % 10];
    first[1] = 'x';  // "Axebayo", "Cxukwu", …: like held names through the name index
    std::string name = first + " " + kSecond[(j / 10) % 10] + " Limited";
    std::string phone = "+23481" + std::to_string(40000000 + j);
    if (alike && j % 7 == 3) phone = Phone(j + 5);                                  // a held phone
    if (alike && j % 11 == 5) phone = "+23481" + std::to_string(40000000 + j - 1);  // the last's
    if (alike && j % 13 == 8) name = "Unique Newco " + std::to_string(j / 26);      // twice each
    if (!alike) name = "Q" + std::to_string(j) + " " + name;
    if (rename && j == 90) name = "Renamed Works Limited";  // the held account's new name
    acc.push_back({T(Num("A-", 1000 + j)), T(name), T(phone)});
  }
  for (int j = 0; j < 80; ++j) {
    // Half under held accounts, half under new ones; in alike, two by two under the same.
    const std::string account = j < 40 ? Num("A-", 100 + j) : Num("A-", 1000 + j);
    std::string name = std::string("Ngozi ") + kFirst[j % 10] + " " + std::to_string(j);
    std::string email = "n" + std::to_string(j) + "@new.ng";
    std::string at = account;
    if (alike && j % 5 == 1) email = "c" + std::to_string(j % 50) + "@held.ng";  // a held one
    if (alike && j % 9 == 4) {
      at = j < 40 ? Num("A-", 100 + j - 1) : Num("A-", 1000 + j - 1);  // the last's account
      name = std::string("Ngozi ") + kFirst[(j - 1) % 10] + " " + std::to_string(j - 1);
    }
    if (alike && j % 17 == 9) email = "n" + std::to_string(j - 1) + "@new.ng";  // the last's
    con.push_back({T(Num("C-", 1000 + j)), T(name), T(at), T(email)});
  }
  return s;
}

// Whether the report `out` (DescribeImport) lists `match` as a probable duplicate of new record
// `id`.
bool Listed(const std::string& out, const std::string& id, const std::string& match) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (line.substr(0, colon).find(" " + id + " ") != std::string::npos &&
        line.find(" " + match + " ", colon) != std::string::npos)
      return true;
  }
  return false;
}

// Which thread ran the statements that look records up by their exact keys (the first step of
// every search-first: FindByKeys), while it lives.
class KeyLookups {
 public:
  KeyLookups()
      : observer_([this](const sqlite::StatementRun& r) {
          if (r.sql.find("WHERE name_key = ?") == std::string_view::npos &&
              r.sql.find("WHERE phone_key = ?") == std::string_view::npos &&
              r.sql.find("WHERE email_key = ?") == std::string_view::npos)
            return;
          std::lock_guard<std::mutex> lock(mu_);
          ++runs_[std::this_thread::get_id() == writer_ ? 0 : 1];
        }) {
    sqlite::SetStatementObserver(&observer_);
  }
  ~KeyLookups() { sqlite::SetStatementObserver(nullptr); }
  int64_t writer() const { return runs_[0]; }
  int64_t aside() const { return runs_[1]; }

 private:
  std::thread::id writer_ = std::this_thread::get_id();
  std::mutex mu_;
  int64_t runs_[2] = {0, 0};
  sqlite::StatementObserver observer_;
};

class SearchAsideTest : public ::testing::Test {
 protected:
  struct Hub {
    std::unique_ptr<Store> store;
    Context ctx;
  };
  // A SQLite hub holding Held() (whatever store the other tests run against: the searches
  // beside the writer are this backend's).
  std::unique_ptr<Hub> Open(const std::string& file) {
    auto s = OpenStore("sqlite:" + dir_.File(file));
    if (!s.ok() || !(*s)->Migrate().ok()) return nullptr;
    auto h = std::make_unique<Hub>();
    h->store = std::move(*s);
    h->ctx.store = h->store.get();
    h->ctx.actor = "tester";
    h->ctx.now = [] { return Timestamp(1767225600); };
    Status st = h->store->Transaction([](Tx& tx) {
      return tx.UpsertUser(User{"tester", "Tess Tester", "manager", "", "", false, 0});
    });
    if (!st.ok()) return nullptr;
    auto r = ImportWorkbook(h->ctx, dir_.File("held.xlsx"), ImportOptions{});
    if (!r.ok() || !r->ok()) return nullptr;
    return h;
  }
  // Imports `load` into a new hub: the report, then the accounts and contacts as stored.
  std::string Load(const std::string& file, const std::string& load) {
    auto h = Open(file);
    EXPECT_TRUE(h);
    if (!h) return "";
    auto r = ImportWorkbook(h->ctx, dir_.File(load), ImportOptions{});
    EXPECT_TRUE(r.ok() && r->ok()) << r.status().ToString();
    if (!r.ok()) return "";
    std::string out = testing::DescribeImport(*r);
    Status st = h->store->Read([&](Tx& tx) -> Status {
      for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
        CX_RETURN_IF_ERROR(tx.ForEachMatchKeys(k, [&](const MatchKeys& m) -> Status {
          out += m.id + "|" + m.name + "|" + m.name_key + "|" + m.phone_key + "|" + m.email_key +
                 "|" + m.account_id + "\n";
          return Status::Ok();
        }));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }
  void SetUp() override {
    WriteXlsx(dir_.File("held.xlsx"), Held());
    WriteXlsx(dir_.File("alike.xlsx"), Loaded(true, false));
    WriteXlsx(dir_.File("renamed.xlsx"), Loaded(true, true));
    WriteXlsx(dir_.File("apart.xlsx"), Loaded(false, false));
  }
  void TearDown() override { unsetenv("CXHUB_SEARCH_ASIDE"); }
  TempDir dir_;
};

TEST_F(SearchAsideTest, LookAlikesInsideTheImportAndInTheHubAreReportedAsWhenSearchedInIt) {
  for (const char* load : {"alike.xlsx", "renamed.xlsx"}) {
    const std::string aside = Load(std::string("aside-") + load + ".db", load);
    setenv("CXHUB_SEARCH_ASIDE", "0", 1);
    const std::string here = Load(std::string("here-") + load + ".db", load);
    unsetenv("CXHUB_SEARCH_ASIDE");
    EXPECT_EQ(aside, here) << load;
    // What the load brings is there: typos of held names, held phones, a phone and a name of the
    // import's own accounts, held emails, colleagues of the same name, a new contact's email.
    EXPECT_TRUE(Listed(aside, "A-001000", "A-000001")) << aside;  // Axebayo Motors Limited
    EXPECT_TRUE(Listed(aside, "A-001003", "A-000009")) << aside;  // held A-000009's phone
    EXPECT_TRUE(Listed(aside, "A-001005", "A-001004")) << aside;  // A-001004's phone
    EXPECT_TRUE(Listed(aside, "A-001021", "A-001008")) << aside;  // Unique Newco 0, twice
    EXPECT_TRUE(Listed(aside, "C-001001", "C-000002")) << aside;  // held C-000002's email
    EXPECT_TRUE(Listed(aside, "C-001004", "C-001003")) << aside;  // a colleague of the same name
    EXPECT_TRUE(Listed(aside, "C-001009", "C-001008")) << aside;  // C-001008's email
    if (std::string(load) == "renamed.xlsx") {
      EXPECT_TRUE(Listed(aside, "A-001090", "A-000001")) << aside;  // by its name of this import
    }
  }
}

// Every search of a load whose new records look like none of its own runs beside the writer:
// its transaction looks no record up by its keys.
TEST_F(SearchAsideTest, SearchesOfNewRecordsRunBesideTheWriter) {
  std::optional<KeyLookups> lookups(std::in_place);  // it sees the connections opened after it
  const std::string aside = Load("apart.db", "apart.xlsx");
  const int64_t writer = lookups->writer(), beside = lookups->aside();
  lookups.reset();
  EXPECT_NE(aside.find("Accounts 120/0/0"), std::string::npos) << aside;
  EXPECT_EQ(writer, 0);
  EXPECT_GE(beside, 200);  // each of 200 records by at least one key
  setenv("CXHUB_SEARCH_ASIDE", "0", 1);
  EXPECT_EQ(Load("here.db", "apart.xlsx"), aside);
}

// What the transaction tells the searches beside it: its inserts do not move the count, an
// update or a flush of the name index does.
TEST_F(SearchAsideTest, SearchVisibleRewritesMoveOnRewritesNotOnInserts) {
  auto h = Open("count.db");
  ASSERT_TRUE(h);
  Status st = h->store->Transaction([&](Tx& tx) -> Status {
    tx.SearchOnlyFlushedNames();
    const auto start = tx.SearchVisibleRewrites();
    EXPECT_TRUE(start.has_value());
    Account n;
    n.id = "A-009999";
    n.name = "Brand New Limited";
    CX_RETURN_IF_ERROR(tx.InsertAccount(n));
    EXPECT_EQ(tx.SearchVisibleRewrites(), start);
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(Num("A-", 2)));
    EXPECT_TRUE(a);
    if (!a) return Status::Ok();
    a->name = "Zenith Cement Limited";
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
    EXPECT_NE(tx.SearchVisibleRewrites(), start);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto sibling = h->store->OpenSibling();
  ASSERT_TRUE(sibling.ok());
  EXPECT_TRUE(*sibling);  // a hub under WAL offers one
}

}  // namespace
}  // namespace cx
