// Survey links (docs/feedback.md): a signed, single-use link that a salesperson sends a customer
// by WhatsApp or SMS; the customer answers one question on a page that needs no login.
#pragma once

#include <optional>
#include <string>

#include "service/context.h"

namespace cx {

// How long a link stays valid.
inline constexpr int64_t kSurveyLinkSeconds = 30 * 86400;

struct SurveyLinkRequest {
  std::string touchpoint, contact;
  std::string kind = "nps";  // nps, csat or emotion
  std::string base_url;      // where the hub is reached, e.g. https://hub.example.com
};
struct SurveyLink {
  std::string url, token;
  std::string touchpoint, contact, kind;
  Timestamp expires_at = 0;
};

// Makes a link: a random nonce and its HMAC-SHA256 under the hub's survey secret (made on
// first use and kept in the database), stored by the nonce's hash with what it asks and when
// it expires. Audited. Errors: kInvalid (unknown touchpoint or contact, a kind that is not
// nps, csat or emotion, no base URL), kForbidden.
Result<SurveyLink> CreateSurveyLink(const Context& ctx, const SurveyLinkRequest& r);

// What a valid, unused link asks.
struct SurveyQuestion {
  std::string kind, touchpoint_name, division, stage;
  int min_score = 0, max_score = 10;
  Timestamp expires_at = 0;
};
// Checks a token (signature, known, not expired, not used) without writing anything.
// Errors: kInvalid for a text that is not shaped like a token; kNotFound for a token that is
// forged, unknown or damaged; kConflict for a used or expired one (the message says which).
Result<SurveyQuestion> OpenSurvey(const Context& ctx, const std::string& token);

// Records the answer to a link as feedback (source "survey", the link's touchpoint, contact,
// kind, and the touchpoint's division and stage), and marks the link used, in one transaction:
// a second answer is refused. Errors as OpenSurvey, plus kInvalid for a score out of range or a
// comment too long; nothing written on error.
Result<Feedback> AnswerSurvey(const Context& ctx, const std::string& token, double score,
                              const std::string& comment);

// Counts one request to the survey pages from `address` and says whether it is over the limit
// (more than `max_per_window` in the last `window_seconds`): the throttle of the public page,
// kept in the database like the login throttle.
Result<bool> SurveyThrottled(const Context& ctx, const std::string& address, int max_per_window,
                             int64_t window_seconds);

}  // namespace cx
