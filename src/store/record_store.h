// The records of the hub: reading and writing them one by one or many at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/entity.h"
#include "domain/filters.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/order.h"
#include "domain/user.h"

namespace cx {

// The hub's own records: accounts, contacts, interactions, opportunities with their stage
// history, cases, orders, feedback and users. Every method returns kInternal on a storage
// failure; Get* return nullopt when absent; Insert* return kConflict when the id exists.
class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // A fresh id "PREFIX-NNNNNN" not used by any record of that prefix's kind.
  virtual Result<std::string> NextId(const std::string& prefix) = 0;
  // The next number without checking that no record has it: for a kind that held no
  // record when the transaction began and gets its ids only from here. (A taken id would
  // then fail its insert as a conflict.)
  virtual Result<std::string> NextIdUnchecked(const std::string& prefix) = 0;
  // NextId for a caller that takes many ids of the prefix in one transaction and stores no
  // record of its kind under any other id meanwhile: which numbers are taken may be read for
  // many at once (a first ERP sync into a hub that holds accounts numbers a million).
  virtual Result<std::string> NextIdOfMany(const std::string& prefix) = 0;

  virtual Result<std::optional<Account>> GetAccount(const std::string& id) = 0;
  virtual Result<std::optional<Account>> FindAccountByErpId(const std::string& erp_id) = 0;
  virtual Status InsertAccount(const Account& a) = 0;
  // Inserts new accounts, many per statement. Errors: kConflict naming the account when an
  // id or ERP Customer ID is taken (nothing of that call written).
  virtual Status InsertAccounts(const std::vector<const KeyedAccount*>& rows) = 0;
  virtual Status UpdateAccount(const Account& a) = 0;
  virtual Result<std::vector<Account>> ListAccounts(const AccountFilter& f) = 0;
  virtual Result<int64_t> CountAccounts(const AccountFilter& f) = 0;

  virtual Result<std::optional<Contact>> GetContact(const std::string& id) = 0;
  virtual Status InsertContact(const Contact& c) = 0;
  virtual Status UpdateContact(const Contact& c) = 0;
  virtual Result<std::vector<Contact>> ListContacts(const ContactFilter& f) = 0;

  virtual Result<std::optional<Interaction>> GetInteraction(const std::string& id) = 0;
  virtual Status InsertInteraction(const Interaction& i) = 0;
  // The same for many (a bulk load): fewer statements, the same errors.
  virtual Status InsertInteractions(const std::vector<Interaction>& rows) = 0;
  virtual Status UpdateInteraction(const Interaction& i) = 0;
  virtual Result<std::vector<Interaction>> ListInteractions(const InteractionFilter& f) = 0;

  virtual Result<std::optional<Opportunity>> GetOpportunity(const std::string& id) = 0;
  virtual Status InsertOpportunity(const Opportunity& o) = 0;
  virtual Status UpdateOpportunity(const Opportunity& o) = 0;
  virtual Result<std::vector<Opportunity>> ListOpportunities(const OpportunityFilter& f) = 0;
  virtual Status AddStage(const StageEntry& e) = 0;
  virtual Result<std::vector<StageEntry>> StageHistory(const std::string& opportunity_id) = 0;

  virtual Result<std::optional<Case>> GetCase(const std::string& id) = 0;
  virtual Status InsertCase(const Case& c) = 0;
  virtual Status UpdateCase(const Case& c) = 0;
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& f) = 0;

  virtual Result<std::optional<Order>> GetOrder(const std::string& id) = 0;
  virtual Status UpsertOrder(const Order& o) = 0;
  // Inserts new orders, many per statement. Errors: kConflict naming the order when an id
  // is taken.
  virtual Status InsertOrders(const std::vector<const Order*>& rows) = 0;

  virtual Status InsertFeedback(const Feedback& f) = 0;

  virtual Result<std::optional<User>> GetUser(const std::string& login) = 0;
  virtual Status UpsertUser(const User& u) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<std::optional<Feedback>> GetFeedback(const std::string& id) = 0;
  // Errors: kNotFound when absent.
  virtual Status UpdateFeedback(const Feedback& f) = 0;

  // Whether a record of `e` with this id exists (live or merged).
  virtual Result<bool> Exists(Entity e, const std::string& id) = 0;
  // Whether the store holds no record of `e` at all.
  virtual Result<bool> IsEmpty(Entity e) = 0;
  // The custom field names used by any record of `e` (accounts, contacts, interactions,
  // opportunities, cases), sorted. Errors: kInvalid for a kind without custom fields.
  virtual Result<std::vector<std::string>> CustomFieldNames(Entity e) = 0;
};

}  // namespace cx
