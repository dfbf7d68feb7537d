// What search and duplicate detection read of named records: index words, matching keys,
// probable-duplicate pairs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cx {

// A vocabulary word of the name index and how many records use it.
struct IndexedWord {
  std::string word;
  int64_t records = 0;
};

// The matching keys of one named record, streamed for duplicate detection.
struct MatchKeys {
  std::string id, name, name_key, phone_key, email_key, account_id;
};

// A probable-duplicate pair kept in the duplicate index (a < b).
struct DupPair {
  std::string a, b;
  double score = 0;
  std::string why;
};

// A record to file in the duplicate index under `hashes`, or to unfile (nullopt).
struct DupFiling {
  std::string id;
  std::optional<std::vector<uint64_t>> hashes;
};

struct DupIndexInfo {
  bool stale = true;    // never built, or a bulk load since
  int64_t records = 0;  // records filed
};

}  // namespace cx
