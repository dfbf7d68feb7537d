// Copying a whole hub from one store to another (`move-store`, docs/operations.md "Moving a
// hub"): the tables a hub keeps, read in key order as typed values and appended in bulk.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/hub_copy.h"

namespace cx {

// The tables of a store as rows, for a copy between two stores of any backends. The service
// above (service/move_store.h) reads every table of the source, appends it to an empty target
// in one transaction, and compares the two sides row by row; it never names a backend.
class CopyStore {
 public:
  virtual ~CopyStore() = default;

  // The tables a copy carries, a table after every table it references: every table of the
  // hub except what the backend derives from them (the name index, the duplicate index and
  // the KPI aggregates with their change lists: rebuilt on the target, see FinishCopy), the
  // transient rows of running servers (sessions, login throttles, idempotency keys, running
  // loads) and the backend's own bookkeeping (applied migrations). Column types are the
  // backend's, mapped to CopyType; a column of a type no CopyType holds is an error naming it.
  virtual Result<std::vector<CopyTable>> CopyTables() = 0;
  // Calls `fn` with the rows of `table` (columns as table.columns lists them, which may be any
  // of the table's columns in any order), up to `batch` rows a call, in the order of its key
  // (every column for a table without one) compared by value: numbers as numbers, text and
  // bytes byte by byte, NULL first. Values are typed by the column: a stored value the column's
  // type cannot hold (text in a whole-number column) is an error naming table, key and column.
  // Stops at fn's first error.
  virtual Status ReadCopyRows(const CopyTable& table, int batch,
                              const std::function<Status(std::vector<CopyRow>&)>& fn) = 0;
  // The first copied table holding something a hub fresh from its migrations does not (any
  // record, user, audit entry, setting other than the hub's identity…), or nullopt when the
  // hub holds nothing yet.
  virtual Result<std::optional<std::string>> FirstHeldTable() = 0;
  // The highest number handed out for each copied table whose key the backend numbers itself
  // (its serial: stage history, journey actions, ERP sync runs…), by table name. At least the
  // highest key present; more when rows at the end were removed.
  virtual Result<std::map<std::string, int64_t>> CopySerials() = 0;

  // Readies this transaction, on a hub that holds nothing (FirstHeldTable), to receive a
  // copy: removes what the migrations gave the new hub and the copy brings (its identity),
  // checks references only at the commit (a merged record may name a survivor copied after
  // it), and lets the backend treat what follows as a bulk load into an empty hub. Writable
  // transaction only.
  virtual Status BeginCopy() = 0;
  // Appends `rows` (columns as table.columns lists them) to `table` as they are: ids, sequence
  // numbers and times unchanged. The backend's own upkeep of derived tables runs as for any
  // write (once per row at most). Errors: kConflict for a key already present, kInternal else.
  virtual Status AppendCopyRows(const CopyTable& table, const std::vector<CopyRow>& rows) = 0;
  // After the last append: raises each serial to at least `serials` (the source's CopySerials;
  // tables this backend does not number are ignored), builds the name index from the copied
  // accounts and contacts, and marks the KPI aggregates and the duplicate index for a rebuild at
  // their next use, so that every answer of the hub is the source's.
  virtual Status FinishCopy(const std::map<std::string, int64_t>& serials) = 0;
};

}  // namespace cx
