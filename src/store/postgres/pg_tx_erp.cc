// PostgreSQL Tx: ERP sync (erp_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<int64_t> PgTx::InsertErpSync(const ErpSyncRecord&) {
  return Internal("ERP sync: InsertErpSync is not implemented on PostgreSQL yet");
}

Result<std::vector<ErpSyncRecord>> PgTx::ListErpSyncs(int) {
  return Internal("ERP sync: ListErpSyncs is not implemented on PostgreSQL yet");
}

Result<std::optional<Timestamp>> PgTx::ErpWatermark(const std::string&) {
  return Internal("ERP sync: ErpWatermark is not implemented on PostgreSQL yet");
}

Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> PgTx::ErpRejectedKeys(
    const std::string&) {
  return Internal("ERP sync: ErpRejectedKeys is not implemented on PostgreSQL yet");
}

Status PgTx::PutErpRejected(const std::string&, const std::string&, std::optional<Timestamp>,
                            int64_t, int64_t, const std::string&) {
  return Internal("ERP sync: PutErpRejected is not implemented on PostgreSQL yet");
}

Status PgTx::DeleteErpRejected(const std::string&, const std::string&) {
  return Internal("ERP sync: DeleteErpRejected is not implemented on PostgreSQL yet");
}

Result<std::optional<std::string>> PgTx::AccountIdByErpId(const std::string&) {
  return Internal("ERP sync: AccountIdByErpId is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::ErpCustomerIds() {
  return Internal("ERP sync: ErpCustomerIds is not implemented on PostgreSQL yet");
}

Result<int64_t> PgTx::InsertErpQueueItem(const ErpQueueItem&) {
  return Internal("ERP sync: InsertErpQueueItem is not implemented on PostgreSQL yet");
}

Status PgTx::UpdateErpQueueItem(const ErpQueueItem&) {
  return Internal("ERP sync: UpdateErpQueueItem is not implemented on PostgreSQL yet");
}

Result<std::optional<ErpQueueItem>> PgTx::GetErpQueueItem(int64_t) {
  return Internal("ERP sync: GetErpQueueItem is not implemented on PostgreSQL yet");
}

Result<std::optional<ErpQueueItem>> PgTx::FindErpQueueItem(const std::string&, const std::string&,
                                                           const std::string&) {
  return Internal("ERP sync: FindErpQueueItem is not implemented on PostgreSQL yet");
}

Result<std::vector<ErpQueueItem>> PgTx::ListErpQueue(const std::string&, int) {
  return Internal("ERP sync: ListErpQueue is not implemented on PostgreSQL yet");
}

}  // namespace cx
