// Small named values of the hub.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cx {

// Small named values (watermarks, versions, where an aggregate stands).
class SettingStore {
 public:
  virtual ~SettingStore() = default;

  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
};

}  // namespace cx
