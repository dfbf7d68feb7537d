// Accounts and contacts: search first, validate, write, audit — in one transaction.
#include "service/account_service.h"

#include <cstdio>
#include <cstdlib>

#include "service/audit.h"
#include "service/dedupe.h"
#include "service/erp_sync.h"
#include "service/user_service.h"

namespace cx {

Status DuplicateRefusal(NameKind k, const std::string& name, const std::vector<Match>& matches) {
  Status st =
      Conflict(std::string(k == NameKind::kAccount ? "an " : "a ") + KindLabel(k) + " like '" +
               name + "' probably exists already; use it, or force the creation with a reason");
  for (const auto& m : matches) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    st.AddDetail(m.id + "  " + m.name + "  (score " + score + ": " + m.why + ")");
  }
  return st;
}

std::vector<Match> RefusedDuplicates(NameKind k, const Status& st) {
  std::vector<Match> out;
  if (st.code() != Code::kConflict ||
      st.message().find("probably exists already") == std::string::npos)
    return out;
  // Each detail is "ID  NAME  (score S: WHY)", as DuplicateRefusal writes it.
  for (const auto& d : st.details()) {
    size_t a = d.find("  ");
    size_t b = d.rfind("  (score ");
    if (a == std::string::npos || b == std::string::npos || b < a || d.back() != ')') continue;
    size_t colon = d.find(": ", b);
    if (colon == std::string::npos) continue;
    Match m;
    m.kind = k;
    m.id = d.substr(0, a);
    m.name = d.substr(a + 2, b - a - 2);
    m.score = std::atof(d.substr(b + 9, colon - b - 9).c_str());
    m.why = d.substr(colon + 2, d.size() - colon - 3);
    out.push_back(std::move(m));
  }
  return out;
}

namespace {

Status CheckForce(const CreateOptions& opt) {
  if (opt.force && opt.reason.empty())
    return Invalid("forcing a creation needs a reason (--reason)");
  return Status::Ok();
}

}  // namespace

Result<Account> AddAccount(const Context& ctx, Account a, const CreateOptions& opt) {
  CX_RETURN_IF_ERROR(CheckForce(opt));
  CX_RETURN_IF_ERROR(ValidateAccount(&a));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_RETURN_IF_ERROR(LinkPerson(tx, &a.owner));
    CX_ASSIGN_OR_RETURN(auto dups, FindProbableDuplicates(tx, NameKind::kAccount, KeysOf(a), a.id));
    if (!dups.empty() && !opt.force) return DuplicateRefusal(NameKind::kAccount, a.name, dups);
    if (a.id.empty()) {
      CX_ASSIGN_OR_RETURN(a.id, tx.NextId("A"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetAccount(a.id));
      if (existing) return Conflict("account " + a.id + " exists already");
    }
    if (!a.erp_customer_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto linked, tx.FindAccountByErpId(a.erp_customer_id));
      if (linked)
        return Conflict("ERP customer " + a.erp_customer_id + " is already account " + linked->id);
    }
    a.created_at = a.updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.InsertAccount(a));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "account", a.id, FieldsOf(a)));
    if (!dups.empty()) {
      std::string ids;
      for (const auto& d : dups) ids += (ids.empty() ? "" : ", ") + d.id;
      CX_RETURN_IF_ERROR(AuditAction(tx, ctx, "force-create", "account", a.id,
                                     "probable duplicate of " + ids, opt.reason));
    }
    return ShowPeopleIn(tx, &a);  // handed back by full name
  });
  if (!st.ok()) return st;
  return a;
}

Result<Contact> AddContact(const Context& ctx, Contact c, const CreateOptions& opt) {
  CX_RETURN_IF_ERROR(CheckForce(opt));
  CX_RETURN_IF_ERROR(ValidateContact(&c));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    if (!c.account_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(c.account_id));
      if (!acc) return Invalid("account " + c.account_id + " does not exist");
      if (!acc->merged_into.empty()) {
        return Invalid("account " + c.account_id + " was merged into " + acc->merged_into +
                       "; use that one");
      }
    }
    CX_ASSIGN_OR_RETURN(auto dups, FindProbableDuplicates(tx, NameKind::kContact, KeysOf(c), c.id));
    if (!dups.empty() && !opt.force) return DuplicateRefusal(NameKind::kContact, c.full_name, dups);
    if (c.id.empty()) {
      CX_ASSIGN_OR_RETURN(c.id, tx.NextId("C"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetContact(c.id));
      if (existing) return Conflict("contact " + c.id + " exists already");
    }
    c.created_at = c.updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.InsertContact(c));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "contact", c.id, FieldsOf(c)));
    if (!dups.empty()) {
      std::string ids;
      for (const auto& d : dups) ids += (ids.empty() ? "" : ", ") + d.id;
      CX_RETURN_IF_ERROR(AuditAction(tx, ctx, "force-create", "contact", c.id,
                                     "probable duplicate of " + ids, opt.reason));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return c;
}

