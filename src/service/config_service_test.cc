// Tests of configuration loading: admin override files per file, embedded defaults otherwise.
#include "service/config_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cx {
namespace {

TEST(ConfigServiceTest, OverrideDirectoryWinsPerFileAndErrorsNameTheFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("cxhub-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "calendar.toml") << "zone = \"Europe/London\"\nday_start = \"09:00\"\n"; }
  auto cfg = LoadConfig(dir.string());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->calendar.zone().name(), "Europe/London");
  EXPECT_EQ(cfg->calendar.spec().day_start, 9 * 3600);
  EXPECT_EQ(cfg->journeys_source, "embedded:config/journeys.toml");
  { std::ofstream(dir / "journeys.toml") << "[[journey]]\ndivision = \"Motors\"\n"; }
  auto bad = LoadConfig(dir.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find((dir / "journeys.toml").string() +
                                         ": journey Motors: stages must list"),
            std::string::npos)
      << bad.status().ToString();
  EXPECT_EQ(LoadConfig((dir / "nope").string()).status().code(), Code::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cx
