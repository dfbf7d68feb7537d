// Finding records by name: search-as-you-type, search-first probable duplicates,
// and the pairwise rule shared with duplicate clustering.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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
  // A contact's company: its account's id and name (filled by Search; empty for accounts and
  // for contacts without an account).
  std::string account_id;
  std::string account_name;
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

// Edits between two name keys when they are within one typo (two for keys of 16 characters
// or more) and have the same numbers; -1 when further apart or shorter than 5 characters.
int KeyTypos(std::string_view a, std::string_view b);

// Search scores (docs/search.md). A name that is the query (1), or the query with one or two
// typos (kWholeNameOneTypo, kWholeNameTwoTypos), ranks above every word-by-word match, which
// scores at most kWordMatchCap; a phone or email scores as a name word-by-word match of the
// same quality without its name bonus, so a name ranks before another field.
inline constexpr double kWholeNameOneTypo = 0.95;
inline constexpr double kWholeNameTwoTypos = 0.92;
inline constexpr double kWordMatchCap = 0.9;
inline constexpr double kSameField = 0.81;      // the query is the record's phone or email
inline constexpr double kFieldPrefix = 0.6075;  // the record's phone or email starts with it

// How well `query` words match `candidate` words, 0…kWordMatchCap. Mostly how much of the
// query matches (each word weighted by its length): a whole word counts 1, with one typo 0.9,
// with two 0.8, and a word the last query word only begins (search-as-you-type) 0.75, so
// whole words rank before partial ones; then, a tenth, the share of the candidate's words the
// query matched (a tighter name first).
double WordScore(const std::vector<std::string>& query, const std::vector<std::string>& candidate,
                 bool last_is_prefix);

// How well the whole `query` names a record whose match words are `candidate`: 1 when the same
// words (any order), kWholeNameOneTypo / kWholeNameTwoTypos within typos (KeyTypos, on the
// words sorted and as typed), else 0.
double WholeNameScore(const std::vector<std::string>& query,
                      const std::vector<std::string>& candidate);

// Whether two records are probably the same, with score and reason; score 0 when not.
// Contacts need the same account, phone or email in addition to a similar name.
// `a_typed`/`b_typed`, when given, are OrderedKey(k, name) of each, computed once by a
// caller comparing many pairs.
Match PairMatch(NameKind k, const MatchKeys& a, const MatchKeys& b,
                const std::string* a_typed = nullptr, const std::string* b_typed = nullptr);

// Search-as-you-type over accounts and contacts: names (typo-tolerant, word order
// free, last word as prefix), phone numbers and email addresses (whole, or as typed so far).
// Both kinds in one list, best first, at most `limit`; a contact carries its account's id and
// name. Uses the store's name and key indexes; never scans every record.
// `only`, when given, restricts the search to one kind of record.
Result<std::vector<Match>> Search(Tx& tx, const std::string& text, int limit,
                                  std::optional<NameKind> only = std::nullopt);

// Live records that are probably the same as the given one (search-first), best first.
// `exclude_id` is left out (the record itself when editing).
Result<std::vector<Match>> FindProbableDuplicates(Tx& tx, NameKind k, const MatchKeys& record,
                                                  const std::string& exclude_id = "");

}  // namespace cx
