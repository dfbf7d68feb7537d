// Tests of cases: the service-quote rule (Motors) and the order of case steps.
#include "service/case_service.h"

#include <gtest/gtest.h>

#include "journey_test_util.h"

namespace cx {
namespace {

using journey_testing::Hub;

TEST(CaseServiceTest, ServiceJobCannotStartBeforeItsQuoteIsApprovedAndNothingIsWritten) {
  Hub h;
  h.At("2026-11-16 09:00");
  std::string acc = h.AddAccount("Okafor Family", "Motors");
  Case c;
  c.account_id = acc;
  c.division = "Motors";
  c.kind = "service job";
  c.summary = "10,000 km service";
  auto opened = OpenCase(h.ctx, c);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->kind, "service-job");
  int64_t audit = h.AuditCount();
  auto start = AdvanceCase(h.ctx, opened->id, CaseStep::kStartWork, std::nullopt);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.status().code(), Code::kConflict);
  EXPECT_NE(start.status().message().find("cannot start before its service quote is approved"),
            std::string::npos);
  EXPECT_EQ(h.AuditCount(), audit);
  auto shown = ShowCase(h.ctx, opened->id);
  EXPECT_FALSE(shown->kase.work_started.has_value());

  h.At("2026-11-16 11:00");
  ASSERT_TRUE(AdvanceCase(h.ctx, opened->id, CaseStep::kApproveQuote, std::nullopt).ok());
  h.At("2026-11-16 11:30");
  auto started = AdvanceCase(h.ctx, opened->id, CaseStep::kStartWork, std::nullopt);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(*started->work_started, h.now);
  EXPECT_EQ(AdvanceCase(h.ctx, opened->id, CaseStep::kStartWork, std::nullopt).status().code(),
            Code::kConflict);
}

TEST(CaseServiceTest, OtherDivisionsServiceJobsNeedNoQuoteAndStepsAreChecked) {
  Hub h;
  h.At("2026-11-16 09:00");
  std::string acc = h.AddAccount("Ikeja Plant", "Power & Industrial");
  Case c;
  c.account_id = acc;
  c.division = "Power & Industrial";
  c.kind = "service-job";
  auto opened = OpenCase(h.ctx, c);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(AdvanceCase(h.ctx, opened->id, CaseStep::kStartWork, std::nullopt).ok());
  auto early =
      AdvanceCase(h.ctx, opened->id, CaseStep::kClose, *ParseTime("2026-11-15 09:00", h.ctx.zone));
  EXPECT_EQ(early.status().code(), Code::kInvalid);
  ASSERT_TRUE(AdvanceCase(h.ctx, opened->id, CaseStep::kClose, std::nullopt).ok());
  EXPECT_EQ(AdvanceCase(h.ctx, opened->id, CaseStep::kRespond, std::nullopt).status().code(),
            Code::kConflict);
  Case complaint;
  complaint.account_id = acc;
  complaint.division = "Power & Industrial";
  complaint.kind = "complaint";
  auto k = OpenCase(h.ctx, complaint);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(AdvanceCase(h.ctx, k->id, CaseStep::kApproveQuote, std::nullopt).status().code(),
            Code::kConflict);
  Case bad;
  bad.account_id = "A-404";
  bad.division = "Medical";
  bad.kind = "quality-flag";
  EXPECT_EQ(OpenCase(h.ctx, bad).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace cx
