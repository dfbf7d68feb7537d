// Loading journeys.toml and calendar.toml: admin override files first, embedded defaults otherwise.
#include "service/config_service.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "base/embedded.h"

namespace cx {
namespace {

std::mutex g_mu;
std::shared_ptr<const HubConfig> g_config;
std::optional<std::string> g_dir;

// The text of `name` from `dir` or the embedded default, and where it came from.
Status ReadConfigFile(const std::string& dir, const std::string& name, std::string* text, std::string* source) {
  if (!dir.empty()) {
    std::filesystem::path p = std::filesystem::path(dir) / name;
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) {
      std::ifstream in(p, std::ios::binary);
      if (!in) return Internal(p.string() + ": cannot be read");
      std::ostringstream ss;
      ss << in.rdbuf();
      *text = ss.str();
      *source = p.string();
      return Status::Ok();
    }
  }
  auto embedded = FindEmbedded("config/" + name);
  if (!embedded) return Internal("the binary lacks its default config/" + name + " (build error)");
  *text = std::string(*embedded);
  *source = "embedded:config/" + name;
  return Status::Ok();
}

}  // namespace

std::string ConfigDirFromEnvironment() {
  const char* d = std::getenv("CXHUB_CONFIG_DIR");
  return d ? std::string(d) : std::string();
}

Result<HubConfig> LoadConfig(const std::string& dir) {
  if (!dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return NotFound("configuration directory " + dir + " does not exist");
  }
  HubConfig cfg;
  std::string jtext, ctext;
  CX_RETURN_IF_ERROR(ReadConfigFile(dir, "journeys.toml", &jtext, &cfg.journeys_source));
  CX_RETURN_IF_ERROR(ReadConfigFile(dir, "calendar.toml", &ctext, &cfg.calendar_source));
  auto j = ParseJourneys(jtext, cfg.journeys_source);
  auto c = BusinessCalendar::FromToml(ctext, cfg.calendar_source);
  if (!j.ok() || !c.ok()) {
    Status st = Invalid("the configuration is not valid");
    for (const Status* s : {&j.status(), &c.status()}) {
      if (s->ok()) continue;
      if (s->details().empty()) st.AddDetail(s->message());
      for (const auto& d : s->details()) st.AddDetail(d);
    }
    return st;
  }
  cfg.journeys = std::move(j).value();
  cfg.calendar = std::move(c).value();
  return cfg;
}

Result<std::shared_ptr<const HubConfig>> ActiveConfig() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_config) return g_config;
  CX_ASSIGN_OR_RETURN(HubConfig cfg, LoadConfig(g_dir ? *g_dir : ConfigDirFromEnvironment()));
  g_config = std::make_shared<const HubConfig>(std::move(cfg));
  return g_config;
}

void UseConfigDir(const std::string& dir) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_dir = dir;
  g_config.reset();
}

void UseConfig(HubConfig cfg) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_config = std::make_shared<const HubConfig>(std::move(cfg));
}

}  // namespace cx
