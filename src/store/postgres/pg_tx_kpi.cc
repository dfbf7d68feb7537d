// PostgreSQL Tx: KPI (kpi_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::vector<KpiStageRow>> PgTx::KpiFirstStageEntries(const std::string&, const std::string&,
                                                            Timestamp, Timestamp,
                                                            const std::string&) {
  return Internal("KPI: KpiFirstStageEntries is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiOpportunityRow>> PgTx::KpiClosedOpportunities(const std::string&, Timestamp,
                                                                    Timestamp, const std::string&) {
  return Internal("KPI: KpiClosedOpportunities is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiOpportunityRow>> PgTx::KpiCreatedOpportunities(const std::string&, Timestamp,
                                                                     Timestamp, Timestamp) {
  return Internal("KPI: KpiCreatedOpportunities is not implemented on PostgreSQL yet");
}

Result<bool> PgTx::KpiAnyOpportunity(const std::string&, Timestamp) {
  return Internal("KPI: KpiAnyOpportunity is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiCaseRow>> PgTx::KpiCases(const std::string&, const std::string&,
                                               const std::string&, Timestamp, Timestamp,
                                               Timestamp) {
  return Internal("KPI: KpiCases is not implemented on PostgreSQL yet");
}

Result<KpiOrderStats> PgTx::KpiOrders(const std::string&, Timestamp, Timestamp) {
  return Internal("KPI: KpiOrders is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::KpiOrderIds(const std::string&, Timestamp, Timestamp, int) {
  return Internal("KPI: KpiOrderIds is not implemented on PostgreSQL yet");
}

Result<KpiRepeatStats> PgTx::KpiRepeatCustomers(const std::string&, Timestamp, Timestamp, int64_t,
                                                int) {
  return Internal("KPI: KpiRepeatCustomers is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiFeedbackRow>> PgTx::KpiFeedback(const std::string&, Timestamp, Timestamp) {
  return Internal("KPI: KpiFeedback is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiActiveAccount>> PgTx::KpiActiveAccounts(Timestamp, Timestamp) {
  return Internal("KPI: KpiActiveAccounts is not implemented on PostgreSQL yet");
}

Status PgTx::RefreshKpiActivity(const Zone&) {
  return Internal("KPI: RefreshKpiActivity is not implemented on PostgreSQL yet");
}

Result<std::optional<KpiRepeatStats>> PgTx::KpiRepeatCustomersByDay(const Zone&, const std::string&,
                                                                    int64_t, int64_t, int) {
  return Internal("KPI: KpiRepeatCustomersByDay is not implemented on PostgreSQL yet");
}

Result<std::optional<std::map<std::string, KpiActivityCount>>> PgTx::KpiActivityCounts(
    const Zone&, int64_t, int64_t, const std::vector<std::string>&, int) {
  return Internal("KPI: KpiActivityCounts is not implemented on PostgreSQL yet");
}

Status PgTx::RefreshKpiFunnel() {
  return Internal("KPI: RefreshKpiFunnel is not implemented on PostgreSQL yet");
}

Result<std::optional<std::vector<KpiFunnelRow>>> PgTx::KpiFunnel(KpiFunnelAxis, const std::string&,
                                                                 Timestamp, Timestamp) {
  return Internal("KPI: KpiFunnel is not implemented on PostgreSQL yet");
}

Result<std::vector<ReviewNextAction>> PgTx::ReviewOverdueNextActions(Timestamp, Timestamp, int) {
  return Internal("KPI: ReviewOverdueNextActions is not implemented on PostgreSQL yet");
}

Result<std::vector<ReviewOverdueCount>> PgTx::ReviewOverdueCounts(Timestamp, Timestamp) {
  return Internal("KPI: ReviewOverdueCounts is not implemented on PostgreSQL yet");
}

Result<std::vector<ReviewLogCount>> PgTx::ReviewLogCounts(Timestamp, Timestamp) {
  return Internal("KPI: ReviewLogCounts is not implemented on PostgreSQL yet");
}

Result<std::vector<AuditEntry>> PgTx::ReviewAuditIn(const std::string&, const std::string&,
                                                    Timestamp, Timestamp) {
  return Internal("KPI: ReviewAuditIn is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiCaseRow>> PgTx::ReviewOpenCases(const std::string&, Timestamp) {
  return Internal("KPI: ReviewOpenCases is not implemented on PostgreSQL yet");
}

Result<std::vector<KpiTarget>> PgTx::KpiStoredTargets() {
  return Internal("KPI: KpiStoredTargets is not implemented on PostgreSQL yet");
}

Status PgTx::SaveKpiTarget(const KpiTarget&, const std::string&, Timestamp) {
  return Internal("KPI: SaveKpiTarget is not implemented on PostgreSQL yet");
}

}  // namespace cx
