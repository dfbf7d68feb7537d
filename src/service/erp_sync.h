// ERP sync (docs/erp.md): the ERP's customer and order exports flow into the
// hub in one transaction; the ERP owns its fields, the hub keeps its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "io/erp/erp_mapping.h"
#include "service/context.h"

namespace cx {

struct ErpSyncOptions {
  ErpKind kind = ErpKind::kCustomers;
  std::string file;      // CSV (or .xlsx) export
  std::string map_file;  // empty = the default mapping
  bool full = false;  // customers: the file is a full export; flag linked customers missing from it
  bool partial = false;  // apply the good rows, write the bad ones to FILE.rejected.csv
  bool dry_run = false;  // do everything, then roll back
  // Replace (or remove) a FILE.rejected.csv that this hub did not write (docs/erp.md).
  bool force = false;
};

struct ProposedLink {
  std::string account, erp_id, why;
};
struct RejectedRow {
  int64_t line = 0;  // physical line where the record starts; the header is line 1
  std::string reason;
};

// What a sync did (or, when refused or a dry run, would have done).
struct ErpSyncSummary {
  std::string kind, file, sha256, encoding;
  char delimiter = ',';
  int64_t rows = 0, created = 0, updated = 0, unchanged = 0, skipped_older = 0;
  std::vector<std::string> flagged_missing;           // ERP customer ids
  std::vector<std::string> flagged_missing_accounts;  // the hub accounts linked to them
  // ERP customer ids flagged missing by an earlier full export that are back in this file;
  // their open "missing" items in the steward's queue are closed as "reappeared".
  std::vector<std::string> reappeared;
  std::vector<ProposedLink> proposed_links;
  std::vector<RejectedRow> rejected;
  std::optional<Timestamp> watermark_before, watermark_after;
  bool applied = false;  // true when committed
  bool dry_run = false;
  int64_t sync_seq = 0;       // the history record, when applied
  std::string rejected_file;  // with --partial and rejected rows
  // An earlier run's FILE.rejected.csv, removed because this applied run rejected nothing.
  std::string removed_rejected_file;
  std::vector<std::string> warnings;  // what the run did but could not tidy up
};

// Runs one sync. Only the roles erp, admin and steward (or the command line's own
// "cli") may sync. The whole file is applied in one transaction: a file with any
// bad row is refused whole (kInvalid, one detail "line N: reason" per bad row,
// nothing written) unless opt.partial; a file that cannot be read or parsed, a
// mapping that does not fit, or a missing required column is refused (kInvalid
// naming what is missing). `out` is filled in every case where rows were read.
// Errors: kInvalid, kForbidden, kInternal.
Status RunErpSync(const Context& ctx, const ErpSyncOptions& opt, ErpSyncSummary* out);

// Applied syncs, newest first.
Result<std::vector<ErpSyncRecord>> ErpSyncHistory(const Context& ctx, int limit);

// ---- Field ownership ----
// The account fields the ERP owns once an account is linked (Account::erp_customer_id
// not empty): "name", "industry", "address", "city", "phone", "email", "status",
// and the link itself, "erp_customer_id". Divisions, owner, type and custom fields
// are the hub's (a sync only adds the ERP's division to the list).
const std::vector<std::string>& ErpOwnedAccountFields();
// The account's member for one name of ErpOwnedAccountFields(), or nullptr.
std::string* ErpOwnedField(Account& a, const std::string& name);
// ok when `proposed` keeps every ERP-owned field of the linked account `current`
// (always ok for an unlinked one). Errors: kConflict "field X is owned by the ERP
// (account A linked to ERP customer Y)", one detail per field.
Status CheckErpOwnedUnchanged(const Account& current, const Account& proposed);
// For imports (the workbook): puts the ERP's values of a linked `current` back into
// `incoming` and returns one warning per field that differed.
std::vector<std::string> KeepErpOwned(const Account& current, Account* incoming);

}  // namespace cx
