// PostgreSQL Tx: lock (lock_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

bool PgTx::Writable() const { return writable_; }

}  // namespace cx
