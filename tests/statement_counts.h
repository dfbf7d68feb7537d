// Counting the statements the SQLite store runs, for tests of what a load costs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "store/sqlite/db.h"

namespace cx::testing {

// Runs of every statement, by its SQL, while it lives (it is the process's one statement
// observer meanwhile).
class StatementCounts {
 public:
  StatementCounts()
      : observer_([this](const sqlite::StatementRun& r) {
          std::lock_guard<std::mutex> lock(mu_);
          ++runs_[std::string(r.sql)];
        }) {
    sqlite::SetStatementObserver(&observer_);
  }
  ~StatementCounts() { sqlite::SetStatementObserver(nullptr); }
  StatementCounts(const StatementCounts&) = delete;
  StatementCounts& operator=(const StatementCounts&) = delete;

  // Runs of the statements whose SQL starts with `start` and contains `part`.
  int64_t Runs(const std::string& start, const std::string& part = "") {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t n = 0;
    for (const auto& [sql, count] : runs_)
      if (sql.rfind(start, 0) == 0 && sql.find(part) != std::string::npos) n += count;
    return n;
  }

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> runs_;
  sqlite::StatementObserver observer_;
};

}  // namespace cx::testing
