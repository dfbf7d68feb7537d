// Test helper: a connection of the test's own to the hub's SQLite file, for what no Tx method
// does (deleting facts, raw writes, reading an aggregate's tables). Use it only between the
// store's transactions.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cx::testing {

class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
  }
  // The rows of a query, each row's columns joined by '|' (NULL as "NULL").
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    if (!s) return out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        if (c) row += '|';
        const unsigned char* t = sqlite3_column_text(s, c);
        row += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out.push_back(row);
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(s);
    return out;
  }
  // How many schema objects of `type` ("index", "trigger") have a name LIKE `pattern`.
  int64_t SchemaCount(const std::string& type, const std::string& pattern) {
    return Int("SELECT count(*) FROM sqlite_master WHERE type = '" + type + "' AND name LIKE '" +
               pattern + "'");
  }
  // Whether another connection holds the write lock (a transaction of its own cannot begin).
  // Used to catch a writer in the middle of its work; false when the file cannot be opened.
  static bool WriteLockHeld(const std::string& path) {
    sqlite3* probe = nullptr;
    bool held = false;
    if (sqlite3_open_v2(path.c_str(), &probe, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      const int rc = sqlite3_exec(probe, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) sqlite3_exec(probe, "ROLLBACK", nullptr, nullptr, nullptr);
      held = rc == SQLITE_BUSY;
    }
    sqlite3_close(probe);
    return held;
  }
  // The single integer a query gives (-1, and a failure, when it gives no single row).
  int64_t Int(const std::string& sql) {
    auto rows = Rows(sql);
    EXPECT_EQ(rows.size(), 1u) << sql;
    return rows.empty() ? -1 : std::stoll(rows[0]);
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace cx::testing
