// PostgreSQL Tx: the infrastructure every area shares (work before the commit).
#include "store/postgres/pg_tx.h"

namespace cx {

PgTx::~PgTx() {
  if (watching_) db_->SetStatementWatch(nullptr);
}

void PgTx::WatchStatements(std::function<Status(std::string_view sql)> watch) {
  watching_ = watch != nullptr;
  db_->SetStatementWatch(std::move(watch));
}

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
