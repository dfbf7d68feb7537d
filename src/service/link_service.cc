// The steward's ERP queue: accept (link and merge) or reject proposed links.
#include "service/link_service.h"

#include "service/merge_service.h"

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "service/audit.h"
#include "service/erp_sync.h"
#include "service/merge_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

Result<ErpQueueItem> OpenItem(Tx& tx, int64_t id) {
  CX_ASSIGN_OR_RETURN(auto q, tx.GetErpQueueItem(id));
  if (!q) return NotFound("ERP queue item " + std::to_string(id) + " does not exist");
  if (q->status != "open")
    return Conflict("ERP queue item " + std::to_string(id) + " is already " + q->status);
  return *q;
}

Status Link(Tx& tx, const Context& ctx, const ErpQueueItem& q, const std::string& reason) {
  CX_ASSIGN_OR_RETURN(auto hub, tx.GetAccount(q.account_id));
  if (!hub) return NotFound("account " + q.account_id + " does not exist");
  if (!hub->merged_into.empty()) {
    return Conflict("account " + hub->id + " was merged into " + hub->merged_into +
                    "; reject this proposal");
  }
  if (!hub->erp_customer_id.empty()) {
    return Conflict("account " + hub->id + " is already linked to ERP customer " +
                    hub->erp_customer_id);
  }
  Account before = *hub;
  CX_ASSIGN_OR_RETURN(auto erp_account_id, tx.AccountIdByErpId(q.erp_id));
  std::string why = reason.empty() ? "accepted ERP link proposal " + std::to_string(q.id) : reason;
  if (erp_account_id) {
    CX_ASSIGN_OR_RETURN(auto erp, tx.GetAccount(*erp_account_id));
    Account erp_before = *erp;
    // Free the ERP id first (it is unique), then merge the ERP's account into the hub's.
    MergeRecord rec;
    bool merge = erp->merged_into.empty();
    if (merge) {
      CX_ASSIGN_OR_RETURN(rec.id, tx.NextId("M"));
      rec.kind = NameKind::kAccount;
      rec.survivor = hub->id;
      rec.merged = {erp->id};
      rec.at = ctx.now();
      rec.actor = ctx.actor;
      rec.reason = why;
      CX_ASSIGN_OR_RETURN(rec.moved, tx.MoveReferences(NameKind::kAccount, erp->id, hub->id));
      // What undoing this merge needs besides the moved rows: the ERP's account comes back
      // with its ERP id, the hub's account as it was before the link.
      rec.moved.push_back(MergedMarker(erp->id, NameKind::kAccount));
      rec.moved.push_back(ErpLinkTakenOver(erp->id, q.erp_id));
      rec.moved.push_back(SurvivorBefore(FieldsOf(before)));
      erp->merged_into = hub->id;
    }
    erp->erp_customer_id.clear();
    erp->updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*erp));
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, merge ? "merge" : "link", "account", erp->id,
                                    FieldsOf(erp_before), FieldsOf(*erp), why));
    // The ERP is king for its fields; the hub keeps its own (taking the ERP account's only where
    // empty).
    for (const char* f : {"name", "industry", "address", "city", "phone", "email", "status"}) {
      const std::string& v = *ErpOwnedField(erp_before, f);
      if (!v.empty()) *ErpOwnedField(*hub, f) = v;
    }
    if (hub->owner.empty()) hub->owner = erp_before.owner;
    for (const auto& [k, v] : erp_before.custom) {
      if (!hub->custom.count(k)) hub->custom[k] = v;
    }
    for (size_t start = 0; start <= erp_before.divisions.size();) {
      size_t end = erp_before.divisions.find(';', start);
      if (end == std::string::npos) end = erp_before.divisions.size();
      std::string d = Trim(erp_before.divisions.substr(start, end - start));
      if (!d.empty() && hub->divisions.find(d) == std::string::npos) {
        hub->divisions = hub->divisions.empty() ? d : hub->divisions + "; " + d;
      }
      start = end + 1;
    }
    hub->erp_customer_id = q.erp_id;
    hub->updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*hub));
    CX_RETURN_IF_ERROR(
        AuditChanges(tx, ctx, "link", "account", hub->id, FieldsOf(before), FieldsOf(*hub), why));
    if (merge) {
      CX_RETURN_IF_ERROR(tx.SaveMerge(rec));
      nlohmann::json j = {
          {"survivor", rec.survivor}, {"merged", rec.merged}, {"moved", rec.moved.size()}};
      CX_RETURN_IF_ERROR(AuditAction(tx, ctx, "merge", "account", rec.id, j.dump(), why));
    }
  } else {
    hub->erp_customer_id = q.erp_id;
    hub->updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*hub));
    CX_RETURN_IF_ERROR(
        AuditChanges(tx, ctx, "link", "account", hub->id, FieldsOf(before), FieldsOf(*hub), why));
  }
  // Other open proposals for this account or this ERP customer are now moot.
  CX_ASSIGN_OR_RETURN(auto open, tx.ListErpQueue("open", 1 << 30));
  for (auto& o : open) {
    if (o.id == q.id || o.kind != "link") continue;
    if (o.account_id != q.account_id && o.erp_id != q.erp_id) continue;
    o.status = "superseded";
    o.decided_at = ctx.now();
    o.decided_by = ctx.actor;
    o.reason = "link " + std::to_string(q.id) + " accepted";
    CX_RETURN_IF_ERROR(tx.UpdateErpQueueItem(o));
  }
  return Status::Ok();
}

Result<ErpQueueItem> Decide(const Context& ctx, int64_t id, const std::string& reason,
                            bool accept) {
  ErpQueueItem out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kErpQueue));
    CX_ASSIGN_OR_RETURN(out, OpenItem(tx, id));
    if (out.kind == "link") {
      if (accept) CX_RETURN_IF_ERROR(Link(tx, ctx, out, reason));
      out.status = accept ? "accepted" : "rejected";
    } else {
      out.status = accept ? "acknowledged" : "dismissed";
    }
    out.decided_at = ctx.now();
    out.decided_by = ctx.actor;
    out.reason = reason;
    CX_RETURN_IF_ERROR(tx.UpdateErpQueueItem(out));
    return AuditAction(
        tx, ctx, out.kind == "link" ? "erp-link-" + out.status : "erp-missing-" + out.status,
        "account", out.account_id,
        "ERP customer " + out.erp_id + " (queue item " + std::to_string(out.id) + ")", reason);
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Result<std::vector<ErpQueueItem>> ListErpQueue(const Context& ctx, const std::string& status,
                                               int limit) {
  std::vector<ErpQueueItem> out;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListErpQueue(status, limit));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<ErpQueueItem> AcceptErpQueueItem(const Context& ctx, int64_t id, const std::string& reason) {
  return Decide(ctx, id, reason, true);
}

Result<ErpQueueItem> RejectErpQueueItem(const Context& ctx, int64_t id, const std::string& reason) {
  return Decide(ctx, id, reason, false);
}

}  // namespace cx
