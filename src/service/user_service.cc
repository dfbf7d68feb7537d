// Users: argon2id hashes via libsodium, role checks against the acting user.
#include "service/user_service.h"

#include <sodium.h>

#include "service/audit.h"

namespace cx {

Result<std::string> HashPassword(const std::string& password) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  if (sodium_init() < 0 || hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Result<std::optional<User>> ActingUser(Tx& tx, const Context& ctx) {
  if (ctx.actor == "cli") return std::optional<User>();
  CX_ASSIGN_OR_RETURN(auto u, tx.GetUser(ctx.actor));
  if (!u) return Forbidden("'" + ctx.actor + "' is not a user of this hub (see: cxhub user add)");
  return u;
}

Status Authorize(Tx& tx, const Context& ctx, Operation op, std::span<const std::string> divisions) {
  CX_ASSIGN_OR_RETURN(auto u, ActingUser(tx, ctx));
  return cx::Authorize(u, op, divisions);
}

Result<People> LoadPeople(Tx& tx) {
  CX_ASSIGN_OR_RETURN(auto users, tx.ListUsers());
  return People(std::move(users));
}

Status LinkPerson(Tx& tx, std::string* person) {
  if (person->empty()) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto people, LoadPeople(tx));
  *person = people.Link(*person);
  return Status::Ok();
}

Result<User> AddUser(const Context& ctx, User u, const std::string& password) {
  CX_RETURN_IF_ERROR(ValidateUser(&u));
  if (!password.empty()) {
    if (password.size() < 8) return Invalid("password: must have at least 8 characters");
    CX_ASSIGN_OR_RETURN(u.password_hash, HashPassword(password));
  }
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kManageUsers));
    CX_ASSIGN_OR_RETURN(auto old, tx.GetUser(u.login));
    u.created_at = old ? old->created_at : ctx.now();
    if (password.empty() && old) u.password_hash = old->password_hash;
    CX_RETURN_IF_ERROR(tx.UpsertUser(u));
    // A new password ends the sessions opened with the old one.
    if (!password.empty() && old) CX_RETURN_IF_ERROR(tx.DeleteApiSessionsOf(u.login));
    FieldList after = {{"name", u.name},
                       {"role", u.role},
                       {"division", u.division},
                       {"password", u.password_hash.empty() ? "" : "(set)"}};
    if (!old) return AuditCreate(tx, ctx, "user", u.login, after);
    FieldList before = {{"name", old->name},
                        {"role", old->role},
                        {"division", old->division},
                        {"password", old->password_hash.empty() ? "" : "(set)"}};
    if (!password.empty() && !old->password_hash.empty()) before.back().second = "(old)";
    return AuditChanges(tx, ctx, "update", "user", u.login, before, after);
  });
  if (!st.ok()) return st;
  return u;
}

Result<std::vector<User>> ListUsers(const Context& ctx) {
  std::vector<User> out;
  CX_RETURN_IF_ERROR(ctx.store->Read([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListUsers());
    return Status::Ok();
  }));
  return out;
}

}  // namespace cx
