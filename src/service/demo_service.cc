// Demo data generator (being written).
#include "service/demo_service.h"

namespace cx {
Result<DemoSummary> GenerateDemo(const Context&, const DemoOptions&) { return Internal("demo: not written yet"); }
}  // namespace cx
