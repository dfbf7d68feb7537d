// Tests for parsing and formatting times in a zone.
#include "base/time.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

TEST(TimeTest, IsoAndDayFirstFormsMeanTheSameWallClock) {
  Zone lagos = Zone::Default();
  auto iso = ParseTime("2026-04-03 14:05", lagos);
  auto day_first = ParseTime("03/04/2026 14:05", lagos);
  auto dotted = ParseTime("3.4.2026 14:05:00", lagos);
  ASSERT_TRUE(iso.ok() && day_first.ok() && dotted.ok());
  EXPECT_EQ(*iso, *day_first);  // 03/04 is 3 April, not 4 March
  EXPECT_EQ(*iso, *dotted);
  EXPECT_EQ(FormatTime(*iso, lagos), "2026-04-03T14:05:00");
  // Lagos is UTC+1 all year.
  EXPECT_EQ(*ParseTime("2026-04-03T13:05:00Z", lagos), *iso);
  EXPECT_EQ(*ParseTime("2026-04-03T15:05:00+02:00", lagos), *iso);
}

TEST(TimeTest, DateOnlyIsLocalMidnight) {
  Zone lagos = Zone::Default();
  EXPECT_EQ(FormatTime(*ParseTime("2026-12-31", lagos), lagos), "2026-12-31T00:00:00");
  EXPECT_EQ(FormatTime(*ParseTime("31/12/26", lagos), lagos), "2026-12-31T00:00:00");
}

TEST(TimeTest, RejectsImpossibleDatesWithTheText) {
  Zone lagos = Zone::Default();
  for (const char* bad :
       {"2026-13-45", "31/02/2026", "2026-02-29", "yesterday", "2026-04-03 25:00", "", "12/2026"}) {
    auto r = ParseTime(bad, lagos);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalid);
      EXPECT_NE(r.status().message().find(bad), std::string::npos);
    }
  }
  EXPECT_TRUE(ParseTime("2028-02-29", lagos).ok());  // leap year
}

TEST(TimeTest, DstZoneConvertsBothSidesOfTheChange) {
  auto berlin = Zone::Find("Europe/Berlin");
  ASSERT_TRUE(berlin.ok());
  Timestamp winter = *ParseTime("2026-01-15 12:00", *berlin);
  Timestamp summer = *ParseTime("2026-07-15 12:00", *berlin);
  EXPECT_EQ(berlin->OffsetAt(winter), 3600);
  EXPECT_EQ(berlin->OffsetAt(summer), 7200);
  EXPECT_EQ(FormatTime(summer, *berlin), "2026-07-15T12:00:00");
  // 02:30 on the spring-forward night does not exist: it moves forward.
  Timestamp gap = *ParseTime("2026-03-29 02:30", *berlin);
  EXPECT_EQ(FormatTime(gap, *berlin), "2026-03-29T03:30:00");
  EXPECT_FALSE(Zone::Find("Mars/Olympus").ok());
}

TEST(TimeTest, CivilDayArithmetic) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2026, 12, 31}) + 1), (Date{2027, 1, 1}));
  EXPECT_EQ(IsoWeekday({2026, 11, 22}), 7);  // a Sunday
}

}  // namespace
}  // namespace cx
