// The report documents shared by the command line's --json and the API.
#include "render/report_json.h"

#include <cmath>

#include "render/json_out.h"
#include "service/access_service.h"
#include "service/dedupe.h"
#include "service/erp_sync.h"
#include "service/kpi_service.h"
#include "service/next_action_service.h"
#include "service/sla_service.h"
#include "service/user_service.h"

namespace cx {

namespace {

nlohmann::json OptNum(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

// The JSON shape of one KPI (docs/kpi.md, plus trend, drill-down and notes).
nlohmann::json KpiJson(const KpiValue& v) {
  nlohmann::json j = {
      {"division", v.division},
      {"key", v.key},
      {"name", v.name},
      {"value", OptNum(v.value)},
      {"unit", v.unit},
      {"target", v.target ? nlohmann::json(v.target->value) : nlohmann::json(nullptr)},
      {"met", v.met ? nlohmann::json(*v.met) : nlohmann::json(nullptr)},
      {"numerator", v.numerator},
      {"denominator", v.denominator},
      {"sample", v.sample}};
  j["direction"] =
      v.target ? nlohmann::json(DirectionName(v.target->direction)) : nlohmann::json(nullptr);
  if (!v.note.empty()) j["note"] = v.note;
  for (const auto& [k, x] : v.extra) j["details"][k] = x;
  nlohmann::json trend = nlohmann::json::array();
  for (const auto& t : v.trend) {
    trend.push_back({{"from", FormatDate(t.period.from)},
                     {"to", FormatDate(t.period.to)},
                     {"value", OptNum(t.value)}});
  }
  j["trend"] = trend;
  nlohmann::json drill = {{"numerator_ids", v.numerator_ids},
                          {"denominator_ids", v.denominator_ids}};
  for (const auto& [k, ids] : v.other_ids) drill[k + "_ids"] = ids;
  drill["truncated"] = v.ids_truncated;
  j["records"] = drill;
  return j;
}

Result<std::optional<Date>> OptDate(const std::string& name, const std::string& text) {
  if (text.empty()) return std::optional<Date>();
  auto d = ParseDate(text);
  if (!d.ok()) return Invalid(name + ": " + d.status().message());
  return std::optional<Date>(*d);
}

Result<std::optional<Timestamp>> OptTime(const Context& ctx, const std::string& name,
                                         const std::string& text) {
  if (text.empty()) return std::optional<Timestamp>();
  auto t = ParseTime(text, ctx.zone);
  if (!t.ok()) return Invalid(name + ": " + t.status().message());
  return std::optional<Timestamp>(*t);
}

}  // namespace

nlohmann::json ErpSyncJson(const ErpSyncSummary& s, const Zone& z) {
  nlohmann::json j;
  j["created"] = s.created;
  j["updated"] = s.updated;
  j["unchanged"] = s.unchanged;
  j["skipped_older"] = s.skipped_older;
  j["flagged_missing"] = s.flagged_missing;
  j["flagged_missing_accounts"] = s.flagged_missing_accounts;
  j["reappeared"] = s.reappeared;
  j["proposed_links"] = nlohmann::json::array();
  for (const auto& p : s.proposed_links) {
    j["proposed_links"].push_back({{"account", p.account}, {"erp_id", p.erp_id}, {"why", p.why}});
  }
  j["rejected"] = nlohmann::json::array();
  for (const auto& r : s.rejected)
    j["rejected"].push_back({{"line", r.line}, {"reason", r.reason}});
  j["kind"] = s.kind;
  j["file"] = s.file;
  j["sha256"] = s.sha256;
  j["encoding"] = s.encoding;
  j["delimiter"] = std::string(1, s.delimiter);
  j["rows"] = s.rows;
  j["applied"] = s.applied;
  j["dry_run"] = s.dry_run;
  j["sync"] = s.sync_seq ? nlohmann::json(s.sync_seq) : nlohmann::json(nullptr);
  j["watermark_before"] =
      s.watermark_before ? nlohmann::json(FormatTime(*s.watermark_before, z)) : nullptr;
  j["watermark_after"] =
      s.watermark_after ? nlohmann::json(FormatTime(*s.watermark_after, z)) : nullptr;
  j["rejected_file"] =
      s.rejected_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.rejected_file);
  j["warnings"] = s.warnings;
  j["removed_rejected_file"] = s.removed_rejected_file.empty()
                                   ? nlohmann::json(nullptr)
                                   : nlohmann::json(s.removed_rejected_file);
  return j;
}

nlohmann::json ErpQueueItemJson(const ErpQueueItem& q, const Zone& z) {
  return {{"id", q.id},
          {"kind", q.kind},
          {"account", q.account_id},
          {"erp_id", q.erp_id},
          {"why", q.why},
          {"status", q.status},
          {"created_at", FormatTime(q.created_at, z)},
          {"decided_at",
           q.decided_at ? nlohmann::json(FormatTime(*q.decided_at, z)) : nlohmann::json(nullptr)},
          {"decided_by", q.decided_by},
          {"reason", q.reason}};
}

nlohmann::json ImportSummaryJson(const ImportSummary& s) {
  nlohmann::json j;
  j["ok"] = s.ok();
  j["dry_run"] = s.dry_run;
  j["sheets"] = nlohmann::json::array();
  for (const auto& c : s.sheets) {
    j["sheets"].push_back({{"sheet", c.sheet},
                           {"created", c.created},
                           {"updated", c.updated},
                           {"unchanged", c.unchanged},
                           {"skipped", c.skipped}});
  }
  j["warnings"] = s.warnings;
  j["unknown_people"] = s.unknown_people;
  j["probable_duplicates"] = nlohmann::json::array();
  for (const auto& d : s.duplicates) {
    nlohmann::json m = nlohmann::json::array();
    for (const auto& x : d.matches)
      m.push_back({{"id", x.id}, {"name", x.name}, {"score", x.score}, {"why", x.why}});
    j["probable_duplicates"].push_back(
        {{"sheet", d.sheet}, {"row", d.row}, {"id", d.id}, {"name", d.name}, {"matches", m}});
  }
  j["errors"] = s.errors;
  j["error_count"] = s.error_count;
  return j;
}

Result<nlohmann::json> UsersReport(const Context& ctx) {
  CX_ASSIGN_OR_RETURN(auto users, ListUsers(ctx));
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& u : users) {
    nlohmann::json j = ToJson(u);
    CX_ASSIGN_OR_RETURN(bool disabled, IsDisabled(ctx, u.login));
    j["disabled"] = disabled;
    arr.push_back(std::move(j));
  }
  return nlohmann::json{{"users", arr}};
}

