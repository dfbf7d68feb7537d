// An account's orders and feedback, newest first.
#include "service/account_history.h"

namespace cx {

Result<std::vector<Order>> ListAccountOrders(const Context& ctx, const std::string& account_id,
                                             int limit, int offset) {
  std::vector<Order> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(account_id));
    if (!a) return NotFound("account " + account_id + " does not exist");
    CX_ASSIGN_OR_RETURN(out, tx.OrdersOfCustomer(a->erp_customer_id, limit, offset));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Feedback>> ListAccountFeedback(const Context& ctx, const std::string& account_id,
                                                  int limit, int offset) {
  std::vector<Feedback> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(auto a, tx.GetAccount(account_id));
    if (!a) return NotFound("account " + account_id + " does not exist");
    CX_ASSIGN_OR_RETURN(out, tx.FeedbackOfAccount(account_id, limit, offset));
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
