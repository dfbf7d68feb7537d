// Survey links: signed, single use, 30 days; the answer is feedback of the link's touchpoint.
#include "service/survey_service.h"

#include <gtest/gtest.h>

#include "kpi_test_util.h"

namespace cx {
namespace {

using kpitest::Hub;

class SurveyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub.ctx.now = [this] { return now; };
    hub.Write([&](Tx& tx) -> Status {
      hub.Account(tx, "A-1");
      hub.Contact(tx, "C-1", "A-1");
      Touchpoint t;
      t.id = "T-000001";
      t.name = "Quote by email";
      t.division = "Motors";
      t.stage = "Quote";
      return tx.InsertTouchpoint(t);
    });
  }
  int64_t FeedbackRows() {
    int64_t n = 0;
    hub.Write([&](Tx& tx) {
      return tx.ForEachFeedback([&](const Feedback&) {
        ++n;
        return Status::Ok();
      });
    });
    return n;
  }
  Hub hub;
  Timestamp now = 1790000000;
};

TEST_F(SurveyTest, OneAnswerPerLinkRecordedAtTheTouchpoint) {
  auto link = CreateSurveyLink(hub.ctx, {"T-000001", "C-1", "emotion", "https://hub.example/"});
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_EQ(link->url, "https://hub.example/survey/" + link->token);
  EXPECT_EQ(link->expires_at, now + 30 * 86400);
  auto q = OpenSurvey(hub.ctx, link->token);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->min_score, -2);
  EXPECT_EQ(q->max_score, 2);
  // Out of range: refused, nothing written, the link still open.
  auto bad = AnswerSurvey(hub.ctx, link->token, 3, "");
  EXPECT_EQ(bad.status().code(), Code::kInvalid);
  EXPECT_EQ(FeedbackRows(), 0);
  auto f = AnswerSurvey(hub.ctx, link->token, -1, "Waited a week for the quote");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->source, "survey");
  EXPECT_EQ(f->touchpoint, "T-000001");
  EXPECT_EQ(f->division, "Motors");
  EXPECT_EQ(f->stage, "Quote");
  EXPECT_EQ(f->account_id, "A-1");
  auto again = AnswerSurvey(hub.ctx, link->token, 2, "");
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(FeedbackRows(), 1);
}

TEST_F(SurveyTest, ForgedAndExpiredLinksAreRefused) {
  auto link = CreateSurveyLink(hub.ctx, {"T-000001", "", "nps", "http://127.0.0.1:8080"});
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  std::string forged = link->token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(OpenSurvey(hub.ctx, forged).status().code(), Code::kNotFound);
  EXPECT_EQ(OpenSurvey(hub.ctx, "nonsense").status().code(), Code::kInvalid);
  now += 30 * 86400 - 1;
  EXPECT_TRUE(OpenSurvey(hub.ctx, link->token).ok());
  now += 1;
  auto late = AnswerSurvey(hub.ctx, link->token, 9, "");
  EXPECT_EQ(late.status().code(), Code::kConflict);
  EXPECT_NE(late.status().message().find("expired"), std::string::npos);
  EXPECT_EQ(FeedbackRows(), 0);
  EXPECT_FALSE(CreateSurveyLink(hub.ctx, {"T-404", "", "nps", "http://x"}).ok());
  EXPECT_FALSE(CreateSurveyLink(hub.ctx, {"T-000001", "", "review", "http://x"}).ok());
}

TEST_F(SurveyTest, AnAddressThatFloodsIsThrottled) {
  for (int i = 0; i < 5; ++i) {
    auto over = SurveyThrottled(hub.ctx, "203.0.113.9", 5, 600);
    ASSERT_TRUE(over.ok());
    EXPECT_FALSE(*over);
  }
  EXPECT_TRUE(*SurveyThrottled(hub.ctx, "203.0.113.9", 5, 600));
  EXPECT_FALSE(*SurveyThrottled(hub.ctx, "198.51.100.1", 5, 600));
  now += 601;
  EXPECT_FALSE(*SurveyThrottled(hub.ctx, "203.0.113.9", 5, 600));
}

}  // namespace
}  // namespace cx
