// Streaming every record of a kind, for a full export.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/order.h"

namespace cx {

// Every record streamed in a stable order, for the workbook export and other full reads.
class StreamStore {
 public:
  virtual ~StreamStore() = default;

  // Streams every record in id order (interactions by id too; stage history by
  // opportunity then entry time), merged ones included; stops at fn's first error.
  virtual Status ForEachAccount(const std::function<Status(const Account&)>& fn) = 0;
  virtual Status ForEachContact(const std::function<Status(const Contact&)>& fn) = 0;
  virtual Status ForEachInteraction(const std::function<Status(const Interaction&)>& fn) = 0;
  virtual Status ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) = 0;
  virtual Status ForEachStage(const std::function<Status(const StageEntry&)>& fn) = 0;
  virtual Status ForEachCase(const std::function<Status(const Case&)>& fn) = 0;
  virtual Status ForEachOrder(const std::function<Status(const Order&)>& fn) = 0;
  virtual Status ForEachFeedback(const std::function<Status(const Feedback&)>& fn) = 0;
};

}  // namespace cx
