// The unlinked accounts an ERP sync proposes links to, blocked in memory.
#include "service/unlinked_accounts.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "base/text.h"

namespace cx {
namespace {

// FNV-1a over a tag byte and the key: a collision only adds a candidate, which PairMatch
// then turns down.
uint64_t Hash(char what, std::string_view key) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ULL;
  };
  mix(static_cast<unsigned char>(what));
  for (char c : key) mix(static_cast<unsigned char>(c));
  return h;
}

// Calls `fn` with Hash(what, v) for each v of DeletionVariants(word) (base/text.h: the word and,
// unless it is all digits, too long or under four code points, each one-code-point deletion),
// repeats included, without making the strings: a sync looks up every customer it creates.
template <typename F>
void ForEachDeletionHash(char what, std::string_view word, F&& fn) {
  fn(Hash(what, word));
  if (word.size() > kMaxVariantBytes ||
      std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return;
  std::vector<size_t> starts;  // of each code point, then the end
  for (size_t i = 0; i < word.size(); ++i)
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) starts.push_back(i);
  if (starts.size() < 4) return;
  starts.push_back(word.size());
  uint64_t before = 1469598103934665603ULL;  // Hash's state after `what` and the prefix
  auto mix = [](uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ULL; };
  before = mix(before, static_cast<unsigned char>(what));
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    uint64_t h = before;
    for (size_t i = starts[k + 1]; i < word.size(); ++i)
      h = mix(h, static_cast<unsigned char>(word[i]));
    fn(h);
    for (size_t i = starts[k]; i < starts[k + 1]; ++i)
      before = mix(before, static_cast<unsigned char>(word[i]));
  }
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
  accounts_.clear();
  typed_.clear();
  blocks_.clear();
  slots_.clear();
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
  for (size_t i = 0; i < blocks_.size();) {
    size_t end = i;
    while (end < blocks_.size() && blocks_[end].first == blocks_[i].first) ++end;
    size_t at = size_t(blocks_[i].first) & (slots - 1);
    while (slots_[at].count != 0) at = (at + 1) & (slots - 1);
    slots_[at] = Slot{blocks_[i].first, uint32_t(i), uint32_t(end - i)};
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

std::vector<Match> UnlinkedAccounts::Find(const MatchKeys& record) const {
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
  const std::string typed = OrderedKey(NameKind::kAccount, record.name);
  if (!record.name_key.empty())
    ForEachDeletionHash('v', record.name_key, [&](uint64_t h) { hashes.emplace_back(h, 'v'); });
  if (!typed.empty())
    ForEachDeletionHash('t', typed, [&](uint64_t h) { hashes.emplace_back(h, 't'); });
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
