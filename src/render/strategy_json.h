// The JSON documents of the customer strategy and the seven steps (docs/strategy.md), made once
// for both doors: `strategy show|set|history --json` and `cem show --json` print them, and the
// API's GET /api/v1/strategy, /strategy/history, PUT /api/v1/strategy and GET /api/v1/cem answer
// the same documents.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "service/cem_service.h"
#include "service/strategy_service.h"

namespace cx {

// `strategy show --json`: the strategy (StrategyJson) with key_results replaced by their live
// status (KeyResultJson), version, saved_at, saved_by (full name), period {from, to}.
nlohmann::json StrategyPageJson(const StrategyPage& p, const Zone& zone);
// `strategy set --json`: {version, saved_at, saved_by}.
nlohmann::json StrategySavedJson(const StrategyVersion& v, const Zone& zone);
// `strategy history --json`: {"versions": [{version, saved_at, saved_by}…]}, newest first.
nlohmann::json StrategyHistoryJson(const std::vector<StrategyVersion>& versions, const Zone& zone);
// `cem show --json`: {year, at, steps: [{step, title, what, status, owner, note, started,
// evidence: {summary, data}}…]}.
nlohmann::json CemBoardJson(const CemBoard& board, const Zone& zone);

}  // namespace cx
