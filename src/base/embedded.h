// Files compiled into the binary (migrations, default configuration).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace cx {

struct EmbeddedFile {
  std::string_view path;  // relative to the source tree, e.g. "config/journeys.toml"
  std::string_view content;
};

// Every embedded file, sorted by path. Generated at build time by cmake/embed.cmake.
const std::vector<EmbeddedFile>& EmbeddedFiles();

// The content of one embedded file, or nullopt.
inline std::optional<std::string_view> FindEmbedded(std::string_view path) {
  for (const auto& f : EmbeddedFiles()) {
    if (f.path == path) return f.content;
  }
  return std::nullopt;
}

}  // namespace cx
