// A user's role, division, name or availability changed in one checked transaction.
#include "service/user_edit.h"

#include "service/audit.h"
#include "service/user_service.h"

namespace cx {

namespace {

FieldList Shown(const User& u) {
  return {{"name", u.name},
          {"role", u.role},
          {"division", u.division},
          {"away", u.away ? "yes" : "no"}};
}

}  // namespace

Result<User> ChangeUser(const Context& ctx, const std::string& login, const UserChange& change,
                        const std::function<Status(const User&)>& check) {
  User out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kManageUsers));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetUser(login));
    if (!old) return NotFound("user '" + login + "' does not exist (see: cxhub user list)");
    if (check) CX_RETURN_IF_ERROR(check(*old));
    User u = *old;
    if (change.name) u.name = *change.name;
    if (change.role) u.role = *change.role;
    if (change.division) u.division = *change.division;
    if (change.away) u.away = *change.away;
    CX_RETURN_IF_ERROR(ValidateUser(&u));
    if (old->role == "admin" && u.role != "admin") {
      CX_ASSIGN_OR_RETURN(auto users, tx.ListUsers());
      int admins = 0;
      for (const auto& x : users) admins += x.role == "admin" && x.login != login;
      if (admins == 0) {
        return Conflict("role: '" + login + "' is the only admin; make another user admin first")
            .AddDetail("role: the only admin keeps the admin role");
      }
    }
    CX_RETURN_IF_ERROR(tx.UpsertUser(u));
    out = u;
    return AuditChanges(tx, ctx, "update", "user", login, Shown(*old), Shown(u));
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
