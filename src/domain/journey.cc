// Parsing and validating config/journeys.toml into the journey model.
#include "domain/journey.h"

#include "domain/toml_text.h"

#include <toml++/toml.h>

#include <cstdio>
#include <set>

#include "base/text.h"
#include "domain/division.h"

namespace cx {
namespace {

bool SameFold(std::string_view a, std::string_view b) { return FoldText(a) == FoldText(b); }

// Collects problems, each prefixed with the file and the place.
class Problems {
 public:
  explicit Problems(std::string src)
      : src_(std::move(src)), st_(Invalid(src_ + ": the journeys are not valid")) {}
  void Add(const std::string& where, const std::string& what) {
    st_.AddDetail(src_ + ": " + where + ": " + what);
  }
  bool any() const { return !st_.details().empty(); }
  Status status() const { return st_; }

 private:
  std::string src_;
  Status st_;
};

std::string Text(const toml::table& t, const char* key, const std::string& where, Problems* p,
                 bool required) {
  if (!t.contains(key)) {
    if (required) p->Add(where, std::string(key) + " is required");
    return "";
  }
  auto v = t[key].value<std::string>();
  if (!v) {
    p->Add(where, std::string(key) + " must be a text");
    return "";
  }
  return Trim(*v);
}

std::vector<std::string> TextList(const toml::table& t, const char* key, const std::string& where,
                                  Problems* p) {
  std::vector<std::string> out;
  if (!t.contains(key)) return out;
  const auto* arr = t[key].as_array();
  if (!arr) {
    p->Add(where, std::string(key) + " must be a list of texts");
    return out;
  }
  for (const auto& e : *arr) {
    auto v = e.value<std::string>();
    if (!v || Trim(*v).empty())
      p->Add(where, std::string(key) + " must hold non-empty texts only");
    else
      out.push_back(Trim(*v));
  }
  return out;
}

void CheckKeys(const toml::table& t, std::initializer_list<const char*> allowed,
               const std::string& where, Problems* p) {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k.str() == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      p->Add(where, "unknown key '" + std::string(k.str()) + "' (expected " + list + ")");
    }
  }
}

std::vector<const toml::table*> Tables(const toml::table& t, const char* key,
                                       const std::string& where, Problems* p) {
  std::vector<const toml::table*> out;
  if (!t.contains(key)) return out;
  const auto* arr = t[key].as_array();
  if (!arr) {
    p->Add(where, std::string(key) + " must be an array of tables ([[...]])");
    return out;
  }
  for (const auto& e : *arr) {
    if (const auto* tt = e.as_table())
      out.push_back(tt);
    else
      p->Add(where, std::string(key) + " must hold tables only");
  }
  return out;
}

void ParseSla(const toml::table& s, const std::string& where, Journey* j, Problems* p) {
  CheckKeys(s, {"kind", "hours", "business_hours"}, where, p);
  SlaRule r;
  r.division = j->division;
  r.kind = Text(s, "kind", where, p, true);
  if (!r.kind.empty() && r.kind != "inquiry" && r.kind != "lead" && r.kind != "quality-flag") {
    p->Add(where, "kind '" + r.kind + "' is not a clock cxhub knows (inquiry, lead, quality-flag)");
  }
  auto hours = s["hours"].value<double>();
  if (!hours || *hours <= 0 || *hours > 24 * 365)
    p->Add(where, "hours must be a positive number of hours");
  else
    r.allowance = int64_t(*hours * 3600 + 0.5);
  if (s.contains("business_hours")) {
    auto b = s["business_hours"].value<bool>();
    if (!b)
      p->Add(where, "business_hours must be true or false");
    else
      r.business_hours = *b;
  }
  j->slas.push_back(r);
}

