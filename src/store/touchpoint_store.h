// The store's operations on touchpoints and on the touchpoint an opportunity came from
// (docs/feedback.md). Implemented by each backend's Tx; no SQL here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/touchpoint.h"

namespace cx {

// The leads of one touchpoint in a period: opportunities naming it as their source.
struct TouchpointLeads {
  std::string touchpoint_id;
  int64_t leads = 0, won = 0;
  double won_amount = 0;
};

class TouchpointStore {
 public:
  virtual ~TouchpointStore() = default;

  // Errors: kConflict when the id exists.
  virtual Status InsertTouchpoint(const Touchpoint& t) = 0;
  // Errors: kNotFound when absent.
  virtual Status UpdateTouchpoint(const Touchpoint& t) = 0;
  virtual Result<std::optional<Touchpoint>> GetTouchpoint(const std::string& id) = 0;
  // Every touchpoint of `division` ("" = all, "All" = the company-wide ones), by id.
  virtual Result<std::vector<Touchpoint>> ListTouchpoints(const std::string& division) = 0;

  // The opportunity's Source Touchpoint ("" = none: forgets it). Errors: kConflict when the
  // opportunity or the touchpoint does not exist.
  virtual Status SetOpportunitySource(const std::string& opportunity_id,
                                      const std::string& touchpoint_id) = 0;
  // Its Source Touchpoint, or "" when it names none.
  virtual Result<std::string> OpportunitySource(const std::string& opportunity_id) = 0;
  // Every (opportunity, touchpoint) pair, by opportunity: for an export.
  virtual Result<std::vector<std::pair<std::string, std::string>>> OpportunitySources() = 0;
  // Per touchpoint with any: opportunities Created in [from, to) naming it as their source, how
  // many of them were won with Closed before `won_before` (or without a Closed), and the sum
  // of those won ones' amounts.
  virtual Result<std::vector<TouchpointLeads>> TouchpointLeadCounts(Timestamp from, Timestamp to,
                                                                    Timestamp won_before) = 0;
};

}  // namespace cx
