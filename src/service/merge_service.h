// A steward merges a cluster of duplicates into one survivor, and can undo it.
#pragma once

#include <string>
#include <vector>

#include "service/audit.h"
#include "service/context.h"

namespace cx {

// Merges `others` into `survivor`: every contact, interaction, opportunity, case
// and feedback of the others is moved to the survivor; the survivor keeps its own
// values and takes the others' values only for its empty fields (and their custom
// fields it lacks); the others are marked merged and leave search and duplicates.
// The acting user must be a steward of a division of every record involved (a steward
// without a division: any), a manager or an admin, or the command line's own "cli"
// (domain/rules.h). Audited. Errors: kInvalid (unknown or already merged records, a survivor
// among the others, no reason), kForbidden. Nothing is written on error.
Result<MergeRecord> Merge(const Context& ctx, NameKind kind, const std::string& survivor,
                          const std::vector<std::string>& others, const std::string& reason);

// Undoes a merge: moves every moved record back and restores the merged records
// and the survivor's fields as they were. Errors: kNotFound, kConflict (already undone).
Result<MergeRecord> UndoMerge(const Context& ctx, const std::string& merge_id,
                              const std::string& reason);

Result<std::vector<MergeRecord>> ListMerges(const Context& ctx, int limit);

// The entries a merge record holds besides the moved rows, for UndoMerge: `merged` was merged
// away (the rows moved before this entry were its own); the survivor took over `merged`'s ERP
// link `erp_id`; the survivor's fields before the merge. Used by Merge and by accepting an
// ERP link proposal (service/link_service), which merges the ERP's account into the hub's.
MergeStep MergedMarker(const std::string& merged_account_or_contact, NameKind kind);
MergeStep ErpLinkTakenOver(const std::string& merged_account, const std::string& erp_id);
MergeStep SurvivorBefore(const FieldList& before);

}  // namespace cx
