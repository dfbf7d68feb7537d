// Write-behind for a bulk load under WAL: the pages a load writes into the write-ahead log
// (and its checkpoint into the hub file) are handed to a thread of their own, which makes the
// write calls, so that the copy into the kernel leaves the writing thread (docs/operations.md,
// "Bulk loads and the write-ahead log").
#pragma once

#include <sqlite3.h>

#include "base/status.h"

namespace cx::sqlite {

// The name of the VFS that Db::Open opens writable hubs through (registered on the first
// call): SQLite's default VFS, every call passed through, until SetWriteBehind turns a
// connection's files over to write-behind.
const char* WriteBehindVfsName();

// Turns write-behind on or off for the connection's hub file and write-ahead log. On: a write
// is copied into a queue (at most kWriteBehindQueueBytes waiting) and made by a second thread,
// in the order given; every read, sync, size, truncation, lock of the shared memory and file
// control of that file first waits for the queue to be written, and the log's commit frame is
// written only after everything before it, and by the caller itself, so that no other
// connection is told of frames not yet written, and a failed write fails the commit. Off:
// waits for the queue, stops the thread, and returns the first failed write (if any) since it
// was turned on. Does nothing (Ok) for a connection not opened through the VFS or not in WAL
// mode.
Status SetWriteBehind(sqlite3* db, bool on);

// How many writes were made by the write-behind thread since the process started (tests).
int64_t WriteBehindWrites();

inline constexpr size_t kWriteBehindQueueBytes = size_t(32) << 20;

}  // namespace cx::sqlite
