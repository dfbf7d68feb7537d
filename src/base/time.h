// Instants (UTC seconds) and their conversion to and from a time zone's wall clock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cx {

// Seconds since 1970-01-01T00:00:00Z. Every stored time is one of these.
using Timestamp = int64_t;

// The hub's default zone (docs/data-model.md).
inline constexpr std::string_view kDefaultZone = "Africa/Lagos";

// A civil date (proleptic Gregorian).
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const Date&) const = default;
};

// Days since 1970-01-01 for a civil date, and back.
int64_t DaysFromCivil(Date d);
Date CivilFromDays(int64_t days);
// Monday = 1 … Sunday = 7.
int IsoWeekday(Date d);

// A time zone looked up in the system's tz database. Cheap to copy.
class Zone {
 public:
  // Errors: kInvalid when the name is not a known zone.
  static Result<Zone> Find(std::string_view name);
  // The default zone; aborts if the tz database lacks it (installation error).
  static Zone Default();

  const std::string& name() const { return name_; }
  // Wall clock → instant. A wall time skipped by a DST jump moves forward; an
  // ambiguous one takes the earlier instant.
  Timestamp ToUtc(Date d, int seconds_of_day) const;
  // Instant → wall-clock date and seconds since local midnight.
  void ToLocal(Timestamp t, Date* d, int* seconds_of_day) const;
  // UTC offset in seconds at an instant.
  int OffsetAt(Timestamp t) const;

 private:
  explicit Zone(const void* tz, std::string name) : tz_(tz), name_(std::move(name)) {}
  const void* tz_;  // date::time_zone*, owned by the tz database
  std::string name_;
};

// Parses a wall-clock time in `zone`. Accepts ISO forms ("2026-04-03",
// "2026-04-03T14:05", "2026-04-03 14:05:09", a trailing "Z" or offset means UTC
// or that offset) and day-first forms ("03/04/2026", "3.4.2026 14:05", "03-04-2026").
// Errors: kInvalid naming the text when it is not a valid date or time.
Result<Timestamp> ParseTime(std::string_view text, const Zone& zone);
// Parses a date only ("2026-04-03" or day-first).
Result<Date> ParseDate(std::string_view text);
// "YYYY-MM-DDTHH:MM:SS" in `zone`.
std::string FormatTime(Timestamp t, const Zone& zone);
// "YYYY-MM-DD".
std::string FormatDate(Date d);
// The current instant.
Timestamp Now();

}  // namespace cx
