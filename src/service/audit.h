// Writing the audit log: one entry per changed field, or one per created record.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/touchpoint.h"
#include "service/context.h"

namespace cx {

// Named field values of a record, in display order.
using FieldList = std::vector<std::pair<std::string, std::string>>;

FieldList FieldsOf(const Account& a);
FieldList FieldsOf(const Contact& c);
FieldList FieldsOf(const Interaction& i);
FieldList FieldsOf(const Opportunity& o);
FieldList FieldsOf(const Case& c);
FieldList FieldsOf(const Feedback& f);
FieldList FieldsOf(const Touchpoint& t);

// Whether a field of the lists above holds a time (stored in the log as UTC seconds, shown
// as a date in the hub's zone).
bool IsTimeField(const std::string& field);

// Appends one "create" entry holding the record's non-empty fields as JSON.
Status AuditCreate(Tx& tx, const Context& ctx, const std::string& entity, const std::string& id,
                   const FieldList& fields, const std::string& reason = "");
// Appends one "create" entry without the values, for records created in bulk from a file
// (a workbook import, an ERP sync) whose `reason` names it: the values are the record's own
// less its later changes, each audited with its before value, so the log stays complete
// without holding a second copy of a million rows.
Status AuditBulkCreate(Tx& tx, const Context& ctx, const std::string& entity, const std::string& id,
                       const std::string& reason);
// Appends one entry per field whose value differs between `before` and `after`.
// Returns the number of changed fields through `changed` when given.
Status AuditChanges(Tx& tx, const Context& ctx, const std::string& action,
                    const std::string& entity, const std::string& id, const FieldList& before,
                    const FieldList& after, const std::string& reason = "", int* changed = nullptr);
// Appends one entry for a whole-record action (merge, unmerge, force-create …).
Status AuditAction(Tx& tx, const Context& ctx, const std::string& action, const std::string& entity,
                   const std::string& id, const std::string& after, const std::string& reason);

}  // namespace cx
