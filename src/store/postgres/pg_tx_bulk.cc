// PostgreSQL Tx: bulk loads (bulk_load_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<int> PgTx::ExpectBulkLoad(Entity, int64_t, BulkShape) {
  return Internal("bulk loads: ExpectBulkLoad is not implemented on PostgreSQL yet");
}

Status PgTx::ReserveLargeWriteMemory(int) {
  return Internal("bulk loads: ReserveLargeWriteMemory is not implemented on PostgreSQL yet");
}

}  // namespace cx
