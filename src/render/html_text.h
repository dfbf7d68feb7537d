// Text for HTML pages: escaping, shared by every page the hub writes.
#pragma once

#include <string>
#include <string_view>

namespace cx {

// `s` with &, <, > and " written as entities (safe inside elements and quoted attributes).
std::string HtmlEscape(std::string_view s);

}  // namespace cx
