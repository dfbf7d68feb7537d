// Merging duplicates: move references, fill the survivor's gaps, mark, audit, record for undo.
#include "service/merge_service.h"

#include <nlohmann/json.hpp>

#include "service/audit.h"
#include "service/erp_sync.h"
#include "service/match.h"
#include "service/user_service.h"

namespace cx {
namespace {

void FillGap(std::string* survivor, const std::string& other) {
  if (survivor->empty()) *survivor = other;
}

void FillCustom(CustomFields* survivor, const CustomFields& other) {
  for (const auto& [k, v] : other) survivor->emplace(k, v);
}

// A steward of a division merges (and undoes merges of) only that division's records: the
// divisions of each account, or of each contact's account, go to the rules table.
Status AuthorizeMergeOf(Tx& tx, const Context& ctx, NameKind kind, const std::string& survivor,
                        const std::vector<std::string>& others) {
  std::vector<std::string> divisions = {survivor};
  divisions.insert(divisions.end(), others.begin(), others.end());
  for (auto& d : divisions) {
    std::string account_id = d;
    if (kind == NameKind::kContact) {
      CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(d));
      account_id = c ? c->account_id : "";
    }
    d.clear();
    if (account_id.empty()) continue;
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(account_id));
    if (acc) d = acc->divisions;
  }
  return Authorize(tx, ctx, Operation::kMerge, divisions);
}

}  // namespace

MergeStep MergedMarker(const std::string& merged, NameKind kind) {
  MergeStep s;
  s.type = MergeStep::Type::kMergedAway;
  s.entity = kind == NameKind::kAccount ? Entity::kAccount : Entity::kContact;
  s.id = merged;
  return s;
}

MergeStep ErpLinkTakenOver(const std::string& merged_account, const std::string& erp_id) {
  MergeStep s;
  s.type = MergeStep::Type::kErpLinkTakenOver;
  s.id = merged_account;
  s.erp_id = erp_id;
  return s;
}

MergeStep SurvivorBefore(const FieldList& before) {
  MergeStep s;
  s.type = MergeStep::Type::kSurvivorBefore;
  for (const auto& [k, v] : before) s.before[k] = v;
  return s;
}

