// The storage contract: every read and write of cxhub goes through these interfaces, one area
// of the hub per interface (each in its own header). They say what is kept and what a call
// returns, never how: a backend is free in its schema and its queries. Record types live in
// domain/. A backend is opened by URL (store/open/open_store.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "domain/hub_load.h"
#include "store/access_store.h"
#include "store/account_history_store.h"
#include "store/audit_store.h"
#include "store/bulk_load_store.h"
#include "store/check_store.h"
#include "store/copy_store.h"
#include "store/duplicate_store.h"
#include "store/erp_store.h"
#include "store/feedback_store.h"
#include "store/journey_store.h"
#include "store/kpi_store.h"
#include "store/lock_store.h"
#include "store/merge_store.h"
#include "store/name_index_store.h"
#include "store/record_batch_store.h"
#include "store/record_store.h"
#include "store/setting_store.h"
#include "store/strategy_store.h"
#include "store/stream_store.h"
#include "store/touchpoint_store.h"

namespace cx {

// The operations of one transaction, every area together. Obtained only inside
// Store::Transaction; it must not escape it. Every method returns kInternal on a storage
// failure; Get* return nullopt when absent; Insert* return kConflict when the id exists.
class Tx : public RecordStore,
           public StreamStore,
           public AuditStore,
           public NameIndexStore,
           public DuplicateStore,
           public MergeStore,
           public SettingStore,
           public ErpStore,
           public KpiStore,
           public JourneyStore,
           public AccessStore,
           public BulkLoadStore,
           public TouchpointStore,
           public FeedbackStore,
           public LockStore,
           public CheckStore,
           public StrategyStore,
           public AccountHistoryStore,
           public CopyStore,
           public RecordBatchStore {
 public:
  ~Tx() override = default;
  // record_batch_store.h, one GetOpportunity / GetCase per id (store/record_batch_store.cc):
  // an embedded store pays nothing per read; a server store overrides them.
  Result<std::vector<Opportunity>> GetOpportunities(const std::vector<std::string>& ids) override;
  Result<std::vector<Case>> GetCases(const std::vector<std::string>& ids) override;
  // The user an API token (its hash) signs in, or nullopt: no such token, its user disabled or
  // gone. By default ApiTokenLogin, IsUserDisabled and GetUser (store/access_defaults.cc); a
  // store may answer in one statement (every API request with a bearer token asks).
  virtual Result<std::optional<User>> UserOfApiToken(const std::string& hash);
};

// A database. Thread-compatible: one Store per thread, or external locking.
class Store {
 public:
  virtual ~Store() = default;
  // Brings the schema up to date: every schema step not yet applied, each in its own
  // transaction, in order.
  virtual Status Migrate() = 0;
  // How many schema steps are applied (0 for an empty store).
  virtual Result<int> SchemaVersion() = 0;
  // Runs `fn` in one transaction: commits when it returns ok, rolls back otherwise
  // (and when it throws). The Tx must not escape `fn`. Writers take turns: one that meets
  // another waits up to the lock wait (docs/operations.md) and then fails naming the holder.
  virtual Status Transaction(const std::function<Status(Tx&)>& fn) = 0;
  // Runs `fn` on a snapshot of the last committed state: it neither waits for a writer (a
  // running load is not seen, the hub as it was before it is) nor makes one wait, and works
  // on a read-only hub. `fn` must not write (tx.Writable() is false; a write fails).
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // For a read that keeps derived tables up to date as it goes (KPI aggregates, the duplicate
  // index): a write transaction when the hub can be written without waiting for a bulk load,
  // else Read. `fn` asks tx.Writable() before it writes.
  virtual Status ReadFresh(const std::function<Status(Tx&)>& fn) = 0;
  // Transaction, for a load that writes a great deal (an import, an ERP sync): same
  // guarantees, and `load` is recorded while it runs so that a writer kept waiting is told
  // which load holds the hub, who started it and when.
  virtual Status BulkTransaction(const HubLoad& load, const std::function<Status(Tx&)>& fn) = 0;
  // Writes a consistent copy of the whole store to `path` while others keep using it, then
  // checks the copy's storage. Errors: kInternal when the copy cannot be written or reads as
  // damaged.
  virtual Status Backup(const std::string& path) = 0;
  // Whether the store file at `path` is a copy of this hub (a backup of it, or the hub it
  // was restored from): both carry the identity the hub was given at its creation. False
  // for a file that is no store, or another hub. Read-only.
  virtual Result<bool> IsCopyOfThisHub(const std::string& path) = 0;
  // The store's size in bytes (for the hub's health report).
  virtual Result<int64_t> SizeBytes() = 0;
  // Another handle on the same database, for another thread (a Store is used by one thread at
  // a time): its Read sees the last committed state, so while a transaction of this handle
  // writes, the hub as it was before that transaction. nullptr when the backend offers none
  // (then the caller does the work on its own handle). A load's search-first runs on one beside
  // its writer (service/search_first_aside.h).
  virtual Result<std::unique_ptr<Store>> OpenSibling() { return std::unique_ptr<Store>(); }
};

}  // namespace cx