void ParseJourney(const toml::table& t, int n, JourneyConfig* cfg, Problems* p) {
  Journey j;
  std::string where = "journey #" + std::to_string(n);
  std::string div = Text(t, "division", where, p, true);
  if (!div.empty()) {
    auto canon = CanonicalDivision(div);
    if (!canon)
      p->Add(where, "division '" + div + "' is not one of " + JoinForMessage(Divisions()));
    else
      j.division = *canon;
    where = "journey " + (canon ? *canon : div);
  }
  CheckKeys(t,
            {"division", "stages", "won_stage", "lost_stage", "service_job_needs_approved_quote",
             "checklist", "next_action", "sla"},
            where, p);
  j.stages = TextList(t, "stages", where, p);
  if (j.stages.empty()) p->Add(where, "stages must list at least one stage");
  std::set<std::string> seen;
  for (const auto& s : j.stages) {
    if (!seen.insert(FoldText(s)).second) p->Add(where, "stage '" + s + "' is listed twice");
  }
  if (t.contains("won_stage")) j.won_stage = Text(t, "won_stage", where, p, true);
  if (t.contains("lost_stage")) j.lost_stage = Text(t, "lost_stage", where, p, true);
  if (j.StageIndex(j.won_stage) < 0)
    p->Add(where, "won_stage '" + j.won_stage + "' is not one of the stages");
  if (j.StageIndex(j.lost_stage) >= 0) {
    p->Add(where, "lost_stage '" + j.lost_stage + "' must not be one of the ordered stages");
  }
  if (t.contains("service_job_needs_approved_quote")) {
    auto b = t["service_job_needs_approved_quote"].value<bool>();
    if (!b)
      p->Add(where, "service_job_needs_approved_quote must be true or false");
    else
      j.service_job_needs_approved_quote = *b;
  }
  int ci = 0;
  for (const auto* c : Tables(t, "checklist", where, p)) {
    std::string cw = where + ", checklist #" + std::to_string(++ci);
    Checklist cl;
    cl.name = Text(*c, "name", cw, p, true);
    if (!cl.name.empty()) cw = where + ", checklist " + cl.name;
    CheckKeys(*c, {"name", "title", "required_for", "items", "optional_items"}, cw, p);
    cl.title = Text(*c, "title", cw, p, false);
    if (cl.title.empty()) cl.title = cl.name;
    cl.required_for = Text(*c, "required_for", cw, p, true);
    if (!cl.required_for.empty()) {
      if (j.StageIndex(cl.required_for) < 0) {
        p->Add(cw,
               "required_for '" + cl.required_for + "' is not one of the stages of " + j.division);
      } else {
        cl.required_for = j.stages[j.StageIndex(cl.required_for)];
      }
    }
    std::set<std::string> keys;
    for (const auto& label : TextList(*c, "items", cw, p))
      cl.items.push_back({ChecklistKey(label), label, true});
    for (const auto& label : TextList(*c, "optional_items", cw, p)) {
      cl.items.push_back({ChecklistKey(label), label, false});
    }
    if (cl.items.empty()) p->Add(cw, "items must list at least one item");
    for (const auto& it : cl.items) {
      if (it.key.empty())
        p->Add(cw, "item '" + it.label + "' has no letters or digits");
      else if (!keys.insert(it.key).second)
        p->Add(cw, "item '" + it.label + "' is listed twice");
    }
    for (const auto& other : j.checklists) {
      if (SameFold(other.name, cl.name)) p->Add(cw, "a checklist of this name exists already");
    }
    j.checklists.push_back(std::move(cl));
  }
  int ni = 0;
  for (const auto* a : Tables(t, "next_action", where, p)) {
    std::string aw = where + ", next_action #" + std::to_string(++ni);
    CheckKeys(*a, {"on_stage", "action", "due_days", "owner"}, aw, p);
    AutoNextAction na;
    na.on_stage = Text(*a, "on_stage", aw, p, true);
    if (!na.on_stage.empty()) {
      auto canon = j.CanonicalStage(na.on_stage);
      if (!canon)
        p->Add(aw, "on_stage '" + na.on_stage + "' is not a stage of " + j.division);
      else
        na.on_stage = *canon;
    }
    na.action = Text(*a, "action", aw, p, true);
    auto days = (*a)["due_days"].value<int64_t>();
    if (!days || *days < 0 || *days > 3650)
      p->Add(aw, "due_days must be a whole number of days from 0 to 3650");
    else
      na.due_days = int(*days);
    if (a->contains("owner")) na.owner = Text(*a, "owner", aw, p, true);
    j.next_actions.push_back(na);
  }
  int si = 0;
  for (const auto* s : Tables(t, "sla", where, p))
    ParseSla(*s, where + ", sla #" + std::to_string(++si), &j, p);
  for (const auto& other : cfg->journeys) {
    if (!j.division.empty() && other.division == j.division)
      p->Add(where, "this division has two journeys");
  }
  cfg->journeys.push_back(std::move(j));
}

