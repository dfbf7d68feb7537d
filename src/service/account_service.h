// Use cases for accounts and contacts: search-first creation, edits, the 360 view.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "service/context.h"
#include "service/match.h"

namespace cx {

// Search-first: creating a record that probably exists is refused unless forced
// with a reason (the force and the reason are audited).
struct CreateOptions {
  bool force = false;
  std::string reason;
};

// Creates an account after validation and the search-first check. Assigns an id
// when none is given. Errors: kInvalid (every bad field), kConflict (probable
// duplicates, listed in the details, or the id exists). Nothing is written on error.
Result<Account> AddAccount(const Context& ctx, Account a, const CreateOptions& opt = {});
// Creates a contact; its account, when given, must exist. Errors as AddAccount.
Result<Contact> AddContact(const Context& ctx, Contact c, const CreateOptions& opt = {});

// Replaces an account's editable fields, auditing every changed field. `precondition`, when
// given, sees the stored account inside the transaction before anything is written, and its
// failure is returned as is (the API's If-Match check: no edit lost between read and write).
// Errors: kNotFound, kInvalid, kConflict.
Result<Account> UpdateAccount(
    const Context& ctx, Account a, const std::string& reason = "",
    const std::function<Status(const Account& stored)>& precondition = nullptr);
// The same for a contact.
Result<Contact> UpdateContact(
    const Context& ctx, Contact c, const std::string& reason = "",
    const std::function<Status(const Contact& stored)>& precondition = nullptr);
// Edits the stored account `id` in one transaction: `edit` changes the account as stored at
// that moment, which is then validated, audited and written as UpdateAccount does. So two
// edits of different fields of one account made at the same time both survive (reading in
// one transaction and writing the whole record in another let the later one undo the other).
// Errors: as UpdateAccount, and whatever `edit` returns (nothing is written then).
Result<Account> EditAccount(const Context& ctx, const std::string& id,
                            const std::function<Status(Account* stored)>& edit,
                            const std::string& reason = "");

// An account with what hangs off it, newest interactions first.
struct AccountView {
  Account account;
  std::vector<Contact> contacts;
  std::vector<Interaction> interactions;
  std::vector<Opportunity> opportunities;
  std::vector<Case> cases;
};
// `deals`: whether its opportunities and cases are read too (a view that shows neither, as the
// API's, or an edit that needs the account alone, leaves them unread: each is a statement more).
// Errors: kNotFound.
Result<AccountView> ShowAccount(const Context& ctx, const std::string& id,
                                int interaction_limit = 50, bool deals = true);

struct ContactView {
  Contact contact;
  std::optional<Account> account;
  std::vector<Interaction> interactions;
};
Result<ContactView> ShowContact(const Context& ctx, const std::string& id,
                                int interaction_limit = 50);

// Reads through one transaction.
Result<std::vector<Account>> ListAccounts(const Context& ctx, const AccountFilter& f);
Result<std::vector<Contact>> ListContacts(const Context& ctx, const ContactFilter& f);

// The conflict status listing probable duplicates of a new record.
Status DuplicateRefusal(NameKind k, const std::string& name, const std::vector<Match>& matches);
// The matches a DuplicateRefusal lists (empty for any other status).
std::vector<Match> RefusedDuplicates(NameKind k, const Status& st);

}  // namespace cx
