// Moving a whole hub into another store, of either backend (`cxhub move-store`;
// docs/operations.md, "Moving a hub").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "base/status.h"
#include "domain/hub_copy.h"
#include "store/store.h"

namespace cx {

// One table as moved.
struct MovedTable {
  std::string table;
  int64_t rows = 0;
  std::string checksum;  // lower-case hex SHA-256 of the table's rows (TableChecksum)
  double seconds = 0;    // copying it
};

struct MoveReport {
  int schema_version = 0;
  std::vector<MovedTable> tables;  // in the order copied (a table after those it references)
  int64_t rows = 0;
  double seconds = 0;  // the whole move, the check included
};

// Tells the caller how far the move is: each table once copied, then once verified.
using MoveProgress = std::function<void(const std::string& phase, const MovedTable& t)>;

// Copies every table of the hub `from` (CopyStore::CopyTables: records, audit log, merges and
// their undo data, ERP watermarks and sync history, users and tokens, feedback, strategy, KPI
// targets, settings, id counters and serials; not sessions and other transient rows, nor what
// the target derives and rebuilds) into the hub `to`, in ONE transaction of `to`, reading `from`
// in one snapshot (it may keep working meanwhile). `to` is first brought to the current schema.
// Before the commit every table is read back from `to` and compared with what was read from
// `from`: the same number of rows and the same TableChecksum, or nothing is committed.
// `actor` is recorded as the load's starter while it runs. An interrupted move (a killed
// process) commits nothing, so it can simply be run again.
// Errors: kInvalid (nothing written) when `to` holds anything already (naming a table), when its
// schema version differs from `from`'s after its migration, or when a table or column of `from`
// has no like in `to`; kInternal naming the table when the check finds a difference (nothing
// committed), or on a storage failure of either side.
Result<MoveReport> MoveStore(Store& from, Store& to, const std::string& what,
                             const std::string& actor, const MoveProgress& progress);

// Hashes rows into a table's checksum: SHA-256 over a canonical text of the table's name, its
// columns with their types, and each row in the order given (key order), every value tagged
// with its type (NULL, whole number, double in its shortest exact form, text or bytes with
// their length). The same rows give the same checksum whatever backend they came from; a
// value of another type, another order or another count does not.
class TableChecksum {
 public:
  explicit TableChecksum(const CopyTable& table);
  TableChecksum(const TableChecksum&) = delete;
  TableChecksum& operator=(const TableChecksum&) = delete;
  void Add(const std::vector<CopyRow>& rows);
  int64_t rows() const { return rows_; }
  // The hex digest of everything added. Errors: kInternal when hashing fails.
  Result<std::string> Digest();

 private:
  const CopyTable& table_;
  Sha256 sha_;
  std::string buf_;
  int64_t rows_ = 0;
};

}  // namespace cx
