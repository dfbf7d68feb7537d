// An account's history beyond its interactions (docs/api.md, the account view's lists): the ERP
// orders of its ERP Customer ID and the feedback that names it, newest first, a page at a time.
#pragma once

#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// Up to `limit` of the account's ERP orders (those carrying its ERP Customer ID; none when it
// has no ERP id), newest first, after the first `offset`. Read on a snapshot.
// Errors: kNotFound when the account does not exist.
Result<std::vector<Order>> ListAccountOrders(const Context& ctx, const std::string& account_id,
                                             int limit, int offset);

// Up to `limit` of the feedback rows naming the account, newest first, after the first
// `offset`. Read on a snapshot. Errors: kNotFound when the account does not exist.
Result<std::vector<Feedback>> ListAccountFeedback(const Context& ctx, const std::string& account_id,
                                                  int limit, int offset);

}  // namespace cx
