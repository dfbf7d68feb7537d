// SQLite Tx: the tallies behind the feedback measures, newsletter subscriptions, survey links
// (0029).
#include "store/sqlite/sqlite_tx.h"

namespace cx {

using sqlite::Stmt;

namespace {

Status RunOnce(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

// The tally columns of one kind's scores, from column `at` on: n, sum, 9–10, 0–6, 4–5.
ScoreTally ReadTally(const Stmt& r, int at) {
  return ScoreTally{r.Int(at), r.Real(at + 1), r.Int(at + 2), r.Int(at + 3), r.Int(at + 4)};
}

constexpr const char* kTallyCols =
    "count(*), total(score), sum(score >= 9), sum(score <= 6), sum(score >= 4)";

}  // namespace

Result<std::vector<FeedbackGroupTally>> SqliteTx::FeedbackTallies(const std::string& kind,
                                                                  const std::string& division,
                                                                  Timestamp from, Timestamp to,
                                                                  FeedbackGroup by) {
  // The grouping column comes from this fixed choice, never from input.
  const char* key = by == FeedbackGroup::kDivision     ? "division, ''"
                    : by == FeedbackGroup::kTouchpoint ? "touchpoint, ''"
                                                       : "stage, division";
  const char* group = by == FeedbackGroup::kDivision     ? "division"
                      : by == FeedbackGroup::kTouchpoint ? "touchpoint"
                                                         : "division, stage";
  std::string sql = std::string("SELECT ") + key + ", " + kTallyCols + " FROM feedback ";
  if (division.empty()) {
    sql += "WHERE kind = ?1 AND date >= ?3 AND date < ?4 AND ?2 = ''";
  } else {
    sql += "WHERE division = ?2 AND kind = ?1 AND date >= ?3 AND date < ?4";
  }
  sql += std::string(" GROUP BY ") + group + " ORDER BY " + group;
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
  s->Bind(1, kind).Bind(2, division).Bind(3, from).Bind(4, to);
  std::vector<FeedbackGroupTally> out;
  while (s->Step()) out.push_back(FeedbackGroupTally{s->Text(0), s->Text(1), ReadTally(*s, 2)});
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<TouchpointFeedback>> SqliteTx::TouchpointFeedbackTallies(Timestamp from,
                                                                            Timestamp to) {
  // Read from the index feedback_date_touchpoint alone.
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT touchpoint, count(*), "
                   "sum(kind = 'nps'), total(CASE WHEN kind = 'nps' THEN score END), "
                   "sum(kind = 'nps' AND score >= 9), sum(kind = 'nps' AND score <= 6), "
                   "sum(kind = 'emotion'), total(CASE WHEN kind = 'emotion' THEN score END) "
                   "FROM feedback INDEXED BY feedback_date_touchpoint "
                   "WHERE date >= ?1 AND date < ?2 AND touchpoint <> '' GROUP BY touchpoint"));
  s->Bind(1, from).Bind(2, to);
  std::vector<TouchpointFeedback> out;
  while (s->Step()) {
    TouchpointFeedback t;
    t.touchpoint_id = s->Text(0);
    t.responses = s->Int(1);
    t.nps = ScoreTally{s->Int(2), s->Real(3), s->Int(4), s->Int(5), 0};
    t.emotion = ScoreTally{s->Int(6), s->Real(7), 0, 0, 0};
    out.push_back(std::move(t));
  }
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::string>> SqliteTx::FeedbackIds(const std::string& kind,
                                                       const std::string& division,
                                                       const std::string& touchpoint,
                                                       Timestamp from, Timestamp to, int limit) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT id FROM feedback WHERE date >= ?4 AND date < ?5 "
                                   "AND (?1 = '' OR kind = ?1) AND (?2 = '' OR division = ?2) "
                                   "AND (?3 = '' OR touchpoint = ?3) ORDER BY date, id LIMIT ?6"));
  s->Bind(1, kind).Bind(2, division).Bind(3, touchpoint).Bind(4, from).Bind(5, to);
  s->Bind(6, int64_t(limit));
  return sqlite::Texts(s);
}

