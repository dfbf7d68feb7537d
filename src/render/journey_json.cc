// The journeys' document.
#include "render/journey_json.h"

namespace cx {
namespace {

// What stops a clock of each kind (docs/journeys.md fixes the kinds' start and stop).
const char* Stops(const std::string& kind) {
  if (kind == "inquiry") return "the first interaction carrying the opportunity's ID";
  if (kind == "lead")
    return "the first interaction carrying the opportunity's ID logged by its owner";
  if (kind == "quality-flag") return "Resolution Confirmed on the case";
  return "";
}

bool ClocksCases(const std::string& kind) { return kind == "quality-flag"; }

nlohmann::json SlaJson(const SlaRule& r) {
  return {{"kind", r.kind},
          {"hours", double(r.allowance) / 3600.0},
          {"business_hours", r.business_hours},
          {"stops", Stops(r.kind)}};
}

nlohmann::json JourneyJson(const Journey& j) {
  const int won = j.StageIndex(j.won_stage);
  nlohmann::json stages = nlohmann::json::array();
  for (size_t i = 0; i < j.stages.size(); ++i) {
    const std::string& name = j.stages[i];
    nlohmann::json checklists = nlohmann::json::array();
    for (const auto& c : j.checklists) {
      if (j.StageIndex(c.required_for) != int(i)) continue;
      nlohmann::json items = nlohmann::json::array();
      for (const auto& it : c.items)
        items.push_back({{"key", it.key}, {"label", it.label}, {"required", it.required}});
      checklists.push_back({{"name", c.name},
                            {"title", c.title},
                            {"required_for", name},
                            {"items", std::move(items)}});
    }
    nlohmann::json actions = nlohmann::json::array();
    for (const auto& a : j.next_actions) {
      if (j.StageIndex(a.on_stage) != int(i)) continue;
      actions.push_back({{"action", a.action}, {"due_days", a.due_days}, {"owner", a.owner}});
    }
    nlohmann::json slas = nlohmann::json::array();
    if (i == 0) {
      for (const auto& r : j.slas) {
        if (!ClocksCases(r.kind)) slas.push_back(SlaJson(r));
      }
    }
    const char* outcome = int(i) < won ? "open" : int(i) == won ? "won" : "after-won";
    stages.push_back({{"name", name},
                      {"outcome", outcome},
                      {"checklists", std::move(checklists)},
                      {"next_actions", std::move(actions)},
                      {"slas", std::move(slas)}});
  }
  nlohmann::json case_slas = nlohmann::json::array();
  for (const auto& r : j.slas) {
    if (ClocksCases(r.kind)) case_slas.push_back(SlaJson(r));
  }
  return {{"division", j.division},
          {"won_stage", j.won_stage},
          {"lost_stage", j.lost_stage},
          {"service_job_needs_approved_quote", j.service_job_needs_approved_quote},
          {"stages", std::move(stages)},
          {"case_slas", std::move(case_slas)}};
}

}  // namespace

nlohmann::json JourneysJson(const JourneyConfig& config) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& j : config.journeys) out.push_back(JourneyJson(j));
  return {{"journeys", std::move(out)}};
}

}  // namespace cx
