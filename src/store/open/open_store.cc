// Opening a store by URL: dispatches on the scheme to the backends this build has.
#include "store/open/open_store.h"

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cx {
namespace {

bool IsServerUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (IsServerUrl(url)) return OpenPostgresStore(url);
  std::string path = StoreFilePath(url);
  if (path.empty()) return Invalid("the database URL '" + url + "' names no file");
  return OpenSqliteStore(path);
}

std::string StoreFilePath(const std::string& url) {
  if (IsServerUrl(url)) return "";
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (path.rfind("//", 0) == 0) path = path.substr(2);
  return path;
}

std::string RedactedStoreUrl(const std::string& url) {
  if (!IsServerUrl(url)) return url;
  const size_t start = url.find("://") + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const size_t colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

std::vector<std::string> StoreFiles(const std::string& path) {
  std::vector<std::string> files;
  for (const char* suffix : {"", "-wal", "-journal", "-shm"}) files.push_back(path + suffix);
  return files;
}

FileKind StoreBackupKind(const std::string&) { return FileKind::kSqlite; }

}  // namespace cx
