// Opportunities through their journey and the rule of engagement, each use case in one transaction.
#include "service/opportunity_service.h"

#include "service/touchpoint_service.h"

#include <nlohmann/json.hpp>

#include <map>

#include "base/text.h"
#include "domain/cell_text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/next_action_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

struct Done {
  std::string answer, by;
  Timestamp at = 0;
};

Result<const Journey*> JourneyOf(const HubConfig& cfg, const std::string& division) {
  const Journey* j = cfg.journeys.Find(division);
  if (!j) return Invalid("division '" + division + "' has no journey in " + cfg.journeys_source);
  return j;
}

bool Truthy(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) {
    std::string s = FoldText(Trim(v.get<std::string>()));
    return !s.empty() && s != "no" && s != "n" && s != "false" && s != "0";
  }
  return false;
}

// Checklist items done for the opportunity: `opportunity check` answers and the
// checklist answers of interactions carrying its id.
Result<std::map<std::string, Done>> DoneItems(Tx& tx, const std::string& opportunity_id) {
  std::map<std::string, Done> done;
  CX_ASSIGN_OR_RETURN(auto answers, tx.ChecklistAnswers(opportunity_id));
  for (const auto& a : answers) done.emplace(a.item, Done{a.answer, a.by, a.at});
  InteractionFilter f;
  f.opportunity_id = opportunity_id;
  f.limit = 100000;
  f.newest_first = false;
  CX_ASSIGN_OR_RETURN(auto interactions, tx.ListInteractions(f));
  for (const auto& i : interactions) {
    if (i.checklist.empty() || i.checklist == "{}") continue;
    nlohmann::json j = nlohmann::json::parse(i.checklist, nullptr, false);
    if (!j.is_object()) continue;
    for (const auto& [k, v] : j.items()) {
      if (Truthy(v))
        done.emplace(ChecklistKey(k),
                     Done{v.is_string() ? v.get<std::string>() : v.dump(), i.logged_by, i.at});
    }
  }
  return done;
}

// Required items not done, of checklists required for stages in (from, to].
std::vector<std::string> Missing(const Journey& j, int from, int to,
                                 const std::map<std::string, Done>& done) {
  std::vector<std::string> out;
  for (const auto& cl : j.checklists) {
    int idx = j.StageIndex(cl.required_for);
    if (idx <= from || idx > to) continue;
    for (const auto& it : cl.items) {
      if (it.required && !done.count(it.key))
        out.push_back("'" + it.label + "' (" + cl.title + ")");
    }
  }
  return out;
}

Status CheckAt(const Opportunity& o, Timestamp at, const Zone& z) {
  if (at < o.created) {
    return Invalid("the time " + FormatTime(at, z) + " is before opportunity " + o.id +
                   " was created (" + FormatTime(o.created, z) + ")");
  }
  return Status::Ok();
}

// Creates the journey's automatic next actions for entering `stage`.
Status AutoActions(Tx& tx, const Context& ctx, const Journey& j, const Opportunity& o,
                   const std::string& stage, Timestamp at, std::vector<std::string>* ids) {
  for (const auto& na : j.next_actions) {
    if (FoldText(na.on_stage) != FoldText(stage)) continue;
    JourneyAction a;
    a.opportunity_id = o.id;
    a.action = na.action;
    a.due = at + int64_t(na.due_days) * 86400;
    a.owner = na.owner == "owner" ? o.owner : na.owner;
    a.rule = j.division + ": on entering " + na.on_stage;
    CX_ASSIGN_OR_RETURN(std::string id, AddJourneyAction(tx, ctx, a));
    ids->push_back(id);
  }
  return Status::Ok();
}

