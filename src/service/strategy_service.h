// The one-page customer strategy (docs/strategy.md): saving versions, reading one with its key
// results' live values, and the history.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/strategy.h"
#include "service/context.h"

namespace cx {

// Parses `toml_text` (read from `source`, named in errors) and saves it as the next version.
// Only a manager or admin named with --as may (domain/rules.h kSetStrategy). Each key result
// needs a target and a direction, its own or its KPI's. Audited. `precondition`, when given,
// sees the latest saved version's number (0: none yet) inside the transaction, after the role
// check and before the text is read, and its failure is returned as is (the API's If-Match: no
// version saved between read and write is overwritten unseen). Errors: kInvalid naming the
// file, line and key of every problem; kForbidden; nothing is written on error.
Result<StrategyVersion> SetStrategy(
    const Context& ctx, std::string_view toml_text, const std::string& source,
    const std::function<Status(int64_t latest_version)>& precondition = nullptr);

// Version `version` (0: the latest) with its key results' live values, computed by the KPI
// engine for `period`, by default the current calendar quarter (the period `kpi` uses without
// --from/--to; the weekly pack gives its quarter to date). Errors: kNotFound when no strategy
// was saved or the version does not exist.
Result<StrategyPage> ShowStrategy(const Context& ctx, int64_t version = 0,
                                  std::optional<Period> period = std::nullopt);

// Every saved version, newest first (bodies left empty; saved_by as the full name).
Result<std::vector<StrategyVersion>> StrategyHistory(const Context& ctx);

// The strategy as a JSON object (the shape `strategy show --json` prints) and back.
nlohmann::json StrategyJson(const Strategy& s);
Result<Strategy> StrategyFromJson(const nlohmann::json& j);
// One key result's live status as JSON.
nlohmann::json KeyResultJson(const KeyResultStatus& k);

}  // namespace cx
