#include "base/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace cx {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
  bool ok = false;
  ~Ctx() { EVP_MD_CTX_free(md); }
};

namespace {

// The algorithm, looked up in libcrypto's providers once for the process. EVP_sha256() looks
// it up again at every EVP_DigestInit_ex (OpenSSL 3's implicit fetch, with its locks): that
// was a fifth of checking an API request's bearer token. Never freed (one object, kept while
// the process lives); EVP_sha256() if the fetch fails.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
  }();
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  ctx_->ok = ctx_->md && EVP_DigestInit_ex(ctx_->md, Sha256Algorithm(), nullptr) == 1;
}

Sha256::~Sha256() = default;

void Sha256::Update(const void* data, size_t n) {
  if (ctx_->ok && n > 0) ctx_->ok = EVP_DigestUpdate(ctx_->md, data, n) == 1;
}

Result<std::string> Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = ctx_->ok && EVP_DigestFinal_ex(ctx_->md, digest, &len) == 1 && len == 32;
  ctx_->ok = false;
  if (!ok) return Internal("SHA-256 failed (libcrypto)");
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 15];
  }
  return hex;
}

Result<std::string> FileSha256(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Invalid(path + ": cannot open: " + std::strerror(errno));
  Sha256 sha;
  std::vector<char> buf(size_t(1) << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) sha.Update(buf.data(), n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) return Invalid(path + ": cannot read: " + std::strerror(err));
  return sha.HexDigest();
}

}  // namespace cx
