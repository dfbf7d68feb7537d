// The records found by FindByKeys on either backend: each once, in id order (a record found
// by its name key and by its phone is one candidate).
#pragma once

#include <algorithm>
#include <vector>

#include "domain/match_keys.h"

namespace cx {

inline void SortUniqueById(std::vector<MatchKeys>* keys) {
  std::sort(keys->begin(), keys->end(),
            [](const MatchKeys& a, const MatchKeys& b) { return a.id < b.id; });
  keys->erase(std::unique(keys->begin(), keys->end(),
                          [](const MatchKeys& a, const MatchKeys& b) { return a.id == b.id; }),
              keys->end());
}

}  // namespace cx
