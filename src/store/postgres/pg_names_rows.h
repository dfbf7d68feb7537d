// The name index's and the duplicate index's helpers on PostgreSQL: array parameters (many
// values in one statement, read with unnest) and the match keys of accounts and contacts.
// Shared by pg-data's area files (pg_tx_names.cc, pg_tx_name_search.cc, pg_tx_duplicate.cc).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/entity.h"
#include "domain/match_keys.h"
#include "store/postgres/pg_db.h"
#include "store/postgres/pg_tx.h"

namespace cx::pgnames {

// Writes the name index entries `tx` holds back (pg_tx_names.cc), unless SearchOnlyFlushedNames
// was called: every read of the name index calls it first.
Status FlushNamesForRead(PgTx& tx);
// A first load of accounts or contacts into an empty table was announced (ExpectBulkLoad): if
// the name index holds nothing at all when its first entries are written, its keys go off until
// the commit or the first read of the index (pg_tx_names.cc, DeferKeys).
void MayDeferNameKeys(PgTx& tx);

// The kind's number in the name and duplicate indexes (0 accounts, 1 contacts).
inline int KindCode(NameKind k) { return k == NameKind::kAccount ? 0 : 1; }

// A text[] literal of `values` ('{"a","b"}'), every element quoted, for a `$n::text[]` parameter.
inline std::string TextArray(const std::vector<std::string_view>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}
inline std::string TextArray(const std::vector<std::string>& values) {
  return TextArray(std::vector<std::string_view>(values.begin(), values.end()));
}

// A bigint[] or integer[] literal ('{1,2}').
inline std::string IntArray(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

// The numbers of a bigint[] as PostgreSQL writes it ('{1,2}'). Errors: kInternal.
inline Result<std::vector<int64_t>> ParseIntArray(std::string_view text) {
  std::vector<int64_t> out;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}')
    return Internal("duplicate index: a record's hashes are damaged");
  text = text.substr(1, text.size() - 2);
  while (!text.empty()) {
    const size_t end = std::min(text.find(','), text.size());
    const std::string n(text.substr(0, end));
    char* stop = nullptr;
    const long long v = std::strtoll(n.c_str(), &stop, 10);
    if (n.empty() || *stop != '\0')
      return Internal("duplicate index: a record's hashes are damaged");
    out.push_back(v);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

// The columns of MatchKeys from the table of `k` aliased `t`: id, name, name key, phone key,
// email key, account ("" for accounts).
inline std::string MatchCols(NameKind k) {
  return k == NameKind::kAccount ? "t.id, t.name, t.name_key, t.phone_key, t.email_key, ''"
                                 : "t.id, t.full_name, t.name_key, t.phone_key, t.email_key, "
                                   "COALESCE(t.account_id, '')";
}
inline const char* MatchTable(NameKind k) {
  return k == NameKind::kAccount ? "accounts" : "contacts";
}
// "SELECT <MatchCols> FROM <table> t".
inline std::string MatchSelect(NameKind k) {
  return "SELECT " + MatchCols(k) + " FROM " + MatchTable(k) + " t";
}

inline MatchKeys ReadKeys(const pg::Rows& r) {
  return MatchKeys{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

}  // namespace cx::pgnames
