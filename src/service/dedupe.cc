// Duplicate clustering: hash blocking on exact keys and on deletion variants, union-find.
#include "service/dedupe.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
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
constexpr int kHashBits = 64 - kIndexBits;
constexpr uint64_t kIndexMask = (uint64_t(1) << kIndexBits) - 1;

// `hash` has kHashBits bits.
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

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// The hashes of the key itself and of every one-code-point deletion of it (as base/text.h's
// DeletionVariants, hashed in place), cut to kHashBits. Keys shorter than 5 bytes match only
// exactly. Digits are never deleted: names whose numbers differ are never fuzzy matches
// (KeySimilarity), so such a variant could only find pairs that are then rejected.
void AddVariants(std::string_view key, uint64_t salt, std::vector<uint64_t>* out) {
  out->push_back(Hash(key, salt) >> (64 - kHashBits));
  if (key.size() < 5 || key.size() > kMaxVariantBytes) return;
  for (size_t i = 0; i < key.size(); i = CodePointEnd(key, i)) {
    if (IsDigit(static_cast<unsigned char>(key[i]))) continue;
    out->push_back(HashWithout(key, i, CodePointEnd(key, i), salt) >> (64 - kHashBits));
  }
}

// The blocks a record is filed under: its phone, its email, and each deletion variant of its
// name key and of its name as typed (`typed`, OrderedKey). Sorted, each once. The salts keep
// names, phones and emails, and accounts and contacts, apart.
std::vector<uint64_t> BlockingHashes(NameKind k, const MatchKeys& r, const std::string& typed) {
  const uint64_t kind_salt = k == NameKind::kContact ? 0x100 : 0;
  std::vector<uint64_t> out;
  if (!r.phone_key.empty()) out.push_back(Hash(r.phone_key, 2 + kind_salt) >> (64 - kHashBits));
  if (!r.email_key.empty()) out.push_back(Hash(r.email_key, 3 + kind_salt) >> (64 - kHashBits));
  // Two contacts' names count only within one account (PairMatch): a contact's name blocks
  // only with the names of its account, and without an account it does not block.
  if (!r.name_key.empty() && (k == NameKind::kAccount || !r.account_id.empty())) {
    const uint64_t salt = k == NameKind::kContact ? Hash(r.account_id, 4) : 1;
    AddVariants(r.name_key, salt, &out);
    // A typo can move a word in the sorted key: block on the name as typed too.
    if (typed != r.name_key) AddVariants(typed, salt, &out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The clusters the probable-duplicate pairs join, best first. Each cluster gets its weakest
// link's score and the reasons of its links (in the order of the pairs' ids).
std::vector<Cluster> ClustersOf(std::vector<DupPair> pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const DupPair& x, const DupPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  std::unordered_map<std::string, uint32_t> index;
  std::vector<const std::string*> names;
  auto number = [&](const std::string& id) {
    auto [it, fresh] = index.emplace(id, uint32_t(names.size()));
    if (fresh) names.push_back(&it->first);
    return it->second;
  };
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  ends.reserve(pairs.size());
  for (const auto& p : pairs) ends.emplace_back(number(p.a), number(p.b));
  UnionFind uf(names.size());
  for (const auto& [a, b] : ends) uf.Unite(a, b);
  std::unordered_map<uint32_t, size_t> cluster_of;
  std::vector<Cluster> clusters;
  std::vector<std::vector<uint32_t>> members;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const DupPair& l = pairs[i];
    auto [it, fresh] = cluster_of.emplace(uf.Find(ends[i].first), clusters.size());
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
    members[it->second].push_back(ends[i].first);
    members[it->second].push_back(ends[i].second);
  }
  for (size_t i = 0; i < clusters.size(); ++i) {
    auto& m = members[i];
    std::sort(m.begin(), m.end());
    m.erase(std::unique(m.begin(), m.end()), m.end());
    for (uint32_t idx : m) clusters[i].ids.push_back(*names[idx]);
    std::sort(clusters[i].ids.begin(), clusters[i].ids.end());
  }
  std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.ids.size() != b.ids.size()) return a.ids.size() > b.ids.size();
    return a.ids < b.ids;
  });
  return clusters;
}

