// Tests of the steward's link queue fed by the ERP sync: a look-alike hub account proposed,
// accepted (a merge that keeps its interactions) or rejected for good.
#include "erp_sync_fixture.h"

namespace cx {
namespace {

namespace fs = std::filesystem;
using erptest::ErpSyncTest;
using erptest::kHeader;
using erptest::kTwo;

TEST_F(ErpSyncTest, LookAlikeHubAccountIsProposedAcceptMergesKeepingInteractions) {
  Account h;
  h.name = "Acme Cement Limited";
  h.owner = "ada";
  h.divisions = "Motors";
  auto hub = AddAccount(ctx_, h);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  Contact c;
  c.full_name = "Ngozi Okafor";
  c.account_id = hub->id;
  auto contact = AddContact(ctx_, c);
  ASSERT_TRUE(contact.ok()) << contact.status().ToString();
  Interaction i;
  i.at = clock_;
  i.contact_id = contact->id;
  i.channel = "phone";
  i.notes = "asked for a quote";
  auto logged = LogInteraction(ctx_, i);
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();

  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s).ok());
  ASSERT_EQ(s.proposed_links.size(), 1u);
  EXPECT_EQ(s.proposed_links[0].account, hub->id);
  EXPECT_EQ(s.proposed_links[0].erp_id, "E1");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());  // never merged automatically
  std::string erp_account = ByErp("E1")->id;
  auto queue = ListErpQueue(ctx_);
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 1u);

  auto accepted = AcceptErpQueueItem(ctx_, (*queue)[0].id, "same company");
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->status, "accepted");
  Account linked = *Get(hub->id);
  EXPECT_EQ(linked.erp_customer_id, "E1");
  EXPECT_EQ(linked.name, "Acme Cement Ltd");  // the ERP's name
  EXPECT_EQ(linked.phone, "+2348031234567");
  EXPECT_EQ(linked.owner, "ada");  // the hub's owner
  EXPECT_EQ(Get(erp_account)->merged_into, hub->id);
  EXPECT_EQ(ByErp("E1")->id, hub->id);
  auto view = ShowAccount(ctx_, hub->id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->interactions.size(), 1u);
  EXPECT_EQ(view->interactions[0].notes, "asked for a quote");
  // Audited as a link.
  std::vector<AuditEntry> audit;
  ASSERT_TRUE(store_
                  ->Transaction([&](Tx& tx) -> Status {
                    AuditFilter f;
                    f.entity_id = hub->id;
                    f.action = "link";
                    CX_ASSIGN_OR_RETURN(audit, tx.ListAudit(f));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(audit.empty());
  // The next sync updates the linked hub account.
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) + "E1,Acme Cement Plc,,,,,,,,2026-03-01\n"),
                   &s2)
                  .ok());
  EXPECT_EQ(s2.updated, 1);
  EXPECT_EQ(Get(hub->id)->name, "Acme Cement Plc");
  EXPECT_EQ(AcceptErpQueueItem(ctx_, (*queue)[0].id, "").status().code(), Code::kConflict);

  // Undoing the link's merge: the ERP's account is back with its ERP id, the hub's account
  // is unlinked with its own name again, and the rows each brought go back to it.
  auto merges = ListMerges(ctx_, 10);
  ASSERT_TRUE(merges.ok());
  ASSERT_EQ(merges->size(), 1u);
  auto undone = UndoMerge(ctx_, (*merges)[0].id, "linked the wrong customer");
  ASSERT_TRUE(undone.ok()) << undone.status().ToString();
  EXPECT_TRUE(Get(erp_account)->merged_into.empty());
  EXPECT_EQ(Get(erp_account)->erp_customer_id, "E1");
  EXPECT_EQ(ByErp("E1")->id, erp_account);
  // … with what the ERP sent while the link stood (a re-sync would skip those rows now).
  EXPECT_EQ(Get(erp_account)->name, "Acme Cement Plc");
  EXPECT_EQ(Get(erp_account)->phone, "+2348031234567");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());
  EXPECT_EQ(Get(hub->id)->name, "Acme Cement Limited");
  EXPECT_EQ(Get(hub->id)->divisions, "Motors");
  auto hub_view = ShowAccount(ctx_, hub->id);
  ASSERT_TRUE(hub_view.ok());
  ASSERT_EQ(hub_view->interactions.size(), 1u);  // the hub's own conversation stays with it
  EXPECT_EQ(hub_view->interactions[0].notes, "asked for a quote");
}

TEST_F(ErpSyncTest, RejectedProposalIsNeverProposedAgain) {
  Account h;
  h.name = "Beta Foods";
  auto hub = AddAccount(ctx_, h);
  ASSERT_TRUE(hub.ok());
  ErpSyncSummary s;
  ASSERT_TRUE(Sync(ErpKind::kCustomers, Write("c.csv", std::string(kHeader) + kTwo), &s).ok());
  ASSERT_EQ(s.proposed_links.size(), 1u);
  EXPECT_EQ(s.proposed_links[0].erp_id, "E2");
  auto q = ListErpQueue(ctx_);
  auto r = RejectErpQueueItem(ctx_, (*q)[0].id, "different company");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, "rejected");
  EXPECT_TRUE(Get(hub->id)->erp_customer_id.empty());
  ErpSyncSummary s2;
  ASSERT_TRUE(Sync(ErpKind::kCustomers,
                   Write("c2.csv", std::string(kHeader) + "E2,Beta Foods,Food,,,,,,,2026-03-01\n"),
                   &s2)
                  .ok());
  EXPECT_TRUE(s2.proposed_links.empty());
  EXPECT_TRUE(ListErpQueue(ctx_)->empty());
}

}  // namespace
}  // namespace cx
