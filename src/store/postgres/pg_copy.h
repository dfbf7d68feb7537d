// Bulk loads on PostgreSQL through COPY … FROM STDIN (docs/postgresql.md, "Bulk loads"): the
// rows of one call go in runs of kCopyRun rows, each run one COPY statement, all of them inside
// a savepoint, so that a failed row (a taken id) takes the call's rows out again and leaves the
// transaction usable, as a failed statement does on SQLite.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>

#include "store/postgres/pg_db.h"

namespace cx::pgcopy {

// Rows per COPY statement: about 2 to 4 MB of text for the widest records, so a call's
// buffer stays small however many rows it holds.
inline constexpr size_t kCopyRun = 10000;

// The outcome of CopyAllOrNone.
struct CopyOutcome {
  Status status;         // Ok, or the first failure (its rows all taken out again)
  std::string sqlstate;  // the failure's SQLSTATE ("23505" for a taken key), "" when ok
};

// Sends `count` rows with `copy_sql` ("COPY t (a, b) FROM STDIN"), `add(i, &rows)` writing row
// i's values, in runs of kCopyRun rows, inside a savepoint. All or none: on a failed run the
// savepoint is rolled back (nothing of this call stays written) and the transaction goes on.
// A lost connection is returned as it is.
inline CopyOutcome CopyAllOrNone(pg::Db& db, const std::string& copy_sql, size_t count,
                                 const std::function<void(size_t, pg::CopyRows*)>& add) {
  CopyOutcome out;
  if (count == 0) return out;
  out.status = db.ExecScript("SAVEPOINT cx_copy");
  if (!out.status.ok()) return out;
  pg::CopyRows rows;
  for (size_t at = 0; at < count && out.status.ok();) {
    const size_t n = std::min(kCopyRun, count - at);
    rows.Clear();
    for (size_t i = at; i < at + n; ++i) add(i, &rows);
    out.status = db.Copy(copy_sql, rows);
    at += n;
  }
  if (out.status.ok()) {
    out.status = db.ExecScript("RELEASE SAVEPOINT cx_copy");
    return out;
  }
  out.sqlstate = db.last_sqlstate();
  if (db.InTransaction()) {
    Status undone = db.ExecScript("ROLLBACK TO SAVEPOINT cx_copy; RELEASE SAVEPOINT cx_copy");
    if (!undone.ok()) out.status = undone;
  }
  return out;
}

}  // namespace cx::pgcopy