// The pair of two records when they are probable duplicates (a < b).
std::optional<DupPair> Compare(NameKind k, const MatchKeys& x, const MatchKeys& y,
                               const std::string& x_typed, const std::string& y_typed) {
  const bool x_first = x.id < y.id;
  const MatchKeys& a = x_first ? x : y;
  const MatchKeys& b = x_first ? y : x;
  Match m = PairMatch(k, a, b, x_first ? &x_typed : &y_typed, x_first ? &y_typed : &x_typed);
  if (m.score < kProbableDuplicate) return std::nullopt;
  return DupPair{a.id, b.id, m.score, m.why};
}

// Every live record of kind `k` with its blocks, and the probable-duplicate pairs among them:
// records sharing a block (of at most kMaxBlock records) are compared, never all pairs.
struct Scan {
  std::vector<std::string> ids;
  std::vector<uint64_t> hashes;  // record i's are hashes[offsets[i]] … hashes[offsets[i + 1] - 1]
  std::vector<size_t> offsets{0};
  std::vector<DupPair> pairs;
  int64_t compared = 0;
};

Result<Scan> ScanAll(Tx& tx, NameKind k) {
  Scan scan;
  std::vector<MatchKeys> recs;
  std::vector<std::string> typed;  // each name's words as typed (OrderedKey)
  CX_RETURN_IF_ERROR(tx.ForEachMatchKeys(k, [&](const MatchKeys& m) {
    typed.push_back(OrderedKey(k, m.name));
    std::vector<uint64_t> mine = BlockingHashes(k, m, typed.back());
    scan.hashes.insert(scan.hashes.end(), mine.begin(), mine.end());
    scan.offsets.push_back(scan.hashes.size());
    recs.push_back(m);
    return Status::Ok();
  }));
  if (recs.size() > kIndexMask)
    return Internal("duplicates: too many records to compare in one run");
  // Blocking entries (hash, record) packed so that one sort brings each block together.
  std::vector<uint64_t> entries;
  entries.reserve(scan.hashes.size());
  for (uint32_t i = 0; i < recs.size(); ++i) {
    for (size_t j = scan.offsets[i]; j < scan.offsets[i + 1]; ++j)
      entries.push_back(Pack(scan.hashes[j], i));
  }
  std::sort(entries.begin(), entries.end());
  // Candidate pairs: records that share a block small enough to be one entity, each pair once.
  std::vector<uint64_t> candidates;
  for (size_t s = 0; s < entries.size();) {
    size_t e = s + 1;
    while (e < entries.size() && (entries[e] >> kIndexBits) == (entries[s] >> kIndexBits)) ++e;
    if (e - s > 1 && e - s <= kMaxBlock) {
      for (size_t x = s; x < e; ++x) {
        for (size_t y = x + 1; y < e; ++y) {
          uint32_t a = uint32_t(entries[x] & kIndexMask), b = uint32_t(entries[y] & kIndexMask);
          candidates.push_back((uint64_t(std::min(a, b)) << 32) | std::max(a, b));
        }
      }
    }
    s = e;
  }
  std::vector<uint64_t>().swap(entries);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (uint64_t pair : candidates) {
    uint32_t a = uint32_t(pair >> 32), b = uint32_t(pair & 0xFFFFFFFFu);
    if (auto p = Compare(k, recs[a], recs[b], typed[a], typed[b])) scan.pairs.push_back(*p);
  }
  scan.compared = int64_t(candidates.size());
  scan.ids.reserve(recs.size());
  for (auto& r : recs) scan.ids.push_back(std::move(r.id));
  return scan;
}

