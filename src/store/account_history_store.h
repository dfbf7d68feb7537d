// Storage reads of an account's history beyond its interactions: the ERP orders that carry its
// ERP Customer ID and the feedback that names it, newest first, a page at a time (the account
// view's lists, docs/api.md).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/order.h"

namespace cx {

// The reads of the account-history area; Tx inherits them. Every method returns kInternal on a
// storage failure.
class AccountHistoryStore {
 public:
  virtual ~AccountHistoryStore() = default;

  // Up to `limit` orders of ERP customer `erp_customer_id`, newest first (date, then id, both
  // descending), skipping the first `offset`. An empty id has no orders.
  virtual Result<std::vector<Order>> OrdersOfCustomer(const std::string& erp_customer_id, int limit,
                                                      int offset) = 0;
  // Up to `limit` feedback rows naming account `account_id`, newest first (date, then id, both
  // descending), skipping the first `offset`.
  virtual Result<std::vector<Feedback>> FeedbackOfAccount(const std::string& account_id, int limit,
                                                          int offset) = 0;
};

}  // namespace cx
