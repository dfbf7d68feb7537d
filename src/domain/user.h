// Users, their roles, and the audit log entry.
#pragma once

#include <string>

#include "base/status.h"
#include "base/time.h"

namespace cx {

struct User {
  std::string login;
  std::string name;
  std::string role;           // sales, service, steward, manager, admin, erp
  std::string division;       // empty for all
  std::string password_hash;  // argon2id (libsodium), empty when the user cannot log in
  bool away = false;          // skipped by round-robin routing
  Timestamp created_at = 0;
};

// One change to one field of one record. Append-only.
struct AuditEntry {
  int64_t seq = 0;
  Timestamp at = 0;
  std::string actor;   // login or name of who did it
  std::string action;  // create, update, merge, unmerge, link, force-create …
  std::string entity;  // account, contact, interaction …
  std::string entity_id;
  std::string field;  // empty for a whole-record action
  std::string before;
  std::string after;
  std::string reason;
};

// Errors: kInvalid naming every bad field.
Status ValidateUser(User* u);

}  // namespace cx
