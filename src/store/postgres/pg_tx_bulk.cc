// PostgreSQL Tx: bulk loads. A load announced as many times what a table holds turns off, for
// its transaction only, the per-row marks of the duplicate index on that table and marks the
// index stale (rebuilt whole at its next use). PostgreSQL keeps its indexes up to date row by
// row as well as in one pass, and dropping one would lock the table against every reader: the
// indexes stay.
#include <algorithm>

#include "store/postgres/pg_tx.h"

namespace cx {

Result<int> PgTx::ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape) {
  if (entity != Entity::kAccount && entity != Entity::kContact && entity != Entity::kInteraction &&
      entity != Entity::kOrder)
    return Invalid(std::string("no bulk loading of ") + EntityPlural(entity));
  if (entity != Entity::kAccount && entity != Entity::kContact) return 0;
  const std::string table = EntityPlural(entity);
  // Whether the table holds at least a quarter of what is coming: count no further.
  const int64_t quarter = (std::max<int64_t>(expected_rows, 0) + 3) / 4;
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query("SELECT count(*) FROM (SELECT 1 FROM " + table + " LIMIT $1) AS held",
                             pg::Params().Add(quarter)));
  const int64_t held = r.Next() ? r.Int(0) : 0;
  if (expected_rows <= 0 || held >= quarter) return 0;
  const char* kind = entity == Entity::kAccount ? "0" : "1";
  // The triggers of 0010_duplicates.sql read this setting; it ends with the transaction.
  CX_RETURN_IF_ERROR(
      db().Query(std::string("SELECT set_config('cxhub.dup_bulk_") + kind + "', 'on', true)")
          .status());
  CX_RETURN_IF_ERROR(
      db().Exec(std::string("UPDATE dup_state SET stale = true WHERE kind = ") + kind).status());
  return 1;
}

// PostgreSQL's memory for a transaction's writes is the server's (shared buffers, WAL): nothing
// to reserve per transaction.
Status PgTx::ReserveLargeWriteMemory(int) { return Status::Ok(); }

}  // namespace cx
