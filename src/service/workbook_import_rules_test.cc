// Tests that a workbook import applies the rules of the commands (docs/workbook.md,
// docs/journeys.md): people columns link to users by name or login, and an Account Owner changes
// only by a manager's (or the console's) import, as an ownership change.
#include <gtest/gtest.h>

#include "service/opportunity_service.h"
#include "service/workbook_import.h"
#include "xlsx_test_util.h"

namespace cx {
namespace {

using namespace wbtest;  // NOLINT: test helpers

Sheets Accounts(const std::string& owner_a, const std::string& owner_b) {
  return {{"Accounts",
           {{T("Account ID"), T("Company Name"), T("Account Owner")},
            {T("A-000001"), T("Dangote Cement Plc"), T(owner_a)},
            {T("A-000002"), T("Zenith Motors Ltd"), T(owner_b)}}}};
}

class ImportRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = OpenHub(dir_.path());
    ASSERT_TRUE(hub_);
    ASSERT_TRUE(
        hub_->store
            ->Transaction([](Tx& tx) -> Status {
              CX_RETURN_IF_ERROR(
                  tx.UpsertUser(User{"ada", "Ada Obi", "sales", "Motors", "", false, 0}));
              return tx.UpsertUser(User{"bola", "Bola Ade", "sales", "Motors", "", false, 0});
            })
            .ok());
  }
  ImportSummary Import(const Sheets& sheets, const std::string& actor) {
    WriteXlsx(dir_.File("w.xlsx"), sheets);
    hub_->ctx.actor = actor;
    auto r = ImportWorkbook(hub_->ctx, dir_.File("w.xlsx"), ImportOptions{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ImportSummary{};
  }
  std::string OwnerOf(const std::string& id) {
    std::string owner;
    EXPECT_TRUE(hub_->store
                    ->Transaction([&](Tx& tx) -> Status {
                      CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(id));
                      owner = a ? a->owner : "?";
                      return Status::Ok();
                    })
                    .ok());
    return owner;
  }

  TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ImportRulesTest, PeopleColumnsLinkToUsersByNameOrLogin) {
  ImportSummary s = Import(Accounts(" ada obi ", "Old Typist"), "tester");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(OwnerOf("A-000001"), "ada");
  EXPECT_EQ(OwnerOf("A-000002"), "Old Typist");
  EXPECT_EQ(s.unknown_people, std::vector<std::string>{"Old Typist"});
  // The same people typed another way are no change, even for a salesperson.
  s = Import(Accounts("ADA", "old typist "), "ada");
  ASSERT_TRUE(s.ok()) << (s.errors.empty() ? "" : s.errors[0]);
  EXPECT_EQ(s.sheets[0].updated, 0);
  EXPECT_EQ(OwnerOf("A-000001"), "ada");
  EXPECT_EQ(OwnerOf("A-000002"), "Old Typist");
}

TEST_F(ImportRulesTest, OnlyAManagersImportChangesAnOwnerAndItIsAnOwnershipChange) {
  ASSERT_TRUE(Import(Accounts("Ada Obi", "Ada Obi"), "tester").ok());
  ImportSummary s = Import(Accounts("Bola Ade", "Ada Obi"), "ada");
  ASSERT_EQ(s.error_count, 1);
  EXPECT_NE(s.errors[0].find("Sheet 'Accounts', row 2, column 'Account Owner'"), std::string::npos)
      << s.errors[0];
  EXPECT_NE(s.errors[0].find("manager"), std::string::npos) << s.errors[0];
  EXPECT_EQ(OwnerOf("A-000001"), "ada");

  s = Import(Accounts("bola", "Ada Obi"), "tester");  // tester is a manager
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(OwnerOf("A-000001"), "bola");
  auto hist = OwnershipHistory(hub_->ctx, "A-000001");
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].before, "Ada Obi");
  EXPECT_EQ((*hist)[0].after, "Bola Ade");
  EXPECT_EQ((*hist)[0].actor, "tester");

  // The console's own "cli" applies the workbook as the administrator.
  s = Import(Accounts("Ada Obi", "Ada Obi"), "cli");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(OwnerOf("A-000001"), "ada");
}

}  // namespace
}  // namespace cx
