// The one class that runs an ERP sync (docs/erp.md), shared by the files that hold its parts:
// erp_sync_read.cc (reading and checking rows on the reading thread), erp_sync_write.cc (applying
// them on the writing thread), erp_sync_links.cc (proposed links and customers missing from a
// full export) and erp_sync_run.cc (the run: pipeline, watermark, the sync's record). Internal to
// service/erp_sync*.cc; the interface is service/erp_sync.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/string_table.h"
#include "io/csv/csv_reader.h"
#include "io/csv/row_file.h"
#include "service/erp_sync.h"
#include "service/unlinked_accounts.h"

namespace cx::erp_detail {

// Marks a dry run's rollback.
extern const char* const kDryRunMarker;

// The file name of a path (what the sync's record and audit reason name).
std::string BaseName(const std::string& path);

// The columns of the file for each mapped field (-1 when the file lacks it).
struct ColumnPlan {
  std::vector<std::string> header;
  std::vector<std::pair<std::string, int>> index;  // field → column; a handful, read per cell
  int Col(std::string_view f) const {
    for (const auto& [name, col] : index)
      if (name == f) return col;
    return -1;
  }
};

// The column plan of a header: each mapped field's column. Errors: kInvalid naming the file,
// when a mapped column appears twice or a required one is missing (with the mapping's source
// and the header's columns).
Result<ColumnPlan> PlanColumns(const std::vector<std::string>& header, int header_line,
                               ErpKind kind, const ErpKindMapping& m, const std::string& file,
                               const std::string& map_source);

// One row of a customers export after the form checks.
struct CustomerRow {
  std::string erp_id, name, division;
  std::map<std::string, std::string>
      values;  // optional ERP-owned field → cell (trimmed; may be blank)
  Timestamp last_modified = 0;
};

// What the reading thread makes of one record: every check that needs no database.
struct Checked {
  CsvRecord rec;                      // the line and its fields, for the rejected file
  std::vector<std::string> problems;  // not empty: the row is rejected
  std::optional<Timestamp> lm;        // its last modification, when it parsed
  bool older = false;                 // not newer than the watermark: skipped
  bool duplicate = false;             // its id appears on an earlier line of the file
  CustomerRow customer;               // a customers export's row
  Order order;                        // an orders export's row
  // A customer new to the hub (one that had no account, or whose linked ERP ids were read at
  // the start): the account, checked and keyed on the reading thread, for the writing thread to
  // number and store, and the unlinked accounts it looks like (when links are proposed).
  std::optional<KeyedAccount> fresh;
  std::vector<Match> look_alikes;
  Status order_valid;  // ValidateOrder's verdict, given after the customer is known
};

// Streams every record of the file (the header first) into a sink (io/csv/row_file.h).
using cx::RowSink;
using RowSource = std::function<Status(const RowSink&)>;
// Turns the header record into the column plan.
using PlanFn = std::function<Result<ColumnPlan>(const CsvRecord&)>;

// Reads the file on one thread and writes on the other; one per sync.
class ErpSyncer {
 public:
  ErpSyncer(const Context& ctx, const ErpSyncOptions& opt, const ErpKindMapping& m,
            ErpSyncSummary* out)
      : ctx_(ctx), opt_(opt), m_(m), out_(out) {}
  // Reads every row of `source` (the header through `plan_of`), checks and applies it inside
  // `tx`, moves the watermark and records the sync. Errors: kInvalid (bad rows without
  // --partial, a file without header; nothing is then kept), kForbidden, kInternal (and the
  // dry-run marker, which rolls the transaction back).
  Status Run(const RowSource& source, const PlanFn& plan_of, Tx& tx);
  // Rejected rows with their raw fields, for FILE.rejected.csv.
  const std::vector<CsvRecord>& rejected_records() const { return rejected_records_; }
  const std::vector<std::string>& header() const { return plan_.header; }
  void set_started(Timestamp t) { started_ = t; }
  void set_xlsx(bool xlsx) { xlsx_ = xlsx; }
  // Sizes the table of ids seen for about `rows` rows.
  void Reserve(size_t rows) {
    seen_.Reserve(rows);
    expected_rows_ = int64_t(rows);
  }

