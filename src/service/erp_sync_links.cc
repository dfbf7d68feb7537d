// ERP sync, links: hub accounts that look like an ERP customer go to the steward's queue as
// proposed links, and a full export flags the linked customers it lacks (docs/erp.md).
#include <algorithm>
#include <cstdio>

#include "service/audit.h"
#include "service/dedupe.h"
#include "service/erp_syncer.h"
#include "service/match.h"

namespace cx::erp_detail {

// Hub accounts without an ERP id that look like this ERP customer go to the queue.
Status ErpSyncer::Propose(Tx& tx, const Account& a) {
  if (!propose_) return Status::Ok();
  // The unlinked accounts in memory when there are not too many of them: a search of the
  // whole hub per customer made a sync into a populated hub many times slower (docs/store.md).
  std::vector<Match> matches;
  if (unlinked_.loaded()) {
    matches = unlinked_.Find(KeysOf(a));
  } else {
    CX_ASSIGN_OR_RETURN(matches, FindProbableDuplicates(tx, NameKind::kAccount, KeysOf(a), a.id));
  }
  return Queue(tx, a, matches);
}

Status ErpSyncer::Queue(Tx& tx, const Account& a, const std::vector<Match>& matches) {
  for (const auto& m : matches) {
    CX_ASSIGN_OR_RETURN(auto hub, tx.GetAccount(m.id));
    if (!hub || !hub->erp_customer_id.empty() || !hub->merged_into.empty()) continue;
    CX_ASSIGN_OR_RETURN(auto known, tx.FindErpQueueItem("link", hub->id, a.erp_customer_id));
    if (known) continue;  // proposed before (open, accepted or rejected): never again
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    ErpQueueItem q;
    q.kind = "link";
    q.account_id = hub->id;
    q.erp_id = a.erp_customer_id;
    q.why = m.why + " (score " + score + ") as ERP customer " + a.erp_customer_id + " '" + a.name +
            "' (account " + a.id + ")";
    q.created_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx.InsertErpQueueItem(q).status());
    out_->proposed_links.push_back({hub->id, a.erp_customer_id, m.why});
  }
  return Status::Ok();
}

Status ErpSyncer::FlagMissing(Tx& tx) {
  // The ERP ids alone come from the ERP-id index without reading the accounts; only those
  // missing from the file are looked up.
  std::vector<std::pair<std::string, std::string>> missing;
  {
    CX_ASSIGN_OR_RETURN(auto linked, tx.ErpCustomerIds());
    for (auto& erp : linked) {
      if (seen_.Contains(erp)) continue;
      CX_ASSIGN_OR_RETURN(auto a, tx.FindAccountByErpId(erp));
      if (a && a->merged_into.empty()) missing.emplace_back(a->id, std::move(erp));
    }
  }
  std::sort(missing.begin(), missing.end());  // by account id
  for (const auto& [id, erp] : missing) {
    out_->flagged_missing.push_back(erp);
    out_->flagged_missing_accounts.push_back(id);
    CX_ASSIGN_OR_RETURN(auto known, tx.FindErpQueueItem("missing", id, erp));
    if (known && known->status == "open") continue;
    ErpQueueItem q;
    q.kind = "missing";
    q.account_id = id;
    q.erp_id = erp;
    q.why = "ERP customer " + erp + " is missing from the full export " + BaseName(opt_.file);
    q.created_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx.InsertErpQueueItem(q).status());
  }
  return Status::Ok();
}

}  // namespace cx::erp_detail
