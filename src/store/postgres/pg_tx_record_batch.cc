// PostgreSQL Tx: many records by id in one statement each (record_batch_store.h), where a read
// per id cost a round trip per id (the weekly pack names a thousand opportunities and more).
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

Result<std::vector<Opportunity>> PgTx::GetOpportunities(const std::vector<std::string>& ids) {
  pg::ConcurrentOk beside(*db_);  // as GetOpportunity (docs/postgresql.md, "Isolation")
  if (ids.empty()) return std::vector<Opportunity>();
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kOpportunityCols +
                                     " FROM opportunities WHERE id = ANY($1::text[]) ORDER BY id",
                                 pg::Params().Add(pgkpi::TextArrayParam(ids))));
  return Collect<Opportunity>(r, ReadOpportunity);
}

Result<std::vector<Case>> PgTx::GetCases(const std::vector<std::string>& ids) {
  pg::ConcurrentOk beside(*db_);  // as GetCase
  if (ids.empty()) return std::vector<Case>();
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kCaseCols +
                                     " FROM cases WHERE id = ANY($1::text[]) ORDER BY id",
                                 pg::Params().Add(pgkpi::TextArrayParam(ids))));
  return Collect<Case>(r, ReadCase);
}

}  // namespace cx
