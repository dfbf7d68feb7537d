// Tests of the ERP sync on real files and a real SQLite hub: new, changed and older rows, every
// encoding, field ownership, full exports, orders, dry runs and who may sync.
#include "erp_sync_fixture.h"

namespace cx {
namespace {

namespace fs = std::filesystem;
using erptest::ErpSyncTest;
using erptest::kHeader;
using erptest::kTwo;

TEST_F(ErpSyncTest, NewCustomersBecomeAccountsAndReRunningChangesNothing) {
  std::string f = Write("c.csv", std::string(kHeader) + kTwo);
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s).ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_TRUE(s.applied);
  auto a = ByErp("E1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "Acme Cement Ltd");
  EXPECT_EQ(a->divisions, "Motors");
  EXPECT_EQ(a->city, "Lagos");
  EXPECT_EQ(a->id.substr(0, 2), "A-");
  std::string before = Snapshot();
  ErpSyncSummary again;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &again).ok());
  EXPECT_EQ(again.created + again.updated, 0);
  EXPECT_EQ(again.skipped_older, 2);
  // Only the history grows (one more sync record and its audit line).
  std::string after = Snapshot();
  EXPECT_EQ(before.substr(0, before.find("audit")), after.substr(0, after.find("audit")));
}

TEST_F(ErpSyncTest, EveryEncodingAndDelimiterGivesTheSameAccounts) {
  std::string utf8 = std::string(kHeader) +
                     "E1,\"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA\",Bank,Motors,,,\"1 "
                     "Rue\nBP 4\",Lagos,active,2026-01-05\n";
  std::string semi = utf8;
  // The same file with ';' (the name holds a ',' and stays quoted).
  semi =
      "ERP Customer ID;Customer Name;Industry;Division;Phone;Email;Address;City;Status;Last "
      "Modified\n"
      "E1;\"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA\";Bank;Motors;;;\"1 Rue\nBP "
      "4\";Lagos;active;2026-01-05\n";
  std::string cp1252;
  for (size_t i = 0; i < semi.size(); ++i) {
    if (semi.compare(i, 2, "\xC3\xA9") == 0) {
      cp1252 += '\xE9';
      ++i;
    } else {
      cp1252 += semi[i];
    }
  }
  auto utf16 = [](const std::string& ascii_or_cp, bool le) {
    std::string out = le ? std::string("\xFF\xFE", 2) : std::string("\xFE\xFF", 2);
    for (unsigned char c : ascii_or_cp) {  // Latin-1 → UTF-16
      out += le ? std::string{char(c), '\0'} : std::string{'\0', char(c)};
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> files = {
      {"utf8.csv", utf8},
      {"bom.csv", "\xEF\xBB\xBF" + semi},
      {"cp1252.csv", cp1252},
      {"utf16le.csv", utf16(cp1252, true)},
      {"utf16be.csv", utf16(cp1252, false)},
  };
  std::vector<std::string> encodings;
  for (const auto& [name, bytes] : files) {
    SetUp();  // a fresh hub for each file
    ErpSyncSummary s;
    Status st = Sync(ErpKind::kCustomers, Write(name, bytes), &s);
    ASSERT_TRUE(st.ok()) << name << ": " << st.ToString();
    encodings.push_back(s.encoding + s.delimiter);
    auto a = ByErp("E1");
    ASSERT_TRUE(a) << name;
    EXPECT_EQ(a->name, "Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale, SA") << name;
    EXPECT_EQ(a->address, "1 Rue\nBP 4") << name;
  }
  EXPECT_EQ(encodings, (std::vector<std::string>{"utf-8,", "utf-8-bom;", "windows-1252;",
                                                 "utf-16le;", "utf-16be;"}));
}

TEST_F(ErpSyncTest, ErpOwnedFieldsAreReplacedHubOwnedKept) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  Account a = *ByErp("E1");
  // The hub's own fields: owner, type, custom, an extra division; and an interaction.
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) {
                    Account b = a;
                    b.owner = "ada";
                    b.type = "distributor";
                    b.custom["Segment"] = "Key";
                    b.divisions = "Motors; Medical";
                    return tx.UpdateAccount(b);
                  })
                  .ok());
  std::string c2 = std::string(kHeader) +
                   "E1,Acme Cement Plc,Building,Motors,+2348039999999,sales@acme.ng,,Ikeja,on "
                   "hold,2026-02-01 09:00\n";
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", c2), &s).ok());
  EXPECT_EQ(s.updated, 1);
  Account after = *ByErp("E1");
  EXPECT_EQ(after.name, "Acme Cement Plc");
  EXPECT_EQ(after.industry, "Building");
  EXPECT_EQ(after.city, "Ikeja");
  EXPECT_EQ(after.status, "on hold");
  EXPECT_EQ(after.address, "12 Marina");  // blank cell: kept
  EXPECT_EQ(after.owner, "ada");
  EXPECT_EQ(after.type, "distributor");
  EXPECT_EQ(after.custom.at("Segment"), "Key");
  EXPECT_EQ(after.divisions, "Motors; Medical");
  // Each change is audited with the sync as the reason.
  std::vector<AuditEntry> audit;
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = a.id;
                    f.action = "erp-sync";
                    CX_ASSIGN_OR_RETURN(audit, tx.ListAudit(f));
                    return Status::Ok();
                  })
                  .ok());
  bool name_change = false;
  for (const auto& e : audit) name_change |= e.field == "name" && e.after == "Acme Cement Plc";
  EXPECT_TRUE(name_change);
}

