// PostgreSQL Tx: merges (merge_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::vector<MergeStep>> PgTx::MoveReferences(NameKind, const std::string&,
                                                    const std::string&) {
  return Internal("merges: MoveReferences is not implemented on PostgreSQL yet");
}

Status PgTx::RestoreReferences(const std::vector<MergeStep>&, const std::string&) {
  return Internal("merges: RestoreReferences is not implemented on PostgreSQL yet");
}

Status PgTx::SaveMerge(const MergeRecord&) {
  return Internal("merges: SaveMerge is not implemented on PostgreSQL yet");
}

Result<std::optional<MergeRecord>> PgTx::GetMerge(const std::string&) {
  return Internal("merges: GetMerge is not implemented on PostgreSQL yet");
}

Result<std::vector<MergeRecord>> PgTx::ListMerges(int) {
  return Internal("merges: ListMerges is not implemented on PostgreSQL yet");
}

}  // namespace cx
