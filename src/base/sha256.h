// SHA-256 of files and byte streams (OpenSSL's libcrypto, which uses the CPU's SHA
// instructions where there are any: a big ERP export hashes in a fraction of a second).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"

namespace cx {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t n);
  // Lower-case hex digest of everything updated. Errors: kInternal when libcrypto fails
  // (out of memory); the hasher is spent either way.
  Result<std::string> HexDigest();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// Lower-case hex SHA-256 of a file's bytes. Errors: kInvalid naming the file when it cannot
// be read.
Result<std::string> FileSha256(const std::string& path);

}  // namespace cx
