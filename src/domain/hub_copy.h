// The rows of a hub as `move-store` copies them between stores (docs/operations.md, "Moving a
// hub"): tables named as the schema names them, values typed the way both backends can hold.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cx {

// What a column holds, as both backends can keep it: whole numbers (flags and times included),
// doubles, text, bytes.
enum class CopyType { kInt, kReal, kText, kBlob };

// "integer", "real", "text", "blob": for messages.
inline const char* CopyTypeName(CopyType t) {
  switch (t) {
    case CopyType::kInt:
      return "integer";
    case CopyType::kReal:
      return "real";
    case CopyType::kText:
      return "text";
    case CopyType::kBlob:
      return "blob";
  }
  return "?";
}

struct CopyColumn {
  std::string name;
  CopyType type = CopyType::kText;
};

// One table a move copies.
struct CopyTable {
  std::string name;
  std::vector<CopyColumn> columns;  // in the table's own order
  // The primary key's columns in key order; empty for a table without one (its rows are then
  // ordered by every column).
  std::vector<std::string> key;
  // The tables this one references (foreign keys), itself excluded.
  std::vector<std::string> references;
};

// One value: NULL, a whole number, a double, or text/bytes (as the column's type says).
using CopyValue = std::variant<std::monostate, int64_t, double, std::string>;
using CopyRow = std::vector<CopyValue>;

}  // namespace cx
