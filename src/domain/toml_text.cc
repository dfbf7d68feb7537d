// TOML parsing with file:line:column errors (toml++ throws; this is its edge).
#include "domain/toml_text.h"

namespace cx {

Result<toml::table> ParseTomlText(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Invalid(source + ":" + std::to_string(e.source().begin.line) + ":" +
                   std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
}

}  // namespace cx
