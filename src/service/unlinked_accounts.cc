// The unlinked accounts an ERP sync proposes links to, blocked in memory.
#include "service/unlinked_accounts.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "base/text.h"

namespace cx {
namespace {

// A polynomial hash over a tag byte and the key, then mixed (the low bits pick the slot, the
// high ones the filter's word): a collision only adds a candidate, which PairMatch then turns
// down. Polynomial so that a key with one code point deleted hashes from its prefix's and its
// suffix's hashes, without reading the rest of the key again for each deletion.
constexpr uint64_t kBase = 0x100000001b3ULL;
uint64_t Mix(uint64_t h) {  // MurmurHash3's finaliser
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}
uint64_t Raw(char what, std::string_view key) {
  uint64_t h = static_cast<unsigned char>(what);
  for (char c : key) h = h * kBase + static_cast<unsigned char>(c);
  return h;
}
uint64_t Hash(char what, std::string_view key) { return Mix(Raw(what, key)); }

// Calls `fn` with Hash(what, v) for each v of DeletionVariants(word) (base/text.h: the word and,
// unless it is all digits, too long or under four code points, each one-code-point deletion),
// repeats included, without making the strings: a sync looks up every customer it creates.
// Each deletion costs a few multiplications (prefix hash times the base to the suffix's length,
// plus the suffix's hash), where hashing each variant afresh cost the square of the word.
template <typename F>
void ForEachDeletionHash(char what, std::string_view word, F&& fn) {
  fn(Hash(what, word));
  if (word.size() > kMaxVariantBytes ||
      std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return;
  size_t points = 0;
  for (char c : word) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (points < 4) return;
  const size_t n = word.size();
  // suffix[j]: the hash of word[j..n) alone; power[j]: kBase to the (n - j).
  thread_local std::vector<uint64_t> suffix, power;
  suffix.assign(n + 1, 0);
  power.assign(n + 1, 1);
  for (size_t j = n; j-- > 0;) {
    suffix[j] = static_cast<unsigned char>(word[j]) * power[j + 1] + suffix[j + 1];
    power[j] = power[j + 1] * kBase;
  }
  uint64_t prefix = static_cast<unsigned char>(what);  // Raw(what, word[0..start))
  for (size_t start = 0; start < n;) {
    size_t end = start + 1;
    while (end < n && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) ++end;
    fn(Mix(prefix * power[end] + suffix[end]));
    for (size_t i = start; i < end; ++i)
      prefix = prefix * kBase + static_cast<unsigned char>(word[i]);
    start = end;
  }
}

// The filter in front of the slots: one 64-bit word per hash (picked by the hash's bits from
// the 40th up), three of its bits set (picked by bits 22 to 39); the slot is picked by the low
// bits. Taken from the same bits as the word, the three would be the same for every hash of a
// word, and nearly every word would let every hash through.
uint64_t FilterBits(uint64_t h) {
  return (1ULL << ((h >> 22) & 63)) | (1ULL << ((h >> 28) & 63)) | (1ULL << ((h >> 34) & 63));
}

// A name variant shared by more accounts than this is too common to tell one company (the
// duplicate index skips such blocks too); exact names, phones and emails are never skipped
// but read at most as many as FindByKeys returns.
constexpr size_t kMaxVariantBlock = 50;
constexpr size_t kMaxExactBlock = 200;

}  // namespace

void UnlinkedAccounts::Block(char what, std::string_view key, uint32_t account) {
  if (!key.empty()) blocks_.emplace_back(Hash(what, key), account);
}

Status UnlinkedAccounts::Load(Tx& tx, int64_t expected) {
  loaded_ = false;
  slot_reads_ = 0;
  accounts_.clear();
  typed_.clear();
  blocks_.clear();
  slots_.clear();
  filter_.clear();
  if (expected > kMaxAccounts) return Status::Ok();
  CX_RETURN_IF_ERROR(tx.ForEachUnlinkedAccountKeys([&](const MatchKeys& k) -> Status {
    const auto i = uint32_t(accounts_.size());
    accounts_.push_back(k);
    typed_.push_back(OrderedKey(NameKind::kAccount, k.name));
    Block('n', k.name_key, i);
    Block('p', k.phone_key, i);
    Block('e', k.email_key, i);
    auto block = [&](uint64_t h) { blocks_.emplace_back(h, i); };
    if (!k.name_key.empty()) ForEachDeletionHash('v', k.name_key, block);
    if (!typed_.back().empty()) ForEachDeletionHash('t', typed_.back(), block);
    return Status::Ok();
  }));
  std::sort(blocks_.begin(), blocks_.end());
  blocks_.erase(std::unique(blocks_.begin(), blocks_.end()), blocks_.end());
  // Each hash's run of blocks_ in an open-addressing table at most half full: a customer
  // looks up some fifty hashes, and a binary search of a few MiB cost a cache miss a step.
  size_t runs = 0;
  for (size_t i = 0; i < blocks_.size(); ++i)
    runs += i == 0 || blocks_[i].first != blocks_[i - 1].first;
  size_t slots = 16;
  while (slots < 2 * runs) slots *= 2;
  slots_.assign(slots, Slot{});
  // Eight bits of filter per hash: some 2 MiB for 50,000 accounts, where the slots take 64 MiB.
  size_t words = 1;
  while (words * 8 < runs) words *= 2;
  filter_.assign(words, 0);
  for (size_t i = 0; i < blocks_.size();) {
    size_t end = i;
    while (end < blocks_.size() && blocks_[end].first == blocks_[i].first) ++end;
    size_t at = size_t(blocks_[i].first) & (slots - 1);
    while (slots_[at].count != 0) at = (at + 1) & (slots - 1);
    slots_[at] = Slot{blocks_[i].first, uint32_t(i), uint32_t(end - i)};
    filter_[size_t(blocks_[i].first >> 40) & (words - 1)] |= FilterBits(blocks_[i].first);
    i = end;
  }
  loaded_ = true;
  return Status::Ok();
}

void UnlinkedAccounts::Candidates(char what, uint64_t h, size_t cap,
                                  std::vector<uint32_t>* out) const {
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  size_t at = size_t(h) & mask;
  while (slots_[at].count != 0 && slots_[at].hash != h) at = (at + 1) & mask;
  if (slots_[at].count == 0) return;
  auto lo = blocks_.begin() + std::ptrdiff_t(slots_[at].begin);
  auto hi = lo + std::ptrdiff_t(slots_[at].count);
  if (size_t(hi - lo) > cap) {
    if (what == 'v' || what == 't') return;
    hi = lo + std::ptrdiff_t(cap);
  }
  for (auto it = lo; it != hi; ++it) out->push_back(it->second);
}

std::string UnlinkedAccounts::TypedKey(const std::vector<std::string>& company_words) {
  std::string out;
  for (const auto& w : company_words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

std::vector<Match> UnlinkedAccounts::Find(const MatchKeys& record) const {
  if (slots_.empty()) return {};
  return Find(record, OrderedKey(NameKind::kAccount, record.name));
}

std::vector<Match> UnlinkedAccounts::Find(const MatchKeys& record, const std::string& typed) const {
  std::vector<uint32_t> cand;
  if (slots_.empty()) return {};
  // Every hash first, its slot fetched ahead: most of a customer's fifty hashes are in no
  // block, and looked up one after the other each cost a wait for memory.
  std::vector<std::pair<uint64_t, char>> hashes;
  hashes.reserve(64);
  for (const auto& [what, key] : {std::pair<char, const std::string*>{'n', &record.name_key},
                                  {'p', &record.phone_key},
                                  {'e', &record.email_key}})
    if (!key->empty()) hashes.emplace_back(Hash(what, *key), what);
  if (!record.name_key.empty())
    ForEachDeletionHash('v', record.name_key, [&](uint64_t h) { hashes.emplace_back(h, 'v'); });
  if (!typed.empty())
    ForEachDeletionHash('t', typed, [&](uint64_t h) { hashes.emplace_back(h, 't'); });
  // Most of a customer's fifty hashes are in no block: the filter (a few MiB, mostly in the
  // cache) turns nearly all of them away, and only the rest read the slots (tens of MiB, a
  // miss in the cache and the TLB each), fetched ahead.
  const size_t fmask = filter_.size() - 1;
  for (const auto& [h, what] : hashes) __builtin_prefetch(&filter_[size_t(h >> 40) & fmask]);
  size_t kept = 0;
  for (const auto& hw : hashes) {
    const uint64_t bits = FilterBits(hw.first);
    if ((filter_[size_t(hw.first >> 40) & fmask] & bits) == bits) hashes[kept++] = hw;
  }
  hashes.resize(kept);
  if (kept > 0) slot_reads_.fetch_add(kept, std::memory_order_relaxed);
  const size_t mask = slots_.size() - 1;
  for (const auto& [h, what] : hashes) __builtin_prefetch(&slots_[size_t(h) & mask]);
  for (const auto& [h, what] : hashes)
    Candidates(what, h, what == 'v' || what == 't' ? kMaxVariantBlock : kMaxExactBlock, &cand);
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  std::vector<Match> out;
  for (uint32_t i : cand) {
    const MatchKeys& other = accounts_[i];
    if (other.id == record.id) continue;
    Match m = PairMatch(NameKind::kAccount, record, other, &typed, &typed_[i]);
    if (m.score >= kProbableDuplicate) out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return out;
}

}  // namespace cx
