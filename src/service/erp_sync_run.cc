// ERP sync, the run: one thread reads and checks the file while the other writes, then the
// watermark moves and the sync is recorded and audited (docs/erp.md).
#include <nlohmann/json.hpp>

#include "base/batch_pipe.h"
#include "base/safe_text.h"
#include "io/csv/row_file.h"
#include "service/audit.h"
#include "service/erp_syncer.h"
#include "service/user_service.h"

namespace cx::erp_detail {

const char* const kDryRunMarker = "erp-sync dry run: rolled back";

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Status ErpSyncer::Run(const RowSource& source, const PlanFn& plan_of, Tx& tx) {
  CX_RETURN_IF_ERROR(Authorize(tx, ctx_, Operation::kErpSync));
  const std::string kind = ErpKindName(opt_.kind);
  CX_ASSIGN_OR_RETURN(out_->watermark_before, tx.ErpWatermark(kind));
  CX_ASSIGN_OR_RETURN(auto open_rejected, tx.ErpRejectedKeys(kind));
  for (auto& [key, lm] : open_rejected) open_rejected_.emplace(std::move(key), lm);
  int64_t unlinked = 0;  // live accounts without an ERP id
  if (opt_.kind == ErpKind::kCustomers) {
    AccountFilter f;
    f.missing_erp_id = true;
    CX_ASSIGN_OR_RETURN(unlinked, tx.CountAccounts(f));
    propose_ = unlinked > 0;
    if (propose_) CX_RETURN_IF_ERROR(unlinked_.Load(tx, unlinked));
    // Links go only to accounts without an ERP id, and the sync writes none: the names it
    // writes need not be flushed into the index before each row's search.
    tx.SearchOnlyFlushedNames();
    CX_ASSIGN_OR_RETURN(auto open, tx.ListErpQueue("open", -1));
    for (auto& item : open)
      if (item.kind == "missing") open_missing_.emplace(item.erp_id, std::move(item));
  }
  reason_ = "erp-sync " + kind + " " + BaseName(opt_.file);
  // A file much bigger than the table (a first sync): its indexes are built once at the end
  // rather than row by row. The account indexes that finding look-alikes reads stay
  // when links are proposed by searching the hub (too many unlinked accounts to hold).
  if (opt_.kind == ErpKind::kOrders) {
    // A big file writes many pages in one transaction: keep them in memory rather than
    // spilling them to the log early (bounded: 256 MiB).
    CX_RETURN_IF_ERROR(tx.ReserveLargeWriteMemory(256));
    CX_ASSIGN_OR_RETURN(orders_empty_, tx.IsEmpty(Entity::kOrder));
    // A big file meets most customers: read them all at once rather than one by one.
    if (expected_rows_ >= kPreloadCustomersRows) {
      CX_ASSIGN_OR_RETURN(auto ids, tx.ErpCustomerIds());
      if (ids.size() <= kMaxKnownCustomers) {
        known_customers_.Reserve(ids.size());
        for (const auto& id : ids) known_customers_.Emplace(id, 0);
        all_customers_known_ = true;
      }
    }
    CX_RETURN_IF_ERROR(tx.ExpectBulkLoad(Entity::kOrder, expected_rows_).status());
  } else {
    CX_ASSIGN_OR_RETURN(accounts_empty_, tx.IsEmpty(Entity::kAccount));
    // Every valid row is then a new account (the file's ids are all different), made whole
    // on the reading thread.
    fresh_accounts_ = accounts_empty_ && open_missing_.empty();
    // Into a hub whose accounts are few beside the file (at most a quarter of its rows: a
    // first sync into a hub that holds a workbook), the ERP ids of its accounts are read once,
    // and a row of any other id is a new account made whole on the reading thread, as into an
    // empty hub; row by row, each cost a look-up and the keys, checks and look-alike search on
    // the writing thread (docs/erp.md, "Bulk writes").
    if (!fresh_accounts_ && expected_rows_ >= kPreloadCustomersRows) {
      AccountFilter all;
      all.include_merged = true;
      CX_ASSIGN_OR_RETURN(int64_t accounts, tx.CountAccounts(all));
      if (accounts - unlinked <= expected_rows_ / 4) {
        CX_ASSIGN_OR_RETURN(auto ids, tx.ErpCustomerIds());
        linked_ids_.Reserve(ids.size());
        for (const auto& id : ids) linked_ids_.Emplace(id, 0);
        linked_ids_known_ = true;
      }
    }
    // A big file writes many pages in one transaction: keep them in memory rather than
    // writing them out early, where a page may change again (bounded: 256 MiB), but only once
    // the updates stop following the order of the stored accounts: in that order each page is
    // changed and left behind, and filling the memory cost more than it saved (a weekly delta
    // in ERP id order, docs/operations.md "Weekly deltas"). When every row is a new account
    // (an empty hub, or one whose accounts have no ERP id yet) every page is written whole
    // once, in order: memory would only delay that.
    const bool only_new = fresh_accounts_ || (linked_ids_known_ && linked_ids_.size() == 0);
    if (!only_new) scatter_reserve_mib_ = 256;
    // The sync's accounts all carry an ERP id and no owner (the ERP owns no owner).
    // Proposals read no account index when the unlinked accounts are in memory.
    if (!propose_ || unlinked_.loaded()) {
      CX_RETURN_IF_ERROR(
          tx.ExpectBulkLoad(Entity::kAccount, expected_rows_, BulkShape::kErpLinkedUnowned)
              .status());
    }
  }
  // One thread reads and checks the file while this one writes the rows that passed.
  bool have_header = false;
  CX_RETURN_IF_ERROR(PipelinedBatches<Checked>(
      [&](BatchPipe<Checked>& pipe) -> Status {
        return source([&](CsvRecord& rec) -> Status {
          // Lines of nothing but separators and blanks (",,," from a spreadsheet's empty
          // row, a DOS end-of-file mark) are skipped like blank lines, before the header too.
          if (BlankRecord(rec)) return Status::Ok();
          if (!have_header) {
            have_header = true;
            if (!rec.overlong.empty()) {
              return Invalid(opt_.file + ": line " + std::to_string(rec.line) +
                             ": the header's field " + std::to_string(rec.overlong[0].field + 1) +
                             " is " + std::to_string(rec.overlong[0].bytes) +
                             " bytes long; this is not a header line (it starts '" +
                             QuotePrefix(rec.fields[rec.overlong[0].field]) + "')");
            }
            CX_ASSIGN_OR_RETURN(plan_, plan_of(rec));
            return Status::Ok();
          }
          return pipe.Push(Check(rec));
        });
      },
      [&](Checked& c) { return Apply(tx, c); }, [&] { return FlushBatch(tx); }, 1024));
  if (!have_header) return Invalid(opt_.file + ": the file has no header line");
  if (opt_.kind == ErpKind::kCustomers && opt_.full) CX_RETURN_IF_ERROR(FlagMissing(tx));
  // The ids seen (millions for an orders export) are not needed any more: their memory goes
  // back before the commit rebuilds any deferred index.
  seen_.Clear();
  known_customers_.Clear();
  // The watermark never passes a rejected row, so that its corrected version is not skipped
  // later.
  std::optional<Timestamp> wm = out_->watermark_before;
  if (max_valid_) {
    Timestamp to = *max_valid_;
    if (reject_without_time_) to = wm.value_or(to);
    if (min_rejected_ && *min_rejected_ - 1 < to) to = *min_rejected_ - 1;
    if (!wm || to > *wm) {
      if (!(reject_without_time_ && !wm)) wm = to;
    }
  }
  out_->watermark_after = wm;
  if (!out_->rejected.empty() && !opt_.partial) {
    Status st =
        Invalid(opt_.file + ": " + std::to_string(out_->rejected.size()) + " bad row(s) of " +
                std::to_string(out_->rows) +
                "; nothing was written (fix them, or use --partial to apply the good rows)");
    for (const auto& r : out_->rejected)
      st.AddDetail("line " + std::to_string(r.line) + ": " + r.reason);
    return st;
  }
  ErpSyncRecord r;
  r.kind = kind;
  r.actor = ctx_.actor;
  r.file_name = BaseName(opt_.file);
  r.file_sha256 = out_->sha256;
  r.encoding = out_->encoding;
  r.full = opt_.full;
  r.partial = opt_.partial;
  r.rows = out_->rows;
  r.created = out_->created;
  r.updated = out_->updated;
  r.unchanged = out_->unchanged;
  r.skipped_older = out_->skipped_older;
  r.rejected = int64_t(out_->rejected.size());
  r.flagged_missing = int64_t(out_->flagged_missing.size());
  r.proposed_links = int64_t(out_->proposed_links.size());
  r.watermark_before = out_->watermark_before;
  r.watermark_after = out_->watermark_after;
  r.started_at = started_;
  r.finished_at = ctx_.now();
  CX_ASSIGN_OR_RETURN(out_->sync_seq, tx.InsertErpSync(r));
  for (const auto& key : put_right_) CX_RETURN_IF_ERROR(tx.DeleteErpRejected(kind, key));
  for (size_t i = 0; i < rejected_keys_.size(); ++i) {
    if (rejected_keys_[i].empty()) continue;
    CX_RETURN_IF_ERROR(tx.PutErpRejected(kind, rejected_keys_[i], rejected_lms_[i], out_->sync_seq,
                                         out_->rejected[i].line, out_->rejected[i].reason));
  }
  nlohmann::json j = {{"kind", kind},
                      {"file", r.file_name},
                      {"sha256", r.file_sha256},
                      {"rows", r.rows},
                      {"created", r.created},
                      {"updated", r.updated},
                      {"unchanged", r.unchanged},
                      {"skipped_older", r.skipped_older},
                      {"rejected", r.rejected},
                      {"flagged_missing", r.flagged_missing},
                      {"proposed_links", r.proposed_links}};
  CX_RETURN_IF_ERROR(AuditAction(tx, ctx_, "erp-sync", "erp_sync", std::to_string(out_->sync_seq),
                                 j.dump(), reason_));
  if (opt_.dry_run) return Internal(kDryRunMarker);
  return Status::Ok();
}

}  // namespace cx::erp_detail
