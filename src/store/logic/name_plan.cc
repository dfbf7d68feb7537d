// The name index's pending entries and their plan.
#include "store/logic/name_plan.h"

#include <algorithm>
#include <future>
#include <system_error>
#include <tuple>

#include "base/text.h"

namespace cx {

void NameVariants::Sort(const std::vector<NameUse>& uses) {
  std::sort(list.begin(), list.end(), [&](const Variant& a, const Variant& b) {
    const NameUse &ua = uses[a.use], &ub = uses[b.use];
    return std::tuple(ua.kind(), text(a), ua.word()) < std::tuple(ub.kind(), text(b), ub.word());
  });
}

NameVariants NameVariants::Of(const std::vector<NameUse>& uses,
                              const std::vector<uint32_t>& which) {
  NameVariants v;
  for (uint32_t i : which) {
    for (const auto& var : DeletionVariants(uses[i].word())) {
      if (var == uses[i].word()) continue;  // a word is found as itself in its blocks
      v.list.push_back({i, uint32_t(v.arena.size()), uint32_t(var.size())});
      v.arena += var;
    }
  }
  v.Sort(uses);
  return v;
}

void NameVariants::Append(NameVariants more, const std::vector<NameUse>& uses) {
  const uint32_t shift = uint32_t(arena.size());
  arena += more.arena;
  for (Variant v : more.list) {
    v.off += shift;
    list.push_back(v);
  }
  Sort(uses);
}

void PendingNames::Add(NameKind k, std::string_view id, const std::vector<std::string>& words) {
  std::string key(1, NameKindLetter(k));
  key += id;
  const uint64_t record = records_.Add(key);
  for (const auto& w : words) {
    key.resize(1);
    key += w;
    const auto word = uint64_t(words_.Emplace(key, int64_t(words_.size())).first);
    entries_.push_back(word << 32 | record);
  }
}

bool PendingNames::HasRecord(NameKind k, std::string_view id) {
  std::string key(1, NameKindLetter(k));
  key += id;
  return records_.Contains(key);
}

void PendingNames::Clear() {
  entries_.clear();
  words_.Clear();
  records_.Clear();
}

void PendingNames::IdsOf(const Plan& plan, const NameUse& u,
                         std::vector<std::string_view>* ids) const {
  ids->clear();
  for (size_t e = u.begin; e < u.end; ++e) {
    const uint32_t record = plan.record_order[entries_[e] & 0xffffffffu];
    const std::string_view id = records_.Key(record).substr(1);
    if (ids->empty() || ids->back() != id) ids->push_back(id);  // a record added twice
  }
}

void PendingNames::MakePlan(const std::array<bool, 2>& no_blocks, bool with_variants,
                            const FreshWord& fresh_word, Plan* plan) {
  const StringTable& words = words_;
  const Records& records = records_;
  // Words and records in key order (a kind letter, then the text: the order of the index's
  // (kind, word) and of the ids in a block), then each entry as two ranks in one integer:
  // sorting millions of entries compares integers, not strings all over memory.
  auto by_key = [](const auto& t, std::vector<uint32_t>* order, std::vector<uint32_t>* rank) {
    // Each key's first eight bytes as one big-endian integer beside its number: most
    // comparisons end there, without reaching for the text.
    std::vector<std::pair<uint64_t, uint32_t>> keyed(t.size());
    for (uint32_t i = 0; i < keyed.size(); ++i) {
      const std::string_view k = t.Key(i);
      uint64_t prefix = 0;
      for (size_t b = 0; b < 8; ++b)
        prefix = prefix << 8 | (b < k.size() ? static_cast<unsigned char>(k[b]) : 0u);
      keyed[i] = {prefix, i};
    }
    auto less = [&](const std::pair<uint64_t, uint32_t>& a,
                    const std::pair<uint64_t, uint32_t>& b) {
      if (a.first != b.first) return a.first < b.first;
      return t.Key(a.second) < t.Key(b.second);
    };
    // Records come mostly in key order (ids handed out in sequence): the sorted prefix is
    // kept and only the rest is sorted and merged in.
    const auto sorted_end = std::is_sorted_until(keyed.begin(), keyed.end(), less);
    std::sort(sorted_end, keyed.end(), less);
    std::inplace_merge(keyed.begin(), sorted_end, keyed.end(), less);
    order->resize(t.size());
    rank->resize(t.size());
    for (uint32_t i = 0; i < keyed.size(); ++i) {
      (*order)[i] = keyed[i].second;
      (*rank)[keyed[i].second] = i;
    }
  };
  // The two sorts run side by side (a first load has a million of each).
  std::vector<uint32_t> word_rank, record_rank;
  std::future<void> words_sorted;
  try {
    words_sorted =
        std::async(std::launch::async, [&] { by_key(words, &plan->word_order, &word_rank); });
  } catch (const std::system_error&) {
    words_sorted =
        std::async(std::launch::deferred, [&] { by_key(words, &plan->word_order, &word_rank); });
  }
  by_key(records, &plan->record_order, &record_rank);
  words_sorted.get();
  for (uint64_t& e : entries_)
    e = uint64_t(word_rank[e >> 32]) << 32 | record_rank[e & 0xffffffffu];
  std::vector<uint32_t>().swap(word_rank);
  std::vector<uint32_t>().swap(record_rank);
  std::sort(entries_.begin(), entries_.end());
  entries_.erase(std::unique(entries_.begin(), entries_.end()), entries_.end());
  std::vector<NameUse>& uses = plan->uses;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const std::string_view key = WordOf(*plan, entries_[i]);
    if (uses.empty() || uses.back().key.data() != key.data()) uses.push_back({key, i, i});
    uses.back().end = i + 1;
  }
  // When a kind has no block yet (a first load), all its words are new and go in whole (as
  // blocks cut from the sorted entries); else each word's new ids are merged into its blocks.
  std::vector<std::string_view> ids;
  for (uint32_t i = 0; i < uses.size(); ++i) {
    NameUse& u = uses[i];
    u.fresh = no_blocks[size_t(NameKindCode(u.kind()))];
    if (!u.fresh) continue;
    plan->fresh.push_back(i);
    IdsOf(*plan, u, &ids);
    fresh_word(u.kind(), u.word(), ids);
  }
  if (with_variants) plan->variants = NameVariants::Of(uses, plan->fresh);
}

uint32_t PendingNames::Records::Add(std::string_view key) {
  text_.insert(text_.end(), key.begin(), key.end());
  end_.push_back(uint32_t(text_.size()));
  return uint32_t(end_.size() - 1);
}

bool PendingNames::Records::Contains(std::string_view key) {
  for (size_t n = lookup_.size(); n < end_.size(); ++n) lookup_.Emplace(Key(n), int64_t(n));
  return lookup_.Contains(key);
}

void PendingNames::Records::Clear() {
  decltype(text_)().swap(text_);
  decltype(end_)().swap(end_);
  lookup_.Clear();
}

}  // namespace cx
