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

struct Entry {
  uint64_t hash;
  uint32_t index;
  bool operator<(const Entry& o) const { return hash != o.hash ? hash < o.hash : index < o.index; }
};

uint64_t Hash(std::string_view s, uint64_t salt) {
  // FNV-1a, salted per key kind so that a phone never collides with a name.
  uint64_t h = 1469598103934665603ull ^ (salt * 0x9E3779B97F4A7C15ull);
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
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
  // Blocking entries: exact name key, phone, email, and each deletion variant of the name key.
  std::vector<Entry> entries;
  entries.reserve(recs.size() * 4);
  for (uint32_t i = 0; i < recs.size(); ++i) {
    const MatchKeys& r = recs[i];
    if (!r.phone_key.empty()) entries.push_back({Hash(r.phone_key, 2), i});
    if (!r.email_key.empty()) entries.push_back({Hash(r.email_key, 3), i});
    if (r.name_key.size() >= 5) {
      for (const auto& v : DeletionVariants(r.name_key)) entries.push_back({Hash(v, 1), i});
      std::string ordered = OrderedKey(k, r.name);
      if (ordered != r.name_key) {
        for (const auto& v : DeletionVariants(ordered)) entries.push_back({Hash(v, 1), i});
      }
    } else if (!r.name_key.empty()) {
      entries.push_back({Hash(r.name_key, 1), i});
    }
  }
  std::sort(entries.begin(), entries.end());

  UnionFind uf(recs.size());
  // Best link per joined pair, so that each cluster gets its weakest link and reasons.
  struct Link {
    uint32_t a, b;
    double score;
    std::string why;
  };
  std::vector<Link> links;
  std::unordered_map<uint64_t, bool> compared;
  int64_t pairs = 0;
  for (size_t s = 0; s < entries.size();) {
    size_t e = s + 1;
    while (e < entries.size() && entries[e].hash == entries[s].hash) ++e;
    size_t n = e - s;
    if (n > 1 && n <= kMaxBlock) {
      for (size_t x = s; x < e; ++x) {
        for (size_t y = x + 1; y < e; ++y) {
          uint32_t a = entries[x].index, b = entries[y].index;
          if (a == b) continue;
          uint64_t pair_key = (uint64_t(std::min(a, b)) << 32) | std::max(a, b);
          if (!compared.emplace(pair_key, true).second) continue;
          ++pairs;
          Match m = PairMatch(k, recs[a], recs[b]);
          if (m.score >= kProbableDuplicate) {
            uf.Unite(a, b);
            links.push_back({a, b, m.score, m.why});
          }
        }
      }
    }
    s = e;
  }
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
