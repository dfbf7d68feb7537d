// A merge of duplicate records, kept so that it can be undone exactly.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "domain/entity.h"

namespace cx {

// One step of a merge, in the order it was taken; undoing it reads them in that order.
struct MergeStep {
  enum class Type {
    kMovedRow,          // a row's reference moved from a merged record to the survivor
    kMergedAway,        // a merged record was marked merged; the moved rows before it are its own
    kErpLinkTakenOver,  // the survivor took over a merged account's ERP link
    kSurvivorBefore,    // the survivor's own fields before the merge
  };
  Type type = Type::kMovedRow;
  // kMovedRow: the moved row's kind (contact, interaction, opportunity, case, feedback);
  // kMergedAway: the merged record's kind (account or contact).
  Entity entity = Entity::kAccount;
  // kMovedRow: the moved row; kMergedAway and kErpLinkTakenOver: the merged record.
  std::string id;
  // kMovedRow: which of the row's references moved (its account or its contact).
  NameKind reference = NameKind::kAccount;
  std::string erp_id;                         // kErpLinkTakenOver: the link taken over
  std::map<std::string, std::string> before;  // kSurvivorBefore: field name → value

  static MergeStep Moved(Entity row, std::string row_id, NameKind reference) {
    MergeStep s;
    s.entity = row;
    s.id = std::move(row_id);
    s.reference = reference;
    return s;
  }
};

struct MergeRecord {
  std::string id;  // "M-000001"
  NameKind kind = NameKind::kAccount;
  std::string survivor;
  std::vector<std::string> merged;
  std::vector<MergeStep> moved;
  Timestamp at = 0;
  std::string actor, reason;
  std::optional<Timestamp> undone_at;
};

}  // namespace cx
