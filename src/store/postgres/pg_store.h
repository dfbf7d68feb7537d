// The PostgreSQL implementation of store.h: the server option (docs/postgresql.md).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace cx {

// Connects to the PostgreSQL database a URL names ("postgresql://USER@HOST:PORT/DB", or
// "postgres://…"; what it leaves out comes from the PG* environment variables, as for psql).
// Does not migrate. Errors: kInternal when the server cannot be reached or refuses the login.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

}  // namespace cx
