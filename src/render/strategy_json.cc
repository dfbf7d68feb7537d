// The strategy's and the seven steps' JSON documents.
#include "render/strategy_json.h"

namespace cx {

nlohmann::json StrategyPageJson(const StrategyPage& p, const Zone& zone) {
  nlohmann::json j = StrategyJson(p.saved.strategy);
  nlohmann::json krs = nlohmann::json::array();
  for (const auto& k : p.key_results) krs.push_back(KeyResultJson(k));
  j["key_results"] = krs;
  j["version"] = p.saved.version;
  j["saved_at"] = FormatTime(p.saved.saved_at, zone);
  j["saved_by"] = p.saved_by_name;
  j["period"] = {{"from", FormatDate(p.period.from)}, {"to", FormatDate(p.period.to)}};
  return j;
}

nlohmann::json StrategySavedJson(const StrategyVersion& v, const Zone& zone) {
  return {
      {"version", v.version}, {"saved_at", FormatTime(v.saved_at, zone)}, {"saved_by", v.saved_by}};
}

nlohmann::json StrategyHistoryJson(const std::vector<StrategyVersion>& versions, const Zone& zone) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& v : versions) a.push_back(StrategySavedJson(v, zone));
  return {{"versions", a}};
}

namespace {

nlohmann::json StepJson(const CemStepView& v) {
  return {{"step", v.def.number},
          {"title", std::string(v.def.title)},
          {"what", std::string(v.def.what)},
          {"status", v.state.status},
          {"owner", v.owner_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.owner_name)},
          {"note", v.state.note},
          {"started", v.state.started ? nlohmann::json(FormatDate(*v.state.started))
                                      : nlohmann::json(nullptr)},
          {"evidence", {{"summary", v.evidence.summary}, {"data", v.evidence.data}}}};
}

}  // namespace

nlohmann::json CemBoardJson(const CemBoard& board, const Zone& zone) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : board.steps) steps.push_back(StepJson(s));
  return {{"year", board.year}, {"at", FormatTime(board.at, zone)}, {"steps", steps}};
}

}  // namespace cx
