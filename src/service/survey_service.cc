// Survey links: HMAC-signed single-use tokens, the question they ask and their one answer.
#include "service/survey_service.h"

#include <sodium.h>

#include <cstring>

#include "base/text.h"
#include "domain/division.h"
#include "service/access_service.h"
#include "service/audit.h"
#include "service/config_service.h"
#include "service/feedback_service.h"
#include "service/user_service.h"

namespace cx {
namespace {

constexpr const char* kSecretSetting = "survey_secret";

std::string Base64Url(const unsigned char* data, size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// The hub's survey secret (32 random bytes, kept base64 in the settings), made on first use.
Result<std::string> SurveySecret(Tx& tx, bool create) {
  CX_ASSIGN_OR_RETURN(auto stored, tx.GetSetting(kSecretSetting));
  if (stored) return *stored;
  if (!create) return std::string();
  std::string s = NewSecret();
  CX_RETURN_IF_ERROR(tx.SetSetting(kSecretSetting, s));
  return s;
}

// HMAC-SHA256 of `nonce` under `secret`, base64url.
std::string Mac(const std::string& secret, const std::string& nonce) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(nonce.data()),
                                nonce.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return Base64Url(mac, sizeof mac);
}

// The stored link of a token after its signature is checked. Errors: kNotFound (forged, unknown,
// damaged), kConflict (used or expired).
Result<SurveyToken> CheckToken(Tx& tx, const Context& ctx, const std::string& token) {
  const Status unknown = NotFound("this survey link is not valid (it may be mistyped or cut off)");
  const size_t dot = token.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == token.size() || token.size() > 200)
    return Invalid("this is not a survey link (the address is incomplete)");
  const std::string nonce = token.substr(0, dot), mac = token.substr(dot + 1);
  CX_ASSIGN_OR_RETURN(std::string secret, SurveySecret(tx, false));
  if (secret.empty()) return unknown;
  const std::string want = Mac(secret, nonce);
  if (want.size() != mac.size() || sodium_memcmp(want.data(), mac.data(), mac.size()) != 0)
    return unknown;
  CX_ASSIGN_OR_RETURN(std::string hash, SecretHash(nonce));
  CX_ASSIGN_OR_RETURN(auto t, tx.GetSurveyToken(hash));
  if (!t) return unknown;
  if (t->used_at) return Conflict("this survey link was answered already: thank you");
  if (ctx.now() >= t->expires_at) {
    return Conflict("this survey link expired on " +
                    FormatTime(t->expires_at, ctx.zone).substr(0, 10));
  }
  return *t;
}

void RangeOf(const std::string& kind, int* lo, int* hi) {
  *lo = 0;
  *hi = 10;
  if (kind == "csat") *lo = 1, *hi = 5;
  if (kind == "emotion") *lo = -2, *hi = 2;
}

}  // namespace

Result<SurveyLink> CreateSurveyLink(const Context& ctx, const SurveyLinkRequest& r) {
  static constexpr std::string_view kKinds[] = {"nps", "csat", "emotion"};
  auto kind = CanonicalIn(r.kind.empty() ? "nps" : r.kind, kKinds);
  if (!kind) return Invalid("--kind: '" + r.kind + "' is not one of nps, csat, emotion");
  std::string base = Trim(r.base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
    return Invalid("--base-url: '" + r.base_url + "' is not an http:// or https:// address");
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  SurveyLink out;
  out.kind = *kind;
  out.touchpoint = Trim(r.touchpoint);
  out.contact = Trim(r.contact);
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kSurveyLinks));
    CX_ASSIGN_OR_RETURN(auto tp, tx.GetTouchpoint(out.touchpoint));
    if (!tp) return Invalid("--touchpoint: " + out.touchpoint + " does not exist");
    if (!out.contact.empty()) {
      CX_ASSIGN_OR_RETURN(auto c, tx.GetContact(out.contact));
      if (!c) return Invalid("--contact: " + out.contact + " does not exist");
    }
    CX_ASSIGN_OR_RETURN(std::string secret, SurveySecret(tx, true));
    unsigned char raw[18];
    randombytes_buf(raw, sizeof raw);
    const std::string nonce = Base64Url(raw, sizeof raw);
    out.token = nonce + "." + Mac(secret, nonce);
    SurveyToken t;
    CX_ASSIGN_OR_RETURN(t.nonce_hash, SecretHash(nonce));
    t.touchpoint_id = out.touchpoint;
    t.contact_id = out.contact;
    t.kind = out.kind;
    t.created_at = ctx.now();
    t.expires_at = out.expires_at = t.created_at + kSurveyLinkSeconds;
    t.created_by = ctx.actor;
    CX_RETURN_IF_ERROR(tx.InsertSurveyToken(t));
    return AuditAction(tx, ctx, "survey-link", "touchpoint", out.touchpoint,
                       out.kind + (out.contact.empty() ? "" : " for " + out.contact) +
                           ", expires " + FormatTime(out.expires_at, ctx.zone),
                       "");
  });
  if (!st.ok()) return st;
  out.url = base + "/survey/" + out.token;
  return out;
}

Result<SurveyQuestion> OpenSurvey(const Context& ctx, const std::string& token) {
  SurveyQuestion q;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(SurveyToken t, CheckToken(tx, ctx, token));
    CX_ASSIGN_OR_RETURN(auto tp, tx.GetTouchpoint(t.touchpoint_id));
    q.kind = t.kind;
    q.expires_at = t.expires_at;
    if (tp) {
      q.touchpoint_name = tp->name;
      q.division = tp->division;
      q.stage = tp->stage;
    }
    RangeOf(t.kind, &q.min_score, &q.max_score);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return q;
}

Result<Feedback> AnswerSurvey(const Context& ctx, const std::string& token, double score,
                              const std::string& comment) {
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());
  Feedback f;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(SurveyToken t, CheckToken(tx, ctx, token));
    f.kind = t.kind;
    f.score = score;
    f.comment = comment;
    f.contact_id = t.contact_id;
    f.touchpoint = t.touchpoint_id;
    f.source = "survey";
    f.date = ctx.now();
    CX_RETURN_IF_ERROR(CheckFeedback(tx, cfg->journeys, &f));
    CX_ASSIGN_OR_RETURN(f.id, tx.NextId("F"));
    CX_ASSIGN_OR_RETURN(bool first, tx.UseSurveyToken(t.nonce_hash, f.date, f.id));
    if (!first) return Conflict("this survey link was answered already: thank you");
    CX_RETURN_IF_ERROR(tx.InsertFeedback(f));
    Context as_survey = ctx;
    as_survey.actor = "survey";
    return AuditCreate(tx, as_survey, "feedback", f.id, FieldsOf(f), "survey link");
  });
  if (!st.ok()) return st;
  return f;
}

Result<bool> SurveyThrottled(const Context& ctx, const std::string& address, int max_per_window,
                             int64_t window_seconds) {
  bool over = false;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    const std::string key = "survey:" + address;
    const Timestamp now = ctx.now();
    CX_ASSIGN_OR_RETURN(int64_t n, tx.CountLoginFailures(key, now - window_seconds));
    if (n >= max_per_window) {
      over = true;
      return Status::Ok();
    }
    return tx.AddLoginFailure(key, now);
  });
  if (!st.ok()) return st;
  return over;
}

}  // namespace cx
