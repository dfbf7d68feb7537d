// The journey records' JSON shapes (record_json.h).
#include "render/record_json.h"

#include "render/json_out.h"
#include "service/next_action_service.h"

namespace cx {

namespace {

nlohmann::json HistoryJson(const std::vector<StageEntry>& h, const Zone& z) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : h)
    arr.push_back({{"stage", e.stage}, {"entered", FormatTime(e.entered, z)}, {"by", e.by}});
  return arr;
}

nlohmann::json ActionJson(const JourneyAction& a, const Zone& z) {
  return {{"id", JourneyActionId(a.seq)},
          {"action", a.action},
          {"due", TimeJson(a.due, z)},
          {"owner", a.owner},
          {"done", a.done},
          {"rule", a.rule}};
}

}  // namespace

nlohmann::json RoutingJson(const RoutingDecision& d) {
  return {{"owner", d.owner}, {"rule", d.rule}, {"why", d.why}};
}

nlohmann::json AddOpportunityJson(const AddOpportunityResult& r, const Zone& z) {
  nlohmann::json j = ToJson(r.opportunity, z);
  j["routing"] = r.routing ? RoutingJson(*r.routing) : nlohmann::json(nullptr);
  j["next_actions"] = r.next_actions;
  return j;
}

nlohmann::json MoveJson(const MoveResult& r, const Zone& z) {
  nlohmann::json j = ToJson(r.opportunity, z);
  j["overridden"] = r.overridden;
  j["next_actions"] = r.next_actions;
  return j;
}

nlohmann::json OpportunityViewJson(const OpportunityView& v, const Zone& z) {
  nlohmann::json j = ToJson(v.opportunity, z);
  j["custom"] = v.opportunity.custom;
  j["stage_history"] = HistoryJson(v.history, z);
  j["checklist"] = nlohmann::json::array();
  for (const auto& c : v.checklist) {
    j["checklist"].push_back({{"checklist", c.checklist},
                              {"required_for", c.required_for},
                              {"item", c.item.label},
                              {"key", c.item.key},
                              {"required", c.item.required},
                              {"done", c.done},
                              {"answer", c.answer},
                              {"by", c.by},
                              {"at", TimeJson(c.at, z)}});
  }
  j["next_actions"] = nlohmann::json::array();
  for (const auto& a : v.next_actions) j["next_actions"].push_back(ActionJson(a, z));
  j["interactions"] = nlohmann::json::array();
  for (const auto& i : v.interactions) j["interactions"].push_back(ToJson(i, z));
  return j;
}

nlohmann::json CaseJson(const Case& c, const Zone& z) {
  nlohmann::json j = ToJson(c, z);
  j["quote_approved"] = TimeJson(c.quote_approved, z);
  j["work_started"] = TimeJson(c.work_started, z);
  return j;
}

nlohmann::json CaseViewJson(const CaseView& v, const Zone& z) {
  nlohmann::json j = CaseJson(v.kase, z);
  j["interactions"] = nlohmann::json::array();
  for (const auto& i : v.interactions) j["interactions"].push_back(ToJson(i, z));
  j["next_actions"] = nlohmann::json::array();
  for (const auto& a : v.next_actions) j["next_actions"].push_back(ActionJson(a, z));
  return j;
}

nlohmann::json OrderJson(const Order& o, const Zone& z) {
  return {{"id", o.id},
          {"erp_customer_id", o.erp_customer_id},
          {"date", FormatTime(o.date, z)},
          {"division", o.division},
          {"amount", o.amount},
          {"currency", o.currency},
          {"last_modified", FormatTime(o.last_modified, z)}};
}

}  // namespace cx
