// Journeys and SLA facts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/journey.h"
#include "domain/sla.h"

namespace cx {

// Journeys: checklist answers, journey next actions and the facts the SLAs are computed from
// (docs/journeys.md).
class JourneyStore {
 public:
  virtual ~JourneyStore() = default;

  virtual Status AddChecklistAnswer(const ChecklistAnswer& a) = 0;
  // Every answer recorded for the opportunity, oldest first.
  virtual Result<std::vector<ChecklistAnswer>> ChecklistAnswers(
      const std::string& opportunity_id) = 0;
  // Stores a new journey next action and returns its seq.
  virtual Result<int64_t> InsertJourneyAction(const JourneyAction& a) = 0;
  virtual Result<std::optional<JourneyAction>> GetJourneyAction(int64_t seq) = 0;
  virtual Status SetJourneyActionDone(int64_t seq, bool done) = 0;
  // Journey next actions of an opportunity or case ("" = any), open ones only when `open_only`, by
  // due time.
  virtual Result<std::vector<JourneyAction>> ListJourneyActions(const std::string& opportunity_id,
                                                                const std::string& case_id,
                                                                bool open_only) = 0;
  // Calls `fn` for every opportunity of one of `divisions` created at or before `at`, in id
  // order (as bytes), with its first responses at or before `at`; stops early on a non-ok
  // status. One call for several divisions reads the interactions once.
  virtual Status ForEachSlaOpportunity(
      const std::vector<std::string>& divisions, Timestamp at,
      const std::function<Status(const SlaOpportunityFacts&)>& fn) = 0;
  // Calls `fn` for every case of `division` (any when "") and `kind` opened at or before `at`.
  virtual Status ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                                const std::function<Status(const SlaCaseFacts&)>& fn) = 0;
  // How many records the matching ForEachSla* call would visit: the opportunities of
  // `division` when `case_kind` is empty, else the cases of that kind (from an index alone).
  virtual Result<int64_t> CountSlaRecords(const std::string& division, const std::string& case_kind,
                                          Timestamp at) = 0;
};

}  // namespace cx
