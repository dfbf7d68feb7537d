// Cases (after-sales issues, complaints, quality flags, service jobs) through their life.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// Opens a case (Opened = c.opened or now; owner defaults to the acting user when
// that is a user). Errors: kInvalid naming every bad field (unknown account or
// contact, kind, division); kConflict when the id exists. Nothing written on error.
Result<Case> OpenCase(const Context& ctx, Case c);

// The steps of a case, each at `at` (default now), each audited. Each step is
// recorded once: repeating it is refused (kConflict), as is any step of a closed case.
enum class CaseStep {
  kRespond,        // first response
  kConfirm,        // resolution plan confirmed (stops the quality-flag clock)
  kApproveQuote,   // the service quote is approved (service jobs)
  kStartWork,      // work starts: refused before an approved quote where the journey says so (Motors)
  kClose,
};

// Errors: kNotFound; kInvalid when `at` is before Opened; kConflict for a refused
// step (e.g. "service job K-… cannot start before its service quote is approved").
Result<Case> AdvanceCase(const Context& ctx, const std::string& id, CaseStep step, std::optional<Timestamp> at);

struct CaseView {
  Case kase;
  std::vector<Interaction> interactions;
  std::vector<JourneyAction> next_actions;
};

// Errors: kNotFound.
Result<CaseView> ShowCase(const Context& ctx, const std::string& id);

}  // namespace cx