TEST_F(ErpSyncTest, BlankCellClearsOnlyWhenTheMappingSaysSo) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string blank = std::string(kHeader) + "E1,Acme Cement Ltd,,Motors,,,,,active,2026-03-01\n";
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", blank), Scratch()).ok());
  EXPECT_EQ(ByErp("E1")->address, "12 Marina");
  EXPECT_EQ(ByErp("E1")->industry, "Cement");
  std::string map = Write("m.toml", R"(
[customers]
clears = ["address"]
[customers.columns]
erp_customer_id = "ERP Customer ID"
name = "Customer Name"
industry = "Industry"
address = "Address"
last_modified = "Last Modified"
[orders.columns]
order_id = "Order ID"
erp_customer_id = "ERP Customer ID"
order_date = "Order Date"
division = "Division"
amount = "Amount"
last_modified = "Last Modified"
)");
  std::string blank2 = std::string(kHeader) + "E1,Acme Cement Ltd,,Motors,,,,,active,2026-03-02\n";
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kCustomers, Write("c3.csv", blank2), &s, false, false, map);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(ByErp("E1")->address, "");
  EXPECT_EQ(ByErp("E1")->industry, "Cement");
}

TEST_F(ErpSyncTest, RowsNotNewerThanTheWatermarkAreSkippedAndCounted) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string c2 =
      std::string(kHeader) +
      "E1,Old Name,Cement,Motors,,,,Lagos,active,2026-01-05 10:00\n"  // = watermark: skipped
      "E2,Beta Foods Plc,Food,Medical,,,,Abuja,active,2026-01-06\n"   // newer: applied
      "E3,Gamma,Retail,,,,,Kano,active,2025-12-31\n";                 // older: skipped
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c2.csv", c2), &s).ok());
  EXPECT_EQ(s.skipped_older, 2);
  EXPECT_EQ(s.updated, 1);
  EXPECT_EQ(ByErp("E1")->name, "Acme Cement Ltd");
  EXPECT_FALSE(ByErp("E3"));
  ASSERT_TRUE(s.watermark_before && s.watermark_after);
  EXPECT_LT(*s.watermark_before, *s.watermark_after);
}

TEST_F(ErpSyncTest, FullExportFlagsMissingCustomersNeverDeletes) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string only_e1 =
      std::string(kHeader) + "E1,Acme Cement Ltd,Cement,Motors,,,,Lagos,active,2026-01-05 10:00\n";
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full.csv", only_e1), &s, /*full=*/true).ok());
  EXPECT_EQ(s.flagged_missing, (std::vector<std::string>{"E2"}));
  EXPECT_TRUE(ByErp("E2"));  // never deleted
  auto q = ListErpQueue(ctx_);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ((*q)[0].kind, "missing");
  EXPECT_EQ((*q)[0].erp_id, "E2");
  // Again: still listed in the summary, not queued twice.
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full.csv", only_e1), &s2, true).ok());
  EXPECT_EQ(s2.flagged_missing.size(), 1u);
  EXPECT_EQ(ListErpQueue(ctx_)->size(), 1u);
  // E2 is back in a later export (even unchanged, older than the watermark): its flag closes.
  ErpSyncSummary s3;
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c2.csv", std::string(kHeader) + kTwo), &s3, true).ok());
  EXPECT_EQ(s3.reappeared, (std::vector<std::string>{"E2"}));
  EXPECT_TRUE(s3.flagged_missing.empty());
  EXPECT_TRUE(ListErpQueue(ctx_, "open")->empty());
  auto closed = ListErpQueue(ctx_, "reappeared");
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].erp_id, "E2");
  EXPECT_EQ((*closed)[0].reason, "back in c2.csv");
  // Missing again later: flagged anew.
  ErpSyncSummary s4;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("full2.csv", only_e1), &s4, true).ok());
  EXPECT_EQ(s4.flagged_missing, (std::vector<std::string>{"E2"}));
  EXPECT_EQ(ListErpQueue(ctx_, "open")->size(), 1u);
}

