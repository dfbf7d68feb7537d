// Serving the embedded web page (web/dist) from `/`, beside the API.
#include <map>
#include <string>
#include <string_view>

#include "api/api_error.h"
#include "api/web_assets.h"
#include "base/sha256.h"

namespace cx::api {

namespace {

std::string_view ContentType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".webmanifest")) return "application/manifest+json";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

struct Asset {
  std::string_view content;
  std::string etag;
};

// The assets by path, with their entity tags (made once: the files never change while the
// binary runs).
const std::map<std::string_view, Asset>& Assets() {
  static const std::map<std::string_view, Asset> assets = [] {
    std::map<std::string_view, Asset> out;
    for (const auto& f : WebAssets()) {
      Sha256 h;
      h.Update(f.content.data(), f.content.size());
      auto d = h.HexDigest();
      out[f.path] = {f.content, "\"" + (d.ok() ? d->substr(0, 32) : std::string("0")) + "\""};
    }
    return out;
  }();
  return assets;
}

bool IsApiPath(std::string_view path) {
  return path == "/api" || path.rfind("/api/", 0) == 0 || path == "/healthz";
}

}  // namespace

std::optional<HttpResponse> ServePage(const HttpRequest& req) {
  if ((req.method != "GET" && req.method != "HEAD") || IsApiPath(req.path)) return std::nullopt;
  std::string_view path = req.path;
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  const auto& assets = Assets();
  auto it = assets.find(path);
  bool hashed = path.rfind("assets/", 0) == 0;
  if (it == assets.end()) {
    // A file of an older build (a page open across an upgrade) must fail as a file, not
    // load the page in its place.
    if (hashed || path.find('.') != std::string_view::npos) {
      return ErrorResponse(404, "not_found", "no such file: " + req.path);
    }
    it = assets.find("index.html");
    if (it == assets.end()) {
      return ErrorResponse(404, "not_found", "this binary was built without the web page");
    }
    path = "index.html";
  }
  HttpResponse r;
  r.content_type = std::string(ContentType(path));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("ETag", it->second.etag);
  if (hashed) {
    // The name carries the content's hash: a new build has new names.
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else {
    r.headers.emplace_back("Cache-Control", "no-cache");
  }
  if (path == "index.html") {
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' "
                           "'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
  }
  const std::string* inm = req.Header("if-none-match");
  if (inm && *inm == it->second.etag) {
    r.status = 304;
    return r;
  }
  if (req.method == "GET") r.body = std::string(it->second.content);
  return r;
}

}  // namespace cx::api