// Enters `target` (index `to`) from the opportunity's current stage, checking checklists
// on forward moves, recording the history, and creating the stage's next actions.
Status EnterStage(Tx& tx, const Context& ctx, const Journey& j, Opportunity* o,
                  const std::string& target, int to, Timestamp at, const Override& ov,
                  MoveResult* r) {
  int from = j.StageIndex(o->stage);
  if (to > from) {
    CX_ASSIGN_OR_RETURN(auto done, DoneItems(tx, o->id));
    std::vector<std::string> missing = Missing(j, from, to, done);
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      if (!ov.requested) {
        return Conflict(
            "opportunity " + o->id + " cannot enter " + target + ": checklist item" +
            (missing.size() > 1 ? "s " : " ") + list + (missing.size() > 1 ? " are" : " is") +
            " not done (record them with `cxhub opportunity check`, or a manager overrides with "
            "--override --reason)");
      }
      if (Trim(ov.reason).empty()) return Invalid("an override needs a reason (--reason)");
      CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kOverrideChecklist));
      CX_RETURN_IF_ERROR(AuditAction(tx, ctx, "override", "opportunity", o->id,
                                     "entered " + target + " without: " + list, ov.reason));
      r->overridden = missing;
    }
  }
  o->stage = target;
  CX_RETURN_IF_ERROR(tx.AddStage(StageEntry{o->id, target, at, ctx.actor}));
  return AutoActions(tx, ctx, j, *o, target, at, &r->next_actions);
}

Status RequireOpen(const Opportunity& o) {
  if (o.outcome != "open") return Conflict("opportunity " + o.id + " is " + o.outcome + " already");
  return Status::Ok();
}

}  // namespace

Result<AddOpportunityResult> AddOpportunity(const Context& ctx, Opportunity o,
                                            const std::string& source_touchpoint) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  o.outcome = "open";
  o.closed.reset();
  if (o.created == 0) o.created = ctx.now();
  CX_RETURN_IF_ERROR(ValidateOpportunity(&o));
  CX_ASSIGN_OR_RETURN(const Journey* j, JourneyOf(*cfg, o.division));
  if (o.stage.empty()) o.stage = j->stages.front();
  int idx = j->StageIndex(o.stage);
  if (idx < 0 || idx >= j->StageIndex(j->won_stage)) {
    std::string open;
    for (int i = 0; i < j->StageIndex(j->won_stage); ++i)
      open += (open.empty() ? "" : ", ") + j->stages[i];
    return Invalid("stage: '" + o.stage + "' is not an open stage of " + j->division + " (" + open +
                   ")");
  }
  o.stage = j->stages[idx];
  AddOpportunityResult r;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(o.account_id));
    if (!acc) return Invalid("account: " + o.account_id + " does not exist");
    if (!acc->merged_into.empty()) {
      return Invalid("account: " + o.account_id + " was merged into " + acc->merged_into +
                     "; use that one");
    }
    CX_RETURN_IF_ERROR(LinkPerson(tx, &o.owner));
    if (o.id.empty()) {
      CX_ASSIGN_OR_RETURN(o.id, tx.NextId("O"));
    } else {
      CX_ASSIGN_OR_RETURN(auto existing, tx.GetOpportunity(o.id));
      if (existing) return Conflict("opportunity " + o.id + " exists already");
    }
    const bool route = o.owner.empty() && o.division == cfg->journeys.routing.division;
    if (route) {
      CX_ASSIGN_OR_RETURN(RoutingDecision d, DecideRoute(tx, cfg->journeys.routing, o, *acc));
      o.owner = d.owner;
      r.routing = d;
    } else if (o.owner.empty()) {
      CX_ASSIGN_OR_RETURN(auto me, ActingUser(tx, ctx));
      if (me) o.owner = me->login;
    }
    CX_RETURN_IF_ERROR(tx.InsertOpportunity(o));
    CX_RETURN_IF_ERROR(tx.AddStage(StageEntry{o.id, o.stage, o.created, ctx.actor}));
    CX_RETURN_IF_ERROR(AuditCreate(tx, ctx, "opportunity", o.id, FieldsOf(o)));
    if (!source_touchpoint.empty())
      CX_RETURN_IF_ERROR(SetSourceTouchpoint(tx, ctx, o.id, source_touchpoint));
    if (r.routing) CX_RETURN_IF_ERROR(AuditRoute(tx, ctx, o, *r.routing));
    CX_RETURN_IF_ERROR(AutoActions(tx, ctx, *j, o, o.stage, o.created, &r.next_actions));
    r.opportunity = o;
    return ShowPeopleIn(tx, &r.opportunity);  // handed back by full name
  });
  if (!st.ok()) return st;
  return r;
}

