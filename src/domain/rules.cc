// The role × operation table and its one reader.
#include "domain/rules.h"

#include <array>
#include <vector>

#include "domain/division.h"

namespace cx {
namespace {

constexpr Reach N = Reach::kNone, D = Reach::kOwnDivisions, A = Reach::kAll;

// clang-format off
constexpr std::array<OperationRule, 24> kRules = {{
    //  operation                     refused as "may not …"          cli    sales service steward manager admin erp
    {Operation::kEditRecords,       "change records",               true,  A,    A,      A,      A,      A,    N},
    {Operation::kOverrideOwner,     "change an Account Owner",      false, N,    N,      N,      A,      N,    N},
    {Operation::kImportOwner,       "change an Account Owner",      true,  N,    N,      N,      A,      N,    N},
    {Operation::kOverrideChecklist, "override a checklist",         false, N,    N,      N,      A,      N,    N},
    {Operation::kSetKpiTargets,     "set KPI targets",              false, N,    N,      N,      A,      N,    N},
    {Operation::kMerge,             "merge duplicates",             true,  N,    N,      D,      A,      A,    N},
    {Operation::kErpSync,           "run an ERP sync",              true,  N,    N,      A,      N,      A,    A},
    {Operation::kErpQueue,          "work the ERP queue",           true,  N,    N,      A,      N,      A,    N},
    {Operation::kStewardHours,      "record steward hours",         true,  N,    N,      A,      A,      A,    N},
    {Operation::kManageUsers,       "manage users",                 true,  N,    N,      N,      N,      A,    N},
    {Operation::kSignIn,            "sign in",                      true,  A,    A,      A,      A,      A,    A},
    {Operation::kReadRecords,       "read records",                 true,  A,    A,      A,      A,      A,    N},
    {Operation::kCreateRecords,     "create accounts or contacts",  true,  A,    N,      D,      N,      A,    N},
    {Operation::kEditMasterData,    "edit master data",             true,  N,    N,      D,      A,      A,    N},
    {Operation::kLogInteractions,   "log interactions",             true,  A,    A,      A,      A,      A,    N},
    {Operation::kWorkOpportunities, "work opportunities",           true,  A,    N,      A,      A,      A,    N},
    {Operation::kWorkCases,         "work cases",                   true,  N,    A,      N,      A,      A,    N},
    {Operation::kImportWorkbook,    "import a workbook",            true,  N,    N,      A,      N,      A,    N},
    {Operation::kEditTouchpoints,   "change touchpoints",           true,  N,    N,      N,      A,      A,    N},
    {Operation::kAddFeedback,       "log feedback",                 true,  A,    A,      A,      A,      A,    N},
    {Operation::kImportFeedback,    "import feedback",              true,  N,    N,      A,      A,      A,    N},
    {Operation::kSurveyLinks,       "make survey links",            true,  A,    A,      A,      A,      A,    N},
    {Operation::kSetStrategy,       "change the customer strategy", false, N,    N,      N,      A,      A,    N},
    {Operation::kGoLive,            "update the go-live kit",       true,  N,    N,      A,      A,      A,    N},
}};
// clang-format on

constexpr bool InOrder() {
  for (size_t i = 0; i < kRules.size(); ++i) {
    if (size_t(kRules[i].op) != i) return false;
  }
  return true;
}
static_assert(InOrder(), "kRules lists the operations in the order of Operation");

const OperationRule& RuleOf(Operation op) { return kRules[size_t(op)]; }

Reach ReachIn(const OperationRule& r, std::string_view role) {
  if (role == "sales") return r.sales;
  if (role == "service") return r.service;
  if (role == "steward") return r.steward;
  if (role == "manager") return r.manager;
  if (role == "admin") return r.admin;
  if (role == "erp") return r.erp;
  return Reach::kNone;
}

// The canonical divisions of a "Motors; Medical" list.
std::vector<std::string> DivisionsOf(std::string_view list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find_first_of(";,", start);
    if (end == std::string_view::npos) end = list.size();
    if (auto d = CanonicalDivision(list.substr(start, end - start))) out.push_back(*d);
    start = end + 1;
  }
  return out;
}

std::string Allowed(const OperationRule& r) {
  std::string out;
  for (std::string_view role : Roles()) {
    Reach reach = ReachIn(r, role);
    if (reach == Reach::kNone) continue;
    out += (out.empty() ? "" : ", ") + std::string(role);
    if (reach == Reach::kOwnDivisions) out += " (of the division)";
  }
  return out;
}

}  // namespace

std::span<const OperationRule> OperationRules() { return kRules; }

Reach ReachOf(std::string_view role, Operation op) { return ReachIn(RuleOf(op), role); }

Status Authorize(const std::optional<User>& actor, Operation op,
                 std::span<const std::string> divisions) {
  const OperationRule& r = RuleOf(op);
  if (!actor) {
    if (r.console) return Status::Ok();
    return Forbidden("only a named user may " + std::string(r.what) + " (that needs the role " +
                     Allowed(r) + "); name yourself with --as LOGIN (or $CXHUB_USER)");
  }
  const Reach reach = ReachIn(r, actor->role);
  const std::string who = actor->login + " (" + actor->role + ")";
  if (reach == Reach::kNone) {
    return Forbidden(who + " may not " + r.what + "; that needs the role " + Allowed(r));
  }
  if (reach == Reach::kAll) return Status::Ok();
  const std::vector<std::string> mine = DivisionsOf(actor->division);
  if (mine.empty()) return Status::Ok();  // a steward without a division is company-wide
  for (const auto& list : divisions) {
    bool shared = false;
    for (const auto& d : DivisionsOf(list)) {
      for (const auto& m : mine) shared = shared || d == m;
    }
    if (!shared) {
      return Forbidden(who + " may " + r.what + " only within " + actor->division +
                       "; a record of " + (list.empty() ? std::string("no division") : list) +
                       " is outside it");
    }
  }
  return Status::Ok();
}

}  // namespace cx
