// Interaction logging: validate references, default the division, audit.
#include "service/interaction_service.h"

#include "service/audit.h"
#include "service/user_service.h"

namespace cx {

Result<Interaction> LogInteraction(const Context& ctx, Interaction i) {
  if (i.logged_by.empty()) i.logged_by = ctx.actor;
  if (i.at == 0) i.at = ctx.now();
  CX_RETURN_IF_ERROR(ValidateInteraction(&i));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_RETURN_IF_ERROR(LinkPerson(tx, &i.logged_by));
    CX_RETURN_IF_ERROR(LinkPerson(tx, &i.next_action_owner));
    Status problems = Invalid("the interaction is not valid");
    CX_ASSIGN_OR_RETURN(auto contact, tx.GetContact(i.contact_id));
    if (!contact) {
      problems.AddDetail("contact: " + i.contact_id + " does not exist");
    } else if (!contact->merged_into.empty()) {
      problems.AddDetail("contact: " + i.contact_id + " was merged into " + contact->merged_into);
    } else if (i.division.empty() && !contact->account_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(contact->account_id));
      if (acc && !acc->divisions.empty() && acc->divisions.find(';') == std::string::npos) {
        i.division = acc->divisions;
      }
    }
    if (!i.opportunity_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(i.opportunity_id));
      if (!o)
        problems.AddDetail("opportunity: " + i.opportunity_id + " does not exist");
      else if (i.division.empty())
        i.division = o->division;
    }
    if (!i.case_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto c, tx.GetCase(i.case_id));
      if (!c)
        problems.AddDetail("case: " + i.case_id + " does not exist");
      else if (i.division.empty())
        i.division = c->division;
    }
    if (!problems.details().empty()) return problems;
    // Read before the id is taken: on PostgreSQL, taking an interaction's id locks its counter
    // until the commit, and every other writer of an interaction waits for it meanwhile
    // (docs/postgresql.md, "Isolation"), so nothing that can come earlier runs after it.
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    if (i.id.empty()) {
      CX_ASSIGN_OR_RETURN(i.id, tx.NextId("I"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetInteraction(i.id));
      if (existing) return Conflict("interaction " + i.id + " exists already");
    }
    i.created_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.InsertInteraction(i));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "interaction", i.id, FieldsOf(i)));
    ShowPeople(people, &i);  // handed back by full name
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return i;
}

Result<Interaction> GetInteraction(const Context& ctx, const std::string& id) {
  std::optional<Interaction> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.GetInteraction(id));
    return out ? ShowPeopleIn(tx, &*out) : Status::Ok();
  }));
  if (!out) return NotFound("interaction " + id + " does not exist");
  return *out;
}

Result<std::vector<Interaction>> ListInteractions(const Context& ctx,
                                                  const InteractionFilter& filter) {
  std::vector<Interaction> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    InteractionFilter f = filter;  // people by full name or login
    f.logged_by = people.Link(f.logged_by);
    f.next_action_owner = people.Link(f.next_action_owner);
    CX_ASSIGN_OR_RETURN(out, tx.ListInteractions(f));
    for (auto& i : out) ShowPeople(people, &i);
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
