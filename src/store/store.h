// The storage contract: every read and write of cxhub goes through these interfaces, one area
// of the hub per interface (each in its own header). They say what is kept and what a call
// returns, never how: a backend is free in its schema and its queries. Record types live in
// domain/. A backend is opened by URL (store/open/open_store.h).
#pragma once

#include <functional>
#include <string>

#include "base/status.h"
#include "store/access_store.h"
#include "store/audit_store.h"
#include "store/bulk_load_store.h"
#include "store/duplicate_store.h"
#include "store/erp_store.h"
#include "store/journey_store.h"
#include "store/kpi_store.h"
#include "store/merge_store.h"
#include "store/name_index_store.h"
#include "store/record_store.h"
#include "store/setting_store.h"
#include "store/stream_store.h"

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
           public BulkLoadStore {
 public:
  ~Tx() override = default;
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
  // (and when it throws). The Tx must not escape `fn`.
  virtual Status Transaction(const std::function<Status(Tx&)>& fn) = 0;
  // The same, for a transaction that writes a great deal (an import, an ERP sync). Same
  // guarantees; the store may arrange its writing differently (each new piece written once).
  virtual Status BulkTransaction(const std::function<Status(Tx&)>& fn) = 0;
  // Writes a consistent copy of the whole store to `path` while others keep using it.
  virtual Status Backup(const std::string& path) = 0;
  // The store's size in bytes (for the hub's health report).
  virtual Result<int64_t> SizeBytes() = 0;
};

}  // namespace cx
