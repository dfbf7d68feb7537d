// Time conversions on top of Howard Hinnant's date/tz (GCC 12 has no std::chrono tzdb).
#include "base/time.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace cx {
namespace {

const date::time_zone* Tz(const void* p) { return static_cast<const date::time_zone*>(p); }

bool ParseInt(std::string_view s, size_t* pos, size_t min_digits, size_t max_digits, int* out) {
  size_t start = *pos;
  int v = 0;
  while (*pos < s.size() && *pos - start < max_digits && s[*pos] >= '0' && s[*pos] <= '9') {
    v = v * 10 + (s[*pos] - '0');
    ++*pos;
  }
  if (*pos - start < min_digits) return false;
  *out = v;
  return true;
}

bool ValidDate(Date d) {
  if (d.year < 1900 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[d.month - 1];
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  if (d.month == 2 && leap) max = 29;
  return d.day <= max;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses the date part; leaves *pos after it.
bool ParseDatePart(std::string_view s, size_t* pos, Date* d) {
  size_t p = *pos;
  int a = 0;
  if (!ParseInt(s, &p, 1, 4, &a)) return false;
  if (p - *pos == 4) {  // ISO: YYYY-MM-DD
    if (p >= s.size() || s[p] != '-') return false;
    ++p;
    if (!ParseInt(s, &p, 1, 2, &d->month) || p >= s.size() || s[p] != '-') return false;
    ++p;
    if (!ParseInt(s, &p, 1, 2, &d->day)) return false;
    d->year = a;
  } else {  // day-first: DD/MM/YYYY, DD.MM.YYYY or DD-MM-YYYY
    if (p >= s.size() || (s[p] != '/' && s[p] != '.' && s[p] != '-')) return false;
    char sep = s[p++];
    if (!ParseInt(s, &p, 1, 2, &d->month) || p >= s.size() || s[p] != sep) return false;
    ++p;
    size_t ystart = p;
    if (!ParseInt(s, &p, 2, 4, &d->year)) return false;
    if (p - ystart == 2)
      d->year += 2000;
    else if (p - ystart != 4)
      return false;
    d->day = a;
  }
  *pos = p;
  return ValidDate(*d);
}

}  // namespace

int64_t DaysFromCivil(Date d) {
  return date::sys_days(date::year(d.year) / d.month / d.day).time_since_epoch().count();
}

Date CivilFromDays(int64_t days) {
  date::year_month_day ymd{date::sys_days(date::days(days))};
  return Date{int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day()))};
}

int IsoWeekday(Date d) {
  return int(date::weekday(date::sys_days(date::year(d.year) / d.month / d.day)).iso_encoding());
}

Result<Zone> Zone::Find(std::string_view name) {
  try {
    const date::time_zone* tz = date::locate_zone(std::string(name));
    return Zone(tz, std::string(name));
  } catch (const std::exception& e) {
    return Invalid("unknown time zone '" + std::string(name) + "'");
  }
}

Zone Zone::Default() {
  auto z = Find(kDefaultZone);
  if (!z.ok()) {
    std::fprintf(stderr, "cxhub: the tz database has no %s (install tzdata)\n",
                 kDefaultZone.data());
    std::abort();
  }
  return *z;
}

Timestamp Zone::ToUtc(Date d, int seconds_of_day) const {
  using namespace std::chrono;
  date::local_seconds ls =
      date::local_days(date::year(d.year) / d.month / d.day) + seconds(seconds_of_day);
  auto info = Tz(tz_)->get_info(ls);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      return (ls.time_since_epoch() - info.first.offset).count();
    case date::local_info::nonexistent:  // in a spring-forward gap: move forward
      return (ls.time_since_epoch() - info.first.offset).count();
  }
  return 0;
}

int Zone::OffsetAt(Timestamp t) const {
  auto info = Tz(tz_)->get_info(date::sys_seconds(std::chrono::seconds(t)));
  return int(info.offset.count());
}

void Zone::ToLocal(Timestamp t, Date* d, int* seconds_of_day) const {
  int64_t local = t + OffsetAt(t);
  int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  *d = CivilFromDays(days);
  *seconds_of_day = int(local - days * 86400);
}

Result<Date> ParseDate(std::string_view text) {
  std::string_view s = Trim(text);
  Date d;
  size_t pos = 0;
  if (!ParseDatePart(s, &pos, &d) || pos != s.size()) {
    return Invalid("'" + std::string(text) + "' is not a date (use YYYY-MM-DD or DD/MM/YYYY)");
  }
  return d;
}

Result<Timestamp> ParseTime(std::string_view text, const Zone& zone) {
  std::string_view s = Trim(text);
  auto bad = [&] {
    return Invalid("'" + std::string(text) +
                   "' is not a date or time (use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)");
  };
  Date d;
  size_t pos = 0;
  if (!ParseDatePart(s, &pos, &d)) return bad();
  int h = 0, m = 0, sec = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (!ParseInt(s, &pos, 1, 2, &h) || pos >= s.size() || s[pos] != ':') return bad();
    ++pos;
    if (!ParseInt(s, &pos, 2, 2, &m)) return bad();
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ParseInt(s, &pos, 2, 2, &sec)) return bad();
      if (pos < s.size() && s[pos] == '.') {  // fractional seconds are dropped
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      }
    }
    if (h > 23 || m > 59 || sec > 59) return bad();
  }
  int secs = h * 3600 + m * 60 + sec;
  if (pos == s.size()) return zone.ToUtc(d, secs);
  // An explicit UTC designator or offset.
  Timestamp base = DaysFromCivil(d) * 86400 + secs;
  if (s.substr(pos) == "Z") return base;
  if (s[pos] == '+' || s[pos] == '-') {
    int sign = s[pos] == '+' ? 1 : -1;
    ++pos;
    int oh = 0, om = 0;
    if (!ParseInt(s, &pos, 2, 2, &oh)) return bad();
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size() && !ParseInt(s, &pos, 2, 2, &om)) return bad();
    if (pos != s.size()) return bad();
    return base - sign * (oh * 3600 + om * 60);
  }
  return bad();
}

std::string FormatDate(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string FormatTime(Timestamp t, const Zone& zone) {
  Date d;
  int s = 0;
  zone.ToLocal(t, &d, &s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, s / 3600,
                s / 60 % 60, s % 60);
  return buf;
}

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cx