Status CheckItems(const Context& ctx, const std::string& opportunity_id,
                  const std::vector<std::string>& items, const std::string& answer) {
  if (items.empty()) return Invalid("name at least one checklist item");
  if (std::string why = CellLengthProblem(answer); !why.empty())
    return Invalid("the answer (--answer) " + why);
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(opportunity_id));
    if (!o) return NotFound("opportunity " + opportunity_id + " does not exist");
    CX_ASSIGN_OR_RETURN(const Journey* j, JourneyOf(*cfg, o->division));
    std::vector<std::string> keys;
    Status bad = Invalid("unknown checklist item(s) for a " + j->division + " opportunity");
    for (const auto& item : items) {
      std::string key = ChecklistKey(item);
      bool known = false;
      for (const auto& cl : j->checklists) {
        for (const auto& it : cl.items) known = known || it.key == key;
      }
      if (!known)
        bad.AddDetail("'" + item + "' is not an item of any " + j->division + " checklist");
      else
        keys.push_back(key);
    }
    if (!bad.details().empty()) {
      for (const auto& cl : j->checklists) {
        std::string list;
        for (const auto& it : cl.items) list += (list.empty() ? "" : "; ") + it.label;
        bad.AddDetail(cl.name + ": " + list);
      }
      return bad;
    }
    const std::string ans = Trim(answer).empty() ? "done" : Trim(answer);
    for (const auto& key : keys) {
      CX_RETURN_IF_ERROR(
          tx.AddChecklistAnswer(ChecklistAnswer{o->id, key, ans, ctx.now(), ctx.actor}));
      CX_RETURN_IF_ERROR(AuditAction(tx, ctx, "check", "opportunity", o->id, key + ": " + ans, ""));
    }
    return Status::Ok();
  });
}

Result<MoveResult> MoveOpportunity(const Context& ctx, const std::string& id,
                                   const std::string& stage, std::optional<Timestamp> at_opt,
                                   const Override& ov) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  MoveResult r;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(id));
    if (!o) return NotFound("opportunity " + id + " does not exist");
    CX_ASSIGN_OR_RETURN(const Journey* j, JourneyOf(*cfg, o->division));
    const Timestamp at = at_opt ? *at_opt : ctx.now();
    CX_RETURN_IF_ERROR(CheckAt(*o, at, ctx.zone));
    auto target = j->CanonicalStage(stage);
    if (!target) {
      std::string list;
      for (const auto& s : j->stages) list += (list.empty() ? "" : ", ") + s;
      return Invalid("stage: '" + stage + "' is not a stage of " + j->division + " (" + list +
                     ", " + j->lost_stage + ")");
    }
    if (*target == j->lost_stage)
      return Invalid("to lose " + id + " use `opportunity lose` with a reason");
    const int to = j->StageIndex(*target), won = j->StageIndex(j->won_stage);
    if (to == won && o->outcome == "open")
      return Invalid("to win " + id + " use `opportunity win`");
    if (o->outcome == "lost") return Conflict("opportunity " + id + " is lost; it does not move");
    if (to > won && o->outcome != "won") {
      return Conflict("opportunity " + id + " must be won before it enters " + *target);
    }
    if (to <= won && o->outcome == "won") {
      return Conflict("opportunity " + id + " is won; it only moves on to the stages after " +
                      j->won_stage);
    }
    if (FoldText(o->stage) == FoldText(*target))
      return Invalid("opportunity " + id + " is at " + *target + " already");
    Opportunity before = *o;
    CX_RETURN_IF_ERROR(EnterStage(tx, ctx, *j, &*o, *target, to, at, ov, &r));
    CX_RETURN_IF_ERROR(tx.UpdateOpportunity(*o));
    CX_RETURN_IF_ERROR(
        AuditChanges(tx, ctx, "update", "opportunity", id, FieldsOf(before), FieldsOf(*o)));
    r.opportunity = *o;
    CX_RETURN_IF_ERROR(ShowPeopleIn(tx, &r.opportunity));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return r;
}