void ParseRouting(const toml::table& t, JourneyConfig* cfg, Problems* p) {
  const std::string where = "routing";
  CheckKeys(t, {"division", "team", "rule"}, where, p);
  RoutingConfig& r = cfg->routing;
  std::string div = Text(t, "division", where, p, true);
  if (!div.empty()) {
    auto canon = CanonicalDivision(div);
    if (!canon)
      p->Add(where, "division '" + div + "' is not one of " + JoinForMessage(Divisions()));
    else
      r.division = *canon;
  }
  int ti = 0;
  for (const auto* tt : Tables(t, "team", where, p)) {
    std::string tw = "routing, team #" + std::to_string(++ti);
    CheckKeys(*tt, {"name", "members", "role", "division"}, tw, p);
    Team team;
    team.name = Text(*tt, "name", tw, p, true);
    team.members = TextList(*tt, "members", tw, p);
    team.role = Text(*tt, "role", tw, p, false);
    std::string tdiv = Text(*tt, "division", tw, p, false);
    if (!tdiv.empty()) {
      auto canon = CanonicalDivision(tdiv);
      if (!canon)
        p->Add(tw, "division '" + tdiv + "' is not one of " + JoinForMessage(Divisions()));
      else
        team.division = *canon;
    }
    if (!team.role.empty() && !CanonicalIn(team.role, Roles())) {
      p->Add(tw, "role '" + team.role + "' is not one of " + JoinForMessage(Roles()));
    }
    if (team.members.empty() && team.role.empty()) p->Add(tw, "a team needs members or a role");
    if (r.FindTeam(team.name)) p->Add(tw, "a team named '" + team.name + "' exists already");
    r.teams.push_back(std::move(team));
  }
  int ri = 0;
  for (const auto* rt : Tables(t, "rule", where, p)) {
    std::string rw = "routing, rule #" + std::to_string(++ri);
    CheckKeys(*rt, {"name", "industry", "region", "product_line", "assign", "team"}, rw, p);
    RoutingRule rule;
    rule.name = Text(*rt, "name", rw, p, true);
    if (!rule.name.empty()) rw = "routing, rule '" + rule.name + "'";
    rule.industry = Text(*rt, "industry", rw, p, false);
    rule.region = Text(*rt, "region", rw, p, false);
    rule.product_line = Text(*rt, "product_line", rw, p, false);
    rule.assign = Text(*rt, "assign", rw, p, false);
    rule.team = Text(*rt, "team", rw, p, false);
    if (rule.assign.empty() == rule.team.empty())
      p->Add(rw, "give exactly one of assign (a login) or team");
    if (!rule.team.empty() && !r.FindTeam(rule.team))
      p->Add(rw, "team '" + rule.team + "' is not defined");
    r.rules.push_back(std::move(rule));
  }
}

}  // namespace

int Journey::StageIndex(std::string_view stage) const {
  std::string f = FoldText(Trim(stage));
  for (size_t i = 0; i < stages.size(); ++i) {
    if (FoldText(stages[i]) == f) return int(i);
  }
  return -1;
}

std::optional<std::string> Journey::CanonicalStage(std::string_view stage) const {
  int i = StageIndex(stage);
  if (i >= 0) return stages[i];
  if (SameFold(Trim(stage), lost_stage)) return lost_stage;
  return std::nullopt;
}

const Team* RoutingConfig::FindTeam(std::string_view name) const {
  for (const auto& t : teams) {
    if (SameFold(t.name, name)) return &t;
  }
  return nullptr;
}

const Journey* JourneyConfig::Find(std::string_view division) const {
  auto canon = CanonicalDivision(division);
  if (!canon) return nullptr;
  for (const auto& j : journeys) {
    if (j.division == *canon) return &j;
  }
  return nullptr;
}

std::string ChecklistKey(std::string_view label) {
  std::string f = FoldText(label), out;
  bool dash = false;
  for (unsigned char c : f) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      if (dash && !out.empty()) out += '-';
      out += char(c);
      dash = false;
    } else {
      dash = true;
    }
  }
  return out;
}

Result<JourneyConfig> ParseJourneys(std::string_view text, std::string_view source) {
  const std::string src(source);
  CX_ASSIGN_OR_RETURN(toml::table t, ParseTomlText(text, src));
  Problems p(src);
  JourneyConfig cfg;
  CheckKeys(t, {"journey", "routing"}, "top level", &p);
  int n = 0;
  for (const auto* j : Tables(t, "journey", "top level", &p)) ParseJourney(*j, ++n, &cfg, &p);
  if (n == 0) p.Add("top level", "no [[journey]] is defined");
  if (t.contains("routing")) {
    if (const auto* r = t["routing"].as_table())
      ParseRouting(*r, &cfg, &p);
    else
      p.Add("routing", "must be a table ([routing])");
  }
  if (p.any()) return p.status();
  return cfg;
}

}  // namespace cx
