// What every use case needs: the store, the hub's zone, who acts, and the clock.
#pragma once

#include <functional>
#include <string>

#include "base/time.h"
#include "store/store.h"

namespace cx {

struct Context {
  Store* store = nullptr;
  Zone zone = Zone::Default();
  std::string actor = "cli";  // login of whoever acts (--as, $CXHUB_USER, or "cli")
  std::function<Timestamp()> now = [] { return Now(); };
};

}  // namespace cx
