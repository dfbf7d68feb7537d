// Name matching rules and the indexed search behind search-first.
#include "service/match.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "base/text.h"
#include "service/match_score.h"

namespace cx {
namespace {

// Candidate records scored per kind and query; the index query ranks them first.
constexpr int kCandidates = 400;

// Name matches below this are not offered (a stray short word in common).
constexpr double kMinNameScore = 0.25;
// Search-first: name matches at least this good are compared as possible duplicates. A name
// PairMatch can call similar scores above kWordMatchCap (WholeNameScore); the margin keeps
// records whose name differs more for the phone/email rules of PairMatch.
constexpr double kDuplicateCandidate = 0.5;
// Search-first: the best this many name matches are compared as possible duplicates.
constexpr int kDuplicateRanked = 30;
// The fewest records FindByKeys may stop at for one key (the SQLite and PostgreSQL stores read
// at most 200 a key): fewer found means every record with the key was.
constexpr int kExactKeyCap = 200;
// Search-first of a contact reads the other contacts of its account directly when there are at
// most this many (else through the name index, as for any name).
constexpr int kColleagues = 200;
// Phone and email prefixes read at most this many records per kind.
constexpr int kFieldCandidates = 20;
// The people listed for a company the query names: of at most this many companies, this many
// each.
constexpr int kNamedCompanies = 3;
constexpr int kPeopleOfCompany = 20;

void AddReason(std::string* why, const std::string& r) {
  if (why->find(r) != std::string::npos) return;
  if (!why->empty()) *why += "; ";
  *why += r;
}

}  // namespace

std::string OrderedKey(NameKind k, std::string_view name) { return Joined(MatchWords(k, name)); }

const char* KindLabel(NameKind k) { return k == NameKind::kAccount ? "account" : "contact"; }

std::vector<std::string> MatchWords(NameKind k, std::string_view name) {
  return k == NameKind::kAccount ? CompanyWords(name) : Words(name);
}

Match PairMatch(NameKind k, const MatchKeys& a, const MatchKeys& b, const std::string* a_typed,
                const std::string* b_typed) {
  Match m;
  m.kind = k;
  m.id = b.id;
  m.name = b.name;
  bool same_name = !a.name_key.empty() && a.name_key == b.name_key;
  bool same_phone = !a.phone_key.empty() && a.phone_key == b.phone_key;
  bool same_email = !a.email_key.empty() && a.email_key == b.email_key;
  const bool same_account = !a.account_id.empty() && a.account_id == b.account_id;
  // People share names: for contacts a name alone is not enough, so without a shared
  // account, email or phone there is nothing to compare.
  if (k == NameKind::kContact && !same_account && !same_email && !same_phone) return m;
  double name_sim = 0;
  if (!same_name) {
    name_sim = KeySimilarity(a.name_key, b.name_key);
    // A typo in a word's first letter can change the sorted order: compare as typed too.
    if (name_sim == 0) {
      name_sim = KeySimilarity(a_typed ? *a_typed : OrderedKey(k, a.name),
                               b_typed ? *b_typed : OrderedKey(k, b.name));
    }
  }
  bool similar_name = same_name || name_sim > 0;
  if (k == NameKind::kContact) {
    if (same_email) AddReason(&m.why, "same email"), m.score = std::max(m.score, 0.95);
    if (same_phone) AddReason(&m.why, "same phone"), m.score = std::max(m.score, 0.9);
    if (similar_name && (same_account || same_email || same_phone)) {
      AddReason(&m.why, same_name ? "same normalised name" : "similar name");
      if (same_account) AddReason(&m.why, "same account");
      m.score = std::max(m.score, same_name ? 1.0 : name_sim);
    }
    return m;
  }
  if (same_name) AddReason(&m.why, "same normalised name"), m.score = 1.0;
  if (same_email) AddReason(&m.why, "same email"), m.score = std::max(m.score, 0.95);
  if (same_phone) AddReason(&m.why, "same phone"), m.score = std::max(m.score, 0.9);
  if (name_sim > 0) AddReason(&m.why, "similar name"), m.score = std::max(m.score, name_sim);
  return m;
}

namespace {

// A phone number as typed so far, in the form of a phone key (PhoneKey: +234 / 234 become 0),
// or empty when `text` is not the start of one (letters, or fewer than 4 digits).
std::string PhonePrefix(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) return "";
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.compare(0, 4, "2340") == 0)
    digits = digits.substr(3);
  else if (digits.compare(0, 3, "234") == 0)
    digits = "0" + digits.substr(3);
  return digits.size() >= 4 ? digits : "";
}

