// Match keys as views into blocks of text (match_key_views.h).
#include "domain/match_key_views.h"

#include <algorithm>
#include <cstring>

namespace cx {

namespace {
// Enough for the keys of some 200 of the demo's records: a search of a common word reads 400
// per kind, so a few blocks a search.
constexpr size_t kBlock = 16384;
}  // namespace

char* MatchKeyViews::Room(size_t n) {
  if (blocks_.empty() || room_ - used_ < n) {
    const size_t size = std::max(kBlock, n);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    used_ = 0;
    room_ = size;
  }
  char* at = blocks_.back().get() + used_;
  used_ += n;
  return at;
}

MatchKeyView MatchKeyViews::Keep(std::string_view text, const uint16_t* len) {
  char* at = text.empty() ? nullptr : Room(text.size());
  if (at) std::memcpy(at, text.data(), text.size());
  std::string_view t(at, text.size());
  std::string_view* parts[5];
  MatchKeyView v;
  parts[0] = &v.id, parts[1] = &v.name, parts[2] = &v.name_key, parts[3] = &v.phone_key,
  parts[4] = &v.email_key;
  for (size_t i = 0; i < 5; ++i) {
    *parts[i] = t.substr(0, len[i]);
    t.remove_prefix(std::min<size_t>(len[i], t.size()));
  }
  v.account_id = t;
  return v;
}

MatchKeyView MatchKeyViews::Keep(const MatchKeys& k) {
  const std::string* parts[] = {&k.id,        &k.name,      &k.name_key,
                                &k.phone_key, &k.email_key, &k.account_id};
  size_t n = 0;
  for (const auto* p : parts) n += p->size();
  char* at = n == 0 ? nullptr : Room(n);
  MatchKeyView v;
  std::string_view* views[] = {&v.id,        &v.name,      &v.name_key,
                               &v.phone_key, &v.email_key, &v.account_id};
  for (size_t i = 0; i < 6; ++i) {
    if (!parts[i]->empty()) std::memcpy(at, parts[i]->data(), parts[i]->size());
    *views[i] = std::string_view(at, parts[i]->size());
    if (at) at += parts[i]->size();
  }
  return v;
}

}  // namespace cx
