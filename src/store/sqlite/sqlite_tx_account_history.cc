// SQLite Tx: an account's orders and feedback, newest first, a page at a time. The orders are
// found through the index orders_customer (erp_customer_id, …) and the feedback through
// feedback_account (account_id): an account's rows are few, so sorting them is cheap.
#include "store/sqlite/sqlite_tx.h"
#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using sqlite::Collect;
using sqlite::Stmt;

Result<std::vector<Order>> SqliteTx::OrdersOfCustomer(const std::string& erp_customer_id, int limit,
                                                      int offset) {
  if (erp_customer_id.empty()) return std::vector<Order>();
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, erp_customer_id, date, division, amount, currency, last_modified "
                   "FROM orders WHERE erp_customer_id = ? ORDER BY date DESC, id DESC" +
                   sqlite::Limit(limit, offset)));
  s->Bind(1, erp_customer_id);
  return Collect<Order>(s, [](const Stmt& r, Status*) {
    return Order{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Real(4), r.Text(5), r.Int(6)};
  });
}

Result<std::vector<Feedback>> SqliteTx::FeedbackOfAccount(const std::string& account_id, int limit,
                                                          int offset) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + sqlite::kFeedbackCols +
                                             " FROM feedback WHERE account_id = ? ORDER BY "
                                             "date DESC, id DESC" +
                                             sqlite::Limit(limit, offset)));
  s->Bind(1, account_id);
  return Collect<Feedback>(s, [](const Stmt& r, Status*) { return sqlite::ReadFeedbackRow(r); });
}

}  // namespace cx
