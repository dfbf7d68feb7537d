// The go-live kit: discovery questionnaire, plan progress, feedback on the hub.
#include "service/golive_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "domain/division.h"
#include "service/audit.h"
#include "service/user_service.h"

namespace cx {
namespace {

// The shipped questions overlaid by the stored answers, then the added questions.
Result<std::vector<DiscoveryQuestion>> Questionnaire(Tx& tx) {
  CX_ASSIGN_OR_RETURN(auto questions, ShippedDiscovery());
  CX_ASSIGN_OR_RETURN(const auto stored, tx.ListDiscoveryAnswers());
  for (const auto& s : stored) {
    auto it = std::find_if(questions.begin(), questions.end(),
                           [&](const DiscoveryQuestion& q) { return q.id == s.id; });
    if (it == questions.end()) {
      if (!s.question.empty()) questions.push_back(s);  // added in the hub
      continue;
    }
    it->owner = s.owner;
    it->answer = s.answer;
    it->answered_at = s.answered_at;
    it->answered_by = s.answered_by;
  }
  return questions;
}

bool IsShipped(const std::string& id, const std::vector<DiscoveryQuestion>& shipped) {
  return std::any_of(shipped.begin(), shipped.end(),
                     [&](const DiscoveryQuestion& q) { return q.id == id; });
}

}  // namespace

Result<std::vector<DiscoveryQuestion>> ListDiscovery(const Context& ctx) {
  std::vector<DiscoveryQuestion> out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, Questionnaire(tx));
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    for (auto& q : out) {
      if (!q.owner.empty()) q.owner = people.Name(q.owner);
      if (!q.answered_by.empty()) q.answered_by = people.Name(q.answered_by);
    }
    return Status::Ok();
  }));
  return out;
}

Result<DiscoveryQuestion> AnswerDiscovery(const Context& ctx, const std::string& id,
                                          const DiscoveryChange& change) {
  if (!change.answer && !change.owner)
    return Invalid("nothing to change: give --answer TEXT and/or --owner LOGIN");
  DiscoveryQuestion out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kGoLive));
    CX_ASSIGN_OR_RETURN(const auto all, Questionnaire(tx));
    auto it = std::find_if(all.begin(), all.end(), [&](const DiscoveryQuestion& q) {
      return AsciiLower(q.id) == AsciiLower(Trim(id));
    });
    if (it == all.end())
      return NotFound("discovery question '" + id +
                      "' does not exist (see `cxhub discovery list`)");
    out = *it;
    const std::string before = out.answer;
    if (change.owner) {
      out.owner = *change.owner;
      CX_RETURN_IF_ERROR(LinkPerson(tx, &out.owner));
    }
    if (change.answer) {
      out.answer = Trim(*change.answer);
      if (out.answer.empty()) {
        out.answered_at.reset();
        out.answered_by.clear();
      } else {
        out.answered_at = ctx.now();
        out.answered_by = ctx.actor;
      }
    }
    CX_ASSIGN_OR_RETURN(const auto shipped, ShippedDiscovery());
    CX_RETURN_IF_ERROR(tx.SaveDiscoveryAnswer(out, !IsShipped(out.id, shipped)));
    nlohmann::json j = {{"owner", out.owner}, {"answer", out.answer}, {"before", before}};
    return AuditAction(tx, ctx, "answer", "discovery", out.id, j.dump(), "");
  }));
  return out;
}

Result<DiscoveryQuestion> AddDiscovery(const Context& ctx, const std::string& section,
                                       const std::string& question, const std::string& owner) {
  DiscoveryQuestion q;
  q.section = Trim(section);
  q.question = Trim(question);
  if (q.section.empty() || q.question.empty())
    return Invalid("--section and --question: both are needed (a text)");
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kGoLive));
    CX_ASSIGN_OR_RETURN(const auto all, Questionnaire(tx));
    int next = 101;
    for (const auto& x : all) {
      if (x.id.size() > 2 && x.id.starts_with("D-")) {
        int n = std::atoi(x.id.c_str() + 2);
        if (n >= next) next = n + 1;
      }
    }
    q.id = "D-" + std::to_string(next);
    q.owner = owner;
    if (!q.owner.empty()) CX_RETURN_IF_ERROR(LinkPerson(tx, &q.owner));
    CX_RETURN_IF_ERROR(tx.SaveDiscoveryAnswer(q, /*added=*/true));
    nlohmann::json j = {{"section", q.section}, {"question", q.question}, {"owner", q.owner}};
    return AuditAction(tx, ctx, "add", "discovery", q.id, j.dump(), "");
  }));
  return q;
}

