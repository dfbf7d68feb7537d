// The name index's rows in SQLite (migration 0018): each word's records in blocks of ids, and the
// match keys of accounts and contacts. Shared by the files of SqliteTx that write and read them.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "store/logic/name_plan.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx::sqlite {

inline const char* KindName(NameKind k) { return k == NameKind::kAccount ? "account" : "contact"; }
inline const char* Table(NameKind k) { return k == NameKind::kAccount ? "accounts" : "contacts"; }
inline const char* NameCol(NameKind k) { return k == NameKind::kAccount ? "name" : "full_name"; }
inline std::string AccountCol(NameKind k) {
  return k == NameKind::kAccount ? "''" : "COALESCE(account_id, '')";
}

inline std::vector<std::string> Unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Sorts `ids` (a word's postings come in id order: then there is nothing to do) and drops
// repeats.
template <typename Id>
inline void SortedUnique(std::vector<Id>* ids) {
  if (!std::is_sorted(ids->begin(), ids->end())) std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

inline std::string MatchSelect(NameKind k) {
  return std::string("SELECT id, ") + NameCol(k) + ", name_key, phone_key, email_key, " +
         AccountCol(k) + " FROM " + Table(k);
}

// MatchSelect reading by id from the index that holds the keys (0049_match_keys_cover.sql), with
// no look-up of the table's row: a search reads hundreds of candidates by id.
inline std::string MatchSelectById(NameKind k) {
  return MatchSelect(k) + " INDEXED BY " +
         (k == NameKind::kAccount ? "accounts_match" : "contacts_match");
}

inline MatchKeys ReadKeys(const Stmt& s) {
  return MatchKeys{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)};
}

inline Status CollectKeys(Stmt* s, std::vector<MatchKeys>* out) {
  while (s->Step()) out->push_back(ReadKeys(*s));
  Status st = s->status();
  s->Reset();
  return st;
}

// The name index keeps each word's records in blocks: one row of name_postings holds up to
// kBlockIds ids of one word (about kBlockBytes of text at most), in id order, joined by
// kIdSep, under the word and the block's first id (migration 0018). A first load writes a
// row per block, not per entry: a million names of three words each are a million rows, not
// four (three million entries and a million vocabulary rows), and a word's count of records is
// the sum of its blocks'. A change rewrites one block of at most kBlockIds ids.
inline constexpr char kIdSep = '\x1f';
inline constexpr size_t kBlockIds = 64;
inline constexpr size_t kBlockBytes = 768;
inline constexpr size_t kRows = 128;  // rows per multi-row INSERT

inline void SplitIds(std::string_view text, std::vector<std::string>* out) {
  out->clear();
  while (!text.empty()) {
    const size_t end = std::min(text.find(kIdSep), text.size());
    out->emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
}

}  // namespace cx::sqlite
