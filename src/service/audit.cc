// Audit log writers and the field lists of each entity.
#include "service/audit.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace cx {
namespace {

std::string Num(const std::optional<double>& v) {
  if (!v) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", *v);
  return buf;
}

std::string Ts(const std::optional<Timestamp>& t) { return t ? std::to_string(*t) : ""; }

void AddCustom(FieldList* f, const CustomFields& custom) {
  for (const auto& [k, v] : custom) f->emplace_back("custom:" + k, v);
}

std::string ValueOf(const FieldList& f, const std::string& name) {
  for (const auto& [k, v] : f) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

FieldList FieldsOf(const Feedback& f) {
  return {{"date", std::to_string(f.date)},
          {"account_id", f.account_id},
          {"contact_id", f.contact_id},
          {"division", f.division},
          {"kind", f.kind},
          {"score", Num(f.score)},
          {"stage", f.stage},
          {"platform", f.platform},
          {"comment", f.comment},
          {"touchpoint", f.touchpoint},
          {"source", f.source}};
}

FieldList FieldsOf(const Touchpoint& t) {
  return {{"name", t.name},   {"division", t.division},
          {"stage", t.stage}, {"channel", t.channel},
          {"owner", t.owner}, {"yearly_budget", Num(t.yearly_budget)}};
}

bool IsTimeField(const std::string& field) {
  static const char* const kTimes[] = {"at",
                                       "next_action_due",
                                       "created",
                                       "closed",
                                       "opened",
                                       "first_response",
                                       "resolution_confirmed",
                                       "quote_approved",
                                       "work_started",
                                       "date",
                                       "entered"};
  for (const char* t : kTimes) {
    if (field == t) return true;
  }
  return false;
}

FieldList FieldsOf(const Account& a) {
  FieldList f = {
      {"name", a.name},       {"industry", a.industry},   {"erp_customer_id", a.erp_customer_id},
      {"owner", a.owner},     {"divisions", a.divisions}, {"type", a.type},
      {"address", a.address}, {"city", a.city},           {"phone", a.phone},
      {"email", a.email},     {"status", a.status},       {"merged_into", a.merged_into}};
  AddCustom(&f, a.custom);
  return f;
}

FieldList FieldsOf(const Contact& c) {
  FieldList f = {{"full_name", c.full_name},   {"job_title", c.job_title},
                 {"account_id", c.account_id}, {"email", c.email},
                 {"phone", c.phone},           {"merged_into", c.merged_into}};
  AddCustom(&f, c.custom);
  return f;
}

FieldList FieldsOf(const Interaction& i) {
  FieldList f = {{"at", std::to_string(i.at)},
                 {"contact_id", i.contact_id},
                 {"channel", i.channel},
                 {"notes", i.notes},
                 {"next_action", i.next_action},
                 {"next_action_due", Ts(i.next_action_due)},
                 {"next_action_owner", i.next_action_owner},
                 {"next_action_done", i.next_action_done ? "1" : ""},
                 {"logged_by", i.logged_by},
                 {"division", i.division},
                 {"type", i.type},
                 {"opportunity_id", i.opportunity_id},
                 {"case_id", i.case_id},
                 {"checklist", i.checklist == "{}" ? "" : i.checklist}};
  AddCustom(&f, i.custom);
  return f;
}

FieldList FieldsOf(const Opportunity& o) {
  FieldList f = {{"account_id", o.account_id},
                 {"division", o.division},
                 {"owner", o.owner},
                 {"amount", Num(o.amount)},
                 {"stage", o.stage},
                 {"created", std::to_string(o.created)},
                 {"closed", Ts(o.closed)},
                 {"outcome", o.outcome},
                 {"lost_reason", o.lost_reason},
                 {"title", o.title}};
  AddCustom(&f, o.custom);
  return f;
}

FieldList FieldsOf(const Case& c) {
  FieldList f = {{"account_id", c.account_id},
                 {"contact_id", c.contact_id},
                 {"division", c.division},
                 {"kind", c.kind},
                 {"summary", c.summary},
                 {"opened", std::to_string(c.opened)},
                 {"first_response", Ts(c.first_response)},
                 {"resolution_confirmed", Ts(c.resolution_confirmed)},
                 {"closed", Ts(c.closed)},
                 {"owner", c.owner},
                 {"quote_approved", Ts(c.quote_approved)},
                 {"work_started", Ts(c.work_started)}};
  AddCustom(&f, c.custom);
  return f;
}

Status AuditCreate(Tx& tx, const Context& ctx, const std::string& entity, const std::string& id,
                   const FieldList& fields, const std::string& reason) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : fields) {
    if (!v.empty()) j[k] = v;
  }
  return AuditAction(tx, ctx, "create", entity, id, j.dump(), reason);
}

Status AuditBulkCreate(Tx& tx, const Context& ctx, const std::string& entity, const std::string& id,
                       const std::string& reason) {
  return AuditAction(tx, ctx, "create", entity, id, "", reason);
}

Status AuditChanges(Tx& tx, const Context& ctx, const std::string& action,
                    const std::string& entity, const std::string& id, const FieldList& before,
                    const FieldList& after, const std::string& reason, int* changed) {
  int n = 0;
  Timestamp at = ctx.now();
  auto log = [&](const std::string& field, const std::string& b, const std::string& a) -> Status {
    if (a == b) return Status::Ok();
    ++n;
    return tx.AppendAudit(AuditEntry{0, at, ctx.actor, action, entity, id, field, b, a, reason});
  };
  for (const auto& [k, v] : after) CX_RETURN_IF_ERROR(log(k, ValueOf(before, k), v));
  // Fields that disappeared (a custom field removed).
  for (const auto& [k, v] : before) {
    bool present = false;
    for (const auto& [k2, v2] : after) present = present || k2 == k;
    if (!present) CX_RETURN_IF_ERROR(log(k, v, ""));
  }
  if (changed) *changed = n;
  return Status::Ok();
}

Status AuditAction(Tx& tx, const Context& ctx, const std::string& action, const std::string& entity,
                   const std::string& id, const std::string& after, const std::string& reason) {
  return tx.AppendAudit(
      AuditEntry{0, ctx.now(), ctx.actor, action, entity, id, "", "", after, reason});
}

}  // namespace cx
