// Many records of one kind by id in one call (the weekly pack names every opportunity and case
// it lists: on a server store a read per id is a round trip per id, docs/postgresql.md, "KPI
// facts").
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/case.h"
#include "domain/opportunity.h"

namespace cx {

class RecordBatchStore {
 public:
  virtual ~RecordBatchStore() = default;
  // The opportunities of `ids` that exist, each once, in id order (byte order); an id that no
  // opportunity has is left out. The records are those GetOpportunity returns.
  virtual Result<std::vector<Opportunity>> GetOpportunities(
      const std::vector<std::string>& ids) = 0;
  // The cases of `ids` that exist, as GetOpportunities does for opportunities.
  virtual Result<std::vector<Case>> GetCases(const std::vector<std::string>& ids) = 0;
};

}  // namespace cx
