// Feedback: the shared checks and `feedback add`.
#include "service/feedback_service.h"

#include "base/text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/touchpoint_service.h"
#include "service/user_service.h"

namespace cx {

Status CheckFeedback(Tx& tx, const JourneyConfig& journeys, Feedback* f) {
  std::vector<std::string> problems;
  // Text that is not UTF-8 (a form posted in another encoding, stray bytes) is refused rather
  // than stored: every export, the audit log and the API write UTF-8.
  if (!IsValidUtf8(f->comment)) problems.push_back("comment: not valid UTF-8 text");
  f->contact_id = Trim(f->contact_id);
  f->account_id = Trim(f->account_id);
  f->touchpoint = Trim(f->touchpoint);
  if (!f->contact_id.empty()) {
    CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(f->contact_id));
    if (!c) {
      problems.push_back("contact: " + f->contact_id + " does not exist");
    } else if (f->account_id.empty()) {
      f->account_id = c->account_id;
    } else if (!c->account_id.empty() && c->account_id != f->account_id) {
      problems.push_back("contact: " + f->contact_id + " belongs to account " + c->account_id +
                         ", not " + f->account_id);
    }
  }
  if (!f->account_id.empty()) {
    CX_ASSIGN_OR_RETURN(bool there, tx.Exists(Entity::kAccount, f->account_id));
    if (!there) problems.push_back("account: " + f->account_id + " does not exist");
  }
  if (!f->touchpoint.empty()) {
    CX_ASSIGN_OR_RETURN(auto t, tx.GetTouchpoint(f->touchpoint));
    if (!t) {
      problems.push_back("touchpoint: " + f->touchpoint + " does not exist");
    } else {
      if (Trim(f->division).empty() && t->division != "All") f->division = t->division;
      if (Trim(f->stage).empty()) f->stage = t->stage;
    }
  }
  Status valid = ValidateFeedback(f);
  for (const auto& d : valid.details()) problems.push_back(d);
  if (!f->stage.empty()) {
    if (f->division.empty()) {
      problems.push_back("stage: '" + f->stage + "' needs a division (journeys are per division)");
    } else if (valid.ok() || CanonicalDivision(f->division)) {
      Status st = CheckJourneyStage(journeys, f->division, &f->stage);
      if (!st.ok()) problems.push_back(st.message());
    }
  }
  if (problems.empty()) return Status::Ok();
  Status st =
      Invalid(f->id.empty() ? "the feedback is not valid" : "feedback " + f->id + " is not valid");
  for (auto& p : problems) st.AddDetail(std::move(p));
  return st;
}

Result<Feedback> AddFeedback(const Context& ctx, Feedback f) {
  // Staff feedback on the hub itself keeps who gave it: it has its own command.
  if (f.kind == "hub")
    return Invalid("kind: feedback on the hub itself is logged with `hub-feedback add`");
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  if (f.date == 0) f.date = ctx.now();
  if (Trim(f.source).empty()) f.source = "staff";
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kAddFeedback));
    CX_RETURN_IF_ERROR(CheckFeedback(tx, cfg->journeys, &f));
    if (f.id.empty()) {
      CX_ASSIGN_OR_RETURN(f.id, tx.NextId("F"));
    } else {
      CX_ASSIGN_OR_RETURN(bool there, tx.Exists(Entity::kFeedback, f.id));
      if (there) return Conflict("feedback " + f.id + " exists already");
    }
    CX_RETURN_IF_ERROR(tx.InsertFeedback(f));
    return AuditCreate(tx, ctx, "feedback", f.id, FieldsOf(f));
  });
  if (!st.ok()) return st;
  return f;
}

}  // namespace cx
