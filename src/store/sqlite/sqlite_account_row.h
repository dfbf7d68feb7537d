// An account's row as stored, copied out of a statement: what UpdateAccount compares the account
// it is given with, to write only what changed (docs/store.md, "Writing what changed").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/sqlite/db.h"

namespace cx::sqlite {

class StoredAccountRow {
 public:
  // The values of a row, in the order of the account's insert (kAccountValues of
  // sqlite_tx_rows.h, keys included).
  static constexpr int kValues = 19;

  // Copies value i from column first + i of `s` for i < split, and from column first + i + 1
  // from `split` on (the column in between, the rowid, is read by the caller): as an integer
  // when bit i of `numbers` is set, else as text. The text is kept in one buffer whose memory is
  // reused by the next Fill.
  void Fill(const Stmt& s, int first, int split, uint32_t numbers) {
    bytes_.clear();
    for (int i = 0; i < kValues; ++i) {
      const size_t v = size_t(i);
      const int col = first + i + (i >= split ? 1 : 0);
      null_[v] = s.IsNull(col);
      number_[v] = 0;
      at_[v] = uint32_t(bytes_.size());
      size_[v] = 0;
      if (null_[v]) continue;
      if (numbers & (1u << i)) {
        number_[v] = s.Int(col);
      } else {
        const std::string_view text = s.TextView(col);
        size_[v] = uint32_t(text.size());
        bytes_.append(text);
      }
    }
  }
  bool IsNull(int i) const { return null_[size_t(i)]; }
  int64_t Int(int i) const { return number_[size_t(i)]; }
  std::string_view TextView(int i) const {
    return std::string_view(bytes_).substr(at_[size_t(i)], size_[size_t(i)]);
  }

 private:
  std::string bytes_;
  std::array<uint32_t, kValues> at_{}, size_{};
  std::array<bool, kValues> null_{};
  std::array<int64_t, kValues> number_{};
};

}  // namespace cx::sqlite
