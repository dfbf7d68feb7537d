// Opening a store by URL: the one place that knows which backends this build has.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/output_file.h"
#include "store/store.h"

namespace cx {

// The URL of the hub a command opens when none is given (an SQLite file, the default backend).
inline constexpr const char* kDefaultStoreUrl = "sqlite:cxhub.db";
// The forms of URL this build opens, for help texts.
inline constexpr const char* kStoreUrlForms = "sqlite:PATH or postgresql://USER@HOST:PORT/DB";

// Opens a store from a URL: "sqlite:PATH" (or a bare path), or "postgresql://…" /
// "postgres://…" (a PostgreSQL server; docs/postgresql.md). Does not migrate. Errors: kInvalid
// for a URL naming nothing, kInternal when the store cannot be opened or reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// The file a store URL names, as OpenStore reads it; "" for a server URL or a URL naming no
// file. The command line protects it (and its companions) from being written over and tells a
// missing hub from a new one.
std::string StoreFilePath(const std::string& url);

// `url` for messages: a server URL's password ("postgresql://USER:PASSWORD@…") left out.
std::string RedactedStoreUrl(const std::string& url);

// The files a store whose URL names the file `path` consists of: that file and the companions
// its backend keeps beside it (the command line never writes over any of them).
std::vector<std::string> StoreFiles(const std::string& path);

// What kind of file Store::Backup writes for a store opened from `url` (an output path must
// hold nothing or a file of that kind). A PostgreSQL hub's Backup refuses (pg_dump backs it
// up), so its kind only guards the output path.
FileKind StoreBackupKind(const std::string& url);

}  // namespace cx
