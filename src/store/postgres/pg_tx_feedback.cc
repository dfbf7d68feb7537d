// PostgreSQL Tx: the tallies behind the feedback measures, newsletter subscriptions and survey
// links (0029_feedback_touchpoints.sql).
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

namespace {

// The tally columns of one kind's scores: n, sum, 9–10, 0–6, 4–5.
constexpr const char* kTallyCols =
    "count(*), COALESCE(sum(score), 0), count(*) FILTER (WHERE score >= 9), "
    "count(*) FILTER (WHERE score <= 6), count(*) FILTER (WHERE score >= 4)";

ScoreTally ReadTally(const pg::Rows& r, int at) {
  return ScoreTally{r.Int(at), r.Real(at + 1), r.Int(at + 2), r.Int(at + 3), r.Int(at + 4)};
}

std::vector<std::string> Texts(pg::Rows& r) {
  std::vector<std::string> out;
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

}  // namespace

Result<std::vector<FeedbackGroupTally>> PgTx::FeedbackTallies(const std::string& kind,
                                                              const std::string& division,
                                                              Timestamp from, Timestamp to,
                                                              FeedbackGroup by) {
  // The grouping columns come from this fixed choice, never from input.
  const char* key = by == FeedbackGroup::kDivision     ? "division, ''"
                    : by == FeedbackGroup::kTouchpoint ? "touchpoint, ''"
                                                       : "stage, division";
  const char* group = by == FeedbackGroup::kDivision     ? "division"
                      : by == FeedbackGroup::kTouchpoint ? "touchpoint"
                                                         : "division, stage";
  std::string sql = std::string("SELECT ") + key + ", " + kTallyCols +
                    " FROM feedback WHERE kind = $1 AND date >= $3 AND date < $4 AND ($2 = '' OR "
                    "division = $2) GROUP BY " +
                    group + " ORDER BY " + group;
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query(sql, pg::Params().Add(kind).Add(division).Add(from).Add(to)));
  std::vector<FeedbackGroupTally> out;
  while (r.Next()) out.push_back(FeedbackGroupTally{r.Text(0), r.Text(1), ReadTally(r, 2)});
  return out;
}

Result<std::vector<TouchpointFeedback>> PgTx::TouchpointFeedbackTallies(Timestamp from,
                                                                        Timestamp to) {
  // Read from the index feedback_date_touchpoint alone.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query("SELECT touchpoint, count(*), "
                             "count(*) FILTER (WHERE kind = 'nps'), "
                             "COALESCE(sum(score) FILTER (WHERE kind = 'nps'), 0), "
                             "count(*) FILTER (WHERE kind = 'nps' AND score >= 9), "
                             "count(*) FILTER (WHERE kind = 'nps' AND score <= 6), "
                             "count(*) FILTER (WHERE kind = 'emotion'), "
                             "COALESCE(sum(score) FILTER (WHERE kind = 'emotion'), 0) "
                             "FROM feedback WHERE date >= $1 AND date < $2 AND touchpoint <> '' "
                             "GROUP BY touchpoint ORDER BY touchpoint",
                             pg::Params().Add(from).Add(to)));
  std::vector<TouchpointFeedback> out;
  while (r.Next()) {
    TouchpointFeedback t;
    t.touchpoint_id = r.Text(0);
    t.responses = r.Int(1);
    t.nps = ScoreTally{r.Int(2), r.Real(3), r.Int(4), r.Int(5), 0};
    t.emotion = ScoreTally{r.Int(6), r.Real(7), 0, 0, 0};
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<std::string>> PgTx::FeedbackIds(const std::string& kind,
                                                   const std::string& division,
                                                   const std::string& touchpoint, Timestamp from,
                                                   Timestamp to, int limit) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db().Query("SELECT id FROM feedback WHERE date >= $4 AND date < $5 AND ($1 = '' OR kind = "
                 "$1) AND ($2 = '' OR division = $2) AND ($3 = '' OR touchpoint = $3) ORDER BY "
                 "date, id" +
                     pgrows::Limit(limit, 0),
                 pg::Params().Add(kind).Add(division).Add(touchpoint).Add(from).Add(to)));
  return Texts(r);
}

