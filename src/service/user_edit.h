// Changing one user's role, division, name or availability: the edit an admin makes on the
// web page's Admin screen (docs/web.md), checked against what the editor read.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "service/context.h"

namespace cx {

// The fields a change may set; nullopt leaves the stored value.
struct UserChange {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> division;  // "" for all divisions
  std::optional<bool> away;
};

// Applies `change` to the stored user `login` in one transaction and returns the user as
// stored. `check`, when given, sees the stored user first and may refuse (an editor's stale
// copy): its error is returned and nothing is written. The result is validated as AddUser
// validates it (the one list of roles and divisions); taking the admin role from the only
// admin is refused, so the hub always keeps one. The password and sessions are untouched: a
// role's rights follow the stored role at each request. Admin only (the rules table's
// kManageUsers). Audited field by field.
// Errors: kNotFound, kInvalid, kForbidden, kConflict (the last admin), and `check`'s.
Result<User> ChangeUser(const Context& ctx, const std::string& login, const UserChange& change,
                        const std::function<Status(const User&)>& check = nullptr);

}  // namespace cx
