// Duplicate detection over all live accounts or contacts: blocking keys, then clusters.
#pragma once

#include <string>
#include <vector>

#include "service/match.h"

namespace cx {

// One group of records that are probably the same company or person.
struct Cluster {
  std::vector<std::string> ids;  // sorted; the first is the suggested survivor
  double score = 0;              // the weakest link that joins the cluster
  std::string why;
};

struct DedupeStats {
  int64_t records = 0;
  int64_t pairs_compared = 0;  // candidate pairs checked (never all pairs)
};

// Finds clusters among live records of kind `k`, best first. Candidate pairs come
// only from shared blocking keys: the same name key, phone or email, or a shared
// one-deletion variant of the name key (typos); records are never compared all
// against all. Memory is proportional to the number of records.
Result<std::vector<Cluster>> FindDuplicates(Store& store, NameKind k, DedupeStats* stats = nullptr);

// The matching keys of a record as the store computes them.
MatchKeys KeysOf(const Account& a);
MatchKeys KeysOf(const Contact& c);

}  // namespace cx
