// The table of access rules. Changing who may do what is an edit of this table only.
#include "api/access_rules.h"

#include "base/text.h"

namespace cx::api {

namespace {

// "Motors; Medical" → {"Motors", "Medical"} (the stored form of several divisions).
std::vector<std::string> DivisionList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string d = Trim(std::string_view(text).substr(start, end - start));
    if (!d.empty()) out.push_back(d);
    start = end + 1;
  }
  return out;
}

}  // namespace

const std::vector<AccessRule>& AccessRules() {
  // sales: log interactions, create accounts/contacts after search. service: log interactions.
  // steward: what sales may, plus fix master data in their division(s). manager: read
  // everything. admin: the system owner. erp: syncs only (no route of this table).
  static const std::vector<AccessRule> rules = {
      {"session", {"sales", "service", "steward", "manager", "admin", "erp"}, false, "sign in"},
      {"search", {"sales", "service", "steward", "manager", "admin"}, false, "search"},
      {"account.read", {"sales", "service", "steward", "manager", "admin"}, false, "read accounts"},
      {"account.create", {"sales", "steward", "admin"}, false, "create accounts"},
      {"account.edit", {"steward", "manager", "admin"}, true, "edit accounts"},
      {"contact.read", {"sales", "service", "steward", "manager", "admin"}, false, "read contacts"},
      {"contact.create", {"sales", "steward", "admin"}, false, "create contacts"},
      {"interaction.read",
       {"sales", "service", "steward", "manager", "admin"},
       false,
       "read interactions"},
      {"interaction.create",
       {"sales", "service", "steward", "manager", "admin"},
       false,
       "log interactions"},
  };
  return rules;
}

const AccessRule* FindAccessRule(std::string_view operation) {
  for (const auto& r : AccessRules())
    if (r.operation == operation) return &r;
  return nullptr;
}

bool RoleMay(const User& u, std::string_view operation) {
  const AccessRule* r = FindAccessRule(operation);
  if (!r) return false;
  for (auto role : r->roles)
    if (role == u.role) return true;
  return false;
}

bool MayTouch(const User& u, std::string_view operation, const std::string& divisions) {
  if (!RoleMay(u, operation)) return false;
  const AccessRule* r = FindAccessRule(operation);
  if (!r->steward_scoped || u.role != "steward" || u.division.empty()) return true;
  for (const auto& mine : DivisionList(u.division))
    for (const auto& theirs : DivisionList(divisions))
      if (mine == theirs) return true;
  return false;
}

}  // namespace cx::api
