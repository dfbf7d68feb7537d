// Merges of duplicate records, kept for an exact undo.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/entity.h"
#include "domain/merge.h"

namespace cx {

// Merges of duplicates and their undo.
class MergeStore {
 public:
  virtual ~MergeStore() = default;

  // Repoints every reference to the record `from` of kind `k` (the contacts, opportunities,
  // cases and feedback of an account; the interactions, cases and feedback of a contact) to
  // `to`, and returns one kMovedRow step per row that moved.
  virtual Result<std::vector<MergeStep>> MoveReferences(NameKind k, const std::string& from,
                                                        const std::string& to) = 0;
  // Points the row of each kMovedRow step back at `original`. Errors: kInvalid for a step of
  // another type.
  virtual Status RestoreReferences(const std::vector<MergeStep>& moved,
                                   const std::string& original) = 0;
  // Saves a merge record; saving one with the same id again records only its undo time.
  virtual Status SaveMerge(const MergeRecord& m) = 0;
  virtual Result<std::optional<MergeRecord>> GetMerge(const std::string& id) = 0;
  // The newest first.
  virtual Result<std::vector<MergeRecord>> ListMerges(int limit) = 0;
};

}  // namespace cx
