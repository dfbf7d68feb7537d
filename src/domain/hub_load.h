// A bulk load (a workbook import, an ERP sync) as the hub records it while it runs, so that a
// command that finds the hub locked can say who holds it (docs/operations.md).
#pragma once

#include <string>

namespace cx {

struct HubLoad {
  std::string what;  // "import-workbook hub.xlsx", "erp-sync customers FILE"
  std::string by;    // the acting login
};

}  // namespace cx
