// What `cxhub check` reads about a hub to tell whether it is sound (docs/reliability.md,
// "Damage is noticed").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cx {

// The audit log as stored: it is append-only, so its sequence numbers run 1, 2, … without a
// gap, the highest ever handed out is the highest present, and the guards that refuse an
// UPDATE or DELETE of it are in place.
struct AuditLogFacts {
  int64_t rows = 0;
  int64_t min_seq = 0;                      // 0 when empty
  int64_t max_seq = 0;                      // 0 when empty
  int64_t highest_ever = 0;                 // the highest number the log ever handed out (0: none)
  std::vector<std::string> missing_guards;  // names of the guards that are gone
};

// One block of the name index: a word and the records it lists.
struct NamePosting {
  std::string word;
  std::vector<std::string> ids;
  int64_t records = 0;  // the count the block keeps of its ids
};

}  // namespace cx
