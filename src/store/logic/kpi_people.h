// Who a "logged by" or "owner" text names, for the lead response time (docs/kpi.md): the one rule
// that the facts and the funnel aggregate, in every backend, match owners to loggers by.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cx {

// A person's key: a user's login when the text is that user's login or name (without case or
// outer spaces), else the text itself so normalised. The first user added wins a clash (add
// users in the store's order). Not thread-safe; lives for one transaction.
class KpiPeople {
 public:
  // Adds a user of the hub.
  void AddUser(std::string_view login, std::string_view name) {
    std::string key = Norm(login);
    alias_.emplace(key, key);
    alias_.emplace(Norm(name), key);
  }
  // The person `text` names ("" when it is blank).
  std::string Of(std::string_view text) const {
    std::string n = Norm(text);
    auto it = alias_.find(n);
    return it == alias_.end() ? n : it->second;
  }
  // ASCII lower case without outer spaces, tabs and line breaks.
  static std::string Norm(std::string_view s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos) return "";
    size_t b = s.find_last_not_of(" \t\r\n");
    std::string out(s.substr(a, b - a + 1));
    for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

 private:
  std::unordered_map<std::string, std::string> alias_;
};

}  // namespace cx
