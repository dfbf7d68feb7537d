// JSON shapes of the records.
#include "render/json_out.h"

#include "service/audit.h"

namespace cx {

nlohmann::json TimeJson(const std::optional<Timestamp>& t, const Zone& z) {
  if (!t) return nullptr;
  return FormatTime(*t, z);
}

namespace {
nlohmann::json Custom(const CustomFields& f) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : f) j[k] = v;
  return j;
}
}  // namespace

nlohmann::json ToJson(const Account& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"industry", a.industry},
          {"erp_customer_id", a.erp_customer_id},
          {"owner", a.owner},
          {"divisions", a.divisions},
          {"type", a.type},
          {"address", a.address},
          {"city", a.city},
          {"phone", a.phone},
          {"email", a.email},
          {"status", a.status},
          {"custom", Custom(a.custom)},
          {"merged_into",
           a.merged_into.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.merged_into)}};
}

nlohmann::json ToJson(const Contact& c) {
  return {{"id", c.id},
          {"full_name", c.full_name},
          {"job_title", c.job_title},
          {"account_id", c.account_id},
          {"email", c.email},
          {"phone", c.phone},
          {"custom", Custom(c.custom)},
          {"merged_into",
           c.merged_into.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.merged_into)}};
}

nlohmann::json ToJson(const Interaction& i, const Zone& z) {
  return {{"id", i.id},
          {"date", FormatTime(i.at, z)},
          {"contact_id", i.contact_id},
          {"channel", i.channel},
          {"notes", i.notes},
          {"next_action", i.next_action},
          {"next_action_due", TimeJson(i.next_action_due, z)},
          {"next_action_owner", i.next_action_owner},
          {"next_action_done", i.next_action_done},
          {"logged_by", i.logged_by},
          {"division", i.division},
          {"type", i.type},
          {"opportunity_id", i.opportunity_id},
          {"case_id", i.case_id},
          {"custom", Custom(i.custom)}};
}

nlohmann::json ToJson(const Opportunity& o, const Zone& z) {
  return {{"id", o.id},
          {"account_id", o.account_id},
          {"division", o.division},
          {"owner", o.owner},
          {"amount", o.amount ? nlohmann::json(*o.amount) : nlohmann::json(nullptr)},
          {"stage", o.stage},
          {"created", FormatTime(o.created, z)},
          {"closed", TimeJson(o.closed, z)},
          {"outcome", o.outcome},
          {"lost_reason", o.lost_reason},
          {"title", o.title}};
}

nlohmann::json ToJson(const Case& c, const Zone& z) {
  return {{"id", c.id},
          {"account_id", c.account_id},
          {"contact_id", c.contact_id},
          {"division", c.division},
          {"kind", c.kind},
          {"summary", c.summary},
          {"opened", FormatTime(c.opened, z)},
          {"first_response", TimeJson(c.first_response, z)},
          {"resolution_confirmed", TimeJson(c.resolution_confirmed, z)},
          {"closed", TimeJson(c.closed, z)},
          {"owner", c.owner}};
}

namespace {

// "1796560189" → "2026-12-06T13:29:49"; anything that is not whole seconds stays as it is.
std::string ShowTime(const std::string& v, const Zone& z) {
  const size_t digits = v.starts_with('-') ? 1 : 0;
  if (v.size() <= digits || v.size() > 12 ||
      v.find_first_not_of("0123456789", digits) != std::string::npos)
    return v;
  return FormatTime(std::stoll(v), z);
}

}  // namespace

AuditEntry ForDisplay(AuditEntry e, const Zone& z) {
  if (!e.field.empty()) {
    if (IsTimeField(e.field)) {
      e.before = ShowTime(e.before, z);
      e.after = ShowTime(e.after, z);
    }
    return e;
  }
  if (e.after.empty() || e.after.front() != '{') return e;
  auto j = nlohmann::json::parse(e.after, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return e;
  bool changed = false;
  for (auto& [k, v] : j.items()) {
    if (v.is_string() && IsTimeField(k)) {
      std::string shown = ShowTime(v.get<std::string>(), z);
      changed |= shown != v.get<std::string>();
      v = shown;
    }
  }
  if (changed) e.after = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

nlohmann::json ToJson(const AuditEntry& raw, const Zone& z) {
  const AuditEntry e = ForDisplay(raw, z);
  return {{"seq", e.seq},       {"at", FormatTime(e.at, z)}, {"actor", e.actor},
          {"action", e.action}, {"entity", e.entity},        {"entity_id", e.entity_id},
          {"field", e.field},   {"before", e.before},        {"after", e.after},
          {"reason", e.reason}};
}

nlohmann::json ToJson(const MergeRecord& m, const Zone& z) {
  size_t moved = 0;
  for (const auto& r : m.moved) moved += r.type == MergeStep::Type::kMovedRow ? 1 : 0;
  return {
      {"id", m.id},         {"kind", KindLabel(m.kind)}, {"survivor", m.survivor},
      {"merged", m.merged}, {"moved_records", moved},    {"at", FormatTime(m.at, z)},
      {"actor", m.actor},   {"reason", m.reason},        {"undone_at", TimeJson(m.undone_at, z)}};
}

nlohmann::json ToJson(const User& u) {
  return {{"login", u.login},
          {"name", u.name},
          {"role", u.role},
          {"division", u.division},
          {"away", u.away}};
}

nlohmann::json ToJson(const Match& m) {
  nlohmann::json j = {
      {"kind", KindLabel(m.kind)}, {"id", m.id}, {"name", m.name}, {"score", m.score}};
  // A contact names its company (docs/interfaces.md); null when it has none.
  if (m.kind == NameKind::kContact) {
    j["account_id"] = m.account_id.empty() ? nlohmann::json() : nlohmann::json(m.account_id);
    j["account_name"] = m.account_id.empty() ? nlohmann::json() : nlohmann::json(m.account_name);
  }
  return j;
}

}  // namespace cx
