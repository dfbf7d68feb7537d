// Users and roles: adding users, hashing passwords, and checking the acting role.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/people.h"
#include "domain/rules.h"
#include "service/context.h"

namespace cx {

// Adds or updates a user. A non-empty password is stored as an argon2id hash.
// Only an admin (or the command line's own "cli") may do it. Audited.
// Errors: kInvalid, kForbidden.
Result<User> AddUser(const Context& ctx, User u, const std::string& password);

// The acting user, or nullopt for the command line's own "cli" actor.
// Errors: kForbidden when the actor is neither "cli" nor a known user.
Result<std::optional<User>> ActingUser(Tx& tx, const Context& ctx);

// ok when the acting user may do `op` on records of `divisions` by the one table of rules
// (domain/rules.h); the command line's own "cli" actor passes where the table lets the console.
// Errors: kForbidden (an unknown actor too).
Status Authorize(Tx& tx, const Context& ctx, Operation op,
                 std::span<const std::string> divisions = {});

// Every user, read once, as the resolver of people columns (domain/people.h): for a use case
// that resolves or shows many people (an import, an export, a list).
Result<People> LoadPeople(Tx& tx);

// Replaces the people fields of `record` (an Account, Interaction, Opportunity or Case) by the
// full names shown for them (domain/people.h ShowPeople), for a record handed back to a caller.
template <typename T>
Status ShowPeopleIn(Tx& tx, T* record) {
  CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
  ShowPeople(people, record);
  return Status::Ok();
}

// Sets a person field of one record to what the hub stores (People::Link): the login of the
// user `*person` names by login or full name, else the name as typed, trimmed.
Status LinkPerson(Tx& tx, std::string* person);

// argon2id password hashing (libsodium). Errors: kInternal when out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);

Result<std::vector<User>> ListUsers(const Context& ctx);

}  // namespace cx