Result<MoveResult> WinOpportunity(const Context& ctx, const std::string& id,
                                  const std::string& closer_in, std::optional<Timestamp> at_opt,
                                  const Override& ov) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  MoveResult r;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(id));
    if (!o) return NotFound("opportunity " + id + " does not exist");
    CX_RETURN_IF_ERROR(RequireOpen(*o));
    CX_ASSIGN_OR_RETURN(const Journey* j, JourneyOf(*cfg, o->division));
    const Timestamp at = at_opt ? *at_opt : ctx.now();
    CX_RETURN_IF_ERROR(CheckAt(*o, at, ctx.zone));
    std::string closer = Trim(closer_in);
    CX_RETURN_IF_ERROR(LinkPerson(tx, &closer));
    if (closer.empty()) closer = o->owner;
    if (closer.empty()) {
      CX_ASSIGN_OR_RETURN(auto me, ActingUser(tx, ctx));
      if (me) closer = me->login;
    }
    if (closer.empty())
      return Invalid("who closed " + id + "? it has no owner; name the closer with --closer");
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(o->account_id));
    if (!acc) return Internal("opportunity " + id + " names a missing account " + o->account_id);
    Opportunity before = *o;
    CX_RETURN_IF_ERROR(
        EnterStage(tx, ctx, *j, &*o, j->won_stage, j->StageIndex(j->won_stage), at, ov, &r));
    o->outcome = "won";
    o->closed = at;
    o->owner = closer;
    CX_RETURN_IF_ERROR(tx.UpdateOpportunity(*o));
    CX_RETURN_IF_ERROR(
        AuditChanges(tx, ctx, "update", "opportunity", id, FieldsOf(before), FieldsOf(*o)));
    if (acc->owner != closer) {
      const std::string previous = acc->owner;
      acc->owner = closer;
      acc->updated_at = ctx.now();
      CX_RETURN_IF_ERROR(tx.UpdateAccount(*acc));
      CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "ownership", "account", acc->id,
                                      {{"owner", previous}}, {{"owner", closer}},
                                      "won opportunity " + id));
    }
    r.opportunity = *o;
    CX_RETURN_IF_ERROR(ShowPeopleIn(tx, &r.opportunity));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return r;
}