// An email address as typed so far (one word with a letter, at least 3 characters), lower-cased
// as EmailKey does; else empty.
std::string EmailPrefix(const std::string& text) {
  std::string t(Trim(text));
  if (t.size() < 3 || t.find_first_of(" \t") != std::string::npos) return "";
  bool letter = false;
  for (char& c : t) {
    letter |= std::isalpha(static_cast<unsigned char>(c)) != 0;
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return letter ? t : "";
}

// (kind letter, id) → the record's best match; hashed: a search offers hundreds of candidates,
// and the ranking below orders them itself.
using BestMatches = std::unordered_map<std::string, Match>;
std::string BestKey(NameKind k, std::string_view id) {
  std::string key(1, k == NameKind::kAccount ? 'a' : 'c');
  return key += id;
}

// When the query names a company (its whole name, give or take a typo), its people are what
// one typing it often looks for (the quick-log's Contact box): they are listed too, as a match
// of another field of theirs (kSameField times the company's score), below names that match.
Status AddPeopleOfNamedCompanies(Tx& tx, BestMatches& best) {
  std::vector<const Match*> named;
  for (const auto& [key, m] : best) {
    if (m.kind == NameKind::kAccount && m.why == "name" && m.score > kWordMatchCap)
      named.push_back(&m);
  }
  std::sort(named.begin(), named.end(), [](const Match* a, const Match* b) {
    return a->score != b->score ? a->score > b->score : a->id < b->id;
  });
  if (named.size() > size_t(kNamedCompanies)) named.resize(size_t(kNamedCompanies));
  std::vector<Match> people;
  for (const Match* a : named) {
    CX_ASSIGN_OR_RETURN(auto contacts,
                        tx.ListContacts(ContactFilter{a->id, false, kPeopleOfCompany, 0}));
    for (const auto& c : contacts) {
      people.push_back(Match{NameKind::kContact, c.id, c.full_name, a->score * kSameField,
                             "works at " + a->name, c.account_id, ""});
    }
  }
  for (auto& m : people) {
    auto [it, added] = best.try_emplace(BestKey(m.kind, m.id));
    if (added || it->second.score < m.score) it->second = std::move(m);
  }
  return Status::Ok();
}

// The ranked matches behind Search; `fields` also looks in phones and emails (search-first
// compares those itself, exactly). `name_keys`, when given, receives the keys of the records
// matched by name, so that search-first does not read them a second time.
Result<std::vector<Match>> Rank(Tx& tx, const std::string& text, int limit,
                                std::optional<NameKind> only, bool fields,
                                std::map<std::string, MatchKeys>* name_keys = nullptr) {
  BestMatches best;
  best.reserve(size_t(4 * kCandidates));
  // `r`: a record's MatchKeys, or its MatchKeyView.
  auto offer = [&](NameKind k, const auto& r, double score, const char* why) {
    auto [it, added] = best.try_emplace(BestKey(k, r.id));
    if (added || it->second.score < score) {
      it->second = Match{
          k, std::string(r.id), std::string(r.name), score, why, std::string(r.account_id), ""};
    }
  };
  std::string phone = PhoneKey(text);
  std::string email = EmailKey(text);
  std::string phone_prefix = PhonePrefix(text);
  std::string email_prefix = EmailPrefix(text);
  bool looks_like_phone = !phone.empty() && !phone_prefix.empty();
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    if (only && *only != k) continue;
    if (fields && (looks_like_phone || !email.empty())) {
      CX_ASSIGN_OR_RETURN(auto rows, tx.FindByKeys(k, "", looks_like_phone ? phone : "", email));
      for (const auto& r : rows)
        offer(k, r, kSameField, email.empty() ? "same phone" : "same email");
    }
    if (fields && !phone_prefix.empty()) {
      CX_ASSIGN_OR_RETURN(auto rows,
                          tx.FindByKeyPrefix(k, KeyField::kPhone, phone_prefix, kFieldCandidates));
      for (const auto& r : rows) offer(k, r, kFieldPrefix, "phone starts so");
    }
    if (fields && !email_prefix.empty()) {
      CX_ASSIGN_OR_RETURN(auto rows,
                          tx.FindByKeyPrefix(k, KeyField::kEmail, email_prefix, kFieldCandidates));
      for (const auto& r : rows) offer(k, r, kFieldPrefix, "email starts so");
    }
    std::vector<std::string> query = MatchWords(k, text);
    if (query.empty()) continue;
    // Expand each query word into the index words it may mean, and note how many records use them.
    struct Expanded {
      std::vector<IndexedWord> words;
      int64_t records = 0;
    };
    std::vector<Expanded> expanded(query.size());
    for (size_t i = 0; i < query.size(); ++i) {
      const std::string& q = query[i];
      CX_ASSIGN_OR_RETURN(auto near, tx.WordsByVariants(k, DeletionVariants(q)));
      for (auto& w : near) {
        if (OneWord(q, w.word, false) > 0) expanded[i].words.push_back(w);
      }
      if (i + 1 == query.size() && q.size() >= 2) {
        CX_ASSIGN_OR_RETURN(auto pre, tx.WordsByPrefix(k, q, 20));
        for (auto& w : pre) expanded[i].words.push_back(w);
      }
      for (const auto& w : expanded[i].words) expanded[i].records += w.records;
    }
    // Candidates: records with words of the two rarest query words (both, when
    // there are enough of those), read from the postings of those words only.
    std::vector<size_t> order;
    for (size_t i = 0; i < query.size(); ++i) {
      if (!expanded[i].words.empty()) order.push_back(i);
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return expanded[a].records < expanded[b].records; });
    if (order.size() > 2) order.resize(2);
    std::vector<std::vector<std::string>> groups;
    for (size_t i : order) {
      std::vector<std::string> g;
      for (const auto& w : expanded[i].words) g.push_back(w.word);
      groups.push_back(std::move(g));
    }
    // The candidates in id order (GetMatchKeys then needs no reordering), distinct.
    std::vector<std::string> ids;
    if (groups.size() == 1) {
      CX_ASSIGN_OR_RETURN(ids, tx.IdsByWordGroups(k, groups, 1, kCandidates));
      if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    } else if (groups.size() == 2) {
      // One of the two words may be mistyped beyond recognition: when fewer than a quarter of
      // kCandidates records are under both, take those under either (the first kCandidates / 2,
      // those under both first).
      CX_ASSIGN_OR_RETURN(ids, tx.IdsByTwoGroups(k, {std::move(groups[0]), std::move(groups[1])},
                                                 kCandidates, kCandidates / 4, kCandidates / 2));
    }
    // Views into one buffer: copying each candidate's keys into strings of their own was a
    // good part of reading them from the cache.
    MatchKeyViews candidates;
    CX_RETURN_IF_ERROR(tx.GetMatchKeyViews(k, ids, &candidates));
    const std::vector<MatchKeyView>& keys = candidates.keys;
    const ScoreQuery scoring(query);
    struct Scored {
      double score;
      const MatchKeyView* keys;
    };
    // The final order of a kind's name matches: score, name, id.
    const auto name_order = [](const Scored& a, const Scored& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.keys->name != b.keys->name) return a.keys->name < b.keys->name;
      return a.keys->id < b.keys->id;
    };
    const size_t listed = size_t(std::max(limit, 0));
    // A name can matter only when fewer than `listed` names of its kind certainly rank before
    // it (more can only be listed before it: another offer only raises a score), or, for an
    // account when the people of the companies named are listed, fewer than kNamedCompanies
    // certainly score more (they are chosen by score, then id).
    const bool names_companies = fields && !only && k == NameKind::kAccount;
    const size_t needed = names_companies ? std::max(listed, size_t(kNamedCompanies)) : listed;
    NameBar bar(needed);
    std::vector<Scored> scored;
    scored.reserve(keys.size());
    // A name's score depends on its text and name key alone, and people share names (the 400
    // contacts "okaf" reads have some 40): each name is scored once, the others reuse it when
    // their name key is the same too.
    ScoreBuffers buffers;
    std::unordered_map<std::string_view, std::pair<const MatchKeyView*, double>> by_name;
    by_name.reserve(keys.size());
    for (const auto& r : keys) {
      auto [seen, added] = by_name.try_emplace(r.name, &r, 0.0);
      double s = seen->second.second;
      if (added || seen->second.first->name_key != r.name_key) {
        s = ScoreName(k, scoring, r.name, r.name_key, bar.Score(), &buffers);
        // A name skipped (below the bar) stays so: the bar only rises.
        if (added) seen->second.second = s;
      }
      if (s < kMinNameScore) continue;
      scored.push_back({s, &r});
      bar.Add(s);
      if (name_keys) name_keys->emplace(std::string(r.id), r.ToKeys());
    }
    // Only the first `limit` name matches of the kind (in the final order: score, name, id) can
    // be listed: another offer can only raise a record's score, so any of the others has at
    // least `limit` of its kind before it. They are not offered (most of a common word's
    // hundreds of candidates), except, for accounts, the first kNamedCompanies by score and id
    // of the whole-name matches, among which the people of the companies named are chosen.
    // Those are all at the bar or above it (the best `needed` scores are).
    if (const double least = bar.Score(); least > 0) {
      scored.erase(std::remove_if(scored.begin(), scored.end(),
                                  [least](const Scored& x) { return x.score < least; }),
                   scored.end());
    }
    if (scored.size() > listed) {
      std::nth_element(scored.begin(), scored.begin() + std::ptrdiff_t(listed), scored.end(),
                       name_order);
    }
    for (size_t i = 0; i < scored.size() && i < listed; ++i)
      offer(k, *scored[i].keys, scored[i].score, "name");
    if (names_companies && scored.size() > listed) {
      const auto named = std::partition(scored.begin() + std::ptrdiff_t(listed), scored.end(),
                                        [](const Scored& s) { return s.score > kWordMatchCap; });
      const auto by_score_id = [](const Scored& a, const Scored& b) {
        return a.score != b.score ? a.score > b.score : a.keys->id < b.keys->id;
      };
      const auto first = scored.begin() + std::ptrdiff_t(listed);
      const auto end = first + std::min(named - first, std::ptrdiff_t(kNamedCompanies));
      std::partial_sort(first, end, named, by_score_id);
      for (auto it = first; it != end; ++it) offer(k, *it->keys, it->score, "name");
    }
  }
  if (fields && !only) CX_RETURN_IF_ERROR(AddPeopleOfNamedCompanies(tx, best));
  std::vector<Match> out;
  out.reserve(best.size());
  for (auto& [key, m] : best) out.push_back(std::move(m));
  // Both kinds in one order: by score, then by name and id; records of equal score take turns
  // by kind, so that a crowd of one kind never hides the other.
  const auto before = [](const Match& a, const Match& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.name != b.name) return a.name < b.name;
    if (a.id != b.id) return a.id < b.id;
    return a.kind < b.kind;
  };
  // Taking turns keeps each kind's records in that order, so only the first `limit` of each
  // kind can be listed: the others (most of a common word's hundreds of candidates) are
  // dropped unsorted.
  const auto keep = std::ptrdiff_t(std::max(limit, 0));
  const auto accounts =
      std::partition(out.begin(), out.end(),
                     [](const Match& m) { return m.kind == NameKind::kAccount; }) -
      out.begin();
  if (std::ptrdiff_t(out.size()) - accounts > keep) {
    std::partial_sort(out.begin() + accounts, out.begin() + accounts + keep, out.end(), before);
    out.resize(size_t(accounts + keep));
  }
  if (accounts > keep) {
    std::partial_sort(out.begin(), out.begin() + keep, out.begin() + accounts, before);
    out.erase(out.begin() + keep, out.begin() + accounts);
  }
  std::sort(out.begin(), out.end(), before);
  std::vector<Match> ranked;
  ranked.reserve(out.size());
  for (size_t run = 0; run < out.size();) {
    size_t end = run;
    while (end < out.size() && out[end].score == out[run].score) ++end;
    std::vector<Match*> kinds[2];
    for (size_t i = run; i < end; ++i)
      kinds[out[i].kind == out[run].kind ? 0 : 1].push_back(&out[i]);
    for (size_t i = 0; i < kinds[0].size() || i < kinds[1].size(); ++i) {
      for (auto& list : kinds) {
        if (i < list.size()) ranked.push_back(std::move(*list[i]));
      }
    }
    run = end;
  }
  if (int(ranked.size()) > limit) ranked.resize(size_t(std::max(limit, 0)));
  return ranked;
}

}  // namespace

