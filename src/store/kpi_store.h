// KPI and weekly review facts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <map>
#include "base/status.h"
#include "base/time.h"
#include "domain/kpi.h"
#include "domain/kpi_facts.h"
#include "domain/user.h"

namespace cx {

// The facts the KPIs and the weekly review read, and the aggregates kept to read them fast
// (docs/kpi.md).
class KpiStore {
 public:
  virtual ~KpiStore() = default;

  // Times are [from, to). `division` "" means every division. Stage names match without case.
  // Opportunities of `division` whose earliest Stage History row of `stage` is in [from, to), with
  // the earliest entry of `other_stage` (any time) and of "won".
  virtual Result<std::vector<KpiStageRow>> KpiFirstStageEntries(const std::string& division,
                                                                const std::string& stage,
                                                                Timestamp from, Timestamp to,
                                                                const std::string& other_stage) = 0;
  // Opportunities of `division` with Closed in [from, to), with the earliest entry of `stage`.
  virtual Result<std::vector<KpiOpportunityRow>> KpiClosedOpportunities(
      const std::string& division, Timestamp from, Timestamp to, const std::string& stage) = 0;
  // Opportunities of `division` created in [from, to), with the first interaction carrying their
  // id, logged by their owner (same text without case, or the same user by login or name), before
  // `response_before`.
  virtual Result<std::vector<KpiOpportunityRow>> KpiCreatedOpportunities(
      const std::string& division, Timestamp from, Timestamp to, Timestamp response_before) = 0;
  // Whether `division` has any opportunity created before `before`.
  virtual Result<bool> KpiAnyOpportunity(const std::string& division, Timestamp before) = 0;
  // Cases of `kind` (and `division`) whose `field` ("opened", "closed", "resolution_confirmed") is
  // in [from, to), with the number of interactions carrying their id before `interactions_before`.
  virtual Result<std::vector<KpiCaseRow>> KpiCases(const std::string& division,
                                                   const std::string& kind,
                                                   const std::string& field, Timestamp from,
                                                   Timestamp to, Timestamp interactions_before) = 0;
  // Orders of `division` dated in [from, to).
  virtual Result<KpiOrderStats> KpiOrders(const std::string& division, Timestamp from,
                                          Timestamp to) = 0;
  virtual Result<std::vector<std::string>> KpiOrderIds(const std::string& division, Timestamp from,
                                                       Timestamp to, int limit) = 0;
  // Customers with an order of `division` in [from, to) and how many returned within `gap` seconds.
  virtual Result<KpiRepeatStats> KpiRepeatCustomers(const std::string& division, Timestamp from,
                                                    Timestamp to, int64_t gap, int id_limit) = 0;
  // Feedback of `kind` dated in [from, to), every division.
  virtual Result<std::vector<KpiFeedbackRow>> KpiFeedback(const std::string& kind, Timestamp from,
                                                          Timestamp to) = 0;
  // Distinct (division, account) pairs active in [from, to): an interaction of a contact of the
  // account, or an order with the account's ERP Customer ID.
  virtual Result<std::vector<KpiActiveAccount>> KpiActiveAccounts(Timestamp from, Timestamp to) = 0;
  // The same accounts from the aggregate of active days (docs/kpi.md). Refresh
  // brings it up to date with the facts written since (a full rebuild when a bulk load marked it
  // stale or it was never built, taking `zone` as its zone); it does nothing when the aggregate
  // is kept in another zone.
  virtual Status RefreshKpiActivity(const Zone& zone) = 0;
  // KpiRepeatCustomers with gap kKpiRepeatGapSeconds over the local days [from_day, to_day], from
  // the same aggregate; nullopt when it is not up to date in `zone`.
  virtual Result<std::optional<KpiRepeatStats>> KpiRepeatCustomersByDay(const Zone& zone,
                                                                        const std::string& division,
                                                                        int64_t from_day,
                                                                        int64_t to_day,
                                                                        int id_limit) = 0;
  // Per series (a division, or "*" for every division together), the accounts active on the local
  // days [from_day, to_day] (days since 1970-01-01 in `zone`) and up to `id_limit` of their ids.
  // nullopt when the aggregate is not up to date in `zone`: the caller falls back to the facts.
  virtual Result<std::optional<std::map<std::string, KpiActivityCount>>> KpiActivityCounts(
      const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
      int id_limit) = 0;
  // Brings the funnel aggregate up to date with the opportunities, stage
  // entries, interactions and users written since: the changed opportunities' rows, or every
  // row when it is stale (never built, a user changed, a bulk load) or many changed.
  virtual Status RefreshKpiFunnel() = 0;
  // The opportunities of `division` whose `axis` time is in [from, to), from the aggregate:
  // ordered by id for a stage axis, by (time, id) for kClosed and kCreated. Only what the axis's
  // covering index holds is filled, besides id and the axis time: kQualified quote; kQuote
  // outcome, closed, won; kSigned nothing; kClosed outcome, qualified, proposal; kCreated
  // first_response. nullopt when the aggregate is not up to date or `division` is "" (every
  // division): the caller reads the facts (KpiFirstStageEntries, KpiClosedOpportunities,
  // KpiCreatedOpportunities) instead.
  virtual Result<std::optional<std::vector<KpiFunnelRow>>> KpiFunnel(KpiFunnelAxis axis,
                                                                     const std::string& division,
                                                                     Timestamp from,
                                                                     Timestamp to) = 0;
  // Open next actions due in [from, before) of interactions logged before `before`, oldest first.
  virtual Result<std::vector<ReviewNextAction>> ReviewOverdueNextActions(Timestamp from,
                                                                         Timestamp before,
                                                                         int limit) = 0;
  // The same actions due before `before` counted per owner (`since`: of them, due from `since`
  // on), by owner.
  virtual Result<std::vector<ReviewOverdueCount>> ReviewOverdueCounts(Timestamp before,
                                                                      Timestamp since) = 0;
  // Interactions logged in [from, to), per person and division.
  virtual Result<std::vector<ReviewLogCount>> ReviewLogCounts(Timestamp from, Timestamp to) = 0;
  // Audit entries of `entity`/`field` made in [from, to), oldest first. `field` names a field
  // (kInvalid when empty: rows of created records and of actions have none).
  virtual Result<std::vector<AuditEntry>> ReviewAuditIn(const std::string& entity,
                                                        const std::string& field, Timestamp from,
                                                        Timestamp to) = 0;
  // Open cases of `kind` opened before `before`.
  virtual Result<std::vector<KpiCaseRow>> ReviewOpenCases(const std::string& kind,
                                                          Timestamp before) = 0;
  // Targets a manager stored (they win over the shipped defaults); SaveKpiTarget replaces (key,
  // division).
  virtual Result<std::vector<KpiTarget>> KpiStoredTargets() = 0;
  virtual Status SaveKpiTarget(const KpiTarget& t, const std::string& set_by, Timestamp at) = 0;
};

}  // namespace cx