Result<Opportunity> LoseOpportunity(const Context& ctx, const std::string& id,
                                    const std::string& reason, std::optional<Timestamp> at_opt) {
  if (Trim(reason).empty()) return Invalid("losing an opportunity needs a reason (--reason)");
  if (std::string why = CellLengthProblem(reason); !why.empty())
    return Invalid("the lost reason (--reason) " + why);
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  Opportunity out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(id));
    if (!o) return NotFound("opportunity " + id + " does not exist");
    CX_RETURN_IF_ERROR(RequireOpen(*o));
    CX_ASSIGN_OR_RETURN(const Journey* j, JourneyOf(*cfg, o->division));
    const Timestamp at = at_opt ? *at_opt : ctx.now();
    CX_RETURN_IF_ERROR(CheckAt(*o, at, ctx.zone));
    Opportunity before = *o;
    o->outcome = "lost";
    o->lost_reason = Trim(reason);
    o->closed = at;
    o->stage = j->lost_stage;
    CX_RETURN_IF_ERROR(tx.AddStage(StageEntry{o->id, o->stage, at, ctx.actor}));
    CX_RETURN_IF_ERROR(tx.UpdateOpportunity(*o));
    CX_RETURN_IF_ERROR(
        AuditChanges(tx, ctx, "update", "opportunity", id, FieldsOf(before), FieldsOf(*o)));
    out = *o;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<OpportunityView> ShowOpportunity(const Context& ctx, const std::string& id) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  OpportunityView v;
  Status st = ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto o, tx.GetOpportunity(id));
    if (!o) return NotFound("opportunity " + id + " does not exist");
    v.opportunity = *o;
    CX_ASSIGN_OR_RETURN(v.history, tx.StageHistory(id));
    CX_ASSIGN_OR_RETURN(v.next_actions, tx.ListJourneyActions(id, "", false));
    InteractionFilter f;
    f.opportunity_id = id;
    f.limit = 1000;
    CX_ASSIGN_OR_RETURN(v.interactions, tx.ListInteractions(f));
    if (const Journey* j = cfg->journeys.Find(o->division)) {
      CX_ASSIGN_OR_RETURN(auto done, DoneItems(tx, id));
      for (const auto& cl : j->checklists) {
        for (const auto& it : cl.items) {
          ChecklistStatus s{cl.name, cl.required_for, it, false, "", "", std::nullopt};
          if (auto d = done.find(it.key); d != done.end()) {
            s.done = true;
            s.answer = d->second.answer;
            s.by = d->second.by;
            s.at = d->second.at;
          }
          v.checklist.push_back(std::move(s));
        }
      }
    }
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));  // shown by full name
    ShowPeople(people, &v.opportunity);
    for (auto& e : v.history) e.by = people.Name(e.by);
    for (auto& a : v.next_actions) a.owner = people.Name(a.owner);
    for (auto& i : v.interactions) ShowPeople(people, &i);
    for (auto& c : v.checklist) c.by = people.Name(c.by);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return v;
}

Result<Account> ChangeAccountOwner(const Context& ctx, const std::string& account_id,
                                   const std::string& new_owner, const std::string& reason) {
  if (Trim(reason).empty()) return Invalid("changing an Account Owner needs a reason (--reason)");
  if (Trim(new_owner).empty()) return Invalid("owner: the new Account Owner is required");
  Account out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kOverrideOwner));
    CX_ASSIGN_OR_RETURN(auto people, LoadPeople(tx));
    const std::string owner = people.Link(new_owner);  // the user's login, or the name as typed
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(account_id));
    if (!acc) return NotFound("account " + account_id + " does not exist");
    if (acc->owner == owner)
      return Invalid("account " + account_id + " is owned by " + people.Name(owner) + " already");
    const std::string previous = acc->owner;
    acc->owner = owner;
    acc->updated_at = ctx.now();
    CX_RETURN_IF_ERROR(tx.UpdateAccount(*acc));
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx, "ownership", "account", acc->id, {{"owner", previous}},
                                    {{"owner", owner}}, Trim(reason)));
    out = *acc;
    out.owner = people.Name(out.owner);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<AuditEntry>> OwnershipHistory(const Context& ctx,
                                                 const std::string& account_id) {
  std::vector<AuditEntry> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto acc, tx.GetAccount(account_id));
    if (!acc) return NotFound("account " + account_id + " does not exist");
    AuditFilter f;
    f.entity = "account";
    f.entity_id = account_id;
    f.action = "ownership";
    f.limit = 100000;
    f.newest_first = false;
    CX_ASSIGN_OR_RETURN(out, tx.ListAudit(f));
    CX_ASSIGN_OR_RETURN(auto people, LoadPeople(tx));
    for (auto& e : out) {  // shown by full name (docs/people.md)
      e.before = people.Name(e.before);
      e.after = people.Name(e.after);
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
