// The defaults of NameIndexStore::IdsByTwoGroups (from IdsByWordGroups) and GetMatchKeyViews
// (from GetMatchKeys).
#include "store/name_index_store.h"

#include <algorithm>
#include <iterator>

namespace cx {

Result<std::vector<std::string>> NameIndexStore::IdsByTwoGroups(
    NameKind k, const std::array<std::vector<std::string>, 2>& groups, int limit, int few,
    int either) {
  CX_ASSIGN_OR_RETURN(auto ids, IdsByWordGroups(k, {groups[0], groups[1]}, 2, limit));
  if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (int(ids.size()) >= few) return ids;
  // The records under either group, the first `either`: those under both, which are known, and
  // then the first of the others in id order, which are among the first `either` of the words
  // of both groups read as one group.
  std::vector<std::string> words = groups[0];
  words.insert(words.end(), groups[1].begin(), groups[1].end());
  CX_ASSIGN_OR_RETURN(auto any, IdsByWordGroups(k, {words}, 1, either));
  const size_t more =
      size_t(std::max(either, 0)) - std::min(ids.size(), size_t(std::max(either, 0)));
  std::vector<std::string> others;
  for (auto& id : any) {
    if (others.size() == more) break;
    if (!std::binary_search(ids.begin(), ids.end(), id)) others.push_back(std::move(id));
  }
  const auto known = std::ptrdiff_t(ids.size());
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  ids.insert(ids.end(), std::make_move_iterator(others.begin()),
             std::make_move_iterator(others.end()));
  std::inplace_merge(ids.begin(), ids.begin() + known, ids.end());
  return ids;
}

Status NameIndexStore::GetMatchKeyViews(NameKind k, const std::vector<std::string>& ids,
                                        MatchKeyViews* out) {
  CX_ASSIGN_OR_RETURN(auto keys, GetMatchKeys(k, ids));
  out->keys.clear();
  out->keys.reserve(keys.size());
  for (const auto& r : keys) out->keys.push_back(out->Keep(r));
  return Status::Ok();
}

}  // namespace cx
