// The shared cache of match keys (match_key_cache.h).
#include "store/sqlite/match_key_cache.h"

#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>

namespace cx::sqlite {

size_t MatchKeyCache::CapFromEnv() {
  const char* v = std::getenv("CXHUB_MATCH_KEY_CACHE");
  if (!v || !*v) return kDefaultCap;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  return end && *end == '\0' && v[0] != '-' ? size_t(n) : kDefaultCap;
}

std::shared_ptr<MatchKeyCache> MatchKeyCache::ForFile(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<MatchKeyCache>> caches;
  std::lock_guard<std::mutex> lock(mu);
  // Those whose stores are all closed are let go.
  for (auto it = caches.begin(); it != caches.end();)
    it = it->second.expired() ? caches.erase(it) : std::next(it);
  std::shared_ptr<MatchKeyCache> c = caches[path].lock();
  if (!c) {
    c = std::make_shared<MatchKeyCache>(CapFromEnv());
    caches[path] = c;
  }
  return c;
}

void MatchKeyCache::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  FlushLocked();
}

void MatchKeyCache::FlushLocked() {
  // Raised under the lock: a Put of the old generation either came before (and is cleared
  // here) or sees the new one and is dropped.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (auto& m : maps_) Map().swap(m);
}

uint64_t MatchKeyCache::AtVersion(int64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (version != version_) {
    FlushLocked();
    version_ = version;
  }
  return generation_.load(std::memory_order_acquire);
}

MatchKeyCache::Entry MatchKeyCache::Pack(const MatchKeys& k) {
  Entry e;
  const std::string* parts[] = {&k.name, &k.name_key, &k.phone_key, &k.email_key};
  size_t n = k.account_id.size();
  for (const auto* p : parts) n += p->size();
  e.text.reserve(n);
  for (size_t i = 0; i < 4; ++i) {
    e.len[i] = uint16_t(parts[i]->size());
    e.text += *parts[i];
  }
  e.text += k.account_id;
  return e;
}

MatchKeys MatchKeyCache::Unpack(std::string_view id, const Entry& e) {
  MatchKeys k;
  k.id = id;
  std::string_view t = e.text;
  std::string* parts[] = {&k.name, &k.name_key, &k.phone_key, &k.email_key};
  for (size_t i = 0; i < 4; ++i) {
    *parts[i] = t.substr(0, e.len[i]);
    t.remove_prefix(e.len[i]);
  }
  k.account_id = t;
  return k;
}

void MatchKeyCache::Get(int kind, const std::vector<std::string>& ids, uint64_t gen,
                        std::vector<MatchKeys>* found, std::vector<bool>* hit) {
  found->assign(ids.size(), MatchKeys{});
  hit->assign(ids.size(), false);
  std::lock_guard<std::mutex> lock(mu_);
  if (generation_.load(std::memory_order_relaxed) != gen) return;
  const Map& m = maps_[kind & 1];
  if (m.empty()) return;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = m.find(std::string_view(ids[i]));
    if (it == m.end()) continue;
    (*found)[i] = Unpack(it->first, it->second);
    (*hit)[i] = true;
  }
}

void MatchKeyCache::Put(int kind, const std::vector<const MatchKeys*>& keys, uint64_t gen) {
  if (keys.empty() || cap_ == 0) return;
  // Packed before the lock is taken: the lock is held for the map's work only. A key too long
  // for its 16-bit length is not kept (read again each time).
  std::vector<std::optional<Entry>> packed;
  packed.reserve(keys.size());
  for (const auto* k : keys) {
    const bool fits = k->name.size() < 0xffff && k->name_key.size() < 0xffff &&
                      k->phone_key.size() < 0xffff && k->email_key.size() < 0xffff;
    packed.push_back(fits ? std::optional<Entry>(Pack(*k)) : std::nullopt);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (generation_.load(std::memory_order_relaxed) != gen) return;
  Map& m = maps_[kind & 1];
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!packed[i]) continue;
    if (maps_[0].size() + maps_[1].size() >= cap_) DropHalf();
    m.insert_or_assign(keys[i]->id, std::move(*packed[i]));
  }
}

void MatchKeyCache::DropHalf() {
  // Every other entry of each map in its own (hash) order: about a random half, which keeps
  // the cache's entries spread over the whole hub, in one pass without bookkeeping per read.
  for (auto& m : maps_) {
    bool drop = true;
    for (auto it = m.begin(); it != m.end(); drop = !drop) it = drop ? m.erase(it) : std::next(it);
  }
}

size_t MatchKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return maps_[0].size() + maps_[1].size();
}

}  // namespace cx::sqlite
