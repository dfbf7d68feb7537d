// The hub's configuration: journeys and business calendar, shipped defaults or an admin's override files.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/calendar.h"
#include "domain/journey.h"

namespace cx {

struct HubConfig {
  JourneyConfig journeys;
  BusinessCalendar calendar = BusinessCalendar::Default();
  std::string journeys_source;  // a file path, or "embedded:config/journeys.toml"
  std::string calendar_source;
};

// Loads the configuration. For each of journeys.toml and calendar.toml: the file
// in `dir` when `dir` is not empty and holds it, else the default embedded in the
// binary. Errors: kInvalid listing every problem of both files (file, place, key);
// kNotFound when `dir` is given but is not a directory.
Result<HubConfig> LoadConfig(const std::string& dir);

// The directory of the admin's override files: $CXHUB_CONFIG_DIR, or "" (defaults only).
std::string ConfigDirFromEnvironment();

// The configuration services use, loaded once from ConfigDirFromEnvironment()
// (or the directory given to UseConfigDir) and cached. Thread-safe.
// Errors: those of LoadConfig.
Result<std::shared_ptr<const HubConfig>> ActiveConfig();
// Makes ActiveConfig load from `dir` next time (used by --config and tests).
void UseConfigDir(const std::string& dir);
// Makes ActiveConfig return `cfg` (tests, embedding applications).
void UseConfig(HubConfig cfg);

}  // namespace cx