Status SqliteTx::SetNewsletter(const std::string& contact_id, const std::string& date) {
  if (date.empty()) {
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare("DELETE FROM contact_newsletter WHERE contact_id = ?1"));
    s->Bind(1, contact_id);
    return RunOnce(s);
  }
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("INSERT INTO contact_newsletter (contact_id, subscribed) "
                                   "VALUES (?1, ?2) ON CONFLICT (contact_id) DO UPDATE SET "
                                   "subscribed = excluded.subscribed"));
  s->Bind(1, contact_id).Bind(2, date);
  Status st = RunOnce(s);
  if (st.code() == Code::kConflict) return Conflict("contact " + contact_id + " does not exist");
  return st;
}

Result<std::string> SqliteTx::Newsletter(const std::string& contact_id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT subscribed FROM contact_newsletter WHERE contact_id = ?1"));
  s->Bind(1, contact_id);
  std::string out;
  if (s->Step()) out = s->Text(0);
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteTx::NewsletterDates() {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT contact_id, subscribed FROM "
                                             "contact_newsletter ORDER BY contact_id"));
  std::vector<std::pair<std::string, std::string>> out;
  while (s->Step()) out.emplace_back(s->Text(0), s->Text(1));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> SqliteTx::CountNewsletterSignups(const std::string& from_date,
                                                 const std::string& to_date) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT count(*) FROM contact_newsletter "
                                             "WHERE subscribed >= ?1 AND subscribed <= ?2"));
  s->Bind(1, from_date).Bind(2, to_date);
  int64_t n = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return n;
}

Result<std::vector<std::string>> SqliteTx::NewsletterContacts(const std::string& from_date,
                                                              const std::string& to_date,
                                                              int limit) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT contact_id FROM contact_newsletter "
                                             "WHERE subscribed >= ?1 AND subscribed <= ?2 "
                                             "ORDER BY subscribed, contact_id LIMIT ?3"));
  s->Bind(1, from_date).Bind(2, to_date).Bind(3, int64_t(limit));
  return sqlite::Texts(s);
}

Status SqliteTx::InsertSurveyToken(const SurveyToken& t) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("INSERT INTO survey_tokens (nonce_hash, touchpoint_id, contact_id, "
                             "kind, created_at, expires_at, created_by) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  s->Bind(1, t.nonce_hash).Bind(2, t.touchpoint_id).Bind(3, t.contact_id).Bind(4, t.kind);
  s->Bind(5, t.created_at).Bind(6, t.expires_at).Bind(7, t.created_by);
  return RunOnce(s);
}

Result<std::optional<SurveyToken>> SqliteTx::GetSurveyToken(const std::string& nonce_hash) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT nonce_hash, touchpoint_id, contact_id, kind, "
                                   "created_by, created_at, expires_at, used_at, "
                                   "feedback_id FROM survey_tokens WHERE nonce_hash = ?1"));
  s->Bind(1, nonce_hash);
  std::optional<SurveyToken> out;
  if (s->Step()) {
    SurveyToken t;
    t.nonce_hash = s->Text(0);
    t.touchpoint_id = s->Text(1);
    t.contact_id = s->Text(2);
    t.kind = s->Text(3);
    t.created_by = s->Text(4);
    t.created_at = s->Int(5);
    t.expires_at = s->Int(6);
    t.used_at = s->OptInt(7);
    t.feedback_id = s->Text(8);
    out = std::move(t);
  }
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<bool> SqliteTx::UseSurveyToken(const std::string& nonce_hash, Timestamp at,
                                      const std::string& feedback_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("UPDATE survey_tokens SET used_at = ?2, "
                                             "feedback_id = ?3 WHERE nonce_hash = ?1 AND "
                                             "used_at IS NULL"));
  s->Bind(1, nonce_hash).Bind(2, at).Bind(3, feedback_id);
  CX_RETURN_IF_ERROR(RunOnce(s));
  return db_->Changes() > 0;
}

}  // namespace cx
