// Who a "logged by" or "owner" text names, for the lead response time: shared by the fact-reading
// path (sqlite_tx_kpi.cc) and the kpi_funnel aggregate (sqlite_tx_kpi_funnel.cc) so both match
// owners to loggers the same way.
#pragma once

#include <cctype>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "store/sqlite/db.h"

namespace cx::sqlite {

// A person's key: a user's login when the text is that user's login or name (without case or
// outer spaces), else the text itself so normalised. The first user read wins a clash (users in
// table order). Not thread-safe; lives for one transaction.
class KpiPeople {
 public:
  // Reads every user of `db`.
  Status Load(Db* db) {
    alias_.clear();
    auto stmt = db->Prepare("SELECT login, name FROM users");
    if (!stmt.ok()) return stmt.status();
    Stmt* u = *stmt;
    while (u->Step()) {
      std::string login = Norm(u->TextView(0));
      alias_.emplace(login, login);
      alias_.emplace(Norm(u->TextView(1)), login);
    }
    Status st = u->status();
    u->Reset();
    return st;
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

}  // namespace cx::sqlite
