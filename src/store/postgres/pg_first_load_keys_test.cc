// An ERP sync's first load into an empty PostgreSQL hub builds the accounts' keys (primary key,
// unique ERP Customer IDs, the covering index by id) once after its COPYs, and checks the
// foreign keys that name the accounts once (docs/postgresql.md, "Bulk loads"): the hub ends
// with the same keys as one written row by row, a key the load repeats is named as before, and
// anything else the transaction does with the accounts meanwhile finds the keys back. The
// server's counters (pg_statio_user_indexes) tell how the keys were kept, as in
// pg_first_load_test.cc. Run by the ctest entry pg_first_load (label pg).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "pg_test_hub.h"
#include "store/open/open_store.h"
#include "store/postgres/pg_db.h"
#include "test_store_url.h"

namespace cx {
namespace {

constexpr int kAccounts = 3000;

Account AccountOf(int i) {
  Account a;
  char id[16];
  std::snprintf(id, sizeof id, "A-%05d", i);
  a.id = id;
  a.name = "Keyed Firm " + std::to_string(i) + " Ltd";
  a.erp_customer_id = "E" + std::to_string(i);
  a.created_at = a.updated_at = 1;
  return a;
}

// A new hub on the test server, migrated.
std::string NewHub() {
  const std::string url = FreshServerDatabase(TestServerUrl());
  auto store = OpenStore(url);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return "";
  EXPECT_TRUE((*store)->Migrate().ok());
  return url;
}

// Announces a first ERP load and writes `accounts` in batches of 500, as an ERP sync does;
// `then` runs in the same transaction after them.
Status LoadAccounts(const std::string& url, const std::vector<Account>& accounts,
                    const std::function<Status(Tx&)>& then = nullptr) {
  auto store = OpenStore(url);
  if (!store.ok()) return store.status();
  return (*store)->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(
        tx.ExpectBulkLoad(Entity::kAccount, int64_t(accounts.size()), BulkShape::kErpLinkedUnowned)
            .status());
    std::vector<KeyedAccount> keyed;
    for (const Account& a : accounts) keyed.push_back(KeyAccount(a));
    for (size_t at = 0; at < keyed.size(); at += 500) {
      std::vector<const KeyedAccount*> batch;
      for (size_t i = at; i < std::min(keyed.size(), at + 500); ++i) batch.push_back(&keyed[i]);
      CX_RETURN_IF_ERROR(tx.InsertAccounts(batch));
    }
    return then ? then(tx) : Status::Ok();
  });
}

std::vector<Account> Accounts(int n) {
  std::vector<Account> out;
  for (int i = 0; i < n; ++i) out.push_back(AccountOf(i));
  return out;
}

// The blocks of the accounts' keys that went through the buffers (pg_test_hub.h).
int64_t KeyBlocksTouched(pg::Db& db) {
  return testing::IndexBlocksRead(
      db, "indexrelname IN ('accounts_pkey', 'accounts_erp', 'accounts_match')");
}

// The accounts' keys as the catalog holds them: every constraint on or naming the accounts
// (with whether it is validated) and every index of the accounts, by name.
std::string KeysDump(pg::Db& db) {
  std::string out;
  for (const char* sql :
       {"SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) || "
        "' ' || convalidated FROM pg_constraint WHERE conrelid = 'accounts'::regclass OR "
        "confrelid = 'accounts'::regclass ORDER BY 1",
        "SELECT c.relname || ' ' || pg_get_indexdef(i.indexrelid) || ' ' || i.indisvalid FROM "
        "pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = "
        "'accounts'::regclass ORDER BY 1"}) {
    auto r = db.Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    while (r.ok() && r->Next()) out += r->Text(0) + "\n";
  }
  return out;
}

TEST(PgFirstLoadKeys, BuildsTheAccountsKeysAfterTheLoadAsRowByRowHasThem) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u)
      << "needs a PostgreSQL server: run it through ctest (entry pg_first_load) or "
         "tests/pg_server.py run -- cxhub_tests --gtest_filter=PgFirstLoad*";
  const std::string bulk_url = NewHub(), rows_url = NewHub();
  ASSERT_FALSE(bulk_url.empty());
  ASSERT_FALSE(rows_url.empty());
  Status st = LoadAccounts(bulk_url, Accounts(kAccounts));
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto rows_store = OpenStore(rows_url);
  ASSERT_TRUE(rows_store.ok());
  st = (*rows_store)->Transaction([&](Tx& tx) -> Status {
    for (int i = 0; i < kAccounts; ++i) CX_RETURN_IF_ERROR(tx.InsertAccount(AccountOf(i)));
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto bulk = pg::Db::Connect(bulk_url);
  auto rows = pg::Db::Connect(rows_url);
  ASSERT_TRUE(bulk.ok() && rows.ok());
  // Put entry by entry, the pages of the three keys are pinned for each of 3,000 accounts
  // (some 9,000 block visits); built by sort, hardly at all.
  const int64_t touched = KeyBlocksTouched(**bulk);
  EXPECT_LT(touched, kAccounts / 10) << "the first load put its accounts into the keys one by one";
  const std::string keys = KeysDump(**bulk);
  EXPECT_NE(keys.find("accounts accounts_pkey PRIMARY KEY (id) true"), std::string::npos) << keys;
  EXPECT_NE(keys.find("contacts contacts_account_id_fkey FOREIGN KEY (account_id) REFERENCES "
                      "accounts(id) DEFERRABLE true"),
            std::string::npos)
      << keys;
  EXPECT_EQ(keys, KeysDump(**rows)) << "the keys after a first load differ from row by row's";
  // The keys hold: a taken id, a taken ERP Customer ID and a contact of no account are refused.
  EXPECT_FALSE((*bulk)
                   ->ExecScript("INSERT INTO accounts (id, name, name_key, created_at, "
                                "updated_at) VALUES ('A-00007', 'x', 'x', 1, 1)")
                   .ok());
  EXPECT_FALSE((*bulk)
                   ->ExecScript("INSERT INTO accounts (id, name, name_key, erp_customer_id, "
                                "created_at, updated_at) VALUES ('A-99999', 'x', 'x', 'E7', 1, 1)")
                   .ok());
  auto store = OpenStore(bulk_url);
  ASSERT_TRUE(store.ok());
  st = (*store)->Transaction([&](Tx& tx) -> Status {
    Contact c;
    c.id = "C-1";
    c.full_name = "Ada Obi";
    c.account_id = "A-77777";
    c.created_at = c.updated_at = 1;
    return tx.InsertContact(c);
  });
  EXPECT_FALSE(st.ok()) << "a contact of no account was stored";
  st = (*store)->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto found, tx.FindAccountByErpId("E2999"));
    EXPECT_TRUE(found.has_value() && found->id == "A-02999");
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
}

