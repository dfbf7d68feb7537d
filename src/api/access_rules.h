// Who may do what over the API: one table of rules, role × operation, with the data steward's
// division scope (docs/people.md). Every route names one operation of this table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/user.h"

namespace cx::api {

// One row: the roles that may do `operation`. When `steward_scoped`, a steward who has a
// division may do it only to records of that division (a steward without one: to all).
struct AccessRule {
  std::string_view operation;
  std::vector<std::string_view> roles;
  bool steward_scoped = false;
  std::string_view what;  // said in a refusal: "edit accounts"
};

// The whole table, in a stable order (docs/api.md prints it).
const std::vector<AccessRule>& AccessRules();
// The rule of `operation`, or nullptr for an operation the table does not know (a bug).
const AccessRule* FindAccessRule(std::string_view operation);
// Whether `u` may do `operation` at all (before any division scope).
bool RoleMay(const User& u, std::string_view operation);
// Whether `u` may do `operation` to a record of `divisions` ("Motors; Medical"): the role
// check, then, for a steward with a division and a scoped rule, one of `divisions` is theirs.
bool MayTouch(const User& u, std::string_view operation, const std::string& divisions);

}  // namespace cx::api