Result<nlohmann::json> KpiReport(const Context& ctx, const KpiReportOptions& o) {
  CX_ASSIGN_OR_RETURN(auto from, OptDate(o.prefix + "from", o.from));
  CX_ASSIGN_OR_RETURN(auto to, OptDate(o.prefix + "to", o.to));
  KpiQuery q;
  q.period = DefaultKpiPeriod(ctx, from, to);
  q.division = o.division;
  q.trend = o.trend;
  q.id_limit = o.ids;
  CX_ASSIGN_OR_RETURN(auto card, ComputeKpis(ctx, q));
  nlohmann::json kpis = nlohmann::json::array();
  for (const auto& v : card.kpis) kpis.push_back(KpiJson(v));
  return nlohmann::json{
      {"from", FormatDate(card.period.from)}, {"to", FormatDate(card.period.to)}, {"kpis", kpis}};
}

Result<nlohmann::json> KpiTargetsReport(const Context& ctx) {
  std::vector<KpiTarget> targets;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(targets, EffectiveTargets(tx));
    return Status::Ok();
  }));
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : targets) {
    a.push_back(
        {{"key", t.key},
         {"division", t.division.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.division)},
         {"value", t.value},
         {"direction", DirectionName(t.direction)}});
  }
  return nlohmann::json{{"targets", a}};
}

Result<nlohmann::json> SlaReport(const Context& ctx, const SlaReportOptions& o) {
  SlaQuery q;
  q.division = o.division;
  q.owner = o.owner;
  q.all = o.all || o.open;
  CX_ASSIGN_OR_RETURN(q.at, OptTime(ctx, o.prefix + "at", o.at));
  const Timestamp at = SlaMoment(ctx, q);
  q.at = at;
  CX_ASSIGN_OR_RETURN(auto r, ComputeSla(ctx, q));
  // --open: only the clocks still running at `at`: whatever their state, none has stopped.
  if (o.open) std::erase_if(r, [](const SlaItem& i) { return i.stopped.has_value(); });
  const Zone& z = ctx.zone;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : r) {
    items.push_back({{"kind", std::string(i.kind)},
                     {"id", i.id},
                     {"division", std::string(i.division)},
                     {"owner", i.owner},
                     {"state", std::string(SlaStateName(i.state))},
                     {"started", FormatTime(i.started, z)},
                     {"due", FormatTime(i.due, z)},
                     {"stopped", TimeJson(i.stopped, z)}});
  }
  return nlohmann::json{{"at", FormatTime(at, z)}, {"items", items}};
}

Result<nlohmann::json> NextActionReport(const Context& ctx, const NextActionReportOptions& o) {
  NextActionQuery q;
  q.overdue_only = o.overdue;
  q.owner = o.owner;
  CX_ASSIGN_OR_RETURN(q.at, OptTime(ctx, o.prefix + "at", o.at));
  CX_ASSIGN_OR_RETURN(auto r, ListNextActions(ctx, q));
  const Zone& z = ctx.zone;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : r) {
    items.push_back({{"id", i.id},
                     {"action", i.action},
                     {"owner", i.owner},
                     {"due", TimeJson(i.due, z)},
                     {"overdue", i.overdue},
                     {"opportunity_id", i.opportunity_id},
                     {"case_id", i.case_id},
                     {"contact_id", i.contact_id},
                     {"rule", i.rule}});
  }
  return nlohmann::json{{"next_actions", items}};
}

Result<nlohmann::json> DuplicatesReport(const Context& ctx, const std::string& kind) {
  if (kind != "all" && kind != "accounts" && kind != "contacts")
    return Invalid("kind: '" + kind + "' is not accounts, contacts or all");
  nlohmann::json out = nlohmann::json::object();
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    const char* key = k == NameKind::kAccount ? "accounts" : "contacts";
    out[key] = nlohmann::json::array();
    if (kind != "all" && kind != key) continue;
    CX_ASSIGN_OR_RETURN(auto clusters, FindDuplicates(*ctx.store, k));
    for (const auto& c : clusters) {
      out[key].push_back({{"ids", c.ids}, {"score", c.score}, {"why", c.why}});
    }
  }
  return out;
}

}  // namespace cx
