// The store every test that opens one runs against: $CXHUB_TEST_STORE_URL when it names a server
// store, else a fresh SQLite file (the default backend) in the test's own directory.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>

#include "store/postgres/pg_db.h"

namespace cx {

// For a PostgreSQL URL (tests/pg_server.py's server): a new, empty database on the same server,
// one per call, so that every test starts from nothing as with a new SQLite file. The
// databases go with the throwaway server. "" when it cannot be made (the test then fails to
// open "", never runs against a shared database).
inline std::string FreshServerDatabase(const std::string& url) {
  static std::atomic<int> made{0};
  const std::string name =
      "cxt_" + std::to_string(::getpid()) + "_" + std::to_string(made.fetch_add(1));
  auto db = pg::Db::Connect(url);
  if (!db.ok()) return "";
  // A file copy of the template takes a third of the time of the default (WAL_LOG) strategy
  // of PostgreSQL 15; an older server knows only the copy.
  const std::string create = "CREATE DATABASE " + pg::QuoteIdent(name) + " TEMPLATE template0";
  if (!(*db)->ExecScript(create + " STRATEGY FILE_COPY").ok() && !(*db)->ExecScript(create).ok())
    return "";
  // postgresql://AUTHORITY/DB?PARAMS: the database part replaced.
  const size_t start = url.find("://") + 3;
  const size_t slash = url.find('/', start);
  const size_t query = url.find('?', start);
  const std::string authority = url.substr(start, std::min(slash, query) - start);
  const std::string params = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, start) + authority + "/" + name + params;
}

// $CXHUB_TEST_STORE_URL as given ("" when unset): the throwaway server of a PostgreSQL entry.
inline std::string TestServerUrl() {
  const char* env = std::getenv("CXHUB_TEST_STORE_URL");
  return env ? env : "";
}

// The URL of the store under test for a test whose scratch directory is `dir`. An empty
// $CXHUB_TEST_STORE_URL or one that is just "sqlite:" means a file `file` in `dir`.
inline std::string TestStoreUrl(const std::string& dir, const std::string& file = "hub.db") {
  const std::string url = TestServerUrl();
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return FreshServerDatabase(url);
  if (!url.empty() && url != "sqlite:") return url;
  return "sqlite:" + dir + "/" + file;
}

}  // namespace cx
