// The store's operations for the measures of feedback, newsletter subscriptions and survey
// links (docs/feedback.md). Implemented by each backend's Tx; no SQL here. (Single feedback
// rows are written and read through Tx's InsertFeedback / GetFeedback / UpdateFeedback.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/feedback_measures.h"

namespace cx {

// What feedback scores are grouped by.
enum class FeedbackGroup { kDivision, kTouchpoint, kStage };

// One group's tally of one kind of feedback.
struct FeedbackGroupTally {
  std::string key;       // the division, touchpoint id or stage ("" = none given)
  std::string division;  // for kStage: the stage's division (stages are per journey)
  ScoreTally tally;
};

// Per touchpoint: every feedback row of the period, its nps and emotion tallies.
struct TouchpointFeedback {
  std::string touchpoint_id;
  int64_t responses = 0;
  ScoreTally nps, emotion;
};

// A survey link as kept: the hash of its nonce, never the nonce.
struct SurveyToken {
  std::string nonce_hash;
  std::string touchpoint_id, contact_id, kind, created_by;
  Timestamp created_at = 0, expires_at = 0;
  std::optional<Timestamp> used_at;
  std::string feedback_id;
};

class FeedbackStore {
 public:
  virtual ~FeedbackStore() = default;

  // Feedback of `kind` dated in [from, to), of `division` ("" = every division), tallied per
  // group. Reads an index, never every row.
  virtual Result<std::vector<FeedbackGroupTally>> FeedbackTallies(const std::string& kind,
                                                                  const std::string& division,
                                                                  Timestamp from, Timestamp to,
                                                                  FeedbackGroup by) = 0;
  // Feedback dated in [from, to) that names a touchpoint, tallied per touchpoint.
  virtual Result<std::vector<TouchpointFeedback>> TouchpointFeedbackTallies(Timestamp from,
                                                                            Timestamp to) = 0;
  // Every feedback id of `kind` ("" = any) dated in [from, to) of the division ("" = any) and
  // touchpoint ("" = any), up to `limit`, by date: the drill-down behind a measure.
  virtual Result<std::vector<std::string>> FeedbackIds(const std::string& kind,
                                                       const std::string& division,
                                                       const std::string& touchpoint,
                                                       Timestamp from, Timestamp to, int limit) = 0;

  // The contact's newsletter subscription date (YYYY-MM-DD), "" = none (forgets it).
  // Errors: kConflict when the contact does not exist.
  virtual Status SetNewsletter(const std::string& contact_id, const std::string& date) = 0;
  // Its subscription date, or "".
  virtual Result<std::string> Newsletter(const std::string& contact_id) = 0;
  // Every (contact, subscription date) pair, by contact: for an export.
  virtual Result<std::vector<std::pair<std::string, std::string>>> NewsletterDates() = 0;
  // Contacts whose subscription date is in [from_date, to_date] (YYYY-MM-DD, inclusive).
  virtual Result<int64_t> CountNewsletterSignups(const std::string& from_date,
                                                 const std::string& to_date) = 0;
  // Up to `limit` of them, by date then id.
  virtual Result<std::vector<std::string>> NewsletterContacts(const std::string& from_date,
                                                              const std::string& to_date,
                                                              int limit) = 0;

  // Survey links. Errors of Insert: kConflict when the hash exists.
  virtual Status InsertSurveyToken(const SurveyToken& t) = 0;
  virtual Result<std::optional<SurveyToken>> GetSurveyToken(const std::string& nonce_hash) = 0;
  // Marks the token used by `feedback_id` at `at`; false (nothing changed) when it was used
  // already — so that two answers racing for one token cannot both be kept.
  virtual Result<bool> UseSurveyToken(const std::string& nonce_hash, Timestamp at,
                                      const std::string& feedback_id) = 0;
};

}  // namespace cx
