// Business calendar: working windows per local day, measured and added in UTC seconds.
#include "domain/calendar.h"

#include "domain/toml_text.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>

namespace cx {
namespace {

constexpr int64_t kMaxScanDays = 3 * 366;

bool ValidMonthDay(int month, int day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 && day >= 1 && day <= kDays[month - 1];
}

int64_t LocalDay(const Zone& z, Timestamp t) {
  Date d;
  int s = 0;
  z.ToLocal(t, &d, &s);
  return DaysFromCivil(d);
}

// "HH:MM" → seconds after midnight, or -1.
int ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -100; };
  int h = digit(0) * 10 + digit(1), m = digit(3) * 10 + digit(4);
  if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) return -1;
  return h * 3600 + m * 60;
}

int WeekdayNumber(std::string_view s) {
  static const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::string low;
  for (char c : s.substr(0, 3)) low += char(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (int i = 0; i < 7; ++i) {
    if (low == kNames[i]) return i + 1;
  }
  return 0;
}

}  // namespace

BusinessCalendar::BusinessCalendar(Zone zone, CalendarSpec spec)
    : zone_(std::move(zone)), spec_(std::move(spec)) {
  for (int d : spec_.working_days) working_weekday_[d] = true;
  for (const Date& d : spec_.dated_holidays) dated_days_.push_back(DaysFromCivil(d));
  std::sort(dated_days_.begin(), dated_days_.end());
}

Result<BusinessCalendar> BusinessCalendar::Make(const CalendarSpec& spec) {
  Status problems = Invalid("the business calendar is not valid");
  auto zone = Zone::Find(spec.zone);
  if (!zone.ok()) problems.AddDetail("zone: '" + spec.zone + "' is not a known time zone");
  for (int d : spec.working_days) {
    if (d < 1 || d > 7)
      problems.AddDetail("working_days: " + std::to_string(d) + " is not a weekday (1..7)");
  }
  if (spec.day_start < 0 || spec.day_end > 86400 || spec.day_end <= spec.day_start) {
    problems.AddDetail(
        "day_start/day_end: the working day must start before it ends, within one day");
  }
  for (const auto& [m, d] : spec.fixed_holidays) {
    if (!ValidMonthDay(m, d)) {
      problems.AddDetail("fixed_holidays: " + std::to_string(m) + "-" + std::to_string(d) +
                         " is not a date");
    }
  }
  if (!problems.details().empty()) return problems;
  return BusinessCalendar(*zone, spec);
}

BusinessCalendar BusinessCalendar::Default() {
  CalendarSpec spec;
  spec.fixed_holidays = {{1, 1}, {5, 1}, {6, 12}, {10, 1}, {12, 25}, {12, 26}};
  return BusinessCalendar(Zone::Default(), spec);
}

