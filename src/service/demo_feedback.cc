// Demo touchpoints, lead sources, feedback along the journeys, survey answers, newsletter dates.
#include "service/demo_feedback.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/sha256.h"
#include "service/config_service.h"

namespace cx {
namespace {

constexpr int64_t kDay = 86400;

struct DemoTouchpoint {
  const char* name;
  const char* division;
  const char* stage;
  const char* channel;
  const char* owner;
  double budget;  // naira a year
  bool leads;     // leads of the division come in here
};

// Budgets in naira a year; two company-wide ones; two with no budget (the dining room and the
// clinic's reception cost nothing extra).
const std::array<DemoTouchpoint, 23> kTouchpoints = {{
    {"Showroom visit", "Motors", "Inquiry", "walk-in", "adaeze.m", 24e6, true},
    {"WhatsApp sales line", "Motors", "Inquiry", "whatsapp", "tunde.s", 3e6, true},
    {"Lagos Motor Fair stand", "Motors", "Inquiry", "trade fair", "ibrahim.g", 30e6, true},
    {"Test drive", "Motors", "Test Drive", "visit", "adaeze.m", 12e6, false},
    {"Quote by email", "Motors", "Quote", "email", "tunde.s", 1.5e6, false},
    {"Delivery handover", "Motors", "Delivered", "visit", "kemi.o", 6e6, false},
    {"Power & energy trade show", "Power & Industrial", "Lead", "trade fair", "bola.a", 45e6, true},
    {"Website quote form", "Power & Industrial", "Lead", "web", "musa.d", 5e6, true},
    {"Site survey", "Power & Industrial", "Discovery", "visit", "ngozi.i", 18e6, false},
    {"Proposal presentation", "Power & Industrial", "Proposal", "meeting", "bola.a", 8e6, false},
    {"Negotiation meeting", "Power & Industrial", "Negotiation", "meeting", "musa.d", 4e6, false},
    {"Handover and first maintenance", "Power & Industrial", "Handover", "visit", "femi.l", 10e6,
     false},
    {"Medical distributor conference", "Medical", "Target", "trade fair", "halima.b", 20e6, true},
    {"Partner call", "Medical", "Contacted", "phone", "halima.b", 2e6, true},
    {"Distributor onboarding kit", "Medical", "Onboarding", "email", "uche.n", 7e6, false},
    {"Quarterly business review", "Medical", "Signed", "meeting", "zainab.k", 5e6, false},
    {"Instagram adverts", "GRAS", "Enquiry", "web", "segun.f", 6e6, true},
    {"Table booking line", "GRAS", "Booked", "phone", "segun.f", 1.8e6, false},
    {"Dining room", "GRAS", "Visited", "walk-in", "segun.f", 0, false},
    {"Radio spots", "Cube 65", "Enquiry", "radio", "amaka.o", 12e6, true},
    {"Appointment SMS reminder", "Cube 65", "Booked", "sms", "amaka.o", 0.9e6, false},
    {"Clinic reception", "Cube 65", "Visited", "walk-in", "amaka.o", 0, false},
    {"Company website", "All", "", "web", "funke.a", 15e6, true},
}};

// How customers feel at a stage, −2 … +2 on average: lower where the journey makes them wait
// (a Motors quote, a P&I lead waiting for its specialist and a stalled negotiation, Medical
// onboarding, a GRAS or Cube 65 booking), higher once the deal is done.
double StageMood(const std::string& division, const std::string& stage) {
  static const std::map<std::pair<std::string, std::string>, double> kMood = {
      {{"Motors", "Quote"}, -0.9},
      {{"Motors", "Inquiry"}, 0.3},
      {{"Motors", "Won"}, 1.3},
      {{"Motors", "Delivered"}, 1.1},
      {{"Power & Industrial", "Lead"}, -0.3},
      {{"Power & Industrial", "Negotiation"}, -0.8},
      {{"Power & Industrial", "Won"}, 1.2},
      {{"Medical", "Onboarding"}, -0.6},
      {{"Medical", "Signed"}, 1.0},
      {{"GRAS", "Booked"}, -0.5},
      {{"Cube 65", "Booked"}, -0.7},
  };
  auto it = kMood.find({division, stage});
  return it == kMood.end() ? 0.7 : it->second;
}

std::string Pad(const char* prefix, int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%06lld", prefix, static_cast<long long>(n));
  return buf;
}

}  // namespace

Status GenerateDemoFeedback(Tx& tx, std::mt19937_64& rng, const std::vector<DemoContact>& contacts,
                            Timestamp start, Timestamp end, int64_t n_feedback,
                            DemoFeedbackCounts* out) {
  auto uni = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto pick = [&](size_t n) {
    return size_t(std::uniform_int_distribution<size_t>(0, n - 1)(rng));
  };
  CX_ASSIGN_OR_RETURN(auto cfg, ActiveConfig());

  // Touchpoints.
  std::map<std::string, std::vector<Touchpoint>> by_division, leads_of;
  std::vector<Touchpoint> company_wide;
  int64_t tp_seq = 0;
  for (const auto& d : kTouchpoints) {
    Touchpoint t;
    t.id = Pad("T", ++tp_seq);
    t.name = d.name;
    t.division = d.division;
    t.stage = d.stage;
    t.channel = d.channel;
    t.owner = d.owner;
    t.yearly_budget = d.budget;
    t.created_at = t.updated_at = start;
    CX_RETURN_IF_ERROR(tx.InsertTouchpoint(t));
    ++out->touchpoints;
    if (t.division == "All") {
      company_wide.push_back(t);
    } else {
      by_division[t.division].push_back(t);
    }
    if (d.leads) leads_of[t.division].push_back(t);
  }

  // Where each division's leads came from; some of the company-wide website's too.
  for (const auto& [division, sources] : leads_of) {
    if (division == "All") continue;
    OpportunityFilter f;
    f.division = division;
    f.limit = 1000000;
    CX_ASSIGN_OR_RETURN(auto opps, tx.ListOpportunities(f));
    for (const auto& o : opps) {
      const double r = uni(0, 1);
      if (r < 0.25) continue;
      const Touchpoint& t =
          r < 0.33 && !company_wide.empty() ? company_wide.front() : sources[pick(sources.size())];
      CX_RETURN_IF_ERROR(tx.SetOpportunitySource(o.id, t.id));
      ++out->sourced_opportunities;
    }
  }

  // Feedback along the journeys.
  if (contacts.empty()) return Status::Ok();
  const std::array<const char*, 3> kPlatforms = {"Google", "TripAdvisor", "Facebook"};
  const std::array<const char*, 4> kLow = {
      "We waited too long for an answer", "Nobody called back as promised",
      "The quote took more than a week", "Had to chase the booking twice"};
  const std::array<const char*, 4> kHigh = {
      "Very professional, thank you", "Quick and friendly service",
      "Everything was explained clearly", "Lovely food and quick service"};
  std::normal_distribution<double> noise(0, 0.8);
  int64_t fb_seq = 0;
  for (int64_t k = 0; k < n_feedback; ++k) {
    const DemoContact& c = contacts[pick(contacts.size())];
    auto tps = by_division.find(c.division);
    if (tps == by_division.end()) continue;
    const Journey* j = cfg->journeys.Find(c.division);
    Feedback f;
    f.id = Pad("F", ++fb_seq);
    f.date = start + Timestamp(uni(0, double(end - start)));
    f.account_id = c.account_id;
    f.contact_id = c.id;
    f.division = c.division;
    const Touchpoint& t = tps->second[pick(tps->second.size())];
    f.touchpoint = t.id;
    f.stage = !t.stage.empty() || !j ? t.stage : j->stages[pick(j->stages.size())];
    const double mood = StageMood(f.division, f.stage);  // −2 … +2
    const double r = uni(0, 1);
    const bool venue = f.division == "GRAS" || f.division == "Cube 65";
    if (venue) {
      f.kind = r < 0.45 ? "review" : r < 0.7 ? "nps" : r < 0.9 ? "emotion" : "csat";
    } else {
      f.kind = r < 0.35 ? "nps" : r < 0.6 ? "csat" : r < 0.95 ? "emotion" : "review";
    }
    const double z = mood + noise(rng);
    if (f.kind == "emotion") {
      f.score = std::clamp(std::round(z), -2.0, 2.0);
    } else if (f.kind == "nps") {
      f.score = std::clamp(std::round(7.8 + 1.4 * z), 0.0, 10.0);
    } else {
      f.score = std::clamp(std::round(3.9 + 0.7 * z), 1.0, 5.0);
    }
    if (f.kind == "review") f.platform = kPlatforms[pick(kPlatforms.size())];
    if (uni(0, 1) < 0.4) f.comment = z < 0 ? kLow[pick(kLow.size())] : kHigh[pick(kHigh.size())];
    const double s = uni(0, 1);
    f.source = s < 0.55 ? "staff" : s < 0.8 ? "survey" : s < 0.95 ? "form" : "import";
    CX_RETURN_IF_ERROR(tx.InsertFeedback(f));
    ++out->feedback;
    // A few of the survey answers keep the (used) link they came through.
    if (f.source == "survey" && f.kind != "review" && out->survey_answers < 25) {
      SurveyToken st;
      Sha256 h;
      const std::string seed = "demo survey " + f.id;
      h.Update(seed.data(), seed.size());
      CX_ASSIGN_OR_RETURN(st.nonce_hash, h.HexDigest());
      st.touchpoint_id = f.touchpoint;
      st.contact_id = f.contact_id;
      st.kind = f.kind;
      st.created_at = std::max(start, f.date - Timestamp(uni(1, 5)) * kDay);
      st.expires_at = st.created_at + 30 * kDay;
      st.created_by = t.owner;
      CX_RETURN_IF_ERROR(tx.InsertSurveyToken(st));
      CX_ASSIGN_OR_RETURN(bool used, tx.UseSurveyToken(st.nonce_hash, f.date, f.id));
      (void)used;
      ++out->survey_answers;
    }
  }

  // Newsletter sign-ups across the year.
  Date d;
  int secs = 0;
  const Zone zone = Zone::Default();
  for (const auto& c : contacts) {
    if (uni(0, 1) >= 1.0 / 7) continue;
    zone.ToLocal(start + Timestamp(uni(0, double(end - start))), &d, &secs);
    CX_RETURN_IF_ERROR(tx.SetNewsletter(c.id, FormatDate(d)));
    ++out->newsletter;
  }
  return Status::Ok();
}

}  // namespace cx
