// Tests that one record never breaks an export: text stored before the hub refused over-long
// text is written cut to a cell's limit, with a warning naming the record and the column.
#include "service/workbook_export.h"

#include <gtest/gtest.h>

#include "domain/cell_text.h"
#include "hub_fixture.h"
#include "raw_db.h"
#include "service/account_service.h"
#include "service/interaction_service.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

class WorkbookExportTest : public testing::HubTest {};

TEST_F(WorkbookExportTest, OverLongStoredTextIsCutWithAWarningNeverAFailedExport) {
  Account acc;
  acc.name = "Okafor Foods";
  acc.divisions = "GRAS";
  auto a = AddAccount(ctx_, acc);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Contact con;
  con.full_name = "Ada Okafor";
  con.account_id = a->id;
  auto c = AddContact(ctx_, con);
  ASSERT_TRUE(c.ok());
  Interaction i;
  i.contact_id = c->id;
  i.channel = "phone";
  i.notes = "short";
  auto logged = LogInteraction(ctx_, i);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  {
    testing::RawDb raw(dir_ + "/hub.db");
    raw.Exec("UPDATE interactions SET notes = printf('%.*c', 100000, 'N') WHERE id = '" +
             logged->id + "'");
    raw.Exec("UPDATE accounts SET custom = json_object('Remarks', printf('%.*c', 40000, 'r'))");
  }
  const std::string path = dir_ + "/out.xlsx";
  auto e = ExportWorkbook(ctx_, path);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ASSERT_EQ(e->warnings.size(), 2u);
  EXPECT_NE(e->warnings[0].find("record " + a->id + ", column 'Remarks'"), std::string::npos)
      << e->warnings[0];
  EXPECT_NE(e->warnings[1].find("sheet 'Interactions', record " + logged->id + ", column 'Notes'"),
            std::string::npos)
      << e->warnings[1];
  EXPECT_NE(e->warnings[1].find("100,000"), std::string::npos);
  auto cells = wbtest::ReadCells(path);
  ASSERT_TRUE(cells.ok()) << cells.status().ToString();
  EXPECT_EQ((*cells)["Interactions"][2][4], "s:" + std::string(kMaxCellChars, 'N'));
  EXPECT_EQ((*cells)["Accounts"][2][12], "s:" + std::string(kMaxCellChars, 'r'));
  EXPECT_EQ((*cells)["Contacts"][2][0], "s:" + c->id);
}

}  // namespace
}  // namespace cx
