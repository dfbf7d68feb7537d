// The web page's built files (web/dist), compiled into the binary by cmake/embed_web.cmake,
// and their serving from `/`.
#pragma once

#include <optional>
#include <vector>

#include "api/server.h"
#include "base/embedded.h"

namespace cx::api {

// Every file of web/dist, sorted by path relative to it ("index.html", "assets/…").
const std::vector<EmbeddedFile>& WebAssets();

// The page's answer to a GET or HEAD outside /api/ and /healthz: the file at that path, or
// index.html for any other path (the page routes itself), or 404 for a missing file under
// /assets/. Hashed files under /assets/ are cached for a year (immutable); the others are
// revalidated (no-cache) and answer 304 to a matching If-None-Match. nullopt: not the
// page's request (an API path, another method).
std::optional<HttpResponse> ServePage(const HttpRequest& req);

}  // namespace cx::api
