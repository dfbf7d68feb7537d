// Saving a record marks the KPI aggregates changed only when a column they read really changed
// (0012_quiet_update_triggers.sql): a rename or a new phone costs the next scorecard nothing.
#include "hub_fixture.h"
#include "raw_db.h"

namespace cx {
namespace {

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
  testing::RawDb raw(db);
  raw.Exec("DELETE FROM kpi_activity_dirty");
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
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty"), 0);
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
  EXPECT_EQ(raw.Int("SELECT count(DISTINCT account_id) FROM kpi_activity_dirty"), 2);
  EXPECT_EQ(raw.Int("SELECT count(*) FROM kpi_activity_dirty WHERE account_id NOT IN ('A-1', "
                    "'A-2')"),
            0);
}

}  // namespace
}  // namespace cx