Status PgTx::SetNewsletter(const std::string& contact_id, const std::string& date) {
  if (date.empty()) {
    return db()
        .Exec("DELETE FROM contact_newsletter WHERE contact_id = $1", pg::Params().Add(contact_id))
        .status();
  }
  // Written only for a contact that exists (a failed foreign key would end the transaction).
  CX_ASSIGN_OR_RETURN(
      int64_t set,
      db().Exec(
          "INSERT INTO contact_newsletter (contact_id, subscribed) SELECT $1::text, $2::text WHERE "
          "EXISTS (SELECT 1 FROM contacts WHERE id = $1) ON CONFLICT (contact_id) DO "
          "UPDATE SET subscribed = excluded.subscribed",
          pg::Params().Add(contact_id).Add(date)));
  if (set == 0) return Conflict("contact " + contact_id + " does not exist");
  return Status::Ok();
}

Result<std::string> PgTx::Newsletter(const std::string& contact_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT subscribed FROM contact_newsletter WHERE contact_id = $1",
                                 pg::Params().Add(contact_id)));
  return r.Next() ? r.Text(0) : std::string();
}

Result<std::vector<std::pair<std::string, std::string>>> PgTx::NewsletterDates() {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT contact_id, subscribed FROM "
                                             "contact_newsletter ORDER BY contact_id"));
  std::vector<std::pair<std::string, std::string>> out;
  while (r.Next()) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

Result<int64_t> PgTx::CountNewsletterSignups(const std::string& from_date,
                                             const std::string& to_date) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db().Query("SELECT count(*) FROM contact_newsletter WHERE "
                                             "subscribed >= $1 AND subscribed <= $2",
                                             pg::Params().Add(from_date).Add(to_date)));
  return r.Next() ? r.Int(0) : 0;
}

Result<std::vector<std::string>> PgTx::NewsletterContacts(const std::string& from_date,
                                                          const std::string& to_date, int limit) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT contact_id FROM contact_newsletter WHERE subscribed >= "
                                 "$1 AND subscribed <= $2 ORDER BY subscribed, contact_id" +
                                     pgrows::Limit(limit, 0),
                                 pg::Params().Add(from_date).Add(to_date)));
  return Texts(r);
}

Status PgTx::InsertSurveyToken(const SurveyToken& t) {
  // A taken hash or an unknown touchpoint writes nothing rather than failing the statement.
  CX_ASSIGN_OR_RETURN(
      int64_t added,
      db().Exec(
          "INSERT INTO survey_tokens (nonce_hash, touchpoint_id, contact_id, kind, "
          "created_at, expires_at, created_by) SELECT $1::text, $2::text, $3::text, $4::text, "
          "$5::bigint, $6::bigint, $7::text WHERE "
          "EXISTS (SELECT 1 FROM touchpoints WHERE id = $2) ON CONFLICT (nonce_hash) DO "
          "NOTHING",
          pg::Params()
              .Add(t.nonce_hash)
              .Add(t.touchpoint_id)
              .Add(t.contact_id)
              .Add(t.kind)
              .Add(t.created_at)
              .Add(t.expires_at)
              .Add(t.created_by)));
  if (added == 0) {
    return Conflict("survey link not stored: its hash is taken or touchpoint " + t.touchpoint_id +
                    " does not exist");
  }
  return Status::Ok();
}

Result<std::optional<SurveyToken>> PgTx::GetSurveyToken(const std::string& nonce_hash) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query("SELECT nonce_hash, touchpoint_id, contact_id, kind, created_by, "
                                 "created_at, expires_at, used_at, feedback_id FROM survey_tokens "
                                 "WHERE nonce_hash = $1",
                                 pg::Params().Add(nonce_hash)));
  if (!r.Next()) return std::optional<SurveyToken>();
  SurveyToken t;
  t.nonce_hash = r.Text(0);
  t.touchpoint_id = r.Text(1);
  t.contact_id = r.Text(2);
  t.kind = r.Text(3);
  t.created_by = r.Text(4);
  t.created_at = r.Int(5);
  t.expires_at = r.Int(6);
  t.used_at = r.OptInt(7);
  t.feedback_id = r.Text(8);
  return std::optional<SurveyToken>(std::move(t));
}

Result<bool> PgTx::UseSurveyToken(const std::string& nonce_hash, Timestamp at,
                                  const std::string& feedback_id) {
  // One UPDATE that only a token not yet used matches: of two answers racing for one token,
  // the second waits for the first's row lock and then finds it used.
  CX_ASSIGN_OR_RETURN(int64_t changed,
                      db().Exec("UPDATE survey_tokens SET used_at = $2, feedback_id = $3 WHERE "
                                "nonce_hash = $1 AND used_at IS NULL",
                                pg::Params().Add(nonce_hash).Add(at).Add(feedback_id)));
  return changed > 0;
}

}  // namespace cx
