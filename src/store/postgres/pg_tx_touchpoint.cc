// PostgreSQL Tx: touchpoints (touchpoint_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Status PgTx::InsertTouchpoint(const Touchpoint&) {
  return Internal("touchpoints: InsertTouchpoint is not implemented on PostgreSQL yet");
}

Status PgTx::UpdateTouchpoint(const Touchpoint&) {
  return Internal("touchpoints: UpdateTouchpoint is not implemented on PostgreSQL yet");
}

Result<std::optional<Touchpoint>> PgTx::GetTouchpoint(const std::string&) {
  return Internal("touchpoints: GetTouchpoint is not implemented on PostgreSQL yet");
}

Result<std::vector<Touchpoint>> PgTx::ListTouchpoints(const std::string&) {
  return Internal("touchpoints: ListTouchpoints is not implemented on PostgreSQL yet");
}

Status PgTx::SetOpportunitySource(const std::string&, const std::string&) {
  return Internal("touchpoints: SetOpportunitySource is not implemented on PostgreSQL yet");
}

Result<std::string> PgTx::OpportunitySource(const std::string&) {
  return Internal("touchpoints: OpportunitySource is not implemented on PostgreSQL yet");
}

Result<std::vector<std::pair<std::string, std::string>>> PgTx::OpportunitySources() {
  return Internal("touchpoints: OpportunitySources is not implemented on PostgreSQL yet");
}

Result<std::vector<TouchpointLeads>> PgTx::TouchpointLeadCounts(Timestamp, Timestamp, Timestamp) {
  return Internal("touchpoints: TouchpointLeadCounts is not implemented on PostgreSQL yet");
}

}  // namespace cx
