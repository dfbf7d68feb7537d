// Tests of the business calendar: weekends, nights, holidays, out-of-hours starts, DST-free and DST
// zones.
#include "domain/calendar.h"

#include <gtest/gtest.h>

#include "base/embedded.h"

namespace cx {
namespace {

Timestamp Lagos(const char* text) {
  auto t = ParseTime(text, Zone::Default());
  EXPECT_TRUE(t.ok()) << text;
  return *t;
}

BusinessCalendar Shipped() {
  auto text = FindEmbedded("config/calendar.toml");
  EXPECT_TRUE(text.has_value());
  auto cal = BusinessCalendar::FromToml(*text, "config/calendar.toml");
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  return *cal;
}

TEST(CalendarTest, FridayAfternoonLeadIsDueMondayMorning) {
  BusinessCalendar cal = Shipped();
  // 2026-11-20 is a Friday.
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-20 16:00"), 4 * 3600), Lagos("2026-11-23 11:00"));
}

TEST(CalendarTest, MiddayLeadIsDueAtCloseTheSameDay) {
  BusinessCalendar cal = Shipped();
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-18 13:00"), 4 * 3600), Lagos("2026-11-18 17:00"));
}

TEST(CalendarTest, NightLeadCountsFromNextOpening) {
  BusinessCalendar cal = Shipped();
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-18 22:30"), 4 * 3600), Lagos("2026-11-19 12:00"));
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-19 06:00"), 4 * 3600), Lagos("2026-11-19 12:00"));
}

TEST(CalendarTest, WeekendLeadCountsFromMonday) {
  BusinessCalendar cal = Shipped();
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-21 10:00"), 4 * 3600), Lagos("2026-11-23 12:00"));
  EXPECT_EQ(cal.BusinessSecondsBetween(Lagos("2026-11-21 00:00"), Lagos("2026-11-23 00:00")), 0);
}

TEST(CalendarTest, FixedAndDatedHolidaysAreSkipped) {
  BusinessCalendar cal = Shipped();
  // Thursday 2026-12-24 16:00: one hour that day, then Christmas (Fri) and the weekend, Boxing Day
  // (Sat)... Monday 28.
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-12-24 16:00"), 4 * 3600), Lagos("2026-12-28 11:00"));
  // Good Friday 2026-04-03 and Easter Monday 2026-04-06 come from the dated list.
  EXPECT_TRUE(cal.IsHoliday(Date{2026, 4, 3}));
  EXPECT_TRUE(cal.IsHoliday(Date{2027, 3, 29}));
  EXPECT_FALSE(cal.IsWorkingDay(Date{2026, 6, 12}));  // Democracy Day, a Friday
  EXPECT_TRUE(cal.IsWorkingDay(Date{2026, 6, 11}));
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-04-02 15:00"), 4 * 3600), Lagos("2026-04-07 10:00"));
}

TEST(CalendarTest, BusinessHoursBetweenCountsOnlyWorkingTime) {
  BusinessCalendar cal = Shipped();
  EXPECT_DOUBLE_EQ(cal.BusinessHoursBetween(Lagos("2026-11-20 16:00"), Lagos("2026-11-23 11:00")),
                   4.0);
  EXPECT_DOUBLE_EQ(cal.BusinessHoursBetween(Lagos("2026-11-18 07:00"), Lagos("2026-11-18 20:00")),
                   9.0);
  EXPECT_DOUBLE_EQ(cal.BusinessHoursBetween(Lagos("2026-11-18 12:30"), Lagos("2026-11-18 13:00")),
                   0.5);
  EXPECT_DOUBLE_EQ(cal.BusinessHoursBetween(Lagos("2026-11-18 13:00"), Lagos("2026-11-18 12:00")),
                   0.0);
  // A full week: five days of nine hours.
  EXPECT_DOUBLE_EQ(cal.BusinessHoursBetween(Lagos("2026-11-16 00:00"), Lagos("2026-11-23 00:00")),
                   45.0);
}

TEST(CalendarTest, AddingZeroKeepsTheInstant) {
  BusinessCalendar cal = Shipped();
  EXPECT_EQ(cal.AddBusinessSeconds(Lagos("2026-11-21 10:00"), 0), Lagos("2026-11-21 10:00"));
}

TEST(CalendarTest, DstZoneKeepsLocalWorkingHours) {
  CalendarSpec spec;
  spec.zone = "Europe/London";
  auto cal = BusinessCalendar::Make(spec);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  Zone london = *Zone::Find("Europe/London");
  auto at = [&](const char* s) { return *ParseTime(s, london); };
  // Clocks go forward on Sunday 2026-03-29; Friday 16:00 + 4 business hours = Monday 11:00 local
  // (BST).
  EXPECT_EQ(cal->AddBusinessSeconds(at("2026-03-27 16:00"), 4 * 3600), at("2026-03-30 11:00"));
  // Clocks go back on Sunday 2026-10-25; the same holds on local time.
  EXPECT_EQ(cal->AddBusinessSeconds(at("2026-10-23 16:00"), 4 * 3600), at("2026-10-26 11:00"));
  // The elapsed real time over the weekend differs by the hour of the change.
  EXPECT_EQ(at("2026-03-30 11:00") - at("2026-03-27 16:00"), (2 * 24 + 19) * 3600 - 3600);
  EXPECT_EQ(at("2026-10-26 11:00") - at("2026-10-23 16:00"), (2 * 24 + 19) * 3600 + 3600);
  EXPECT_DOUBLE_EQ(cal->BusinessHoursBetween(at("2026-03-27 00:00"), at("2026-03-31 00:00")), 18.0);
}

TEST(CalendarTest, DstFreeZoneHasNoShift) {
  BusinessCalendar cal = Shipped();
  // Lagos has no DST: the same Friday→Monday span in March and October is equally long.
  Timestamp m = cal.AddBusinessSeconds(Lagos("2026-03-27 16:00"), 4 * 3600);
  Timestamp o = cal.AddBusinessSeconds(Lagos("2026-10-23 16:00"), 4 * 3600);
  EXPECT_EQ(m - Lagos("2026-03-27 16:00"), o - Lagos("2026-10-23 16:00"));
}

TEST(CalendarTest, BadCalendarFilesAreRefusedNamingTheKey) {
  auto r = BusinessCalendar::FromToml(
      "zone = \"Mars/Olympus\"\nworking_days = [\"Mon\", \"Funday\"]\nday_start = \"25:00\"\n"
      "fixed_holidays = [\"02-30\"]\n[[holiday]]\nname = \"x\"\n",
      "my/calendar.toml");
  ASSERT_FALSE(r.ok());
  std::string all = r.status().ToString();
  EXPECT_NE(all.find("my/calendar.toml: working_days"), std::string::npos) << all;
  EXPECT_NE(all.find("day_start"), std::string::npos) << all;
  EXPECT_NE(all.find("fixed_holidays"), std::string::npos) << all;
  EXPECT_NE(all.find("holiday #1.date"), std::string::npos) << all;
  auto z = BusinessCalendar::FromToml("zone = \"Mars/Olympus\"\n", "c.toml");
  ASSERT_FALSE(z.ok());
  EXPECT_NE(z.status().ToString().find("Mars/Olympus"), std::string::npos);
  auto syntax = BusinessCalendar::FromToml("zone = ", "c.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("c.toml:1:"), std::string::npos)
      << syntax.status().message();
}

}  // namespace
}  // namespace cx
