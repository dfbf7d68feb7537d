// The public survey page (docs/feedback.md): GET /survey/{token} shows one question as a plain
// HTML form, POST /survey/{token} records the answer. No login, no JavaScript, no cookie: the
// signed single-use token in the address is the form's only secret, so a forged request from
// another site cannot answer without it. Every request counts against its address's throttle.
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/api_error.h"
#include "api/route.h"
#include "base/text.h"
#include "service/survey_service.h"

namespace cx::api {
namespace {

constexpr int kMaxRequestsPerWindow = 30;
constexpr int64_t kWindowSeconds = 600;

// A page that fits a 360 px phone: system font, one column, big touch targets.
std::string Page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
         "<meta name=\"referrer\" content=\"no-referrer\">"
         "<title>" +
         HtmlEscape(title) +
         "</title><style>"
         "body{font:16px/1.4 system-ui,sans-serif;margin:0 auto;max-width:32rem;padding:1rem}"
         "h1{font-size:1.25rem}fieldset{border:0;padding:0;margin:0 0 1rem}"
         ".s{display:flex;flex-wrap:wrap;gap:.3rem}.s label{flex:1 0 2.4rem;text-align:center;"
         "border:1px solid #888;border-radius:.3rem;padding:.5rem 0}"
         "textarea{width:100%;box-sizing:border-box;min-height:5rem;font:inherit}"
         "button{font:inherit;padding:.7rem 1.4rem;margin-top:1rem}.e{color:#a00}"
         "</style></head><body>" +
         body + "</body></html>";
}

HttpResponse Html(int status, const std::string& title, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = Page(title, body);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  return r;
}

int StatusOf(const Status& st) {
  switch (st.code()) {
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 410;  // used or expired: gone
    case Code::kInvalid:
      return 400;
    default:
      return 500;
  }
}

HttpResponse Refusal(const Status& st) {
  return Html(StatusOf(st), "Survey",
              "<h1>Survey</h1><p class=\"e\">" + HtmlEscape(st.message()) + "</p>");
}

std::string Question(const SurveyQuestion& q) {
  const std::string where = q.touchpoint_name.empty() ? "us" : HtmlEscape(q.touchpoint_name);
  if (q.kind == "csat")
    return "How satisfied are you with " + where + "? (1 = not at all, 5 = very)";
  if (q.kind == "emotion")
    return "How did you feel about " + where + "? (−2 = very bad, +2 = very good)";
  return "How likely are you to recommend us to a friend or colleague? (0 = not at all, "
         "10 = extremely)";
}

HttpResponse Form(const std::string& token, const SurveyQuestion& q, const std::string& error) {
  std::string b = "<h1>" + Question(q) + "</h1>";
  if (!error.empty()) b += "<p class=\"e\">" + HtmlEscape(error) + "</p>";
  b += "<form method=\"post\" action=\"/survey/" + HtmlEscape(token) +
       "\"><fieldset><legend>Your answer</legend><div class=\"s\">";
  for (int v = q.min_score; v <= q.max_score; ++v) {
    const std::string n = (q.kind == "emotion" && v > 0 ? "+" : "") + std::to_string(v);
    b += "<label><input type=\"radio\" name=\"score\" value=\"" + std::to_string(v) +
         "\" required> " + n + "</label>";
  }
  b += "</div></fieldset><label for=\"comment\">Anything you would like to add? "
       "(optional)</label><textarea id=\"comment\" name=\"comment\" maxlength=\"2000\">"
       "</textarea><button type=\"submit\">Send</button></form>";
  return Html(200, "Survey", b);
}

// The form's fields (score, comment) from its urlencoded body, through the API's one decoder;
// a name given twice keeps its last value. False for a body with a broken %-escape.
bool FormFields(const std::string& body, std::map<std::string, std::string>* out) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!ParseUrlEncoded(body, &fields)) return false;
  for (auto& [k, v] : fields) (*out)[k] = std::move(v);
  return true;
}

// The throttle, as an answer when the address is over it.
std::optional<HttpResponse> Throttle(Call& c) {
  auto over = SurveyThrottled(c.ctx, c.req.remote, kMaxRequestsPerWindow, kWindowSeconds);
  if (!over.ok()) return Refusal(over.status());
  if (!*over) return std::nullopt;
  HttpResponse r = Html(429, "Survey",
                        "<h1>Survey</h1><p class=\"e\">Too many requests from your address; "
                        "please try again in a few minutes.</p>");
  r.headers.emplace_back("Retry-After", std::to_string(kWindowSeconds));
  return r;
}

HttpResponse ShowSurvey(Call& c) {
  if (auto t = Throttle(c)) return *t;
  const std::string& token = c.params["token"];
  auto q = OpenSurvey(c.ctx, token);
  if (!q.ok()) return Refusal(q.status());
  return Form(token, *q, "");
}

HttpResponse AnswerSurveyPage(Call& c) {
  if (auto t = Throttle(c)) return *t;
  const std::string& token = c.params["token"];
  auto q = OpenSurvey(c.ctx, token);
  if (!q.ok()) return Refusal(q.status());
  std::map<std::string, std::string> form;
  if (!FormFields(c.req.body, &form)) {
    HttpResponse r = Form(token, *q,
                          "Your answer could not be read (a broken %-escape); please "
                          "send the form again.");
    r.status = 400;
    return r;
  }
  const std::string text = Trim(form["score"]);
  char* end = nullptr;
  const double score = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || std::isnan(score) ||
      score < q->min_score || score > q->max_score) {
    HttpResponse r = Form(token, *q,
                          "Please choose a score from " + std::to_string(q->min_score) + " to " +
                              std::to_string(q->max_score) + ".");
    r.status = 400;
    return r;
  }
  auto f = AnswerSurvey(c.ctx, token, score, form["comment"]);
  if (!f.ok()) {
    if (f.status().code() == Code::kInvalid) {
      HttpResponse r = Form(token, *q, f.status().ToString());
      r.status = 400;
      return r;
    }
    return Refusal(f.status());
  }
  return Html(200, "Thank you", "<h1>Thank you!</h1><p>Your answer has been recorded.</p>");
}

}  // namespace

void AddSurveyRoutes(std::vector<Route>* out) {
  out->push_back(Route{"GET",
                       "/survey/{token}",
                       std::nullopt,
                       "The survey page of a survey link (HTML)",
                       {},
                       {200, 400, 404, 410, 429},
                       false,
                       ShowSurvey,
                       nullptr,
                       {"text/html"}});
  out->push_back(Route{"POST",
                       "/survey/{token}",
                       std::nullopt,
                       "Answers a survey link (an HTML form: score, comment)",
                       {},
                       {200, 400, 404, 410, 429},
                       false,
                       AnswerSurveyPage,
                       nullptr,
                       {"text/html"}});
}

}  // namespace cx::api
