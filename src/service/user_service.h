// Users and roles: adding users, hashing passwords, and checking the acting role.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "service/context.h"

namespace cx {

// Adds or updates a user. A non-empty password is stored as an argon2id hash.
// Only an admin (or the command line's own "cli") may do it. Audited.
// Errors: kInvalid, kForbidden.
Result<User> AddUser(const Context& ctx, User u, const std::string& password);

// The acting user, or nullopt for the command line's own "cli" actor.
// Errors: kForbidden when the actor is neither "cli" nor a known user.
Result<std::optional<User>> ActingUser(Tx& tx, const Context& ctx);

// ok when the acting user has one of `roles`; the command line's own "cli" actor
// (the administrator at the console) passes. Errors: kForbidden naming `what`.
Status RequireRole(Tx& tx, const Context& ctx, std::initializer_list<const char*> roles,
                   const std::string& what);

// argon2id password hashing (libsodium). Errors: kInternal when out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);

Result<std::vector<User>> ListUsers(const Context& ctx);

}  // namespace cx
