// The go-live kit (docs/strategy.md): the discovery questionnaire, the phased plan's progress,
// and staff feedback on the hub itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/golive.h"
#include "service/context.h"
#include "store/strategy_store.h"

namespace cx {

// The shipped questions with their stored answers, then the questions added in the hub; owners
// and answerers as full names. Errors: kInternal.
Result<std::vector<DiscoveryQuestion>> ListDiscovery(const Context& ctx);

// Records or changes the answer and/or owner of question `id` ("" answer reopens it). A steward,
// manager or admin may (or the console). Audited. Errors: kNotFound for an unknown id; kInvalid
// when nothing is given; kForbidden.
struct DiscoveryChange {
  std::optional<std::string> answer, owner;
};
Result<DiscoveryQuestion> AnswerDiscovery(const Context& ctx, const std::string& id,
                                          const DiscoveryChange& change);

// Adds a question of `section` to the questionnaire ("D-101" onwards). Same roles. Audited.
// Errors: kInvalid (empty text), kForbidden.
Result<DiscoveryQuestion> AddDiscovery(const Context& ctx, const std::string& section,
                                       const std::string& question, const std::string& owner);

// The shipped plan's tasks with their stored progress (updated_by as full names).
Result<std::vector<PlanTask>> ListPlan(const Context& ctx);

// Sets a task's status (CemStatuses) and/or note. Same roles as discovery. Audited.
// Errors: kNotFound (unknown task), kInvalid (status, nothing given), kForbidden.
Result<PlanTask> SetPlanTask(const Context& ctx, int number,
                             const std::optional<std::string>& status,
                             const std::optional<std::string>& note);

// Records feedback on the hub from the acting user (who must be a named user: --as): a score
// 1–5 and a comment, dated now, with the user's division. Errors: kInvalid (score, empty
// comment, the console's "cli", the erp job), kInternal.
Result<HubFeedback> AddHubFeedback(const Context& ctx, double score, const std::string& comment);

// Feedback on the hub dated in [from, to), newest first (given_by as full names).
Result<std::vector<HubFeedback>> ListHubFeedback(const Context& ctx, Timestamp from, Timestamp to,
                                                 int limit);

}  // namespace cx
