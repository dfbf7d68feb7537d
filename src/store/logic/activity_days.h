// The rules of the aggregate of active days (docs/kpi.md), which answers "how many accounts were
// active in a period" and the repeat customer rate without reading a period's facts. Every
// backend keeps the same aggregate with these rules; only its storage is the backend's own.
//
// The aggregate holds, per series (a division, "*" for every division, "orders/D" and
// "returns/D" for the customers of division D), each subject's sorted local active days, and
// per series the count of (day, previous active day) pairs: the subjects active in the days
// [from, to] are those with a pair whose day is in [from, to] and whose previous day is before
// from — one count per subject.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "domain/kpi_facts.h"
#include "store/logic/repeat_rule.h"

namespace cx {

// The series of every division together.
inline constexpr const char* kAllSeries = "*";
// Prefixes of the customer series of a division (account series have no '/').
inline constexpr const char* kOrdersPrefix = "orders/";
inline constexpr const char* kReturnsPrefix = "returns/";
// The previous day of a subject's first active day.
inline constexpr int64_t kNoPrevDay = -1000000000;

// Local day numbers (days since 1970-01-01 in a zone) of instants: day D is [D's local midnight,
// D+1's). Remembers the days met, so instants close in time cost one comparison each.
class LocalDays {
 public:
  explicit LocalDays(const Zone& zone) : zone_(zone), cache_(kSlots) {}
  int64_t Of(Timestamp t) {
    // The local days met last, one per slot of UTC days: facts read out of time order (orders
    // by customer) find their day without a zone conversion.
    Known& k = cache_[size_t(FloorDiv(t, 86400)) & (kSlots - 1)];
    if (t >= k.lo && t < k.hi) return k.day;
    Date d;
    int secs = 0;
    zone_.ToLocal(t, &d, &secs);
    int64_t day = DaysFromCivil(d);
    while (t < Start(day)) --day;
    while (t >= Start(day + 1)) ++day;
    k = {Start(day), Start(day + 1), day};
    return day;
  }

 private:
  static constexpr size_t kSlots = 8192;
  struct Known {
    Timestamp lo = 1, hi = 0;
    int64_t day = 0;
  };
  static int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0)); }
  Timestamp Start(int64_t day) const { return zone_.ToUtc(CivilFromDays(day), 0); }
  const Zone& zone_;
  std::vector<Known> cache_;
};

// A subject's sorted days as bytes: a zigzag varint for the first, varint gaps for the rest.
std::string EncodeDays(const std::vector<int64_t>& days);
// Decodes into `days`; false when the bytes are not a valid encoding.
bool DecodeDays(std::string_view bytes, std::vector<int64_t>* days);

// Whether sorted `days` has one in [from_day, to_day].
inline bool AnyDayIn(const std::vector<int64_t>& days, int64_t from_day, int64_t to_day) {
  auto it = std::lower_bound(days.begin(), days.end(), from_day);
  return it != days.end() && *it <= to_day;
}

// A (series, day, previous day) pair of the counts.
struct DayPair {
  std::string series;
  int64_t day, prev;
  auto operator<=>(const DayPair&) const = default;
};
// Adds `sign` for each (day, previous day) pair of sorted `days` of `series`.
void CountDayPairs(const std::string& series, const std::vector<int64_t>& days, int sign,
                   std::map<DayPair, int64_t>* delta);
// A (day, previous day) pair as one sortable integer (both fit in 32 bits with an offset), and
// back.
inline uint64_t DayPairKey(int64_t day, int64_t prev) {
  return (uint64_t(day + 0x80000000LL) << 32) | uint64_t(prev + 0x80000000LL);
}
inline int64_t DayOfPairKey(uint64_t key) { return int64_t(key >> 32) - int64_t{0x80000000}; }
inline int64_t PrevOfPairKey(uint64_t key) {
  return int64_t(key & 0xffffffffULL) - int64_t{0x80000000};
}

// The order days and the return days of one customer in one division, from its order times in
// ascending order (the repeat rule, with the gap kKpiRepeatGapSeconds).
struct CustomerDays {
  std::vector<int64_t> orders, returns;

  void Clear() {
    orders.clear();
    returns.clear();
    history.Clear();
  }
  void Add(Timestamp t, int64_t day) {
    const bool returned = history.Add(t, kKpiRepeatGapSeconds);
    if (orders.empty() || orders.back() != day) orders.push_back(day);
    if (returned && (returns.empty() || returns.back() != day)) returns.push_back(day);
  }

 private:
  CustomerOrders history;
};

}  // namespace cx
