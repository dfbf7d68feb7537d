// The steward's ERP queue: proposed links of hub accounts to ERP customers, and
// linked customers missing from a full export (docs/erp.md).
#pragma once

#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// Queue items with `status` ("open" by default; "" for all), oldest first.
Result<std::vector<ErpQueueItem>> ListErpQueue(const Context& ctx,
                                               const std::string& status = "open",
                                               int limit = 1000);

// Accepts an open item. For a proposed link: the hub account gets the ERP
// customer id; the account the sync created for that customer (if any) is merged
// into it — every contact, interaction, opportunity, case and feedback moves to the
// hub account, which takes the ERP-owned fields from the ERP's account and keeps
// its own hub-owned fields; the merge is recorded like a steward's merge. Other open
// proposals for the same account or ERP customer are superseded. For a missing
// customer: the flag is acknowledged. Only a steward or admin (or the command
// line's own "cli"). Audited. Errors: kNotFound, kConflict (not open, account
// already linked or merged), kForbidden. Nothing is written on error.
Result<ErpQueueItem> AcceptErpQueueItem(const Context& ctx, int64_t id, const std::string& reason);
// Rejects an open proposed link (never proposed again) or dismisses a missing flag.
// Same roles and errors as AcceptErpQueueItem.
Result<ErpQueueItem> RejectErpQueueItem(const Context& ctx, int64_t id, const std::string& reason);

}  // namespace cx
