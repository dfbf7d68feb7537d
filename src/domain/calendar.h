// The business calendar: working days, working hours and public holidays of one zone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"

namespace cx {

// What a calendar is made of (config/calendar.toml). Plain data; see BusinessCalendar.
struct CalendarSpec {
  std::string zone = std::string(kDefaultZone);
  std::vector<int> working_days = {1, 2, 3, 4, 5};  // ISO weekdays, Monday = 1
  int day_start = 8 * 3600;                         // seconds after local midnight
  int day_end = 17 * 3600;
  std::vector<std::pair<int, int>> fixed_holidays;  // (month, day), every year
  std::vector<Date> dated_holidays;                 // movable ones, one date each
};

// Answers "is this working time" and measures or adds business time. Immutable
// and cheap to share; thread-safe for concurrent reads.
class BusinessCalendar {
 public:
  // Errors: kInvalid naming the bad field (unknown zone, day_end <= day_start,
  // weekday outside 1..7, impossible holiday date).
  static Result<BusinessCalendar> Make(const CalendarSpec& spec);
  // Parses config/calendar.toml text. `source` names the file in messages.
  // Errors: kInvalid naming the file, the key and what is wrong.
  static Result<BusinessCalendar> FromToml(std::string_view text, std::string_view source);
  // Mon–Fri 08:00–17:00 Africa/Lagos with Nigeria's fixed holidays only.
  static BusinessCalendar Default();

  const Zone& zone() const { return zone_; }
  const CalendarSpec& spec() const { return spec_; }

  // True when `d` is a working weekday and not a holiday.
  bool IsWorkingDay(Date d) const;
  // True when `d` is a public holiday (fixed or dated).
  bool IsHoliday(Date d) const;
  // Working seconds in [a, b); 0 when b <= a.
  int64_t BusinessSecondsBetween(Timestamp a, Timestamp b) const;
  // Working hours in [a, b) as a decimal number; 0 when b <= a.
  double BusinessHoursBetween(Timestamp a, Timestamp b) const;
  // The instant at which `seconds` of working time have passed since `start`.
  // A start outside working hours counts from the next opening; adding 0 to an
  // instant outside working hours gives that instant. Gives up after 3 years of
  // non-working days (a calendar without working days) and returns start + 3 years.
  Timestamp AddBusinessSeconds(Timestamp start, int64_t seconds) const;

 private:
  BusinessCalendar(Zone zone, CalendarSpec spec);
  // Working window [open, close) of the local date with day number `days`, or open == close.
  void Window(int64_t days, Timestamp* open, Timestamp* close) const;

  Zone zone_;
  CalendarSpec spec_;
  bool working_weekday_[8] = {};
  std::vector<int64_t> dated_days_;  // sorted day numbers
};

}  // namespace cx
