// PostgreSQL Tx: duplicates (duplicate_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<DupIndexInfo> PgTx::GetDupIndexInfo(NameKind) {
  return Internal("duplicates: GetDupIndexInfo is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::DupDirtyIds(NameKind) {
  return Internal("duplicates: DupDirtyIds is not implemented on PostgreSQL yet");
}

Status PgTx::RebuildDupIndex(NameKind, const std::vector<std::string>&,
                             const std::vector<uint64_t>&, const std::vector<size_t>&,
                             const std::vector<DupPair>&) {
  return Internal("duplicates: RebuildDupIndex is not implemented on PostgreSQL yet");
}

Result<std::optional<std::vector<uint64_t>>> PgTx::DupHashes(NameKind, const std::string&) {
  return Internal("duplicates: DupHashes is not implemented on PostgreSQL yet");
}

Status PgTx::FileDupRecord(NameKind, const std::string&,
                           const std::optional<std::vector<uint64_t>>&) {
  return Internal("duplicates: FileDupRecord is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::DupBlock(NameKind, uint64_t, int) {
  return Internal("duplicates: DupBlock is not implemented on PostgreSQL yet");
}

Status PgTx::ReplaceDupPairs(NameKind, const std::vector<std::string>&,
                             const std::vector<DupPair>&) {
  return Internal("duplicates: ReplaceDupPairs is not implemented on PostgreSQL yet");
}

Result<std::vector<DupPair>> PgTx::DupPairs(NameKind) {
  return Internal("duplicates: DupPairs is not implemented on PostgreSQL yet");
}

}  // namespace cx
