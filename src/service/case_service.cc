// Cases: open, respond, confirm a resolution plan, approve a service quote, start work, close.
#include "service/case_service.h"

#include "base/text.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

const char* StepName(CaseStep s) {
  switch (s) {
    case CaseStep::kRespond:
      return "first response";
    case CaseStep::kConfirm:
      return "resolution confirmed";
    case CaseStep::kApproveQuote:
      return "quote approved";
    case CaseStep::kStartWork:
      return "work started";
    case CaseStep::kClose:
      return "closed";
  }
  return "";
}

std::optional<Timestamp>* StepField(Case* c, CaseStep s) {
  switch (s) {
    case CaseStep::kRespond:
      return &c->first_response;
    case CaseStep::kConfirm:
      return &c->resolution_confirmed;
    case CaseStep::kApproveQuote:
      return &c->quote_approved;
    case CaseStep::kStartWork:
      return &c->work_started;
    case CaseStep::kClose:
      return &c->closed;
  }
  return nullptr;
}

}  // namespace

Result<Case> OpenCase(const Context& ctx, Case c) {
  if (c.opened == 0) c.opened = ctx.now();
  c.first_response.reset();
  c.resolution_confirmed.reset();
  c.closed.reset();
  c.quote_approved.reset();
  c.work_started.reset();
  CX_RETURN_IF_ERROR(ValidateCase(&c));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    Status problems = Invalid("the case is not valid");
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(c.account_id));
    if (!acc)
      problems.AddDetail("account: " + c.account_id + " does not exist");
    else if (!acc->merged_into.empty())
      problems.AddDetail("account: " + c.account_id + " was merged into " + acc->merged_into);
    if (!c.contact_id.empty()) {
      CX_ASSIGN_OR_RETURN(auto contact, tx.GetContact(c.contact_id));
      if (!contact)
        problems.AddDetail("contact: " + c.contact_id + " does not exist");
      else if (contact->account_id != c.account_id) {
        problems.AddDetail("contact: " + c.contact_id + " belongs to account " +
                           contact->account_id + ", not " + c.account_id);
      }
    }
    if (!problems.details().empty()) return problems;
    if (c.id.empty()) {
      CX_ASSIGN_OR_RETURN(c.id, tx.NextId("K"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetCase(c.id));
      if (existing) return Conflict("case " + c.id + " exists already");
    }
    CX_RETURN_IF_ERROR(LinkPerson(tx, &c.owner));
    if (c.owner.empty()) {
      CX_ASSIGN_OR_RETURN(auto me, ActingUser(tx, ctx));
      if (me) c.owner = me->login;
    }
    CX_RETURN_IF_ERROR(tx.InsertCase(c));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "case", c.id, FieldsOf(c)));
    return ShowPeopleIn(tx, &c);  // handed back by full name
  });
  if (!st.ok()) return st;
  return c;
}

Result<Case> AdvanceCase(const Context& ctx, const std::string& id, CaseStep step,
                         std::optional<Timestamp> at_opt) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  Case out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto c, tx.GetCase(id));
    if (!c) return NotFound("case " + id + " does not exist");
    const Timestamp at = at_opt ? *at_opt : ctx.now();
    if (at < c->opened) {
      return Invalid("the time " + FormatTime(at, ctx.zone) + " is before case " + id +
                     " was opened (" + FormatTime(c->opened, ctx.zone) + ")");
    }
    if (c->closed) return Conflict("case " + id + " is closed");
    std::optional<Timestamp>* field = StepField(&*c, step);
    if (*field) {
      return Conflict("case " + id + ": " + StepName(step) + " was recorded already (" +
                      FormatTime(**field, ctx.zone) + ")");
    }
    if (step == CaseStep::kApproveQuote || step == CaseStep::kStartWork) {
      if (c->kind != "service-job")
        return Conflict("case " + id + " is a " + c->kind + ", not a service job");
    }
    if (step == CaseStep::kStartWork && !c->quote_approved) {
      const Journey* j = cfg->journeys.Find(c->division);
      if (j && j->service_job_needs_approved_quote) {
        return Conflict("service job " + id +
                        " cannot start before its service quote is approved (" + c->division +
                        "); approve the quote first");
      }
    }
    Case before = *c;
    *field = at;
    CX_RETURN_IF_ERROR(tx.UpdateCase(*c));
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "update", "case", id, FieldsOf(before), FieldsOf(*c)));
    out = *c;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<CaseView> ShowCase(const Context& ctx, const std::string& id) {
  CaseView v;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto c, tx.GetCase(id));
    if (!c) return NotFound("case " + id + " does not exist");
    v.kase = *c;
    InteractionFilter f;
    f.case_id = id;
    f.limit = 1000;
    CX_ASSIGN_OR_RETURN(v.interactions, tx.ListInteractions(f));
    CX_ASSIGN_OR_RETURN(v.next_actions, tx.ListJourneyActions("", id, false));
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));  // shown by full name
    ShowPeople(people, &v.kase);
    for (auto& i : v.interactions) ShowPeople(people, &i);
    for (auto& a : v.next_actions) a.owner = people.Name(a.owner);
    return Status::Ok();
  }));
  return v;
}

}  // namespace cx