Result<std::vector<Match>> Search(Tx& tx, const std::string& text, int limit,
                                  std::optional<NameKind> only) {
  CX_ASSIGN_OR_RETURN(auto out, Rank(tx, text, limit, only, true));
  // Name each contact's company: read once per account among the results.
  std::vector<std::string> accounts;
  for (const auto& m : out) {
    if (m.kind == NameKind::kContact && !m.account_id.empty()) accounts.push_back(m.account_id);
  }
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  CX_ASSIGN_OR_RETURN(auto names, tx.GetMatchKeys(NameKind::kAccount, accounts));
  std::map<std::string, std::string> name_of;
  for (auto& a : names) name_of[a.id] = std::move(a.name);
  for (auto& m : out) {
    if (auto it = name_of.find(m.account_id); it != name_of.end()) m.account_name = it->second;
  }
  return out;
}

namespace {

// Whether the name index can add a probable duplicate of `record` to those its exact keys found
// (`exact_found` records, FindByKeys). For an account it can (a name with a typo). A contact is
// one only of a contact that shares its account, email or phone (PairMatch): the index's
// candidates sharing an email or phone are all among the exact ones when no key's look-up
// reached its cap, so it matters only when a contact of the same account is itself a probable
// duplicate; those are few, and read directly. Imports bring contacts with common names, which
// the index finds by the thousand, nearly never at the same company: this skips that reading
// with the same verdicts (docs/search.md, "Search-first").
Result<bool> NameIndexMayAdd(Tx& tx, NameKind k, const MatchKeys& record, size_t exact_found,
                             const std::string& exclude_id) {
  if (k != NameKind::kContact || exact_found >= size_t(kExactKeyCap)) return true;
  if (record.account_id.empty()) return false;
  CX_ASSIGN_OR_RETURN(auto people,
                      tx.ListContacts(ContactFilter{record.account_id, true, kColleagues + 1, 0}));
  if (people.size() > size_t(kColleagues)) return true;
  std::vector<std::string> ids;
  for (const auto& c : people) {
    if (c.id != exclude_id && c.id != record.id) ids.push_back(c.id);
  }
  CX_ASSIGN_OR_RETURN(auto keys, tx.GetMatchKeys(k, ids));
  for (const auto& other : keys) {
    if (PairMatch(k, record, other).score >= kProbableDuplicate) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<Match>> FindProbableDuplicates(Tx& tx, NameKind k, const MatchKeys& record,
                                                  const std::string& exclude_id) {
  std::map<std::string, Match> found;
  auto consider = [&](const MatchKeys& other) {
    if (other.id == exclude_id || other.id == record.id) return;
    Match m = PairMatch(k, record, other);
    if (m.score >= kProbableDuplicate) found[m.id] = m;
  };
  CX_ASSIGN_OR_RETURN(auto exact,
                      tx.FindByKeys(k, record.name_key, record.phone_key, record.email_key));
  for (const auto& r : exact) consider(r);
  CX_ASSIGN_OR_RETURN(bool read_index, NameIndexMayAdd(tx, k, record, exact.size(), exclude_id));
  // Typos: candidates through the name index.
  if (read_index) {
    std::map<std::string, MatchKeys> keys;
    CX_ASSIGN_OR_RETURN(auto near, Rank(tx, record.name, kDuplicateRanked, k, false, &keys));
    for (const auto& m : near) {
      auto it = keys.find(m.id);
      if (m.kind == k && m.score >= kDuplicateCandidate && it != keys.end()) consider(it->second);
    }
  }
  std::vector<Match> out;
  for (auto& [id, m] : found) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return out;
}

}  // namespace cx
