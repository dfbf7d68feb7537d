// The journeys' document.
#include "render/journey_json.h"

#include <cstdio>
#include <string>

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

// "HH:MM" of seconds after local midnight.
std::string Clock(int seconds) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (seconds / 3600) % 100, (seconds / 60) % 60);
  return buf;
}

nlohmann::json CalendarJson(const CalendarSpec& c) {
  static const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
  nlohmann::json days = nlohmann::json::array();
  for (int d : c.working_days) {
    if (d >= 1 && d <= 7) days.push_back(kDays[d - 1]);
  }
  nlohmann::json fixed = nlohmann::json::array();
  for (const auto& [month, day] : c.fixed_holidays) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d-%02d", month % 100, day % 100);
    fixed.push_back(buf);
  }
  nlohmann::json dated = nlohmann::json::array();
  for (const Date& d : c.dated_holidays) dated.push_back(FormatDate(d));
  return {{"zone", c.zone},
          {"working_days", std::move(days)},
          {"hours", Clock(c.day_start) + "-" + Clock(c.day_end)},
          {"fixed_holidays", std::move(fixed)},
          {"dated_holidays", std::move(dated)}};
}

}  // namespace

nlohmann::json JourneysJson(const JourneyConfig& config, const CalendarSpec& calendar) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& j : config.journeys) out.push_back(JourneyJson(j));
  return {{"journeys", std::move(out)}, {"calendar", CalendarJson(calendar)}};
}

}  // namespace cx