// Brings the duplicate index of kind `k` up to date: rebuilt from a full scan when stale or
// when many records changed, else only the changed records are re-filed and the pairs of every
// record whose blocks changed are compared again (see docs/store.md, "Duplicate detection").
Status Refresh(Tx& tx, NameKind k, DedupeStats* stats) {
  CX_ASSIGN_OR_RETURN(DupIndexInfo info, tx.GetDupIndexInfo(k));
  std::vector<std::string> dirty;
  if (!info.stale) {
    CX_ASSIGN_OR_RETURN(dirty, tx.DupDirtyIds(k));
    if (dirty.empty()) return Status::Ok();
  }
  if (info.stale || (dirty.size() > 1000 && int64_t(dirty.size()) * 10 > info.records)) {
    CX_ASSIGN_OR_RETURN(Scan scan, ScanAll(tx, k));
    if (stats) stats->pairs_compared = scan.compared;
    return tx.RebuildDupIndex(k, scan.ids, scan.hashes, scan.offsets, scan.pairs);
  }
  // Re-file the changed records; note by how many records each block grew or shrank.
  std::map<std::string, std::vector<uint64_t>> filed;  // changed live records' new hashes
  std::map<std::string, MatchKeys> keys;
  CX_ASSIGN_OR_RETURN(auto live, tx.GetLiveMatchKeys(k, dirty));
  for (auto& m : live) keys.emplace(m.id, std::move(m));
  std::map<std::string, std::string> typed;
  std::map<uint64_t, int64_t> grew;
  CX_ASSIGN_OR_RETURN(auto filed_before, tx.DupHashes(k, dirty));
  std::vector<DupFiling> filings;
  filings.reserve(dirty.size());
  for (size_t i = 0; i < dirty.size(); ++i) {
    const std::string& id = dirty[i];
    const auto& old = filed_before[i];
    std::optional<std::vector<uint64_t>> now;
    auto key = keys.find(id);
    if (key != keys.end()) {
      const std::string& t = typed.emplace(id, OrderedKey(k, key->second.name)).first->second;
      now = BlockingHashes(k, key->second, t);
      filed[id] = *now;
    }
    const std::vector<uint64_t> none;
    const auto& before = old ? *old : none;
    const auto& after = now ? *now : none;
    for (uint64_t h : before) {
      if (!std::binary_search(after.begin(), after.end(), h)) --grew[h];
    }
    for (uint64_t h : after) {
      if (!std::binary_search(before.begin(), before.end(), h)) ++grew[h];
    }
    filings.push_back(DupFiling{id, std::move(now)});
  }
  CX_RETURN_IF_ERROR(tx.FileDupRecords(k, filings));
  // The records to compare again: the changed ones, and every member of a block that crossed
  // the size limit (its pairs appear or disappear). A block that stayed comparable keeps the
  // pairs of its unchanged members; their pairs with the changed ones are compared below.
  // Each block is read once, in hash order (neighbouring blocks share pages): `blocks` keeps
  // the members of those read, all of them or more than kMaxBlock.
  std::unordered_map<uint64_t, std::vector<std::string>> blocks;
  std::set<std::string> touched(dirty.begin(), dirty.end());
  // Read in one go per limit (a block may hold `delta` more records than before: few limits).
  std::map<int, std::vector<uint64_t>> by_limit;
  for (const auto& [h, delta] : grew) {
    if (delta != 0) by_limit[int(kMaxBlock) + 1 + int(std::max<int64_t>(delta, 0))].push_back(h);
  }
  for (const auto& [limit, changed] : by_limit) {
    CX_ASSIGN_OR_RETURN(auto read, tx.DupBlocks(k, changed, limit));
    for (size_t i = 0; i < changed.size(); ++i) {
      const uint64_t h = changed[i];
      const int64_t delta = grew.at(h);
      auto& members = read[i];
      const int64_t after = int64_t(members.size());
      auto& kept = blocks[h] = std::move(members);
      if (after >= limit) continue;  // more than kMaxBlock records before and after
      const bool comparable_before = after - delta <= int64_t(kMaxBlock);
      const bool comparable_after = after <= int64_t(kMaxBlock);
      if (comparable_before != comparable_after) touched.insert(kept.begin(), kept.end());
    }
  }
  // Their candidates: the members of their blocks that are small enough to compare.
  std::vector<std::pair<const std::string*, std::vector<uint64_t>>> hashes_of;
  std::vector<uint64_t> unread;
  std::vector<std::string> unchanged;  // touched, not changed: their hashes as filed
  for (const auto& id : touched) {
    if (!filed.count(id) && !keys.count(id)) unchanged.push_back(id);
  }
  CX_ASSIGN_OR_RETURN(auto stored, tx.DupHashes(k, unchanged));
  size_t next_stored = 0;
  for (const auto& id : touched) {
    std::vector<uint64_t> hashes;
    if (auto f = filed.find(id); f != filed.end()) {
      hashes = f->second;
    } else if (!keys.count(id)) {
      auto& mine = stored[next_stored++];
      if (!mine) continue;  // deleted or merged
      hashes = std::move(*mine);
    }
    for (uint64_t h : hashes) {
      if (!blocks.count(h)) unread.push_back(h);
    }
    hashes_of.emplace_back(&id, std::move(hashes));
  }
  std::sort(unread.begin(), unread.end());
  unread.erase(std::unique(unread.begin(), unread.end()), unread.end());
  CX_ASSIGN_OR_RETURN(auto more_blocks, tx.DupBlocks(k, unread, int(kMaxBlock) + 1));
  for (size_t i = 0; i < unread.size(); ++i) blocks[unread[i]] = std::move(more_blocks[i]);
  std::set<std::pair<std::string, std::string>> candidates;
  for (const auto& [id, hashes] : hashes_of) {
    for (uint64_t h : hashes) {
      const auto& members = blocks.at(h);
      if (members.size() < 2 || members.size() > kMaxBlock) continue;
      for (auto& other : members) {
        if (other != *id) candidates.emplace(std::min(*id, other), std::max(*id, other));
      }
    }
  }
  std::vector<std::string> need;
  for (const auto& [a, b] : candidates) {
    for (const std::string* id : {&a, &b}) {
      if (!keys.count(*id)) need.push_back(*id);
    }
  }
  std::sort(need.begin(), need.end());
  need.erase(std::unique(need.begin(), need.end()), need.end());
  CX_ASSIGN_OR_RETURN(auto more, tx.GetLiveMatchKeys(k, need));
  for (auto& m : more) keys.emplace(m.id, std::move(m));
  auto typed_of = [&](const std::string& id) -> const std::string& {
    auto it = typed.find(id);
    if (it == typed.end()) it = typed.emplace(id, OrderedKey(k, keys.at(id).name)).first;
    return it->second;
  };
  std::vector<DupPair> pairs;
  for (const auto& [a, b] : candidates) {
    if (!keys.count(a) || !keys.count(b))
      return Internal("duplicate index: " + a + " or " + b + " is filed but not live");
    if (auto p = Compare(k, keys.at(a), keys.at(b), typed_of(a), typed_of(b))) pairs.push_back(*p);
  }
  if (stats) stats->pairs_compared = int64_t(candidates.size());
  return tx.ReplaceDupPairs(k, std::vector<std::string>(touched.begin(), touched.end()), pairs);
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
  std::vector<DupPair> pairs;
  int64_t records = 0;
  // The index is brought up to date when the hub can be written. During a bulk load (or on a
  // read-only hub) an index that is behind is not read: the records are compared afresh.
  CX_RETURN_IF_ERROR(store.ReadFresh([&](Tx& tx) -> Status {
    if (tx.Writable()) {
      CX_RETURN_IF_ERROR(Refresh(tx, k, stats));
    } else {
      CX_ASSIGN_OR_RETURN(DupIndexInfo behind, tx.GetDupIndexInfo(k));
      CX_ASSIGN_OR_RETURN(auto dirty, tx.DupDirtyIds(k));
      if (behind.stale || !dirty.empty()) {
        CX_ASSIGN_OR_RETURN(Scan scan, ScanAll(tx, k));
        if (stats) stats->pairs_compared = scan.compared;
        records = int64_t(scan.ids.size());
        pairs = std::move(scan.pairs);
        return Status::Ok();
      }
    }
    CX_ASSIGN_OR_RETURN(DupIndexInfo info, tx.GetDupIndexInfo(k));
    records = info.records;
    CX_ASSIGN_OR_RETURN(pairs, tx.DupPairs(k));
    return Status::Ok();
  }));
  if (stats) stats->records = records;
  return ClustersOf(std::move(pairs));
}

Result<std::vector<Cluster>> ScanDuplicates(Store& store, NameKind k, DedupeStats* stats) {
  Scan scan;
  CX_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(scan, ScanAll(tx, k));
    return Status::Ok();
  }));
  if (stats) {
    stats->records = int64_t(scan.ids.size());
    stats->pairs_compared = scan.compared;
  }
  return ClustersOf(std::move(scan.pairs));
}

}  // namespace cx