 private:
  // The trimmed cell of `field` in `rec`; "" when the file lacks the column.
  std::string Cell(const ColumnPlan& plan, const CsvRecord& rec, std::string_view field) const;
  // The file's column name for a field, as the messages name it.
  std::string ColumnName(const std::string& field) const;
  // Counts the row as rejected, with its reasons, for the summary and FILE.rejected.csv.
  void Reject(const CsvRecord& rec, const std::vector<std::string>& problems,
              std::optional<Timestamp> lm, bool duplicate = false);
  // The row's last modification; nullopt (and a problem) when blank, bad or in the future.
  std::optional<Timestamp> LastModified(const ColumnPlan& plan, const CsvRecord& rec,
                                        std::vector<std::string>* problems);
  // An export repeats its dates, times and divisions: each distinct text is parsed once
  // (bounded memory; failures are not kept).
  Result<Timestamp> Time(const std::string& text);
  // The canonical division of a cell; nullopt when it names none.
  std::optional<std::string> Division(const std::string& text);
  // Not newer than the watermark, and not the correction of a row an earlier sync rejected
  // (one with its key, at least as new as the rejected row when that had a valid date).
  bool Older(Timestamp lm, const std::string& key) const;
  // The field that identifies a row of this kind of export.
  const char* KeyField() const;
  // A valid row: it moves the watermark, and puts right an earlier sync's rejected row.
  void NoteValid(Timestamp lm, const std::string& key);
  // On the reading thread: the checks of a record that need no database. Touches only the
  // plan, the ids seen and its own result.
  Checked Check(CsvRecord& rec);
  // On the writing thread, in the file's order.
  Status Apply(Tx& tx, Checked& c);
  // Reading thread: the checks of a customers row (and, into an empty hub, its new account).
  void CheckCustomer(const ColumnPlan& plan, const CsvRecord& rec, Checked* c);
  // Sets the ERP's fields of `a` from the row and checks the result.
  Status AsErpWantsIt(const CustomerRow& row, Account* a) const;
  // One reason per detail of a validation error (its message when it has none).
  static std::vector<std::string> Reasons(const Status& invalid);
  // Writing thread: creates, updates or skips the account of a customers row.
  Status Customer(Tx& tx, Checked& c);
  // A customer flagged missing by an earlier full export is back: its open flag closes.
  Status Reappeared(Tx& tx, const std::string& erp_id);
  // Hub accounts without an ERP id that look like this ERP customer go to the queue.
  Status Propose(Tx& tx, const Account& a);
  // The same, for look-alikes found already (UnlinkedAccounts::Find on the reading thread).
  Status Queue(Tx& tx, const Account& a, const std::vector<Match>& matches);
  // A full export: the linked customers it lacks go to the queue as "missing".
  Status FlagMissing(Tx& tx);
  // Reading thread: the checks of an orders row.
  void CheckOrder(const ColumnPlan& plan, const CsvRecord& rec, Checked* c);
  // Writing thread: creates, updates or skips the order of an orders row.
  Status OrderLine(Tx& tx, Checked& c);
  // At the end of each batch: the new orders or accounts of the batch, many per statement.
  Status FlushBatch(Tx& tx);
  // Writing thread, before account `id` is updated: asks for the memory held back once the
  // updates stop following the order the accounts were numbered in.
  Status NoteUpdate(Tx& tx, const std::string& id);

  const Context& ctx_;
  const ErpSyncOptions& opt_;
  const ErpKindMapping& m_;
  ErpSyncSummary* out_;
  std::string reason_;
  bool propose_ = false;
  UnlinkedAccounts unlinked_;  // what Propose matches against, when loaded
  int64_t expected_rows_ = 0;  // estimated from the file's size
  std::unordered_map<std::string, ErpQueueItem> open_missing_;  // ERP id → open "missing" item
  Timestamp started_ = 0;
  bool xlsx_ = false;  // the file is a workbook
  // Keys of rows rejected by earlier syncs and not put right (read by both threads, written
  // before they start), the ones this sync puts right, and the key of each row it rejects
  // (empty: none to keep).
  std::unordered_map<std::string, std::optional<Timestamp>> open_rejected_;
  std::vector<std::string> put_right_;
  std::vector<std::string> rejected_keys_;
  std::vector<std::optional<Timestamp>> rejected_lms_;
  static constexpr size_t kMemo = 65536;
  static constexpr Timestamp kFutureLeeway = 2 * 3600;
  std::unordered_map<std::string, Timestamp> time_memo_;  // the reading thread's
  std::unordered_map<std::string, std::optional<std::string>> division_memo_;  // likewise
  StringTable seen_;             // ERP customer ids or order ids → line (the reading thread's)
  bool orders_empty_ = false;    // the hub had no order when the sync began
  bool accounts_empty_ = false;  // … no account
  std::vector<const Order*> pending_orders_;  // new orders of the batch, not yet written
  bool fresh_accounts_ = false;  // every valid row a new account, keyed on the reading thread
  // The ERP ids of the hub's accounts, read at the start when they are few beside the file (a
  // first sync into a hub that holds a workbook): a row of another id is a new account, keyed
  // on the reading thread as into an empty hub. Read by the reading thread only.
  StringTable linked_ids_;
  bool linked_ids_known_ = false;
  // For those, each optional ERP-owned field with its column (reading thread only; ends with
  // a {nullptr, -1} mark once planned).
  std::vector<std::pair<std::string Account::*, int>> owned_columns_;
  std::vector<const KeyedAccount*> pending_accounts_;  // … of the batch, not yet written
  // The page cache a delta asks for once its updates scatter over the accounts (0: none, or
  // asked for already), the updates so far, how many went back in the accounts' order, and the
  // id of the last one (docs/operations.md, "Weekly deltas").
  int scatter_reserve_mib_ = 0;
  int64_t updates_ = 0, updates_back_ = 0;
  std::string last_updated_id_;
  static constexpr size_t kMaxKnownCustomers = 2000000;
  static constexpr int64_t kPreloadCustomersRows = 20000;
  StringTable known_customers_;       // ERP ids linked to an account
  bool all_customers_known_ = false;  // known_customers_ holds every one
  std::optional<Timestamp> max_valid_, min_rejected_;
  bool reject_without_time_ = false;
  std::vector<CsvRecord> rejected_records_;
  ColumnPlan plan_;
};

}  // namespace cx::erp_detail