Result<std::vector<PlanTask>> ListPlan(const Context& ctx) {
  CX_ASSIGN_OR_RETURN(auto tasks, ShippedPlan());
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(const auto progress, tx.ListPlanProgress());
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    for (const auto& p : progress) {
      for (auto& t : tasks) {
        if (t.number != p.number) continue;
        t.status = p.status;
        t.note = p.note;
        t.updated_at = p.updated_at;
        t.updated_by = people.Name(p.updated_by);
      }
    }
    return Status::Ok();
  }));
  return tasks;
}

Result<PlanTask> SetPlanTask(const Context& ctx, int number,
                             const std::optional<std::string>& status,
                             const std::optional<std::string>& note) {
  std::optional<std::string> canonical;
  if (status) {
    canonical = CanonicalIn(*status, CemStatuses());
    if (!canonical)
      return Invalid("--status: '" + *status + "' is not one of " + JoinForMessage(CemStatuses()));
  }
  if (!canonical && !note) return Invalid("nothing to change: give --status and/or --note");
  CX_ASSIGN_OR_RETURN(auto tasks, ShippedPlan());
  auto it = std::find_if(tasks.begin(), tasks.end(),
                         [&](const PlanTask& t) { return t.number == number; });
  if (it == tasks.end())
    return NotFound("go-live task " + std::to_string(number) +
                    " does not exist (see `cxhub golive plan`)");
  PlanTask out = *it;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kGoLive));
    CX_ASSIGN_OR_RETURN(const auto progress, tx.ListPlanProgress());
    for (const auto& p : progress) {
      if (p.number == number) out.status = p.status, out.note = p.note;
    }
    const std::string before = out.status;
    if (canonical) out.status = *canonical;
    if (note) out.note = Trim(*note);
    out.updated_at = ctx.now();
    out.updated_by = ctx.actor;
    CX_RETURN_IF_ERROR(tx.SavePlanProgress(out));
    nlohmann::json j = {{"status", out.status}, {"note", out.note}, {"before", before}};
    return AuditAction(tx, ctx, "set", "golive_task", std::to_string(number), j.dump(), "");
  }));
  return out;
}

Result<HubFeedback> AddHubFeedback(const Context& ctx, double score, const std::string& comment) {
  HubFeedback h;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(const auto user, ActingUser(tx, ctx));
    if (!user)
      return Invalid("feedback on the hub comes from a person: name yourself with --as LOGIN");
    if (user->role == "erp") return Forbidden(user->login + " (erp) is a job, not a person");
    Feedback& f = h.feedback;
    f.kind = "hub";
    f.score = score;
    f.comment = Trim(comment);
    f.date = ctx.now();
    // The user's division, when they have exactly one.
    if (auto d = CanonicalDivision(user->division)) f.division = *d;
    CX_ASSIGN_OR_RETURN(f.id, tx.NextId("F"));
    CX_RETURN_IF_ERROR(ValidateFeedback(&f));
    if (f.comment.empty()) return Invalid("--comment: say what works or what gets in the way");
    h.given_by = user->login;
    CX_RETURN_IF_ERROR(tx.InsertHubFeedback(h));
    nlohmann::json j = {{"score", f.score}, {"comment", f.comment}, {"division", f.division}};
    return AuditAction(tx, ctx, "create", "feedback", f.id, j.dump(), "");
  }));
  return h;
}

Result<std::vector<HubFeedback>> ListHubFeedback(const Context& ctx, Timestamp from, Timestamp to,
                                                 int limit) {
  std::vector<HubFeedback> out;
  CX_RETURN_IF_ERROR(ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListHubFeedback(from, to, limit));
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    for (auto& h : out) h.given_by = people.Name(h.given_by);
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
