// Status formatting.
#include "base/status.h"

namespace cx {

std::string Status::ToString() const {
  std::string out = message_;
  for (const auto& d : details_) {
    out += "\n  ";
    out += d;
  }
  return out;
}

}  // namespace cx
