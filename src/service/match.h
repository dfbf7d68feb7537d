// Finding records by name: search-as-you-type, search-first probable duplicates,
// and the pairwise rule shared with duplicate clustering.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace cx {

// A record that matches a query or a new record.
struct Match {
  NameKind kind = NameKind::kAccount;
  std::string id;
  std::string name;
  double score = 0;  // 0…1, 1 = the same after normalisation
  std::string why;   // e.g. "same normalised name", "same phone", "similar name"
};

// Scores at or above this are probable duplicates.
inline constexpr double kProbableDuplicate = 0.85;

// "account" / "contact".
const char* KindLabel(NameKind k);

// The words a name contributes to matching (company suffixes dropped for accounts).
std::vector<std::string> MatchWords(NameKind k, std::string_view name);

// The match words joined in the order typed (CompanyKey/PersonKey sort them).
std::string OrderedKey(NameKind k, std::string_view name);
// Similarity of two name keys when they are within one typo (two for long keys),
// at least kProbableDuplicate; 0 when further apart, too short to judge, or when their
// numbers differ (a typo never turns "Branch 12" into "Branch 13").
double KeySimilarity(const std::string& a, const std::string& b);

// How well `query` words cover `candidate` words: exact words, a prefix of the
// last query word (search-as-you-type) and words within one or two typos count.
double WordScore(const std::vector<std::string>& query, const std::vector<std::string>& candidate,
                 bool last_is_prefix);

// Whether two records are probably the same, with score and reason; score 0 when not.
// Contacts need the same account, phone or email in addition to a similar name.
// `a_typed`/`b_typed`, when given, are OrderedKey(k, name) of each, computed once by a
// caller comparing many pairs.
Match PairMatch(NameKind k, const MatchKeys& a, const MatchKeys& b,
                const std::string* a_typed = nullptr, const std::string* b_typed = nullptr);

// Search-as-you-type over accounts and contacts: names (typo-tolerant, word order
// free, last word as prefix), phone numbers and email addresses. Best first.
// Uses the store's name index; never scans every record.
// `only`, when given, restricts the search to one kind of record.
Result<std::vector<Match>> Search(Tx& tx, const std::string& text, int limit,
                                  std::optional<NameKind> only = std::nullopt);

// Live records that are probably the same as the given one (search-first), best first.
// `exclude_id` is left out (the record itself when editing).
Result<std::vector<Match>> FindProbableDuplicates(Tx& tx, NameKind k, const MatchKeys& record,
                                                  const std::string& exclude_id = "");

}  // namespace cx
