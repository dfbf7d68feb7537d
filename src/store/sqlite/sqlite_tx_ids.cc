// SQLite Tx: new ids ("A-000123"), from the counter of their prefix, checked against the table.
#include <algorithm>
#include <cstdio>

#include "store/sqlite/sqlite_tx.h"
#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt, TableOfPrefix

namespace {

// The id of number `n` (not negative): the prefix, a dash and at least six digits, as
// "%s-%06lld" writes it (snprintf took 1,200 instructions an id, two thirds of numbering one).
std::string FormatId(const std::string& prefix, int64_t n) {
  char digits[24];
  int len = 0;
  for (uint64_t v = uint64_t(std::max<int64_t>(n, 0)); v != 0 || len < 6; v /= 10)
    digits[len++] = char('0' + v % 10);
  std::string out;
  out.reserve(prefix.size() + 1 + size_t(len));
  out += prefix;
  out += '-';
  while (len > 0) out += digits[--len];
  return out;
}

// The last number with as many digits as FormatId gives `n`.
int64_t LastOfItsDigits(int64_t n) {
  int64_t top = 999999;
  while (top < n && top < int64_t(1e17)) top = top * 10 + 9;
  return top;
}

}  // namespace

Result<std::string> SqliteTx::NextId(const std::string& prefix) {
  return NextId(prefix, IdCheck::kEach);
}

Result<std::string> SqliteTx::NextIdUnchecked(const std::string& prefix) {
  return NextId(prefix, IdCheck::kNone);
}

Result<std::string> SqliteTx::NextIdOfMany(const std::string& prefix) {
  return NextId(prefix, IdCheck::kByRange);
}

Result<std::string> SqliteTx::NextId(const std::string& prefix, IdCheck check) {
  const char* table = TableOfPrefix(prefix);
  if (!table) return Internal("no id sequence for prefix '" + prefix + "'");
  // The counter is read once per transaction and written back by Finish; the statement that
  // checks an id is free is looked up once too (bulk loads number a million records).
  auto counter = counters_.find(prefix);
  if (counter == counters_.end()) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT next FROM id_counters WHERE prefix = ?1"));
    s->Bind(1, prefix);
    int64_t last = s->Step() ? s->Int(0) : 0;
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    CX_ASSIGN_OR_RETURN(Stmt * probe,
                        db_->Prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?"));
    IdCounter c;
    c.last = last;
    c.probe = probe;
    counter = counters_.emplace(prefix, std::move(c)).first;
  }
  IdCounter& c = counter->second;
  if (check == IdCheck::kByRange) return NextIdByRange(prefix, table, c);
  for (int attempt = 0; attempt < 1000000; ++attempt) {
    const int64_t n = ++c.last;
    char buf[32];
    const int len =
        std::snprintf(buf, sizeof buf, "%s-%06lld", prefix.c_str(), static_cast<long long>(n));
    const std::string_view id(buf, size_t(std::clamp(len, 0, int(sizeof buf) - 1)));
    if (check == IdCheck::kNone) return std::string(id);
    c.probe->BindStatic(1, id);
    bool taken = c.probe->Step();
    Status st = c.probe->status();
    c.probe->Reset();
    CX_RETURN_IF_ERROR(st);
    if (!taken) return std::string(id);
    // Taken (ids imported or generated in bulk): jump past the highest number in use.
    CX_ASSIGN_OR_RETURN(
        Stmt * m, db_->Prepare(std::string("SELECT MAX(CAST(substr(id, ?2) AS INTEGER)) FROM ") +
                               table + " WHERE id GLOB ?1"));
    m->Bind(1, prefix + "-[0-9]*").Bind(2, int64_t(prefix.size() + 2));
    int64_t max = m->Step() ? m->Int(0) : 0;
    st = m->status();
    m->Reset();
    CX_RETURN_IF_ERROR(st);
    c.last = std::max(c.last, max);
  }
  return Internal("no free id for prefix " + prefix);
}

// The numbers past the counter are read a range at a time: the ids of the table between the
// range's first and last (as text, all of one length: FormatId's text sorts as its number
// within one count of digits) are the numbers taken in it; every other number of the range
// is handed out without a look-up. A first sync of a million customers into a hub that holds
// accounts looked each of its ids up, 0.5 s of its writing thread; now it reads a few hundred
// ranges. The caller stores no record of the kind under an id it did not take here during the
// transaction (the range read would not know it).
Result<std::string> SqliteTx::NextIdByRange(const std::string& prefix, const char* table,
                                            IdCounter& c) {
  constexpr int64_t kRange = 4096;
  for (;;) {
    const int64_t n = c.last + 1;
    if (n > int64_t(1e17)) return Internal("no free id for prefix " + prefix);
    if (n > c.range_last) {
      // A new range: from n to kRange numbers on, within n's count of digits.
      const int64_t last = std::min(n + kRange - 1, LastOfItsDigits(n));
      const std::string lo = FormatId(prefix, n), hi = FormatId(prefix, last);
      if (!c.range) {
        CX_ASSIGN_OR_RETURN(c.range,
                            db_->Prepare(std::string("SELECT id FROM ") + table +
                                         " WHERE id >= ?1 AND id <= ?2 AND length(id) = ?3"));
      }
      c.range->BindStatic(1, lo).BindStatic(2, hi).Bind(3, int64_t(lo.size()));
      c.taken.clear();
      c.next_taken = 0;
      const size_t digits_at = prefix.size() + 1;
      while (c.range->Step()) {
        const std::string_view id = c.range->TextView(0);
        int64_t v = 0;
        bool number = id.size() == lo.size() && id.substr(0, digits_at) == lo.substr(0, digits_at);
        for (size_t i = digits_at; number && i < id.size(); ++i) {
          number = id[i] >= '0' && id[i] <= '9';
          v = v * 10 + (id[i] - '0');
        }
        if (number) c.taken.push_back(v);
      }
      Status st = c.range->status();
      c.range->Reset();
      CX_RETURN_IF_ERROR(st);
      std::sort(c.taken.begin(), c.taken.end());
      c.range_last = last;
    }
    while (c.next_taken < c.taken.size() && c.taken[c.next_taken] < n) ++c.next_taken;
    c.last = n;
    if (c.next_taken < c.taken.size() && c.taken[c.next_taken] == n) continue;  // taken
    return FormatId(prefix, n);
  }
}

}  // namespace cx
