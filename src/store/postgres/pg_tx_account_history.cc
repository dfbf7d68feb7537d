// PostgreSQL Tx: an account's orders and feedback, newest first, a page at a time (the indexes
// on orders.erp_customer_id and feedback.account_id find them).
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

Result<std::vector<Order>> PgTx::OrdersOfCustomer(const std::string& erp_customer_id, int limit,
                                                  int offset) {
  if (erp_customer_id.empty()) return std::vector<Order>();
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db_->Query(std::string("SELECT ") + kOrderCols +
                     " FROM orders WHERE erp_customer_id = $1 ORDER BY date DESC, id DESC" +
                     Limit(limit, offset),
                 pg::Params().Add(erp_customer_id)));
  return Collect<Order>(r, ReadOrder);
}

Result<std::vector<Feedback>> PgTx::FeedbackOfAccount(const std::string& account_id, int limit,
                                                      int offset) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db_->Query(std::string("SELECT ") + kFeedbackCols +
                     " FROM feedback WHERE account_id = $1 ORDER BY date DESC, id DESC" +
                     Limit(limit, offset),
                 pg::Params().Add(account_id)));
  return Collect<Feedback>(r, ReadFeedback);
}

}  // namespace cx
