// PostgreSQL Tx: the infrastructure every area shares (work before the commit).
#include "store/postgres/pg_tx.h"

namespace cx {

Status PgTx::Finish() {
  // Work may register more work (a flush that refreshes an aggregate): run until none is left.
  for (size_t i = 0; i < before_commit_.size(); ++i) {
    std::function<Status()> fn = before_commit_[i];
    CX_RETURN_IF_ERROR(fn());
  }
  before_commit_.clear();
  return Status::Ok();
}

}  // namespace cx
