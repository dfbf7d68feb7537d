// Parsing configuration text (TOML) with errors that name the file, line and column.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace cx {

// Parses `text`, read from `source` (a file name for messages). Errors: kInvalid
// "SOURCE:LINE:COLUMN: what is wrong".
Result<toml::table> ParseTomlText(std::string_view text, const std::string& source);

}  // namespace cx
