// PostgreSQL Tx: feedback (feedback_store.h).
#include "store/postgres/pg_tx.h"

namespace cx {

Result<std::vector<FeedbackGroupTally>> PgTx::FeedbackTallies(const std::string&,
                                                              const std::string&, Timestamp,
                                                              Timestamp, FeedbackGroup) {
  return Internal("feedback: FeedbackTallies is not implemented on PostgreSQL yet");
}

Result<std::vector<TouchpointFeedback>> PgTx::TouchpointFeedbackTallies(Timestamp, Timestamp) {
  return Internal("feedback: TouchpointFeedbackTallies is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::FeedbackIds(const std::string&, const std::string&,
                                                   const std::string&, Timestamp, Timestamp, int) {
  return Internal("feedback: FeedbackIds is not implemented on PostgreSQL yet");
}

Status PgTx::SetNewsletter(const std::string&, const std::string&) {
  return Internal("feedback: SetNewsletter is not implemented on PostgreSQL yet");
}

Result<std::string> PgTx::Newsletter(const std::string&) {
  return Internal("feedback: Newsletter is not implemented on PostgreSQL yet");
}

Result<std::vector<std::pair<std::string, std::string>>> PgTx::NewsletterDates() {
  return Internal("feedback: NewsletterDates is not implemented on PostgreSQL yet");
}

Result<int64_t> PgTx::CountNewsletterSignups(const std::string&, const std::string&) {
  return Internal("feedback: CountNewsletterSignups is not implemented on PostgreSQL yet");
}

Result<std::vector<std::string>> PgTx::NewsletterContacts(const std::string&, const std::string&,
                                                          int) {
  return Internal("feedback: NewsletterContacts is not implemented on PostgreSQL yet");
}

Status PgTx::InsertSurveyToken(const SurveyToken&) {
  return Internal("feedback: InsertSurveyToken is not implemented on PostgreSQL yet");
}

Result<std::optional<SurveyToken>> PgTx::GetSurveyToken(const std::string&) {
  return Internal("feedback: GetSurveyToken is not implemented on PostgreSQL yet");
}

Result<bool> PgTx::UseSurveyToken(const std::string&, Timestamp, const std::string&) {
  return Internal("feedback: UseSurveyToken is not implemented on PostgreSQL yet");
}

}  // namespace cx
