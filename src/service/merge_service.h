// A steward merges a cluster of duplicates into one survivor, and can undo it.
#pragma once

#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// Merges `others` into `survivor`: every contact, interaction, opportunity, case
// and feedback of the others is moved to the survivor; the survivor keeps its own
// values and takes the others' values only for its empty fields (and their custom
// fields it lacks); the others are marked merged and leave search and duplicates.
// The acting user must be a steward, manager or admin (or the command line's own
// "cli"). Audited. Errors: kInvalid (unknown or already merged records, a survivor
// among the others, no reason), kForbidden. Nothing is written on error.
Result<MergeRecord> Merge(const Context& ctx, NameKind kind, const std::string& survivor,
                          const std::vector<std::string>& others, const std::string& reason);

// Undoes a merge: moves every moved record back and restores the merged records
// and the survivor's fields as they were. Errors: kNotFound, kConflict (already undone).
Result<MergeRecord> UndoMerge(const Context& ctx, const std::string& merge_id,
                              const std::string& reason);

Result<std::vector<MergeRecord>> ListMerges(const Context& ctx, int limit);

}  // namespace cx