Result<BusinessCalendar> BusinessCalendar::FromToml(std::string_view text,
                                                    std::string_view source) {
  const std::string src(source);
  CX_ASSIGN_OR_RETURN(toml::table t, ParseTomlText(text, src));
  CalendarSpec spec;
  spec.working_days.clear();
  Status problems = Invalid(src + ": the business calendar is not valid");
  auto bad = [&](const std::string& key, const std::string& what) {
    problems.AddDetail(src + ": " + key + ": " + what);
  };
  for (const auto& [k, v] : t) {
    std::string key(k.str());
    if (key != "zone" && key != "working_days" && key != "day_start" && key != "day_end" &&
        key != "fixed_holidays" && key != "holiday") {
      bad(key,
          "unknown key (expected zone, working_days, day_start, day_end, fixed_holidays, holiday)");
    }
  }
  if (auto z = t["zone"].value<std::string>())
    spec.zone = *z;
  else if (t.contains("zone"))
    bad("zone", "must be a text such as \"Africa/Lagos\"");
  if (auto* arr = t["working_days"].as_array()) {
    for (const auto& e : *arr) {
      auto s = e.value<std::string>();
      int n = s ? WeekdayNumber(*s) : 0;
      if (n == 0)
        bad("working_days", "each entry must be a weekday name (Mon … Sun)");
      else
        spec.working_days.push_back(n);
    }
  } else if (t.contains("working_days")) {
    bad("working_days", "must be a list of weekday names such as [\"Mon\", \"Tue\"]");
  } else {
    spec.working_days = {1, 2, 3, 4, 5};
  }
  for (const char* key : {"day_start", "day_end"}) {
    if (!t.contains(key)) continue;
    auto s = t[key].value<std::string>();
    int secs = s ? ParseClock(*s) : -1;
    if (secs < 0)
      bad(key, "must be a time \"HH:MM\"");
    else
      (std::string(key) == "day_start" ? spec.day_start : spec.day_end) = secs;
  }
  if (auto* arr = t["fixed_holidays"].as_array()) {
    for (const auto& e : *arr) {
      auto s = e.value<std::string>();
      int m = 0, d = 0;
      if (!s || std::sscanf(s->c_str(), "%d-%d", &m, &d) != 2 || !ValidMonthDay(m, d)) {
        bad("fixed_holidays",
            "each entry must be a month and day \"MM-DD\"" + (s ? " (got \"" + *s + "\")" : ""));
      } else {
        spec.fixed_holidays.emplace_back(m, d);
      }
    }
  } else if (t.contains("fixed_holidays")) {
    bad("fixed_holidays", "must be a list such as [\"01-01\", \"12-25\"]");
  }
  if (auto* arr = t["holiday"].as_array()) {
    int n = 0;
    for (const auto& e : *arr) {
      ++n;
      std::string where = "holiday #" + std::to_string(n);
      const auto* h = e.as_table();
      if (!h) {
        bad(where, "must be a table with date and name");
        continue;
      }
      if (auto d = (*h)["date"].value<toml::date>()) {
        spec.dated_holidays.push_back(Date{int(d->year), int(d->month), int(d->day)});
      } else if (auto s = (*h)["date"].value<std::string>()) {
        auto pd = ParseDate(*s);
        if (!pd.ok())
          bad(where + ".date", pd.status().message());
        else
          spec.dated_holidays.push_back(*pd);
      } else {
        bad(where + ".date", "is required (a date such as 2026-04-03)");
      }
    }
  } else if (t.contains("holiday")) {
    bad("holiday", "must be an array of tables ([[holiday]])");
  }
  if (!problems.details().empty()) return problems;
  auto cal = Make(spec);
  if (!cal.ok()) {
    Status st = Invalid(src + ": the business calendar is not valid");
    for (const auto& d : cal.status().details()) st.AddDetail(src + ": " + d);
    return st;
  }
  return cal;
}

bool BusinessCalendar::IsHoliday(Date d) const {
  for (const auto& [m, day] : spec_.fixed_holidays) {
    if (m == d.month && day == d.day) return true;
  }
  return std::binary_search(dated_days_.begin(), dated_days_.end(), DaysFromCivil(d));
}

bool BusinessCalendar::IsWorkingDay(Date d) const {
  return working_weekday_[IsoWeekday(d)] && !IsHoliday(d);
}

void BusinessCalendar::Window(int64_t days, Timestamp* open, Timestamp* close) const {
  Date d = CivilFromDays(days);
  if (!IsWorkingDay(d)) {
    *open = *close = 0;
    return;
  }
  *open = zone_.ToUtc(d, spec_.day_start);
  *close = zone_.ToUtc(d, spec_.day_end);
}

int64_t BusinessCalendar::BusinessSecondsBetween(Timestamp a, Timestamp b) const {
  if (b <= a) return 0;
  int64_t first = LocalDay(zone_, a), last = LocalDay(zone_, b);
  int64_t total = 0;
  for (int64_t day = first; day <= last; ++day) {
    Timestamp open, close;
    Window(day, &open, &close);
    Timestamp lo = std::max(open, a), hi = std::min(close, b);
    if (hi > lo) total += hi - lo;
  }
  return total;
}

double BusinessCalendar::BusinessHoursBetween(Timestamp a, Timestamp b) const {
  return double(BusinessSecondsBetween(a, b)) / 3600.0;
}

Timestamp BusinessCalendar::AddBusinessSeconds(Timestamp start, int64_t seconds) const {
  if (seconds <= 0) return start;
  int64_t remaining = seconds;
  int64_t day = LocalDay(zone_, start);
  for (int64_t n = 0; n < kMaxScanDays; ++n, ++day) {
    Timestamp open, close;
    Window(day, &open, &close);
    Timestamp from = std::max(open, start);
    if (from >= close) continue;
    if (remaining <= close - from) return from + remaining;
    remaining -= close - from;
  }
  return start + kMaxScanDays * 86400;
}

}  // namespace cx
