// PostgreSQL Tx: name index (name_index_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::vector<IndexedWord>> PgTx::WordsByVariants(NameKind, const std::vector<std::string>&) {
  return Internal("name index: WordsByVariants is not implemented on PostgreSQL yet");
}

Result<std::vector<IndexedWord>> PgTx::WordsByPrefix(NameKind, const std::string&, int) {
  return Internal("name index: WordsByPrefix is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::IdsByWord(NameKind, const std::string&, int) {
  return Internal("name index: IdsByWord is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::IdsByWordGroups(NameKind,
                                                       const std::vector<std::vector<std::string>>&,
                                                       int, int) {
  return Internal("name index: IdsByWordGroups is not implemented on PostgreSQL yet");
}

Result<std::vector<MatchKeys>> PgTx::FindByKeys(NameKind, const std::string&, const std::string&,
                                                const std::string&) {
  return Internal("name index: FindByKeys is not implemented on PostgreSQL yet");
}

Result<std::vector<MatchKeys>> PgTx::FindByKeyPrefix(NameKind, KeyField, const std::string&, int) {
  return Internal("name index: FindByKeyPrefix is not implemented on PostgreSQL yet");
}

Result<std::vector<MatchKeys>> PgTx::GetMatchKeys(NameKind, const std::vector<std::string>&) {
  return Internal("name index: GetMatchKeys is not implemented on PostgreSQL yet");
}

Status PgTx::ForEachMatchKeys(NameKind, const std::function<Status(const MatchKeys&)>&) {
  return Internal("name index: ForEachMatchKeys is not implemented on PostgreSQL yet");
}

void PgTx::SearchOnlyFlushedNames() {}

Status PgTx::ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>&) {
  return Internal("name index: ForEachUnlinkedAccountKeys is not implemented on PostgreSQL yet");
}

Result<std::vector<MatchKeys>> PgTx::GetLiveMatchKeys(NameKind, const std::vector<std::string>&) {
  return Internal("name index: GetLiveMatchKeys is not implemented on PostgreSQL yet");
}

Status PgTx::ForEachNamePosting(NameKind, const std::function<Status(const NamePosting&)>&) {
  return Internal("name index: ForEachNamePosting is not implemented on PostgreSQL yet");
}

Status PgTx::IndexName(NameKind, const std::string&, const std::vector<std::string>&) {
  return Internal("name index: IndexName is not implemented on PostgreSQL yet");
}

Status PgTx::UnindexName(NameKind, const std::string&, const std::vector<std::string>&) {
  return Internal("name index: UnindexName is not implemented on PostgreSQL yet");
}

}  // namespace cx
