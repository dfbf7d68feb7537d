// The encoding of active days and the counting of their pairs.
#include "store/logic/activity_days.h"

namespace cx {
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(char(v | 0x80));
    v >>= 7;
  }
  out->push_back(char(v));
}

}  // namespace

std::string EncodeDays(const std::vector<int64_t>& days) {
  std::string out;
  int64_t prev = 0;
  for (size_t i = 0; i < days.size(); ++i) {
    if (i == 0) {
      PutVarint(&out, (uint64_t(days[0]) << 1) ^ uint64_t(days[0] >> 63));
    } else {
      PutVarint(&out, uint64_t(days[i] - prev));
    }
    prev = days[i];
  }
  return out;
}

bool DecodeDays(std::string_view bytes, std::vector<int64_t>* days) {
  days->clear();
  size_t i = 0;
  int64_t prev = 0;
  while (i < bytes.size()) {
    uint64_t v = 0;
    int shift = 0;
    while (true) {
      if (i >= bytes.size() || shift > 63) return false;
      auto b = uint8_t(bytes[i++]);
      v |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (days->empty()) {
      prev = int64_t(v >> 1) ^ -int64_t(v & 1);
    } else {
      if (v == 0) return false;
      prev += int64_t(v);
    }
    days->push_back(prev);
  }
  return true;
}

void CountDayPairs(const std::string& series, const std::vector<int64_t>& days, int sign,
                   std::map<DayPair, int64_t>* delta) {
  int64_t prev = kNoPrevDay;
  for (int64_t d : days) {
    (*delta)[DayPair{series, d, prev}] += sign;
    prev = d;
  }
}

}  // namespace cx
