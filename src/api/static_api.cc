// Serving the embedded web page (web/dist) from `/`, beside the API; text files go out
// gzipped to a client that accepts it (compressed once, at the first request).
#include <zlib.h>

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
  std::string gzip;  // the content gzipped, or empty when that would not make it smaller
  std::string gzip_etag;
};

// `in` as a gzip stream at the highest level, or "" when zlib fails.
std::string Gzip(std::string_view in) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const bool done = deflate(&z, Z_FINISH) == Z_STREAM_END;
  out.resize(z.total_out);
  deflateEnd(&z);
  return done ? out : "";
}

bool Compressible(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type.find("json") != std::string_view::npos ||
         type.find("svg") != std::string_view::npos;
}

// The assets by path, with their entity tags and gzipped copies (made once: the files never
// change while the binary runs). Each encoding has its own tag, as a cache keys them apart.
const std::map<std::string_view, Asset>& Assets() {
  static const std::map<std::string_view, Asset> assets = [] {
    std::map<std::string_view, Asset> out;
    for (const auto& f : WebAssets()) {
      Sha256 h;
      h.Update(f.content.data(), f.content.size());
      auto d = h.HexDigest();
      std::string tag = d.ok() ? d->substr(0, 32) : std::string("0");
      Asset a{f.content, "\"" + tag + "\"", "", ""};
      if (Compressible(ContentType(f.path))) {
        a.gzip = Gzip(f.content);
        if (a.gzip.size() >= f.content.size()) a.gzip.clear();
        if (!a.gzip.empty()) a.gzip_etag = "\"" + tag + "-gz\"";
      }
      out[f.path] = std::move(a);
    }
    return out;
  }();
  return assets;
}

// Whether Accept-Encoding names gzip (or *) without q=0.
bool AcceptsGzip(const std::string* header) {
  if (!header) return false;
  std::string_view rest = *header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    std::string params = semi == std::string_view::npos ? "" : std::string(item.substr(semi + 1));
    std::erase(params, ' ');
    // q=0, q=0.0, q=0.00 … refuse it; any other weight accepts it.
    bool refused =
        params.rfind("q=0", 0) == 0 && params.find_first_not_of("0.", 2) == std::string::npos;
    return !refused;
  }
  return false;
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
  const Asset& a = it->second;
  const bool gzip = !a.gzip.empty() && AcceptsGzip(req.Header("accept-encoding"));
  const std::string& etag = gzip ? a.gzip_etag : a.etag;
  HttpResponse r;
  r.content_type = std::string(ContentType(path));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("ETag", etag);
  if (!a.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
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
  if (inm && *inm == etag) {
    r.status = 304;
    return r;
  }
  // The server adds Content-Length from the body: the gzipped length when gzipped.
  if (req.method == "GET") r.body = gzip ? a.gzip : std::string(a.content);
  return r;
}

}  // namespace cx::api
