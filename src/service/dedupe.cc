// Duplicate clustering: hash blocking on exact keys and on deletion variants, union-find.
#include "service/dedupe.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "base/text.h"

namespace cx {
namespace {

// Blocks bigger than this are too common to be one entity (e.g. a shared switchboard
// phone); their pairs are not compared.
constexpr size_t kMaxBlock = 50;

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Unite(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

// A blocking entry packed into 64 bits: the key's hash in the high 36 bits, the
// record's index in the low 28. Sorting them brings equal keys together; a rare
// hash collision only costs one extra comparison, which PairMatch then rejects.
constexpr int kIndexBits = 28;
constexpr uint64_t kIndexMask = (uint64_t(1) << kIndexBits) - 1;

uint64_t Pack(uint64_t hash, uint32_t index) { return (hash << kIndexBits) | index; }

constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t Salted(uint64_t salt) { return kFnvOffset ^ (salt * 0x9E3779B97F4A7C15ull); }

uint64_t Hash(std::string_view s, uint64_t salt) {
  // FNV-1a, salted per key kind so that a phone never collides with a name.
  uint64_t h = Salted(salt);
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// Hash of `s` without the bytes [skip, skip_end): one deletion variant, without
// building the string.
uint64_t HashWithout(std::string_view s, size_t skip, size_t skip_end, uint64_t salt) {
  uint64_t h = Salted(salt);
  for (size_t i = 0; i < s.size(); ++i) {
    if (i >= skip && i < skip_end) continue;
    h ^= static_cast<unsigned char>(s[i]);
    h *= kFnvPrime;
  }
  return h;
}

size_t CodePointEnd(std::string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
  return j;
}

// The key itself and every one-code-point deletion of it (as base/text.h's
// DeletionVariants, hashed in place). Keys shorter than 5 bytes match only exactly.
void AddVariants(std::string_view key, uint32_t index, uint64_t salt, std::vector<uint64_t>* out) {
  out->push_back(Pack(Hash(key, salt), index));
  if (key.size() < 5) return;
  for (size_t i = 0; i < key.size(); i = CodePointEnd(key, i)) {
    out->push_back(Pack(HashWithout(key, i, CodePointEnd(key, i), salt), index));
  }
}

}  // namespace

MatchKeys KeysOf(const Account& a) {
  return MatchKeys{a.id, a.name, CompanyKey(a.name), PhoneKey(a.phone), EmailKey(a.email), ""};
}

MatchKeys KeysOf(const Contact& c) {
  return MatchKeys{
      c.id,        c.full_name, PersonKey(c.full_name), PhoneKey(c.phone), EmailKey(c.email),
      c.account_id};
}

Result<std::vector<Cluster>> FindDuplicates(Store& store, NameKind k, DedupeStats* stats) {
  std::vector<MatchKeys> recs;
  CX_RETURN_IF_ERROR(store.Transaction([&](Tx& tx) {
    return tx.ForEachMatchKeys(k, [&](const MatchKeys& m) {
      recs.push_back(m);
      return Status::Ok();
    });
  }));
  if (recs.size() > kIndexMask)
    return Internal("duplicates: too many records to compare in one run");
  // Blocking entries: exact name key, phone, email, and each deletion variant of the name key.
  std::vector<uint64_t> entries;
  entries.reserve(recs.size() * 40);
  std::vector<std::string> typed(recs.size());  // each name's words as typed (OrderedKey)
  for (uint32_t i = 0; i < recs.size(); ++i) {
    const MatchKeys& r = recs[i];
    if (!r.phone_key.empty()) entries.push_back(Pack(Hash(r.phone_key, 2), i));
    if (!r.email_key.empty()) entries.push_back(Pack(Hash(r.email_key, 3), i));
    typed[i] = OrderedKey(k, r.name);
    if (r.name_key.empty()) continue;
    // Two contacts' names count only within one account (PairMatch): a contact's name
    // blocks only with the names of its account, and without an account it does not block.
    uint64_t salt = 1;
    if (k == NameKind::kContact) {
      if (r.account_id.empty()) continue;
      salt = Hash(r.account_id, 4);
    }
    AddVariants(r.name_key, i, salt, &entries);
    // A typo can move a word in the sorted key: block on the name as typed too.
    if (typed[i] != r.name_key) AddVariants(typed[i], i, salt, &entries);
  }
  std::sort(entries.begin(), entries.end());

  // Candidate pairs: records that share a blocking entry (in blocks small enough to
  // be one entity), each pair once.
  std::vector<uint64_t> candidates;
  for (size_t s = 0; s < entries.size();) {
    size_t e = s + 1;
    while (e < entries.size() && (entries[e] >> kIndexBits) == (entries[s] >> kIndexBits)) ++e;
    if (e - s > 1 && e - s <= kMaxBlock) {
      for (size_t x = s; x < e; ++x) {
        for (size_t y = x + 1; y < e; ++y) {
          uint32_t a = uint32_t(entries[x] & kIndexMask), b = uint32_t(entries[y] & kIndexMask);
          if (a != b) candidates.push_back((uint64_t(std::min(a, b)) << 32) | std::max(a, b));
        }
      }
    }
    s = e;
  }
  std::vector<uint64_t>().swap(entries);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  UnionFind uf(recs.size());
  // The link that joined each pair, so that each cluster gets its weakest link and reasons.
  struct Link {
    uint32_t a, b;
    double score;
    std::string why;
  };
  std::vector<Link> links;
  for (uint64_t pair : candidates) {
    uint32_t a = uint32_t(pair >> 32), b = uint32_t(pair & 0xFFFFFFFFu);
    Match m = PairMatch(k, recs[a], recs[b], &typed[a], &typed[b]);
    if (m.score >= kProbableDuplicate) {
      uf.Unite(a, b);
      links.push_back({a, b, m.score, m.why});
    }
  }
  int64_t pairs = int64_t(candidates.size());
  // Gather clusters.
  std::unordered_map<uint32_t, size_t> cluster_of;
  std::vector<Cluster> clusters;
  std::vector<std::vector<uint32_t>> members;
  for (const auto& l : links) {
    uint32_t root = uf.Find(l.a);
    auto [it, fresh] = cluster_of.emplace(root, clusters.size());
    if (fresh) {
      clusters.push_back(Cluster{{}, 1.0, ""});
      members.emplace_back();
    }
    Cluster& c = clusters[it->second];
    c.score = std::min(c.score, l.score);
    size_t start = 0;
    while (start < l.why.size()) {
      size_t end = l.why.find("; ", start);
      if (end == std::string::npos) end = l.why.size();
      std::string r = l.why.substr(start, end - start);
      if (c.why.find(r) == std::string::npos) c.why += (c.why.empty() ? "" : "; ") + r;
      start = end + 2;
    }
    members[it->second].push_back(l.a);
    members[it->second].push_back(l.b);
  }
  for (size_t i = 0; i < clusters.size(); ++i) {
    auto& m = members[i];
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    for (uint32_t idx : m) clusters[i].ids.push_back(recs[idx].id);
    std::sort(clusters[i].ids.begin(), clusters[i].ids.end());
  }
  std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.ids.size() != b.ids.size()) return a.ids.size() > b.ids.size();
    return a.ids < b.ids;
  });
  if (stats) {
    stats->records = int64_t(recs.size());
    stats->pairs_compared = pairs;
  }
  return clusters;
}

}  // namespace cx
