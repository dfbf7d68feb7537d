// The repeat-customer rule (docs/kpi.md), for every way of counting it: an order returns when the
// customer's latest strictly earlier order (of the same division) is at most a gap before it.
#pragma once

#include <optional>
#include <string_view>

#include "base/time.h"

namespace cx {

// Whether an ERP Customer ID names a customer: blank ones (spaces only) count for nobody.
inline bool IsCustomerId(std::string_view id) {
  return id.find_first_not_of(' ') != std::string_view::npos;
}

// One customer's orders of one division, given in time order (equal times allowed).
class CustomerOrders {
 public:
  // Records an order at `t` and says whether it returns: the latest order strictly before it is
  // at most `gap` seconds before it (orders at the same time are not earlier than each other).
  bool Add(Timestamp t, int64_t gap) {
    const std::optional<Timestamp> earlier = (last_ && *last_ < t) ? last_ : before_last_;
    const bool returns = earlier && t - *earlier <= gap;
    if (!last_ || *last_ < t) {
      before_last_ = last_;
      last_ = t;
    }
    return returns;
  }
  void Clear() { last_ = before_last_ = std::nullopt; }

 private:
  std::optional<Timestamp> last_, before_last_;  // the latest time, the latest before it
};

}  // namespace cx
