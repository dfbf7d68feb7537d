// Tests of the SLA clock states of docs/journeys.md.
#include "domain/sla.h"

#include <gtest/gtest.h>

namespace cx {
namespace {

Timestamp Lagos(const char* text) { return *ParseTime(text, Zone::Default()); }

const SlaRule kInquiry{"inquiry", "Motors", 12 * 3600, false};
const SlaRule kLead{"lead", "Power & Industrial", 4 * 3600, true};

SlaClock Clock(const SlaRule& r, Timestamp start, std::optional<Timestamp> stop,
               const BusinessCalendar& cal) {
  return SlaClock{start, SlaDue(r, start, cal), stop};
}

TEST(SlaTest, ClockHoursStates) {
  BusinessCalendar cal = BusinessCalendar::Default();
  Timestamp s = Lagos("2026-11-21 20:00");  // a Saturday night: clock hours ignore the calendar
  SlaClock c = Clock(kInquiry, s, std::nullopt, cal);
  EXPECT_EQ(c.due, Lagos("2026-11-22 08:00"));
  EXPECT_EQ(SlaStateAt(kInquiry, c, s + 3600, cal), SlaState::kRunning);
  EXPECT_EQ(SlaStateAt(kInquiry, c, Lagos("2026-11-22 05:00"), cal),
            SlaState::kRunning);  // exactly 25 % left
  EXPECT_EQ(SlaStateAt(kInquiry, c, Lagos("2026-11-22 05:00") + 1, cal), SlaState::kAtRisk);
  EXPECT_EQ(SlaStateAt(kInquiry, c, c.due, cal), SlaState::kAtRisk);
  EXPECT_EQ(SlaStateAt(kInquiry, c, c.due + 1, cal), SlaState::kBreached);
}

TEST(SlaTest, StopsDecideMetOrBreachedAndLaterStopsDoNotCount) {
  BusinessCalendar cal = BusinessCalendar::Default();
  Timestamp s = Lagos("2026-11-18 09:00");
  SlaClock met = Clock(kInquiry, s, s + 12 * 3600, cal);  // stopped exactly at due
  EXPECT_EQ(SlaStateAt(kInquiry, met, s + 13 * 3600, cal), SlaState::kMet);
  SlaClock late = Clock(kInquiry, s, s + 12 * 3600 + 1, cal);
  EXPECT_EQ(SlaStateAt(kInquiry, late, s + 13 * 3600, cal), SlaState::kBreached);
  // Asked before the stop: the stop does not count yet.
  EXPECT_EQ(SlaStateAt(kInquiry, met, s + 3600, cal), SlaState::kRunning);
  EXPECT_EQ(SlaStateAt(kInquiry, late, s + 12 * 3600 + 1, cal), SlaState::kBreached);
}

TEST(SlaTest, BusinessHoursAllowanceLeftIsMeasuredInBusinessHours) {
  BusinessCalendar cal = BusinessCalendar::Default();
  SlaClock c = Clock(kLead, Lagos("2026-11-20 16:00"), std::nullopt, cal);  // Friday
  EXPECT_EQ(c.due, Lagos("2026-11-23 11:00"));
  // Saturday: 3 business hours left of 4 → running, though only ~1.5 days remain on the clock.
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-21 12:00"), cal), SlaState::kRunning);
  // Monday 10:00: exactly 1 h (25 %) left → running; 10:01 → at risk.
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-23 10:00"), cal), SlaState::kRunning);
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-23 10:01"), cal), SlaState::kAtRisk);
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-23 11:00") + 1, cal), SlaState::kBreached);
  // Friday 16:30: 30 min used, 3.5 h left → running.
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-20 16:30"), cal), SlaState::kRunning);
}

TEST(SlaTest, OutOfHoursLeadStartsAtNextOpening) {
  BusinessCalendar cal = BusinessCalendar::Default();
  SlaClock c = Clock(kLead, Lagos("2026-11-18 21:00"), std::nullopt, cal);
  EXPECT_EQ(c.due, Lagos("2026-11-19 12:00"));
  EXPECT_EQ(SlaStateAt(kLead, c, Lagos("2026-11-19 07:59"), cal), SlaState::kRunning);
}

TEST(SlaTest, StateNames) {
  EXPECT_EQ(SlaStateName(SlaState::kBreached), "breached");
  EXPECT_EQ(SlaStateName(SlaState::kAtRisk), "at-risk");
  EXPECT_EQ(SlaStateName(SlaState::kRunning), "running");
  EXPECT_EQ(SlaStateName(SlaState::kMet), "met");
}

}  // namespace
}  // namespace cx
