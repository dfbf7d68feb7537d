// The workbook importer's rows of the sheets after accounts and contacts: opportunities, stage
// history, cases, interactions, orders, feedback and touchpoints.
#include <cstdio>

#include "domain/division.h"
#include "service/config_service.h"
#include "service/touchpoint_service.h"
#include "service/workbook_importer.h"

namespace cx::wbimport {

std::string FormatNumber(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", v);
  }
  return buf;
}

namespace {

FieldList FieldsOfOrder(const Order& o) {
  return {{"erp_customer_id", o.erp_customer_id},
          {"date", std::to_string(o.date)},
          {"division", o.division},
          {"amount", FormatNumber(o.amount)},
          {"currency", o.currency}};
}

}  // namespace

Status Importer::OpportunityRow() {
  std::string id;
  if (!RowId("Opportunity ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetOpportunity(id));
  Opportunity o = old ? *old : Opportunity{};
  o.id = id;
  SetText("Account ID", &o.account_id);
  SetText("Division", &o.division);
  SetPerson("Owner", &o.owner);
  SetText("Stage", &o.stage);
  if (auto v = NumberOf("Amount")) o.amount = *v;
  SetTime("Created", &o.created);
  SetOptTime("Closed", &o.closed);
  SetText("Outcome", &o.outcome);
  SetText("Lost Reason", &o.lost_reason);
  SetText("Title", &o.title);
  SetCustom(&o.custom);
  if (o.created == 0) o.created = ctx_.now();
  ValidationErrors(ValidateOpportunity(&o));
  if (!o.account_id.empty() && !Exists(Entity::kAccount, "account", "Account ID", o.account_id))
    ++row_errors_;
  std::string source;
  if (SetText("Source Touchpoint", &source) && !source.empty()) {
    CX_ASSIGN_OR_RETURN(auto t, tx_.GetTouchpoint(source));
    if (!t) Error("Source Touchpoint", "touchpoint " + source + " does not exist");
  }
  if (row_errors_) {
    failed(Entity::kOpportunity).insert(id);
    return Status::Ok();
  }
  if (!old) {
    CX_RETURN_IF_ERROR(tx_.InsertOpportunity(o));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "opportunity", o.id, FieldsOf(o), reason_));
    int ignored = 0;
    CX_RETURN_IF_ERROR(SourceOf(o.id, &ignored));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "opportunity", id, FieldsOf(*old),
                                  FieldsOf(o), reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateOpportunity(o));
  CX_RETURN_IF_ERROR(SourceOf(id, &changed));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::StageRow() {
  StageEntry e;
  if (!SetText("Opportunity ID", &e.opportunity_id) || e.opportunity_id.empty()) {
    Error("Opportunity ID", "is empty");
    return Status::Ok();
  }
  if (!SetText("Stage", &e.stage) || e.stage.empty()) Error("Stage", "is empty");
  auto t = TimeOf("Entered");
  if (!t && !Get("Entered")) Error("Entered", "is empty");
  if (t) e.entered = *t;
  SetPerson("By", &e.by);
  if (!Exists(Entity::kOpportunity, "opportunity", "Opportunity ID", e.opportunity_id))
    ++row_errors_;
  if (row_errors_) return Status::Ok();
  if (stage_opp_ != e.opportunity_id) {
    CX_ASSIGN_OR_RETURN(stage_cache_, tx_.StageHistory(e.opportunity_id));
    stage_opp_ = e.opportunity_id;
  }
  for (const auto& s : stage_cache_) {
    if (s.stage == e.stage && s.entered == e.entered) {
      Counted(0, false);
      return Status::Ok();
    }
  }
  CX_RETURN_IF_ERROR(tx_.AddStage(e));
  stage_cache_.push_back(e);
  CX_RETURN_IF_ERROR(AuditCreate(
      tx_, ctx_, "stage", e.opportunity_id,
      {{"stage", e.stage}, {"entered", std::to_string(e.entered)}, {"by", e.by}}, reason_));
  Counted(0, true);
  return Status::Ok();
}

Status Importer::CaseRow() {
  std::string id;
  if (!RowId("Case ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetCase(id));
  Case c = old ? *old : Case{};
  c.id = id;
  SetText("Account ID", &c.account_id);
  SetText("Contact ID", &c.contact_id);
  SetText("Division", &c.division);
  SetText("Kind", &c.kind);
  SetTime("Opened", &c.opened);
  SetOptTime("First Response", &c.first_response);
  SetOptTime("Resolution Confirmed", &c.resolution_confirmed);
  SetOptTime("Closed", &c.closed);
  SetPerson("Owner", &c.owner);
  SetText("Summary", &c.summary, false);
  SetOptTime("Quote Approved", &c.quote_approved);
  SetOptTime("Work Started", &c.work_started);
  SetCustom(&c.custom);
  ValidationErrors(ValidateCase(&c));
  if (!Exists(Entity::kAccount, "account", "Account ID", c.account_id)) ++row_errors_;
  if (!Exists(Entity::kContact, "contact", "Contact ID", c.contact_id)) ++row_errors_;
  if (row_errors_) {
    failed(Entity::kCase).insert(id);
    return Status::Ok();
  }
  if (!old) {
    CX_RETURN_IF_ERROR(tx_.InsertCase(c));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "case", c.id, FieldsOf(c), reason_));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "case", id, FieldsOf(*old), FieldsOf(c),
                                  reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateCase(c));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::InteractionRow() {
  std::string id;
  if (!RowId("Interaction ID", &id)) return Status::Ok();
  // Into an empty table (and ids unique in the sheet), no row can exist yet: skip the lookup.
  std::optional<Interaction> old;
  if (!interactions_empty_) {
    CX_ASSIGN_OR_RETURN(old, tx_.GetInteraction(id));
  }
  Interaction i = old ? *old : Interaction{};
  i.id = id;
  SetTime("Date", &i.at);
  SetText("Contact ID", &i.contact_id);
  SetText("Channel", &i.channel);
  SetText("Notes", &i.notes, false);
  SetText("Next Action", &i.next_action, false);
  SetPerson("Logged By", &i.logged_by);
  SetOptTime("Next Action Due", &i.next_action_due);
  SetPerson("Next Action Owner", &i.next_action_owner);
  SetBool("Next Action Done", &i.next_action_done);
  SetText("Division", &i.division);
  SetText("Type", &i.type);
  SetText("Opportunity ID", &i.opportunity_id);
  SetText("Case ID", &i.case_id);
  SetText("Checklist", &i.checklist);
  SetCustom(&i.custom);
  ValidationErrors(ValidateInteraction(&i));
  if (!Exists(Entity::kContact, "contact", "Contact ID", i.contact_id)) ++row_errors_;
  if (!Exists(Entity::kOpportunity, "opportunity", "Opportunity ID", i.opportunity_id))
    ++row_errors_;
  if (!Exists(Entity::kCase, "case", "Case ID", i.case_id)) ++row_errors_;
  if (row_errors_) return Status::Ok();
  if (!old) {
    i.created_at = ctx_.now();
    CX_RETURN_IF_ERROR(AuditBulkCreate(tx_, ctx_, "interaction", i.id, reason_));
    // New rows go in many at a time; none is read back while the sheet is read (its ids are
    // all different), and the rest is flushed when the sheet ends. Large batches: the store
    // writes each batch in one statement, whose journal copies each page it changes once, so
    // the fewer the batches the fewer the copies into a populated hub (docs/store.md, "Bulk
    // inserts of interactions"); 16,384 rows hold a few MiB.
    new_interactions_.push_back(std::move(i));
    if (new_interactions_.size() >= kInteractionBatch) CX_RETURN_IF_ERROR(FlushInteractions());
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "interaction", id, FieldsOf(*old),
                                  FieldsOf(i), reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateInteraction(i));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::OrderRow() {
  std::string id;
  if (!RowId("Order ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetOrder(id));
  Order o = old ? *old : Order{};
  o.id = id;
  SetText("ERP Customer ID", &o.erp_customer_id);
  SetTime("Order Date", &o.date);
  SetText("Division", &o.division);
  if (auto v = NumberOf("Amount")) o.amount = *v;
  SetText("Currency", &o.currency);
  if (o.date == 0 && !Get("Order Date")) Error("Order Date", "is empty");
  ValidationErrors(ValidateOrder(&o));
  if (row_errors_) return Status::Ok();
  int changed = 0;
  if (old) {
    CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "order", id, FieldsOfOrder(*old),
                                    FieldsOfOrder(o), reason_, &changed));
    if (changed) CX_RETURN_IF_ERROR(tx_.UpsertOrder(o));
  } else {
    CX_RETURN_IF_ERROR(tx_.UpsertOrder(o));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "order", id, FieldsOfOrder(o), reason_));
  }
  Counted(changed, !old);
  return Status::Ok();
}

Status Importer::FeedbackRow() {
  std::string id;
  if (!RowId("Feedback ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetFeedback(id));
  Feedback f = old ? *old : Feedback{};
  f.id = id;
  SetTime("Date", &f.date);
  SetText("Account ID", &f.account_id);
  SetText("Contact ID", &f.contact_id);
  SetText("Division", &f.division);
  SetText("Kind", &f.kind);
  if (auto v = NumberOf("Score")) f.score = *v;
  SetText("Stage", &f.stage);
  SetText("Platform", &f.platform);
  SetText("Comment", &f.comment, false);
  SetText("Touchpoint ID", &f.touchpoint);
  SetText("Source", &f.source);
  ValidationErrors(ValidateFeedback(&f));
  if (!f.touchpoint.empty()) {
    CX_ASSIGN_OR_RETURN(auto t, tx_.GetTouchpoint(f.touchpoint));
    if (!t) Error("Touchpoint ID", "touchpoint " + f.touchpoint + " does not exist");
  }
  if (!f.stage.empty() && !f.division.empty() && CanonicalDivision(f.division)) {
    Status st = CheckJourneyStage(config_->journeys, f.division, &f.stage);
    if (!st.ok()) Error("Stage", st.message());
  }
  if (!Exists(Entity::kAccount, "account", "Account ID", f.account_id)) ++row_errors_;
  if (!Exists(Entity::kContact, "contact", "Contact ID", f.contact_id)) ++row_errors_;
  if (row_errors_) return Status::Ok();
  int changed = 0;
  if (old) {
    CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "feedback", id, FieldsOf(*old),
                                    FieldsOf(f), reason_, &changed));
    if (changed) CX_RETURN_IF_ERROR(tx_.UpdateFeedback(f));
  } else {
    CX_RETURN_IF_ERROR(tx_.InsertFeedback(f));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "feedback", id, FieldsOf(f), reason_));
  }
  Counted(changed, !old);
  return Status::Ok();
}