Result<MergeRecord> Merge(const Context& ctx, NameKind kind, const std::string& survivor,
                          const std::vector<std::string>& others, const std::string& reason) {
  if (others.empty()) return Invalid("name at least one record to merge into " + survivor);
  if (reason.empty()) return Invalid("a merge needs a reason (--reason)");
  MergeRecord rec;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kMerge));
    Status problems = Invalid("cannot merge");
    std::vector<std::string> seen = {survivor};
    for (const auto& o : others) {
      if (std::find(seen.begin(), seen.end(), o) != seen.end()) {
        problems.AddDetail(o + ": named twice (or is the survivor)");
      }
      seen.push_back(o);
    }
    CX_ASSIGN_OR_RETURN(rec.id, tx.NextId("M"));
    rec.kind = kind;
    rec.survivor = survivor;
    rec.merged = others;
    rec.at = ctx.now();
    rec.actor = ctx.actor;
    rec.reason = reason;
    if (kind == NameKind::kAccount) {
      CX_ASSIGN_OR_RETURN(auto surv, tx.GetAccount(survivor));
      if (!surv) return Invalid("account " + survivor + " does not exist");
      if (!surv->merged_into.empty())
        return Invalid("account " + survivor + " was itself merged into " + surv->merged_into);
      Account before = *surv;
      std::vector<Account> victims;
      for (const auto& o : others) {
        CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(o));
        if (!a)
          problems.AddDetail(o + ": account does not exist");
        else if (!a->merged_into.empty())
          problems.AddDetail(o + ": already merged into " + a->merged_into);
        else if (!a->erp_customer_id.empty() && !surv->erp_customer_id.empty() &&
                 a->erp_customer_id != surv->erp_customer_id)
          problems.AddDetail(o + ": linked to ERP customer " + a->erp_customer_id +
                             ", the survivor to " + surv->erp_customer_id +
                             " (the ERP must merge them first)");
        else
          victims.push_back(*a);
      }
      if (!problems.details().empty()) return problems;
      CX_RETURN_IF_ERROR(AuthorizeMergeOf(tx, ctx, NameKind::kAccount, survivor, others));
      for (auto& v : victims) {
        CX_ASSIGN_OR_RETURN(auto moved, tx.MoveReferences(kind, v.id, survivor));
        for (auto& m : moved) rec.moved.push_back(m);
        rec.moved.push_back(MergedMarker(v.id, NameKind::kAccount));
        for (std::string Account::*f :
             {&Account::industry, &Account::owner, &Account::address, &Account::city,
              &Account::phone, &Account::email, &Account::status}) {
          FillGap(&((*surv).*f), v.*f);
        }
        FillCustom(&surv->custom, v.custom);
        // The ERP link moves with the merge: the survivor takes over the link.
        std::string erp = v.erp_customer_id;
        Account victim_before = v;
        v.merged_into = survivor;
        v.erp_customer_id.clear();
        v.updated_at = ctx.now();
        CX_RETURN_IF_ERROR(tx.UpdateAccount(v));
        if (surv->erp_customer_id.empty() && !erp.empty()) {
          surv->erp_customer_id = erp;
          rec.moved.push_back(ErpLinkTakenOver(v.id, erp));
        }
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "merge", "account", v.id, FieldsOf(victim_before),
                                        FieldsOf(v), reason));
      }
      surv->updated_at = ctx.now();
      CX_RETURN_IF_ERROR(tx.UpdateAccount(*surv));
      CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "merge", "account", survivor, FieldsOf(before),
                                      FieldsOf(*surv), reason));
      rec.moved.push_back(SurvivorBefore(FieldsOf(before)));
    } else {
      CX_ASSIGN_OR_RETURN(auto surv, tx.GetContact(survivor));
      if (!surv) return Invalid("contact " + survivor + " does not exist");
      if (!surv->merged_into.empty())
        return Invalid("contact " + survivor + " was itself merged into " + surv->merged_into);
      Contact before = *surv;
      std::vector<Contact> victims;
      for (const auto& o : others) {
        CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(o));
        if (!c)
          problems.AddDetail(o + ": contact does not exist");
        else if (!c->merged_into.empty())
          problems.AddDetail(o + ": already merged into " + c->merged_into);
        else
          victims.push_back(*c);
      }
      if (!problems.details().empty()) return problems;
      CX_RETURN_IF_ERROR(AuthorizeMergeOf(tx, ctx, NameKind::kContact, survivor, others));
      for (auto& v : victims) {
        CX_ASSIGN_OR_RETURN(auto moved, tx.MoveReferences(kind, v.id, survivor));
        for (auto& m : moved) rec.moved.push_back(m);
        rec.moved.push_back(MergedMarker(v.id, NameKind::kContact));
        for (std::string Contact::*f :
             {&Contact::job_title, &Contact::account_id, &Contact::email, &Contact::phone}) {
          FillGap(&((*surv).*f), v.*f);
        }
        FillCustom(&surv->custom, v.custom);
        Contact victim_before = v;
        v.merged_into = survivor;
        v.updated_at = ctx.now();
        CX_RETURN_IF_ERROR(tx.UpdateContact(v));
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "merge", "contact", v.id, FieldsOf(victim_before),
                                        FieldsOf(v), reason));
      }
      surv->updated_at = ctx.now();
      CX_RETURN_IF_ERROR(tx.UpdateContact(*surv));
      CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "merge", "contact", survivor, FieldsOf(before),
                                      FieldsOf(*surv), reason));
      rec.moved.push_back(SurvivorBefore(FieldsOf(before)));
    }
    CX_RETURN_IF_ERROR(tx.SaveMerge(rec));
    nlohmann::json j = {{"survivor", survivor}, {"merged", others}, {"moved", rec.moved.size()}};
    return AuditAction(tx, ctx, "merge", KindLabel(kind), rec.id, j.dump(), reason);
  });
  if (!st.ok()) return st;
  return rec;
}

