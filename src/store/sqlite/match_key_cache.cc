// The shared cache of match keys (match_key_cache.h).
#include "store/sqlite/match_key_cache.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <map>

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
  std::unique_lock<std::shared_mutex> lock(mu_);
  FlushLocked();
}

void MatchKeyCache::FlushLocked() {
  // Raised under the lock: a Put of the old generation either came before (and is cleared
  // here) or sees the new one and is dropped.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (auto& t : tables_) t = Table();
  DropIndexLocked();
}

void MatchKeyCache::DropIndexLocked() {
  for (auto& p : postings_) p.clear();
  for (auto& f : facts_) f.clear();
  postings_bytes_ = 0;
}

bool MatchKeyCache::GetIndexFact(int kind, const std::string& key, uint64_t gen,
                                 std::string* value) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (gen != generation_.load(std::memory_order_acquire)) return false;
  const auto& m = facts_[kind & 1];
  const auto it = m.find(key);
  if (it == m.end()) return false;
  *value = it->second;
  return true;
}

void MatchKeyCache::PutIndexFact(int kind, const std::string& key, std::string value,
                                 uint64_t gen) {
  if (cap_ == 0) return;
  const size_t bytes = key.size() + value.size() + 64;
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (gen != generation_.load(std::memory_order_acquire)) return;
  auto& m = facts_[kind & 1];
  if (m.count(key)) return;
  if (postings_bytes_ + bytes > kPostingsCapBytes) DropIndexLocked();
  postings_bytes_ += bytes;
  m.emplace(key, std::move(value));
}

std::shared_ptr<const WordPostings> MatchKeyCache::GetPostings(int kind, const std::string& word,
                                                               uint64_t gen) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (gen != generation_.load(std::memory_order_acquire)) return nullptr;
  const auto& m = postings_[kind & 1];
  const auto it = m.find(word);
  return it == m.end() ? nullptr : it->second;
}

void MatchKeyCache::PutPostings(int kind, const std::string& word,
                                std::shared_ptr<const WordPostings> p, uint64_t gen) {
  if (cap_ == 0 || !p) return;
  const size_t bytes = p->bytes() + word.size();
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (gen != generation_.load(std::memory_order_acquire)) return;
  auto& m = postings_[kind & 1];
  auto it = m.find(word);
  if (it != m.end()) {
    const WordPostings& had = *it->second;
    if (had.blocks() > p->blocks() || (had.blocks() == p->blocks() && had.done >= p->done)) return;
    postings_bytes_ -= std::min(postings_bytes_, had.bytes() + word.size());
  }
  if (postings_bytes_ + bytes > kPostingsCapBytes) {
    DropIndexLocked();
    if (bytes > kPostingsCapBytes) return;
  }
  postings_bytes_ += bytes;
  postings_[kind & 1][word] = std::move(p);
}

size_t MatchKeyCache::postings_bytes() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return postings_bytes_;
}

uint64_t MatchKeyCache::AtVersion(int64_t version) {
  {
    // Nearly always the version the cache holds: readers do not queue behind each other here.
    std::shared_lock<std::shared_mutex> lock(mu_);
    if (version == version_) return generation_.load(std::memory_order_acquire);
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (version != version_) {
    FlushLocked();
    version_ = version;
  }
  return generation_.load(std::memory_order_acquire);
}

void MatchKeyCache::Unpack(const Slot& s, MatchKeys* k) {
  std::string_view t(s.text.get(), s.size);
  std::string* parts[] = {&k->id, &k->name, &k->name_key, &k->phone_key, &k->email_key};
  for (size_t i = 0; i < 5; ++i) {
    parts[i]->assign(t.data(), s.len[i]);
    t.remove_prefix(s.len[i]);
  }
  k->account_id.assign(t.data(), t.size());
}

void MatchKeyCache::Grow(Table* t, size_t slots) {
  std::vector<Slot> old;
  old.swap(t->slots);
  t->slots.resize(slots);
  t->used = 0;
  for (auto& s : old)
    if (s.text) Insert(t, s.hash, std::move(s.text), s.len, s.size);
}

void MatchKeyCache::Insert(Table* t, uint64_t hash, std::unique_ptr<char[]> text,
                           const uint16_t* len, uint16_t size) {
  if (2 * (t->used + 1) > t->slots.size()) Grow(t, std::max<size_t>(1024, 2 * t->slots.size()));
  const size_t mask = t->slots.size() - 1;
  const std::string_view id(text.get(), len[0]);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = t->slots[i];
    if (s.text && !(s.hash == hash && s.Id() == id)) continue;
    if (!s.text) ++t->used;
    s.hash = hash;
    s.text = std::move(text);
    std::copy(len, len + 5, s.len);
    s.size = size;
    return;
  }
}

