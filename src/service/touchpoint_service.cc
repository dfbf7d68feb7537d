// Touchpoints: add, edit, list; Source Touchpoints of opportunities; newsletter dates.
#include "service/touchpoint_service.h"

#include "base/text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/user_service.h"

namespace cx {

Status CheckJourneyStage(const JourneyConfig& journeys, const std::string& division,
                         std::string* stage) {
  *stage = Trim(*stage);
  if (stage->empty()) return Status::Ok();
  if (division == "All") {
    for (const auto& j : journeys.journeys) {
      int i = j.StageIndex(*stage);
      if (i >= 0) {
        *stage = j.stages[size_t(i)];
        return Status::Ok();
      }
    }
    return Invalid("stage: '" + *stage + "' is in no division's journey");
  }
  const Journey* j = journeys.Find(division);
  if (!j) return Invalid("stage: " + division + " has no journey, so no stage '" + *stage + "'");
  int i = j->StageIndex(*stage);
  if (i < 0) {
    std::string list;
    for (const auto& s : j->stages) list += (list.empty() ? "" : ", ") + s;
    return Invalid("stage: '" + *stage + "' is not a stage of the " + division + " journey (" +
                   list + ")");
  }
  *stage = j->stages[size_t(i)];
  return Status::Ok();
}

namespace {

// Validates `t` whole: its own fields and its stage against the journeys.
Status CheckTouchpoint(Touchpoint* t) {
  Status st = ValidateTouchpoint(t);
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  Status stage =
      t->division.empty() ? Status::Ok() : CheckJourneyStage(cfg->journeys, t->division, &t->stage);
  if (stage.ok()) return st;
  if (st.ok()) {
    st = Invalid(t->id.empty() ? "the new touchpoint is not valid"
                               : "touchpoint " + t->id + " is not valid");
  }
  st.AddDetail(stage.message());
  return st;
}

}  // namespace

Result<Touchpoint> AddTouchpoint(const Context& ctx, Touchpoint t) {
  CX_RETURN_IF_ERROR(CheckTouchpoint(&t));
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditTouchpoints));
    if (t.id.empty()) {
      CX_ASSIGN_OR_RETURN(t.id, tx.NextId("T"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetTouchpoint(t.id));
      if (existing) return Conflict("touchpoint " + t.id + " exists already");
    }
    CX_RETURN_IF_ERROR(LinkPerson(tx, &t.owner));
    t.created_at = t.updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.InsertTouchpoint(t));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "touchpoint", t.id, FieldsOf(t)));
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    t.owner = people.Name(t.owner);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return t;
}

Result<Touchpoint> EditTouchpoint(const Context& ctx, const std::string& id,
                                  const TouchpointEdit& e) {
  Touchpoint t;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditTouchpoints));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetTouchpoint(id));
    if (!old) return NotFound("touchpoint " + id + " does not exist");
    t = *old;
    if (e.name) t.name = *e.name;
    if (e.division) t.division = *e.division;
    if (e.stage) t.stage = *e.stage;
    if (e.channel) t.channel = *e.channel;
    if (e.owner) t.owner = *e.owner;
    if (e.yearly_budget) t.yearly_budget = *e.yearly_budget;
    CX_RETURN_IF_ERROR(CheckTouchpoint(&t));
    CX_RETURN_IF_ERROR(LinkPerson(tx, &t.owner));
    int changed = 0;
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "update", "touchpoint", id, FieldsOf(*old),
                                    FieldsOf(t), "", &changed));
    if (changed) {
      t.updated_at = ctx.now();
      CX_RETURN_IF_ERROR(tx.UpdateTouchpoint(t));
    }
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    t.owner = people.Name(t.owner);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return t;
}

Result<std::vector<Touchpoint>> ListTouchpoints(const Context& ctx, const std::string& division) {
  std::string d;
  if (!division.empty() && AsciiLower(Trim(division)) != "all") {
    auto c = CanonicalDivision(division);
    if (!c) return Invalid("--division: '" + division + "' is not a division");
    d = *c;
  } else if (!division.empty()) {
    d = "All";
  }
  std::vector<Touchpoint> out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListTouchpoints(d));
    if (!d.empty() && d != "All") {
      CX_ASSIGN_OR_RETURN(auto all, tx.ListTouchpoints("All"));
      out.insert(out.end(), all.begin(), all.end());
      std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    }
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    for (auto& t : out) t.owner = people.Name(t.owner);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Status SetSourceTouchpoint(Tx& tx, const Context& ctx, const std::string& opportunity_id,
                           const std::string& touchpoint_id, const std::string& reason) {
  const std::string tp = Trim(touchpoint_id);
  if (!tp.empty()) {
    CX_ASSIGN_OR_RETURN(auto t, tx.GetTouchpoint(tp));
    if (!t) return Invalid("source touchpoint: " + tp + " does not exist");
  }
  CX_ASSIGN_OR_RETURN(std::string old, tx.OpportunitySource(opportunity_id));
  if (old == tp) return Status::Ok();
  CX_RETURN_IF_ERROR(tx.SetOpportunitySource(opportunity_id, tp));
  return AuditChanges(tx, ctx, "update", "opportunity", opportunity_id,
                      {{"source_touchpoint", old}}, {{"source_touchpoint", tp}}, reason);
}

Result<std::string> NewsletterDate(const std::string& text) {
  const std::string t = Trim(text);
  if (t.empty()) return std::string();
  auto d = ParseDate(t);
  if (!d.ok()) return Invalid("newsletter: '" + t + "' is not a date (e.g. 2026-04-03)");
  return FormatDate(*d);
}

Status SetNewsletterIn(Tx& tx, const Context& ctx, const std::string& contact_id,
                       const std::string& date, const std::string& reason) {
  CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(contact_id));
  if (!c) return NotFound("contact " + contact_id + " does not exist");
  CX_ASSIGN_OR_RETURN(std::string old, tx.Newsletter(contact_id));
  if (old == date) return Status::Ok();
  CX_RETURN_IF_ERROR(tx.SetNewsletter(contact_id, date));
  return AuditChanges(tx, ctx, "update", "contact", contact_id, {{"newsletter", old}},
                      {{"newsletter", date}}, reason);
}

Status SetNewsletter(const Context& ctx, const std::string& contact_id, const std::string& text) {
  CX_ASSIGN_OR_RETURN(std::string date, NewsletterDate(text));
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    return SetNewsletterIn(tx, ctx, contact_id, date);
  });
}

}  // namespace cx