Result<MergeRecord> UndoMerge(const Context& ctx, const std::string& merge_id,
                              const std::string& reason) {
  if (reason.empty()) return Invalid("undoing a merge needs a reason (--reason)");
  MergeRecord rec;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kMerge));
    CX_ASSIGN_OR_RETURN(auto m, tx.GetMerge(merge_id));
    if (!m) return NotFound("merge " + merge_id + " does not exist");
    if (m->undone_at) return Conflict("merge " + merge_id + " was undone already");
    CX_RETURN_IF_ERROR(AuthorizeMergeOf(tx, ctx, m->kind, m->survivor, m->merged));
    rec = *m;
    // Moved rows go back to the record they came from: the rows listed before each
    // "merged_into" marker belong to that merged record.
    std::vector<MergeStep> pending;
    std::optional<std::map<std::string, std::string>> survivor_before;
    for (const auto& r : rec.moved) {
      if (r.type == MergeStep::Type::kErpLinkTakenOver) continue;
      if (r.type == MergeStep::Type::kSurvivorBefore) {
        survivor_before = r.before;
        continue;
      }
      if (r.type != MergeStep::Type::kMergedAway) {
        pending.push_back(r);
        continue;
      }
      CX_RETURN_IF_ERROR(tx.RestoreReferences(pending, r.id));
      pending.clear();
      if (rec.kind == NameKind::kAccount) {
        CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(r.id));
        if (!a) return Internal("merged account " + r.id + " is gone");
        Account before = *a;
        a->merged_into.clear();
        // The ERP link, if the survivor took it over from this record, comes back.
        CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "unmerge", "account", a->id, FieldsOf(before),
                                        FieldsOf(*a), reason));
      } else {
        CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(r.id));
        if (!c) return Internal("merged contact " + r.id + " is gone");
        Contact before = *c;
        c->merged_into.clear();
        CX_RETURN_IF_ERROR(tx.UpdateContact(*c));
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "unmerge", "contact", c->id, FieldsOf(before),
                                        FieldsOf(*c), reason));
      }
    }
    // The survivor's own fields as they were before the merge.
    if (survivor_before) {
      auto field = [&](const char* k) {
        auto it = survivor_before->find(k);
        return it == survivor_before->end() ? std::string() : it->second;
      };
      if (rec.kind == NameKind::kAccount) {
        CX_ASSIGN_OR_RETURN(auto s, tx.GetAccount(rec.survivor));
        if (!s) return Internal("survivor " + rec.survivor + " is gone");
        Account before = *s;
        // Name and divisions change only when an accepted ERP link merged (the ERP's name
        // and divisions); for any merge they are the survivor's own from before it.
        if (survivor_before->count("name")) s->name = field("name");
        if (survivor_before->count("divisions")) s->divisions = field("divisions");
        s->industry = field("industry");
        s->owner = field("owner");
        s->address = field("address");
        s->city = field("city");
        s->phone = field("phone");
        s->email = field("email");
        s->status = field("status");
        s->erp_customer_id = field("erp_customer_id");
        CustomFields custom;
        for (const auto& [key, value] : *survivor_before) {
          if (key.rfind("custom:", 0) == 0) custom[key.substr(7)] = value;
        }
        s->custom = custom;
        CX_RETURN_IF_ERROR(tx.UpdateAccount(*s));
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "unmerge", "account", s->id, FieldsOf(before),
                                        FieldsOf(*s), reason));
        // ERP links the survivor took over go back to the accounts that brought them, with
        // what the ERP changed while the link stood: the survivor's ERP-owned fields that
        // differ from its own before the merge (nobody else may change them while linked).
        // Those rows are behind the watermark now; a re-sync would not bring them again.
        for (const auto& r : rec.moved) {
          if (r.type != MergeStep::Type::kErpLinkTakenOver) continue;
          CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(r.id));
          if (!a) return Internal("merged account " + r.id + " is gone");
          Account ab = *a;
          for (const auto& f : ErpOwnedAccountFields()) {
            if (f == "erp_customer_id" || !survivor_before->count(f)) continue;
            const std::string& linked = *ErpOwnedField(before, f);
            if (linked != field(f.c_str())) *ErpOwnedField(*a, f) = linked;
          }
          a->erp_customer_id = r.erp_id;
          CX_RETURN_IF_ERROR(tx.UpdateAccount(*a));
          CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "unmerge", "account", a->id, FieldsOf(ab),
                                          FieldsOf(*a), reason));
        }
      } else {
        CX_ASSIGN_OR_RETURN(auto s, tx.GetContact(rec.survivor));
        if (!s) return Internal("survivor " + rec.survivor + " is gone");
        Contact before = *s;
        s->job_title = field("job_title");
        s->account_id = field("account_id");
        s->email = field("email");
        s->phone = field("phone");
        CustomFields custom;
        for (const auto& [key, value] : *survivor_before) {
          if (key.rfind("custom:", 0) == 0) custom[key.substr(7)] = value;
        }
        s->custom = custom;
        CX_RETURN_IF_ERROR(tx.UpdateContact(*s));
        CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "unmerge", "contact", s->id, FieldsOf(before),
                                        FieldsOf(*s), reason));
      }
    }
    rec.undone_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.SaveMerge(rec));
    return AuditAction(tx, ctx, "unmerge", KindLabel(rec.kind), rec.id, "", reason);
  });
  if (!st.ok()) return st;
  return rec;
}

Result<std::vector<MergeRecord>> ListMerges(const Context& ctx, int limit) {
  std::vector<MergeRecord> out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListMerges(limit));
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
