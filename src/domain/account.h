// Account: one company or household (docs/data-model.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "domain/custom_fields.h"

namespace cx {

struct Account {
  std::string id;    // "A-000123" or as the workbook had it
  std::string name;  // Company Name
  std::string industry;
  std::string erp_customer_id;  // empty until linked to the ERP
  std::string owner;            // Account Owner: a person's name as typed, or a user's login
  std::string divisions;        // "Motors; Medical"
  std::string type = "customer";
  // ERP-owned master data.
  std::string address, city, phone, email, status;
  CustomFields custom;
  std::string merged_into;  // set when a steward merged this account into another
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};

// Checks and canonicalises an account (name present, type and divisions known,
// phone and email well-formed). Errors: kInvalid naming every bad field.
Status ValidateAccount(Account* a);

// An account with what storing it works out from its fields: the match keys, the words of
// its name for the name index and the custom fields as JSON. Bulk loads make these off the
// writing thread.
struct KeyedAccount {
  Account account;
  std::string name_key, phone_key, email_key, custom_json;
  std::vector<std::string> words;  // CompanyWords of the name
};
KeyedAccount KeyAccount(Account a);
// Works out the rest of `k` from its account (a bulk load fills the account in place).
void KeyInPlace(KeyedAccount* k);

}  // namespace cx
