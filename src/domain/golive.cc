// The seven steps, and the shipped discovery questionnaire and go-live plan.
#include "domain/golive.h"

#include <toml++/toml.h>

#include <array>
#include <set>

#include "base/embedded.h"
#include "base/text.h"
#include "domain/toml_text.h"

namespace cx {
namespace {

constexpr std::array<CemStepDef, 7> kSteps = {{
    {1, "Perform a target-actual comparison from the customer's perspective",
     "Compile touchpoints; develop an understanding of customer requirements; document current "
     "customer service structures"},
    {2, "Compile customer experiences",
     "Use surveys, feedback forms and emotion curves to determine customer preferences"},
    {3, "Cultivate an emotional connection with customers",
     "Add elements of surprise; create positive associations with the company"},
    {4, "Optimize your budget",
     "Invest in the most effective touchpoints; cut costs in other areas"},
    {5, "Develop a strategy",
     "Create a plan of action based on the previous steps; leverage your CEM potential; take "
     "into account any customer requirements that haven't been met"},
    {6, "Implement",
     "Put the proposed changes into action; collect data on customer satisfaction after "
     "implementation"},
    {7, "Evaluate using KPIs",
     "Examples of KPIs: complaint rate, Net Promoter Score, newsletter subscriptions"},
}};

constexpr std::array<std::string_view, 3> kStatuses = {"not-started", "in-progress", "done"};

std::string Where(const std::string& source, const toml::node& n, const std::string& key) {
  return source + ":" + std::to_string(n.source().begin.line) + ": " + key;
}

// The required text t[key], or "" with a problem added.
std::string Required(const toml::table& t, const char* key, const std::string& where,
                     const std::string& source, Status* problems) {
  auto v = t[key].value<std::string>();
  if (!v || Trim(*v).empty()) {
    problems->AddDetail(Where(source, t, where + "." + key) + ": is required (a text)");
    return "";
  }
  return Trim(*v);
}

// Each [[name]] table of the document, with a problem for anything else.
std::vector<const toml::table*> Entries(const toml::table& doc, const char* name,
                                        std::initializer_list<const char*> keys,
                                        const std::string& source, Status* problems) {
  std::vector<const toml::table*> out;
  for (const auto& [k, v] : doc) {
    if (k.str() != name)
      problems->AddDetail(Where(source, v, std::string(k.str())) + ": unknown key (expected [[" +
                          name + "]])");
  }
  const toml::array* arr = doc[name].as_array();
  if (!arr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table* t = arr->get(i)->as_table();
    const std::string where = std::string(name) + "[" + std::to_string(i + 1) + "]";
    if (!t) {
      problems->AddDetail(Where(source, *arr->get(i), where) + ": must be a table");
      continue;
    }
    for (const auto& [k, v] : *t) {
      bool ok = false;
      for (const char* a : keys) ok = ok || k.str() == a;
      if (!ok)
        problems->AddDetail(Where(source, v, where + "." + std::string(k.str())) + ": unknown key");
    }
    out.push_back(t);
  }
  return out;
}

Status Done(Status problems, const std::string& source) {
  if (problems.details().empty()) return Status::Ok();
  Status st = Invalid(source + ": " + std::to_string(problems.details().size()) + " problem(s)");
  for (const auto& d : problems.details()) st.AddDetail(d);
  return st;
}

}  // namespace

std::span<const CemStepDef> CemSteps() { return kSteps; }
std::span<const std::string_view> CemStatuses() { return kStatuses; }

Result<std::vector<DiscoveryQuestion>> ParseDiscovery(std::string_view text,
                                                      const std::string& source) {
  CX_ASSIGN_OR_RETURN(const toml::table doc, ParseTomlText(text, source));
  Status problems;
  std::vector<DiscoveryQuestion> out;
  std::set<std::string> ids;
  const auto entries = Entries(doc, "question", {"id", "section", "question"}, source, &problems);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "question[" + std::to_string(i + 1) + "]";
    DiscoveryQuestion q;
    q.id = Required(*entries[i], "id", where, source, &problems);
    q.section = Required(*entries[i], "section", where, source, &problems);
    q.question = Required(*entries[i], "question", where, source, &problems);
    if (!q.id.empty() && !ids.insert(q.id).second)
      problems.AddDetail(Where(source, *entries[i], where + ".id") + ": '" + q.id +
                         "' is used twice");
    out.push_back(std::move(q));
  }
  CX_RETURN_IF_ERROR(Done(problems, source));
  return out;
}

Result<std::vector<PlanTask>> ParsePlan(std::string_view text, const std::string& source) {
  CX_ASSIGN_OR_RETURN(const toml::table doc, ParseTomlText(text, source));
  Status problems;
  std::vector<PlanTask> out;
  std::set<int64_t> numbers;
  const auto entries = Entries(doc, "task", {"number", "phase", "task", "deliverables", "timeline"},
                               source, &problems);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "task[" + std::to_string(i + 1) + "]";
    PlanTask t;
    auto n = (*entries[i])["number"].value<int64_t>();
    if (!n || *n < 1 || *n > 999) {
      problems.AddDetail(Where(source, *entries[i], where + ".number") +
                         ": is required (a whole number from 1)");
    } else if (!numbers.insert(*n).second) {
      problems.AddDetail(Where(source, *entries[i], where + ".number") + ": " + std::to_string(*n) +
                         " is used twice");
    } else {
      t.number = int(*n);
    }
    t.phase = Required(*entries[i], "phase", where, source, &problems);
    t.task = Required(*entries[i], "task", where, source, &problems);
    t.deliverables = Required(*entries[i], "deliverables", where, source, &problems);
    t.timeline = Required(*entries[i], "timeline", where, source, &problems);
    out.push_back(std::move(t));
  }
  CX_RETURN_IF_ERROR(Done(problems, source));
  return out;
}

Result<std::vector<DiscoveryQuestion>> ShippedDiscovery() {
  auto text = FindEmbedded("config/discovery.toml");
  if (!text) return Internal("config/discovery.toml is not embedded in this binary");
  auto q = ParseDiscovery(*text, "config/discovery.toml");
  if (!q.ok()) return Internal(q.status().ToString());
  return q;
}

Result<std::vector<PlanTask>> ShippedPlan() {
  auto text = FindEmbedded("config/golive_plan.toml");
  if (!text) return Internal("config/golive_plan.toml is not embedded in this binary");
  auto t = ParsePlan(*text, "config/golive_plan.toml");
  if (!t.ok()) return Internal(t.status().ToString());
  return t;
}

}  // namespace cx
