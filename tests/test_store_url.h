// The store every test that opens one runs against: $CXHUB_TEST_STORE_URL when it names a server
// store, else a fresh SQLite file (the default backend) in the test's own directory.
#pragma once

#include <cstdlib>
#include <string>

namespace cx {

// The URL of the store under test for a test whose scratch directory is `dir`. An empty
// $CXHUB_TEST_STORE_URL or one that is just "sqlite:" means a file `file` in `dir`.
inline std::string TestStoreUrl(const std::string& dir, const std::string& file = "hub.db") {
  const char* env = std::getenv("CXHUB_TEST_STORE_URL");
  const std::string url = env ? env : "";
  if (!url.empty() && url != "sqlite:") return url;
  return "sqlite:" + dir + "/" + file;
}

}  // namespace cx