namespace {

// Writes `a` over the stored `old` (same id), in the caller's transaction: the rules of an
// edit, the audit of every changed field, the write; `a` is handed back by full name.
Status WriteAccountEdit(Tx& tx, const Context& ctx, const Account& old, Account& a,
                        const std::string& reason) {
  CX_RETURN_IF_ERROR(CheckErpOwnedUnchanged(old, a));  // the ERP is king for its fields
  CX_RETURN_IF_ERROR(LinkPerson(tx, &a.owner));        // a shown full name is the same owner
  if (a.owner != old.owner) {
    return Conflict("account " + a.id +
                    ": the owner changes only when its opportunity is won, or by a manager with a "
                    "reason (cxhub ownership set)");
  }
  a.created_at = old.created_at;
  a.merged_into = old.merged_into;
  a.updated_at = ctx.now();
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "update", "account", a.id, FieldsOf(old), FieldsOf(a),
                                  reason, &changed));
  if (changed > 0) CX_RETURN_IF_ERROR(tx.UpdateAccount(a));
  return ShowPeopleIn(tx, &a);  // handed back by full name
}

}  // namespace

Result<Account> UpdateAccount(const Context& ctx, Account a, const std::string& reason,
                              const std::function<Status(const Account& stored)>& precondition) {
  CX_RETURN_IF_ERROR(ValidateAccount(&a));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetAccount(a.id));
    if (!old) return NotFound("account " + a.id + " does not exist");
    if (precondition) CX_RETURN_IF_ERROR(precondition(*old));
    return WriteAccountEdit(tx, ctx, *old, a, reason);
  });
  if (!st.ok()) return st;
  return a;
}

Result<Account> EditAccount(const Context& ctx, const std::string& id,
                            const std::function<Status(Account* stored)>& edit,
                            const std::string& reason) {
  Account a;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetAccount(id));
    if (!old) return NotFound("account " + id + " does not exist");
    a = *old;
    CX_RETURN_IF_ERROR(edit(&a));
    a.id = old->id;
    CX_RETURN_IF_ERROR(ValidateAccount(&a));
    return WriteAccountEdit(tx, ctx, *old, a, reason);
  });
  if (!st.ok()) return st;
  return a;
}

Result<Contact> UpdateContact(const Context& ctx, Contact c, const std::string& reason,
                              const std::function<Status(const Contact& stored)>& precondition) {
  CX_RETURN_IF_ERROR(ValidateContact(&c));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetContact(c.id));
    if (!old) return NotFound("contact " + c.id + " does not exist");
    if (precondition) CX_RETURN_IF_ERROR(precondition(*old));
    if (!c.account_id.empty() && c.account_id != old->account_id) {
      CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(c.account_id));
      if (!acc) return Invalid("account " + c.account_id + " does not exist");
    }
    c.created_at = old->created_at;
    c.merged_into = old->merged_into;
    c.updated_at = ctx.now();
    int changed = 0;
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "update", "contact", c.id, FieldsOf(*old), FieldsOf(c),
                                    reason, &changed));
    if (changed == 0) return Status::Ok();
    return tx.UpdateContact(c);
  });
  if (!st.ok()) return st;
  return c;
}

Result<AccountView> ShowAccount(const Context& ctx, const std::string& id, int interaction_limit,
                                bool deals) {
  AccountView v;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(id));
    if (!a) return NotFound("account " + id + " does not exist");
    v.account = std::move(*a);
    ContactFilter cf;
    cf.account_id = id;
    cf.limit = 1000;
    CX_ASSIGN_OR_RETURN(v.contacts, tx.ListContacts(cf));
    InteractionFilter inf;
    inf.account_id = id;
    inf.limit = interaction_limit;
    if (interaction_limit != 0) {
      CX_ASSIGN_OR_RETURN(v.interactions, tx.ListInteractions(inf));
    }
    if (deals) {
      OpportunityFilter of;
      of.account_id = id;
      CX_ASSIGN_OR_RETURN(v.opportunities, tx.ListOpportunities(of));
      CaseFilter kf;
      kf.account_id = id;
      CX_ASSIGN_OR_RETURN(v.cases, tx.ListCases(kf));
    }
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    ShowPeople(people, &v.account);
    for (auto& i : v.interactions) ShowPeople(people, &i);
    for (auto& o : v.opportunities) ShowPeople(people, &o);
    for (auto& c : v.cases) ShowPeople(people, &c);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return v;
}

Result<ContactView> ShowContact(const Context& ctx, const std::string& id, int interaction_limit) {
  ContactView v;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(id));
    if (!c) return NotFound("contact " + id + " does not exist");
    v.contact = *c;
    if (!c->account_id.empty()) {
      CX_ASSIGN_OR_RETURN(v.account, tx.GetAccount(c->account_id));
    }
    InteractionFilter inf;
    inf.contact_id = id;
    inf.limit = interaction_limit;
    CX_ASSIGN_OR_RETURN(v.interactions, tx.ListInteractions(inf));
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    if (v.account) ShowPeople(people, &*v.account);
    for (auto& i : v.interactions) ShowPeople(people, &i);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return v;
}

Result<std::vector<Account>> ListAccounts(const Context& ctx, const AccountFilter& filter) {
  std::vector<Account> out;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    AccountFilter f = filter;
    f.owner = people.Link(f.owner);  // by full name or login
    CX_ASSIGN_OR_RETURN(out, tx.ListAccounts(f));
    for (auto& a : out) ShowPeople(people, &a);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Contact>> ListContacts(const Context& ctx, const ContactFilter& f) {
  std::vector<Contact> out;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListContacts(f));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
