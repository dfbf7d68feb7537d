// Closed vocabularies and their tolerant matching.
#include "domain/division.h"

#include <array>

#include "base/text.h"

namespace cx {
namespace {

constexpr std::array<std::string_view, 5> kDivisions = {"Motors", "Power & Industrial", "Medical",
                                                        "GRAS", "Cube 65"};
constexpr std::array<std::string_view, 4> kAccountTypes = {"customer", "prospect", "distributor",
                                                           "target-distributor"};
constexpr std::array<std::string_view, 8> kChannels = {"phone",   "email",   "whatsapp", "visit",
                                                       "meeting", "walk-in", "web",      "other"};
constexpr std::array<std::string_view, 4> kCaseKinds = {"after-sales", "quality-flag", "complaint",
                                                        "service-job"};
constexpr std::array<std::string_view, 5> kFeedbackKinds = {"nps", "csat", "review", "emotion",
                                                            "hub"};
constexpr std::array<std::string_view, 6> kRoles = {"sales",   "service", "steward",
                                                    "manager", "admin",   "erp"};
constexpr std::array<std::string_view, 3> kOutcomes = {"open", "won", "lost"};

// Lower case, without spaces, hyphens and underscores: "Walk-in" and "walk in" are "walkin".
std::string Squash(std::string_view s) {
  std::string out;
  for (char c : TrimView(s)) {
    if (c == ' ' || c == '-' || c == '_') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c);
  }
  return out;
}

// Whether `text` squashes to `key`, without making the squashed text.
bool SquashesTo(std::string_view text, std::string_view key) {
  size_t k = 0;
  for (char c : TrimView(text)) {
    if (c == ' ' || c == '-' || c == '_') continue;
    if (k == key.size() || (c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c) != key[k]) return false;
    ++k;
  }
  return k == key.size();
}

}  // namespace

std::span<const std::string_view> Divisions() { return kDivisions; }
std::span<const std::string_view> AccountTypes() { return kAccountTypes; }
std::span<const std::string_view> Channels() { return kChannels; }
std::span<const std::string_view> CaseKinds() { return kCaseKinds; }
std::span<const std::string_view> FeedbackKinds() { return kFeedbackKinds; }
std::span<const std::string_view> Roles() { return kRoles; }
std::span<const std::string_view> Outcomes() { return kOutcomes; }

std::optional<std::string> CanonicalIn(std::string_view text,
                                       std::span<const std::string_view> allowed) {
  const std::string key = Squash(text);
  for (auto a : allowed) {
    if (SquashesTo(a, key)) return std::string(a);
  }
  return std::nullopt;
}

std::optional<std::string> CanonicalDivision(std::string_view text) {
  const std::string key = Squash(text);
  // "Power and Industrial", "P&I" and "Cube65" are common spellings.
  if (key == "powerandindustrial" || key == "p&i" || key == "power") return "Power & Industrial";
  if (key == "gras" || key == "grasrestaurant") return "GRAS";
  if (key == "cube65" || key == "cube65clinic") return "Cube 65";
  for (auto a : kDivisions) {
    if (SquashesTo(a, key)) return std::string(a);
  }
  return std::nullopt;
}

std::string JoinForMessage(std::span<const std::string_view> items) {
  std::string out;
  for (auto i : items) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out;
}

}  // namespace cx
