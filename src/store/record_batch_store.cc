// The reads of many records by id, one record at a time (record_batch_store.h): what an
// embedded store does; a server store reads them in one statement instead.
#include <algorithm>

#include "store/store.h"

namespace cx {
namespace {

template <typename T, typename Get>
Result<std::vector<T>> EachOnce(std::vector<std::string> ids, Get get) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<T> out;
  for (const auto& id : ids) {
    CX_ASSIGN_OR_RETURN(auto found, get(id));
    if (found) out.push_back(std::move(*found));
  }
  return out;
}

}  // namespace

Result<std::vector<Opportunity>> Tx::GetOpportunities(const std::vector<std::string>& ids) {
  return EachOnce<Opportunity>(ids, [&](const std::string& id) { return GetOpportunity(id); });
}

Result<std::vector<Case>> Tx::GetCases(const std::vector<std::string>& ids) {
  return EachOnce<Case>(ids, [&](const std::string& id) { return GetCase(id); });
}

}  // namespace cx
