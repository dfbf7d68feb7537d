// Saving a record marks the KPI aggregates changed only when a column they read really changed
// (0012_quiet_update_triggers.sql): a rename or a new phone costs the next scorecard nothing.
#include <sqlite3.h>

#include "hub_fixture.h"

namespace cx {
namespace {

void Raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

int64_t Count(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
  int64_t v = -1;
  if (s && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

class QuietTriggersTest : public testing::HubTest {};

TEST_F(QuietTriggersTest, OnlyRealChangesMarkTheActivityChanged) {
  const std::string db = dir_ + "/hub.db";
  InTx([&](Tx& tx) {
    for (const char* id : {"A-1", "A-2"}) {
      Account a;
      a.id = id;
      a.name = std::string("Company ") + id;
      a.erp_customer_id = std::string("E-") + id;
      ASSERT_TRUE(tx.InsertAccount(a).ok());
    }
    Contact c;
    c.id = "C-1";
    c.full_name = "Ngozi Eze";
    c.account_id = "A-1";
    ASSERT_TRUE(tx.InsertContact(c).ok());
  });
  Raw(db, "DELETE FROM kpi_activity_dirty");
  InTx([&](Tx& tx) {
    auto a = tx.GetAccount("A-1");
    ASSERT_TRUE(a.ok() && a->has_value());
    (*a)->name = "Company A-1 Renamed";
    ASSERT_TRUE(tx.UpdateAccount(**a).ok());
    auto c = tx.GetContact("C-1");
    ASSERT_TRUE(c.ok() && c->has_value());
    (*c)->phone = "0803 111 2222";
    ASSERT_TRUE(tx.UpdateContact(**c).ok());
  });
  EXPECT_EQ(Count(db, "SELECT count(*) FROM kpi_activity_dirty"), 0);
  InTx([&](Tx& tx) {
    auto c = tx.GetContact("C-1");
    ASSERT_TRUE(c.ok() && c->has_value());
    (*c)->account_id = "A-2";
    ASSERT_TRUE(tx.UpdateContact(**c).ok());
    auto a = tx.GetAccount("A-1");
    ASSERT_TRUE(a.ok() && a->has_value());
    (*a)->erp_customer_id = "E-9";
    ASSERT_TRUE(tx.UpdateAccount(**a).ok());
  });
  EXPECT_EQ(Count(db, "SELECT count(DISTINCT account_id) FROM kpi_activity_dirty"), 2);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM kpi_activity_dirty WHERE account_id NOT IN ('A-1', "
                  "'A-2')"),
            0);
}

}  // namespace
}  // namespace cx