Status Importer::TouchpointRow() {
  std::string id;
  if (!RowId("Touchpoint ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetTouchpoint(id));
  Touchpoint t = old ? *old : Touchpoint{};
  t.id = id;
  SetText("Name", &t.name);
  SetText("Division", &t.division);
  SetText("Stage", &t.stage);
  SetText("Channel", &t.channel);
  SetPerson("Owner", &t.owner);
  if (auto v = NumberOf("Yearly Budget")) t.yearly_budget = *v;
  ValidationErrors(ValidateTouchpoint(&t));
  if (!t.division.empty()) {
    Status st = CheckJourneyStage(config_->journeys, t.division, &t.stage);
    if (!st.ok()) Error("Stage", st.message());
  }
  if (row_errors_) {
    return Status::Ok();
  }
  if (!old) {
    t.created_at = t.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.InsertTouchpoint(t));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "touchpoint", id, FieldsOf(t), reason_));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "touchpoint", id, FieldsOf(*old),
                                  FieldsOf(t), reason_, &changed));
  if (changed) {
    t.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.UpdateTouchpoint(t));
  }
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::NewsletterOf(const std::string& contact_id, int* changed) {
  if (!col_of_.count("Newsletter")) return Status::Ok();
  std::string date;
  if (auto t = TimeOf("Newsletter")) {
    Date d;
    int secs = 0;
    ctx_.zone.ToLocal(*t, &d, &secs);
    date = FormatDate(d);
  }
  CX_ASSIGN_OR_RETURN(std::string old, tx_.Newsletter(contact_id));
  if (old == date) return Status::Ok();
  ++*changed;
  return SetNewsletterIn(tx_, ctx_, contact_id, date, reason_);
}

Status Importer::SourceOf(const std::string& opportunity_id, int* changed) {
  if (!col_of_.count("Source Touchpoint")) return Status::Ok();
  std::string source;
  SetText("Source Touchpoint", &source);
  CX_ASSIGN_OR_RETURN(std::string old, tx_.OpportunitySource(opportunity_id));
  if (old == source) return Status::Ok();
  ++*changed;
  return SetSourceTouchpoint(tx_, ctx_, opportunity_id, source, reason_);
}

}  // namespace cx::wbimport