template <typename Fn>
void MatchKeyCache::ForEachHeld(int kind, const std::vector<std::string>& ids, uint64_t gen,
                                Fn&& fn) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (generation_.load(std::memory_order_relaxed) != gen) return;
  const Table& t = tables_[kind & 1];
  if (t.used == 0) return;
  const size_t mask = t.slots.size() - 1;
  // Three passes, so that the memory of every id is being fetched while the others are looked
  // at (a warm search's look-ups were mostly waiting for it): the slots, then the texts of
  // those whose hash is the id's, then the ids compared and the keys copied.
  std::vector<uint64_t> hash(ids.size());
  std::vector<size_t> at(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    hash[i] = HashOf(ids[i]);
    __builtin_prefetch(&t.slots[hash[i] & mask]);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    size_t j = hash[i] & mask;
    while (t.slots[j].text && t.slots[j].hash != hash[i]) j = (j + 1) & mask;
    at[i] = j;
    if (t.slots[j].text) __builtin_prefetch(t.slots[j].text.get());
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    // Another id of the same hash (rare) is passed over.
    for (size_t j = at[i]; t.slots[j].text; j = (j + 1) & mask) {
      const Slot& s = t.slots[j];
      if (s.hash != hash[i] || s.Id() != ids[i]) continue;
      fn(i, s);
      break;
    }
  }
}

void MatchKeyCache::Get(int kind, const std::vector<std::string>& ids, uint64_t gen,
                        std::vector<MatchKeys>* found, std::vector<bool>* hit) {
  found->assign(ids.size(), MatchKeys{});
  hit->assign(ids.size(), false);
  ForEachHeld(kind, ids, gen, [&](size_t i, const Slot& s) {
    Unpack(s, &(*found)[i]);  // into the strings in place: no MatchKeys moved
    (*hit)[i] = true;
  });
}

void MatchKeyCache::GetViews(int kind, const std::vector<std::string>& ids, uint64_t gen,
                             MatchKeyViews* into, std::vector<MatchKeyView>* found,
                             std::vector<bool>* hit) {
  found->assign(ids.size(), MatchKeyView{});
  hit->assign(ids.size(), false);
  ForEachHeld(kind, ids, gen, [&](size_t i, const Slot& s) {
    (*found)[i] = into->Keep(std::string_view(s.text.get(), s.size), s.len);
    (*hit)[i] = true;
  });
}

void MatchKeyCache::Put(int kind, const std::vector<const MatchKeys*>& keys, uint64_t gen) {
  if (keys.empty() || cap_ == 0) return;
  // Packed before the lock is taken: the lock is held for the table's work only. A record
  // whose keys do not fit 16-bit lengths is not kept (read again each time).
  struct Packed {
    uint64_t hash;
    std::unique_ptr<char[]> text;
    uint16_t len[5];
    uint16_t size;
  };
  std::vector<Packed> packed;
  packed.reserve(keys.size());
  for (const auto* k : keys) {
    const std::string* parts[] = {&k->id,        &k->name,      &k->name_key,
                                  &k->phone_key, &k->email_key, &k->account_id};
    size_t n = 0;
    for (const auto* p : parts) n += p->size();
    if (n >= 0xffff) continue;
    Packed p{HashOf(k->id), std::make_unique<char[]>(std::max<size_t>(n, 1)), {}, uint16_t(n)};
    char* to = p.text.get();
    for (size_t i = 0; i < 6; ++i) {
      if (i < 5) p.len[i] = uint16_t(parts[i]->size());
      to = std::copy(parts[i]->begin(), parts[i]->end(), to);
    }
    packed.push_back(std::move(p));
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (generation_.load(std::memory_order_relaxed) != gen) return;
  Table& t = tables_[kind & 1];
  for (auto& p : packed) {
    if (tables_[0].used + tables_[1].used >= cap_) DropHalf();
    Insert(&t, p.hash, std::move(p.text), p.len, p.size);
  }
}

void MatchKeyCache::DropHalf() {
  // Every other entry of each table in its own (hash) order: about a random half, which keeps
  // the cache's entries spread over the whole hub, in one pass without bookkeeping per read.
  for (auto& t : tables_) {
    if (t.used == 0) continue;
    std::vector<Slot> old;
    old.swap(t.slots);
    t.slots.resize(std::max<size_t>(1024, old.size()));
    t.used = 0;
    bool keep = false;
    for (auto& s : old) {
      if (!s.text) continue;
      if (keep) Insert(&t, s.hash, std::move(s.text), s.len, s.size);
      keep = !keep;
    }
  }
}

size_t MatchKeyCache::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return tables_[0].used + tables_[1].used;
}

}  // namespace cx::sqlite
