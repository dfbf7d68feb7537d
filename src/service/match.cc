// Name matching rules and the indexed search behind search-first.
#include "service/match.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"

namespace cx {
namespace {

// Candidate records scored per kind and query; the index query ranks them first.
constexpr int kCandidates = 400;

bool StartsWith(const std::string& s, const std::string& p) {
  return s.compare(0, p.size(), p) == 0;
}

int MaxTypos(const std::string& w) {
  size_t n = w.size();
  if (n >= 8) return 2;
  if (n >= 4) return 1;
  return 0;
}

double OneWord(const std::string& q, const std::string& c, bool prefix_ok) {
  if (q == c) return 1.0;
  if (prefix_ok && q.size() >= 2 && StartsWith(c, q)) return 0.9;
  int max = std::min(MaxTypos(q), MaxTypos(c));
  if (max == 0) return 0;
  int d = EditDistance(q, c, max);
  if (d <= 1) return 0.85;
  if (d <= max) return 0.7;
  return 0;
}

// The digits of a key, in order.
std::string Digits(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

void AddReason(std::string* why, const std::string& r) {
  if (why->find(r) != std::string::npos) return;
  if (!why->empty()) *why += "; ";
  *why += r;
}

}  // namespace

std::string OrderedKey(NameKind k, std::string_view name) {
  std::string out;
  for (const auto& w : MatchWords(k, name)) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

double KeySimilarity(const std::string& a, const std::string& b) {
  if (a.size() < 5 || b.size() < 5) return 0;
  // Names that differ in their numbers name different things ("Branch 12", "Branch 13"): only a
  // shared phone or email makes those duplicates.
  if (Digits(a) != Digits(b)) return 0;
  size_t longer = std::max(a.size(), b.size());
  int max = longer >= 16 ? 2 : 1;
  int d = EditDistance(a, b, max);
  if (d > max) return 0;
  return std::max(1.0 - double(d) / double(longer), kProbableDuplicate);
}

const char* KindLabel(NameKind k) { return k == NameKind::kAccount ? "account" : "contact"; }

std::vector<std::string> MatchWords(NameKind k, std::string_view name) {
  return k == NameKind::kAccount ? CompanyWords(name) : Words(name);
}

double WordScore(const std::vector<std::string>& query, const std::vector<std::string>& candidate,
                 bool last_is_prefix) {
  if (query.empty() || candidate.empty()) return 0;
  double sum = 0;
  std::vector<bool> used(candidate.size(), false);
  for (size_t i = 0; i < query.size(); ++i) {
    bool prefix_ok = last_is_prefix && i + 1 == query.size();
    double best = 0;
    size_t best_j = 0;
    for (size_t j = 0; j < candidate.size(); ++j) {
      double s = OneWord(query[i], candidate[j], prefix_ok);
      if (s > best || (s == best && s > 0 && used[best_j] && !used[j])) {
        best = s;
        best_j = j;
      }
    }
    if (best > 0) used[best_j] = true;
    sum += best;
  }
  double coverage = sum / double(query.size());
  double matched = double(std::count(used.begin(), used.end(), true)) / double(candidate.size());
  return 0.75 * coverage + 0.25 * matched;
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

Result<std::vector<Match>> Search(Tx& tx, const std::string& text, int limit,
                                  std::optional<NameKind> only) {
  std::map<std::pair<int, std::string>, Match> best;  // (kind, id) → best match
  auto offer = [&](Match m) {
    auto key = std::make_pair(int(m.kind), m.id);
    auto it = best.find(key);
    if (it == best.end() || it->second.score < m.score) best[key] = std::move(m);
  };
  std::string phone = PhoneKey(text);
  std::string email = EmailKey(text);
  bool looks_like_phone =
      !phone.empty() && text.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;
  for (NameKind k : {NameKind::kAccount, NameKind::kContact}) {
    if (only && *only != k) continue;
    if (looks_like_phone || !email.empty()) {
      CX_ASSIGN_OR_RETURN(auto rows, tx.FindByKeys(k, "", looks_like_phone ? phone : "", email));
      for (const auto& r : rows)
        offer({k, r.id, r.name, 1.0, email.empty() ? "same phone" : "same email"});
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
    std::set<std::string> ids;
    if (!groups.empty()) {
      CX_ASSIGN_OR_RETURN(auto both,
                          tx.IdsByWordGroups(k, groups, int(groups.size()), kCandidates));
      ids.insert(both.begin(), both.end());
      if (groups.size() > 1 && int(ids.size()) < kCandidates / 4) {
        // One of the two words may be mistyped beyond recognition: take either.
        CX_ASSIGN_OR_RETURN(auto either, tx.IdsByWordGroups(k, groups, 1, kCandidates / 2));
        ids.insert(either.begin(), either.end());
      }
    }
    CX_ASSIGN_OR_RETURN(auto keys,
                        tx.GetMatchKeys(k, std::vector<std::string>(ids.begin(), ids.end())));
    for (const auto& r : keys) {
      double s = WordScore(query, MatchWords(k, r.name), true);
      if (s >= 0.3) offer({k, r.id, r.name, s, "name"});
    }
  }
  std::vector<Match> out;
  for (auto& [key, m] : best) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.name.size() != b.name.size()) return a.name.size() < b.name.size();
    return a.id < b.id;
  });
  if (int(out.size()) > limit) out.resize(size_t(limit));
  return out;
}

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
  // Typos: candidates through the name index.
  CX_ASSIGN_OR_RETURN(auto near, Search(tx, record.name, 30, k));
  std::vector<std::string> ids;
  for (const auto& m : near) {
    if (m.kind == k && m.score >= 0.6) ids.push_back(m.id);
  }
  CX_ASSIGN_OR_RETURN(auto keys, tx.GetMatchKeys(k, ids));
  for (const auto& r : keys) consider(r);
  std::vector<Match> out;
  for (auto& [id, m] : found) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return out;
}

}  // namespace cx
