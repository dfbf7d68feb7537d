// Reads the one-page customer strategy from its TOML file, checking every key.
#include "domain/strategy.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "domain/division.h"
#include "domain/toml_text.h"

namespace cx {
namespace {

// Collects the problems of one file, each "SOURCE:LINE: key: message".
class Problems {
 public:
  explicit Problems(std::string source) : source_(std::move(source)) {}
  void Add(const toml::node* at, const std::string& key, const std::string& what) {
    std::string line;
    if (at && at->source().begin.line) line = ":" + std::to_string(at->source().begin.line);
    details_.push_back(source_ + line + ": " + key + ": " + what);
  }
  Status Done() const {
    if (details_.empty()) return Status::Ok();
    Status st = Invalid(source_ + ": the strategy has " + std::to_string(details_.size()) +
                        (details_.size() == 1 ? " problem" : " problems") + " (nothing was saved)");
    for (const auto& d : details_) st.AddDetail(d);
    return st;
  }

 private:
  std::string source_;
  std::vector<std::string> details_;
};

void CheckKeys(const toml::table& t, std::initializer_list<const char*> allowed,
               const std::string& where, Problems* p) {
  for (const auto& [k, v] : t) {
    // A lambda may not capture a structured binding before C++20 compilers caught up (Clang 14).
    const std::string_view key = k.str();
    bool ok = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; });
    if (ok) continue;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    p->Add(&v, where + (where.empty() ? "" : ".") + std::string(k.str()),
           "unknown key (expected " + list + ")");
  }
}

// The text at t[key] ("" when absent), trimmed, at most `max` characters.
std::string Text(const toml::table& t, const char* key, const std::string& where, size_t max,
                 Problems* p) {
  const std::string name = where + (where.empty() ? "" : ".") + key;
  const toml::node* n = t.get(key);
  if (!n) return "";
  auto v = n->value<std::string>();
  if (!v) {
    p->Add(n, name, "must be a text in quotes");
    return "";
  }
  std::string s = Trim(*v);
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars > max) {
    p->Add(n, name,
           "is " + std::to_string(chars) + " characters; at most " + std::to_string(max) +
               " fit on the one-page strategy");
  }
  return s;
}

Horizons ReadHorizons(const toml::table& t, const std::string& where, Problems* p) {
  Horizons h;
  h.year1 = Text(t, "year1", where, kMaxShortText, p);
  h.year3 = Text(t, "year3", where, kMaxShortText, p);
  h.year5 = Text(t, "year5", where, kMaxShortText, p);
  return h;
}

// The tables of an array of tables at t[key].
std::vector<const toml::table*> Tables(const toml::table& t, const char* key, Problems* p) {
  std::vector<const toml::table*> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const toml::array* arr = n->as_array();
  if (!arr) {
    p->Add(n, key, std::string("must be a list of tables ([[") + key + "]])");
    return out;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table* tt = arr->get(i)->as_table();
    if (!tt) {
      p->Add(arr->get(i), std::string(key) + "[" + std::to_string(i + 1) + "]", "must be a table");
      continue;
    }
    out.push_back(tt);
  }
  return out;
}

KeyResult ReadKeyResult(const toml::table& t, const std::string& where, Problems* p) {
  CheckKeys(t, {"title", "kpi", "division", "target", "direction", "due"}, where, p);
  KeyResult kr;
  kr.title = Text(t, "title", where, kMaxTitle, p);
  kr.kpi = Text(t, "kpi", where, 64, p);
  const std::string division = Text(t, "division", where, 64, p);
  const std::string due = Text(t, "due", where, 32, p);
  const KpiDef* def = nullptr;
  if (kr.kpi.empty()) {
    p->Add(&t, where + ".kpi", "is required (a KPI key such as nps or inquiry_to_quote)");
  } else if (!(def = FindKpi(kr.kpi))) {
    std::string keys;
    for (const auto& d : KpiDefs()) keys += (keys.empty() ? "" : ", ") + d.key;
    p->Add(t.get("kpi"), where + ".kpi", "'" + kr.kpi + "' is not a KPI (known: " + keys + ")");
  }
  if (division.empty()) {
    p->Add(&t, where + ".division", "is required (a division, or All)");
  } else if (FoldText(division) == FoldText(kAllDivisions)) {
    kr.division = std::string(kAllDivisions);
  } else if (auto d = CanonicalDivision(division)) {
    kr.division = *d;
  } else {
    p->Add(t.get("division"), where + ".division",
           "'" + division + "' is not a division (" + JoinForMessage(Divisions()) + ", or All)");
  }
  if (def && !kr.division.empty() &&
      std::find(def->divisions.begin(), def->divisions.end(), kr.division) ==
          def->divisions.end()) {
    std::string list;
    for (const auto& d : def->divisions) list += (list.empty() ? "" : ", ") + d;
    p->Add(t.get("division"), where + ".division",
           kr.kpi + " is not computed for " + kr.division + " (only for " + list + ")");
  }
  if (const toml::node* n = t.get("target")) {
    auto v = n->value<double>();
    if (!v || !std::isfinite(*v)) {
      p->Add(n, where + ".target", "must be a number (rates are fractions: 0.6 = 60 %)");
    } else {
      kr.target = *v;
      if (def && def->unit == "ratio" && (*v < -10 || *v > 10))
        p->Add(n, where + ".target", "is a rate: write it as a fraction (0.6 = 60 %)");
      if (def && def->unit == "points" && (*v < -100 || *v > 100))
        p->Add(n, where + ".target", "NPS is in points from -100 to +100");
    }
  }
  if (const toml::node* n = t.get("direction")) {
    auto v = n->value<std::string>();
    auto d = v ? ParseDirection(*v) : Result<TargetDirection>(Invalid(""));
    if (!d.ok())
      p->Add(n, where + ".direction", "must be above, below, at_least or at_most");
    else
      kr.direction = *d;
  }
  if (due.empty()) {
    p->Add(&t, where + ".due", "is required (the date the key result is due, e.g. 2027-12-31)");
  } else if (auto d = ParseDate(due); d.ok()) {
    kr.due = *d;
  } else {
    p->Add(t.get("due"), where + ".due", "'" + due + "' is not a date (YYYY-MM-DD)");
  }
  return kr;
}

}  // namespace

