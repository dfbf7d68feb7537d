// The SQLite implementation of store.h: the embedded default database.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace cx {

// Opens (creating) an SQLite database file in WAL mode with foreign keys on.
// Errors: kInternal when the file cannot be opened.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace cx