TEST_F(ErpSyncTest, OrdersLandByErpCustomerIdUnknownCustomerIsARowError) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c1.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  std::string orders =
      "Order ID;ERP Customer ID;Order Date;Division;Amount;Currency;Last Modified\n"
      "O1;E1;03/01/2026;Motors;\"1,500.50\";;2026-01-03\n"
      "O2;E2;2026-01-04;medical;200;USD;2026-01-04\n"
      "O3;E9;2026-01-04;Motors;10;NGN;2026-01-04\n";
  std::string f = Write("o.csv", orders);
  std::string before = Snapshot({"O1", "O2"});
  ErpSyncSummary s;
  Status st = Sync(ErpKind::kOrders, f, &s);
  ASSERT_EQ(st.code(), Code::kInvalid);
  ASSERT_EQ(s.rejected.size(), 1u);
  EXPECT_EQ(s.rejected[0].line, 4);
  EXPECT_NE(s.rejected[0].reason.find("'E9' is not a known ERP customer"), std::string::npos);
  EXPECT_EQ(Snapshot({"O1", "O2"}), before);
  // With --partial the good orders land.
  ErpSyncSummary p;
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &p, false, true).ok());
  EXPECT_EQ(p.created, 2);
  std::optional<Order> o1 = OrderById("O1");
  ASSERT_TRUE(o1);
  EXPECT_DOUBLE_EQ(o1->amount, 1500.5);
  EXPECT_EQ(o1->currency, "NGN");
  EXPECT_EQ(o1->erp_customer_id, "E1");
  // Re-running changes nothing.
  ErpSyncSummary again;
  std::string mid = Snapshot({"O1", "O2"});
  ASSERT_TRUE(Sync(ErpKind::kOrders, f, &again, false, true).ok());
  EXPECT_EQ(again.created + again.updated, 0);
  std::string end = Snapshot({"O1", "O2"});
  EXPECT_EQ(mid.substr(0, mid.find("audit")), end.substr(0, end.find("audit")));
}

// Big exports take the bulk paths: every customer read at once for an orders export, new
// orders written many per statement into an empty table, no per-row account lookup into an
// empty hub. Each must give exactly what the row-by-row path gives on the same file.

TEST_F(ErpSyncTest, DryRunWritesNothing) {
  std::string before = Snapshot();
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s, false,
                   false, "", true)
                  .ok());
  EXPECT_EQ(s.created, 2);
  EXPECT_FALSE(s.applied);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ErpSyncTest, OnlyErpAdminStewardOrCliMaySync) {
  ASSERT_TRUE(AddUser(ctx_, User{"sam", "Sam", "sales", "", "", false, 0}, "").ok());
  ASSERT_TRUE(AddUser(ctx_, User{"erpjob", "ERP export job", "erp", "", "", false, 0}, "").ok());
  std::string f = Write("c.csv", std::string(kHeader) + kTwo);
  ctx_.actor = "sam";
  ErpSyncSummary s;
  EXPECT_EQ(Sync(ErpKind::kCustomers, f, &s).code(), Code::kForbidden);
  EXPECT_EQ(Count(), 0);
  ctx_.actor = "erpjob";
  ASSERT_TRUE(Sync(ErpKind::kCustomers, f, &s).ok());
  auto h = ErpSyncHistory(ctx_, 10);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 1u);
  const ErpSyncRecord& r = (*h)[0];
  EXPECT_EQ(r.actor, "erpjob");
  EXPECT_EQ(r.file_name, "c.csv");
  EXPECT_EQ(r.file_sha256, s.sha256);
  EXPECT_EQ(r.created, 2);
  EXPECT_FALSE(r.watermark_before);
  ASSERT_TRUE(r.watermark_after);
  EXPECT_EQ(r.kind, "customers");
  EXPECT_GT(r.finished_at, 0);
}

TEST_F(ErpSyncTest, LinkedAccountsRefuseErpOwnedEditsHubOwnedAllowed) {
  ASSERT_TRUE(
      Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), Scratch()).ok());
  Account a = *ByErp("E1");
  Account edit = a;
  edit.city = "Abuja";
  auto r = UpdateAccount(ctx_, edit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().message(),
            "field city is owned by the ERP (account " + a.id + " linked to ERP customer E1)");
  EXPECT_EQ(ByErp("E1")->city, "Lagos");
  Account hub = a;
  hub.type = "distributor";
  hub.custom["Region"] = "West";
  ASSERT_TRUE(UpdateAccount(ctx_, hub).ok());
  EXPECT_EQ(Get(a.id)->type, "distributor");
  EXPECT_EQ(Get(a.id)->custom["Region"], "West");
  // The workbook's rule: keep the ERP's value, list each difference.
  Account incoming = a;
  incoming.name = "Typo Name";
  incoming.phone = "+2348000000000";
  incoming.owner = "bo";
  auto warnings = KeepErpOwned(a, &incoming);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(incoming.name, a.name);
  EXPECT_EQ(incoming.owner, "bo");
  EXPECT_NE(warnings[0].find("name is owned by the ERP"), std::string::npos);
}

}  // namespace
}  // namespace cx
