// End-to-end tests of the journey commands through the real binary: JSON shapes and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

class JourneyCliTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cxhub-journey-cli-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs cxhub with `args` (shell words) against the test database; stderr is discarded.
  CliRun Cx(const std::string& args) {
    std::string cmd = std::string("env -u CXHUB_USER -u CXHUB_CONFIG_DIR ") + CXHUB_BINARY +
                      " --db " + (dir_ / "hub.db").string() + " " + args + " 2>/dev/null";
    CliRun r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
  }

  std::filesystem::path dir_;
};

TEST_F(JourneyCliTest, SlaJsonFollowsTheContractAndRefusalsExitTwo) {
  ASSERT_EQ(Cx("init").code, 0);
  ASSERT_EQ(Cx("user add ade --role sales --division 'Power & Industrial'").code, 0);
  ASSERT_EQ(Cx("account add --name 'Aba Textile Mills' --division 'Power & Industrial'").code, 0);
  CliRun add =
      Cx("opportunity add --account A-000001 --division 'power & industrial' --date '2026-11-20 "
         "16:00' --json");
  ASSERT_EQ(add.code, 0);
  auto opp = nlohmann::json::parse(add.out);
  EXPECT_EQ(opp["owner"], "ade");
  EXPECT_EQ(opp["routing"]["rule"], "default: power sales team");

  CliRun sla = Cx("sla --json --at '2026-11-23 10:30'");
  ASSERT_EQ(sla.code, 0);
  auto j = nlohmann::json::parse(sla.out);
  EXPECT_EQ(j["at"], "2026-11-23T10:30:00");
  ASSERT_EQ(j["items"].size(), 1u);
  const auto& item = j["items"][0];
  EXPECT_EQ(item["kind"], "lead");
  EXPECT_EQ(item["id"], "O-000001");
  EXPECT_EQ(item["division"], "Power & Industrial");
  EXPECT_EQ(item["owner"], "ade");
  EXPECT_EQ(item["state"], "at-risk");
  EXPECT_EQ(item["started"], "2026-11-20T16:00:00");
  EXPECT_EQ(item["due"], "2026-11-23T11:00:00");
  EXPECT_TRUE(item["stopped"].is_null());
  EXPECT_EQ(nlohmann::json::parse(Cx("sla --json --at '2026-11-23 09:00'").out)["items"].size(),
            0u);
  EXPECT_EQ(nlohmann::json::parse(
                Cx("sla --all --json --at '2026-11-23 09:00'").out)["items"][0]["state"],
            "running");
  EXPECT_EQ(Cx("sla --division Plumbing").code, 2);

  EXPECT_EQ(Cx("opportunity move O-000001 --to Proposal").code, 2);  // discovery checklist not done
  EXPECT_EQ(Cx("ownership set A-000001 --owner ade --reason 'cli is no manager'").code, 2);
  CliRun hist = Cx("ownership history A-000001 --json");
  ASSERT_EQ(hist.code, 0);
  EXPECT_TRUE(nlohmann::json::parse(hist.out)["changes"].empty());
  EXPECT_EQ(Cx("config check").code, 0);
}

}  // namespace
