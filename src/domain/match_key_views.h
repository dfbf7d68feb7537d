// Match keys as views into buffers that one object owns: a search reads the keys of hundreds of
// candidates and scores their names, and copying each key into a string of its own (an
// allocation for every name, name key and email longer than a short string) and freeing them
// again was a good part of reading them (docs/search.md, "Speed").
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/match_keys.h"

namespace cx {

// One record's keys, as MatchKeys holds them; the text is owned by a MatchKeyViews.
struct MatchKeyView {
  std::string_view id, name, name_key, phone_key, email_key, account_id;

  MatchKeys ToKeys() const {
    return MatchKeys{std::string(id),        std::string(name),      std::string(name_key),
                     std::string(phone_key), std::string(email_key), std::string(account_id)};
  }
};

// Records' keys (`keys`, in the order their reader put them) and the text they view. The text
// is kept in blocks that never move, so a view stays valid while this object lives, whatever
// is kept after it.
class MatchKeyViews {
 public:
  MatchKeyViews() = default;
  MatchKeyViews(const MatchKeyViews&) = delete;
  MatchKeyViews& operator=(const MatchKeyViews&) = delete;
  MatchKeyViews(MatchKeyViews&&) = default;
  MatchKeyViews& operator=(MatchKeyViews&&) = default;

  std::vector<MatchKeyView> keys;

  // Copies `text` (a record's keys one after the other: id, name, name key, phone key, email
  // key, account; `len` the lengths of the first five, the account the rest) into this
  // object's blocks and returns its views. Not added to `keys`.
  MatchKeyView Keep(std::string_view text, const uint16_t* len);
  // The same for keys held as strings.
  MatchKeyView Keep(const MatchKeys& k);

 private:
  char* Room(size_t n);
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, room_ = 0;  // in the last block
};

}  // namespace cx
