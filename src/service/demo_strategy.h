// The demo hub's filled customer strategy and a start on the seven steps and the go-live kit.
#pragma once

#include "service/context.h"

namespace cx {

// Saves a filled one-page strategy (as the demo's manager, funke.a) with key results on the
// demo's KPIs, sets steps 1, 2 and 5 of this year's seven steps, answers two discovery questions
// and marks the plan's first tasks done. Errors: those of the services it calls.
Status AddDemoStrategy(const Context& ctx);

}  // namespace cx
