// Next actions: listing interaction and journey next actions together, completing them, audited.
#include "service/next_action_service.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/text.h"
#include "service/audit.h"
#include "service/user_service.h"

namespace cx {

std::string JourneyActionId(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "N-%06lld", static_cast<long long>(seq));
  return buf;
}

Result<std::string> AddJourneyAction(Tx& tx, const Context& ctx, JourneyAction a) {
  if (Trim(a.action).empty()) return Invalid("next action: the action text is required");
  a.created_at = ctx.now();
  a.created_by = ctx.actor;
  CX_ASSIGN_OR_RETURN(int64_t seq, tx.InsertJourneyAction(a));
  std::string id = JourneyActionId(seq);
  FieldList fields = {{"action", a.action},
                      {"due", a.due ? FormatTime(*a.due, ctx.zone) : ""},
                      {"owner", a.owner},
                      {"opportunity", a.opportunity_id},
                      {"case", a.case_id}};
  FieldList nonempty;
  for (auto& f : fields) {
    if (!f.second.empty()) nonempty.push_back(f);
  }
  CX_RETURN_IF_ERROR(
      AuditCreate(tx, ctx, "next-action", id, nonempty, a.rule.empty() ? "" : "rule: " + a.rule));
  return id;
}

namespace {

NextActionItem FromInteraction(const Interaction& i) {
  NextActionItem item;
  item.id = i.id;
  item.action = i.next_action;
  item.owner = i.next_action_owner.empty() ? i.logged_by : i.next_action_owner;
  item.due = i.next_action_due;
  item.opportunity_id = i.opportunity_id;
  item.case_id = i.case_id;
  item.contact_id = i.contact_id;
  return item;
}

NextActionItem FromJourneyAction(const JourneyAction& a) {
  NextActionItem item;
  item.id = JourneyActionId(a.seq);
  item.action = a.action;
  item.owner = a.owner;
  item.due = a.due;
  item.opportunity_id = a.opportunity_id;
  item.case_id = a.case_id;
  item.rule = a.rule;
  return item;
}

}  // namespace

Result<std::vector<NextActionItem>> ListNextActions(const Context& ctx, const NextActionQuery& q) {
  const Timestamp at = q.at ? *q.at : ctx.now();
  People people;
  std::string owner;  // the person asked for, by name or login, as People::Key
  std::vector<NextActionItem> out;
  auto keep = [&](NextActionItem& item) {
    if (!owner.empty() && people.Key(item.owner) != owner) return;
    item.overdue = item.due && *item.due < at;
    if (q.overdue_only && !item.overdue) return;
    item.owner = people.Name(item.owner);  // shown by full name
    out.push_back(item);
  };
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(people, LoadPeople(tx));
    if (!Trim(q.owner).empty()) owner = people.Key(q.owner);
    InteractionFilter f;
    f.open_next_actions = true;
    f.limit = 1000000;
    CX_ASSIGN_OR_RETURN(auto interactions, tx.ListInteractions(f));
    for (const auto& i : interactions) {
      NextActionItem item = FromInteraction(i);
      keep(item);
    }
    CX_ASSIGN_OR_RETURN(auto actions, tx.ListJourneyActions("", "", true));
    for (const auto& a : actions) {
      NextActionItem item = FromJourneyAction(a);
      keep(item);
    }
    return Status::Ok();
  }));
  std::stable_sort(out.begin(), out.end(), [](const NextActionItem& a, const NextActionItem& b) {
    if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
    if (a.due && *a.due != *b.due) return *a.due < *b.due;
    return a.id < b.id;
  });
  return out;
}

Status CompleteNextAction(const Context& ctx, const std::string& id) {
  return ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    if (id.rfind("N-", 0) == 0) {
      char* end = nullptr;
      long long seq = std::strtoll(id.c_str() + 2, &end, 10);
      if (seq <= 0 || !end || *end != '\0')
        return Invalid("'" + id + "' is not a next-action id (N-NNNNNN)");
      CX_ASSIGN_OR_RETURN(auto a, tx.GetJourneyAction(seq));
      if (!a) return NotFound("next action " + id + " does not exist");
      if (a->done) return Conflict("next action " + id + " is done already");
      CX_RETURN_IF_ERROR(tx.SetJourneyActionDone(seq, true));
      return AuditChanges(tx, ctx, "update", "next-action", id, {{"done", "no"}},
                          {{"done", "yes"}});
    }
    CX_ASSIGN_OR_RETURN(auto i, tx.GetInteraction(id));
    if (!i)
      return NotFound("next action " + id + " does not exist (give an interaction id I-… or N-…)");
    if (i->next_action.empty()) return NotFound("interaction " + id + " carries no next action");
    if (i->next_action_done) return Conflict("the next action of " + id + " is done already");
    i->next_action_done = true;
    CX_RETURN_IF_ERROR(tx.UpdateInteraction(*i));
    return AuditChanges(tx, ctx, "update", "interaction", id, {{"next action done", "no"}},
                        {{"next action done", "yes"}});
  });
}

}  // namespace cx