// Into a hub whose contacts hold a private person (no account), the contacts' foreign key and
// the accounts' primary key stay (the contacts are not locked for the load); the ERP ids' index
// and merged accounts' key still go off and come back, and the hub ends with the same keys.
TEST(PgFirstLoadKeys, APersonInTheContactsKeepsThePrimaryKey) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u) << "needs a PostgreSQL server";
  const std::string url = NewHub(), fresh_url = NewHub();
  ASSERT_FALSE(url.empty());
  ASSERT_FALSE(fresh_url.empty());
  {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok());
    Status st = (*store)->Transaction([&](Tx& tx) -> Status {
      Contact c;
      c.id = "C-1";
      c.full_name = "Ada Obi";
      c.created_at = c.updated_at = 1;
      return tx.InsertContact(c);
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  Status st = LoadAccounts(url, Accounts(kAccounts));
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto db = pg::Db::Connect(url);
  auto fresh = pg::Db::Connect(fresh_url);
  ASSERT_TRUE(db.ok() && fresh.ok());
  (void)KeyBlocksTouched(**db);  // waits for the load's counts
  auto touched = [&](const char* index) -> int64_t {
    auto r = (*db)->Query(
        "SELECT coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0) FROM "
        "pg_statio_user_indexes WHERE indexrelname = $1",
        pg::Params().Add(index));
    return r.ok() && r->Next() ? r->Int(0) : -1;
  };
  EXPECT_GT(touched("accounts_pkey"), kAccounts) << "the primary key went off";
  EXPECT_LT(touched("accounts_erp"), kAccounts / 10) << "the ERP ids' index stayed on";
  EXPECT_EQ(KeysDump(**db), KeysDump(**fresh));
}

// A key the load repeats (an id, an ERP Customer ID) fails the load with the account named,
// as the COPY's failure named it when the keys were kept, and leaves nothing behind.
TEST(PgFirstLoadKeys, ARepeatedKeyFailsTheLoadNamingTheAccount) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u) << "needs a PostgreSQL server";
  for (bool by_erp : {true, false}) {
    const std::string url = NewHub();
    ASSERT_FALSE(url.empty());
    std::vector<Account> accounts = Accounts(1200);
    Account again = AccountOf(5);  // in the first batch; this one in the third
    if (by_erp) {
      again.id = "A-01200";
    } else {
      again.erp_customer_id = "E1200";
    }
    accounts.push_back(again);
    Status st = LoadAccounts(url, accounts);
    EXPECT_EQ(st.code(), Code::kConflict) << st.ToString();
    const std::string want = by_erp ? "account A-01200 cannot be stored: its id or ERP Customer "
                                      "ID E5 is taken"
                                    : "account A-00005 cannot be stored: its id or ERP Customer "
                                      "ID E1200 is taken";
    EXPECT_NE(st.message().find(want), std::string::npos) << st.message();
    auto db = pg::Db::Connect(url);
    ASSERT_TRUE(db.ok());
    auto r = (*db)->Query("SELECT count(*) FROM accounts");
    ASSERT_TRUE(r.ok() && r->Next());
    EXPECT_EQ(r->Int(0), 0);
    EXPECT_NE(KeysDump(**db).find("accounts_pkey PRIMARY KEY (id) true"), std::string::npos);
  }
}

// After the load's COPYs, in the same transaction: a read by ERP Customer ID, a taken id
// refused by one INSERT, a contact of no account refused at once, and the load goes on.
TEST(PgFirstLoadKeys, TheTransactionFindsTheKeysBackAfterTheLoad) {
  ASSERT_EQ(TestServerUrl().rfind("postgresql://", 0), 0u) << "needs a PostgreSQL server";
  const std::string url = NewHub();
  ASSERT_FALSE(url.empty());
  Status st = LoadAccounts(url, Accounts(600), [](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto found, tx.FindAccountByErpId("E42"));
    EXPECT_TRUE(found.has_value() && found->id == "A-00042");
    Status taken = tx.InsertAccount(AccountOf(42));
    EXPECT_EQ(taken.code(), Code::kConflict) << taken.ToString();
    EXPECT_NE(taken.message().find("account A-00042 cannot be stored"), std::string::npos);
    Account more = AccountOf(600);
    return tx.InsertAccount(more);
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto db = pg::Db::Connect(url);
  ASSERT_TRUE(db.ok());
  auto r = (*db)->Query("SELECT count(*), count(DISTINCT id) FROM accounts");
  ASSERT_TRUE(r.ok() && r->Next());
  EXPECT_EQ(r->Int(0), 601);
  EXPECT_EQ(r->Int(1), 601);
}

}  // namespace
}  // namespace cx