Result<Strategy> ParseStrategy(std::string_view toml_text, const std::string& source) {
  CX_ASSIGN_OR_RETURN(const toml::table doc, ParseTomlText(toml_text, source));
  Problems p(source);
  CheckKeys(doc,
            {"mission", "vision", "key_objectives", "ambition", "objectives", "key_results",
             "communication", "notes"},
            "", &p);
  Strategy s;
  s.mission = Text(doc, "mission", "", kMaxLongText, &p);
  s.vision = Text(doc, "vision", "", kMaxLongText, &p);
  s.ambition = Text(doc, "ambition", "", kMaxLongText, &p);
  s.communication = Text(doc, "communication", "", kMaxLongText, &p);
  s.notes = Text(doc, "notes", "", kMaxLongText, &p);
  if (const toml::node* n = doc.get("key_objectives")) {
    if (const toml::table* ko = n->as_table()) {
      CheckKeys(*ko, {"growth", "new_markets", "new_customers"}, "key_objectives", &p);
      struct Part {
        const char* key;
        Horizons* into;
      };
      for (Part part : {Part{"growth", &s.growth}, Part{"new_markets", &s.new_markets},
                        Part{"new_customers", &s.new_customers}}) {
        const toml::node* pn = ko->get(part.key);
        if (!pn) continue;
        const std::string where = std::string("key_objectives.") + part.key;
        const toml::table* pt = pn->as_table();
        if (!pt) {
          p.Add(pn, where, "must be a table with year1, year3 and year5");
          continue;
        }
        CheckKeys(*pt, {"year1", "year3", "year5"}, where, &p);
        *part.into = ReadHorizons(*pt, where, &p);
      }
    } else {
      p.Add(n, "key_objectives", "must be a table ([key_objectives.growth] …)");
    }
  }
  const auto objectives = Tables(doc, "objectives", &p);
  for (size_t i = 0; i < objectives.size(); ++i) {
    const std::string where = "objectives[" + std::to_string(i + 1) + "]";
    CheckKeys(*objectives[i], {"title", "year1", "year3", "year5"}, where, &p);
    StrategyObjective o;
    o.title = Text(*objectives[i], "title", where, kMaxTitle, &p);
    if (o.title.empty()) p.Add(objectives[i], where + ".title", "is required");
    o.horizons = ReadHorizons(*objectives[i], where, &p);
    s.objectives.push_back(std::move(o));
  }
  // The template's first objective is strategic alignment.
  auto aligned = std::find_if(s.objectives.begin(), s.objectives.end(), [](const auto& o) {
    return FoldText(o.title) == FoldText(kStrategicAlignment);
  });
  if (aligned == s.objectives.end()) {
    s.objectives.insert(s.objectives.begin(),
                        StrategyObjective{std::string(kStrategicAlignment), {}});
  } else {
    std::rotate(s.objectives.begin(), aligned, aligned + 1);
  }
  if (s.objectives.size() > kMaxObjectives) {
    p.Add(doc.get("objectives"), "objectives",
          std::to_string(s.objectives.size()) + " objectives (strategic alignment included); " +
              "the one-page strategy holds " + std::to_string(kMaxObjectives));
  }
  const auto krs = Tables(doc, "key_results", &p);
  for (size_t i = 0; i < krs.size(); ++i) {
    s.key_results.push_back(
        ReadKeyResult(*krs[i], "key_results[" + std::to_string(i + 1) + "]", &p));
  }
  if (s.key_results.size() > kMaxKeyResults) {
    p.Add(doc.get("key_results"), "key_results",
          std::to_string(s.key_results.size()) + " key results; the one-page strategy holds " +
              std::to_string(kMaxKeyResults));
  }
  CX_RETURN_IF_ERROR(p.Done());
  return s;
}

}  // namespace cx
