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
// against all. The pairs are kept in the duplicate index (0010_duplicates.sql), which this
// first brings up to date: only the records changed since are compared again (a full scan
// when it was never built, after a bulk load, or when over a tenth of the records changed).
Result<std::vector<Cluster>> FindDuplicates(Store& store, NameKind k, DedupeStats* stats = nullptr);

// The same clusters from a full scan of every record, without the index (and without
// changing it). Memory is proportional to the number of records.
Result<std::vector<Cluster>> ScanDuplicates(Store& store, NameKind k, DedupeStats* stats = nullptr);

// The matching keys of a record as the store computes them.
MatchKeys KeysOf(const Account& a);
MatchKeys KeysOf(const Contact& c);

}  // namespace cx
