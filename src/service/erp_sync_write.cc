// ERP sync, writing: each checked row applied on the writing thread in the file's order, and the
// new accounts and orders of a batch written together (docs/erp.md).
#include "base/safe_text.h"
#include "base/text.h"
#include "service/audit.h"
#include "service/erp_syncer.h"

namespace cx::erp_detail {

void ErpSyncer::Reject(const CsvRecord& rec, const std::vector<std::string>& problems,
                       std::optional<Timestamp> lm, bool duplicate) {
  std::string reason;
  for (const auto& p : problems) reason += (reason.empty() ? "" : "; ") + p;
  out_->rejected.push_back({rec.line, reason});
  rejected_records_.push_back(rec);
  // Its key stays open for a corrected row, unless the row repeats an id of the file: the
  // id's first row stands for it (applied, or rejected and kept itself).
  rejected_keys_.push_back(duplicate ? std::string() : Cell(plan_, rec, KeyField()));
  rejected_lms_.push_back(lm);
  if (lm) {
    if (!min_rejected_ || *lm < *min_rejected_) min_rejected_ = lm;
  } else {
    reject_without_time_ = true;
  }
}

// A valid row: it moves the watermark, and puts right an earlier sync's rejected row.
void ErpSyncer::NoteValid(Timestamp lm, const std::string& key) {
  if (!max_valid_ || lm > *max_valid_) max_valid_ = lm;
  if (!open_rejected_.empty() && open_rejected_.count(key)) put_right_.push_back(key);
}

// On the writing thread, in the file's order.
Status ErpSyncer::Apply(Tx& tx, Checked& c) {
  ++out_->rows;
  if (!c.problems.empty()) {
    Reject(c.rec, c.problems, c.lm, c.duplicate);
    return Status::Ok();
  }
  if (opt_.kind == ErpKind::kCustomers) return Customer(tx, c);
  return OrderLine(tx, c);
}

// Sets the ERP's fields of `a` from the row and checks the result.
Status ErpSyncer::AsErpWantsIt(const CustomerRow& row, Account* a) const {
  a->name = row.name;
  for (const auto& [f, v] : row.values) {
    if (v.empty() && !m_.clears.count(f)) continue;  // a blank cell keeps the hub's value
    *ErpOwnedField(*a, f) = v;
  }
  if (!row.division.empty()) {
    bool has = false;
    for (size_t start = 0; start <= a->divisions.size();) {
      size_t end = a->divisions.find(';', start);
      if (end == std::string::npos) end = a->divisions.size();
      has |= Trim(a->divisions.substr(start, end - start)) == row.division;
      start = end + 1;
    }
    if (!has)
      a->divisions = a->divisions.empty() ? row.division : a->divisions + "; " + row.division;
  }
  return ValidateAccount(a);
}

std::vector<std::string> ErpSyncer::Reasons(const Status& invalid) {
  std::vector<std::string> why;
  for (const auto& d : invalid.details()) why.push_back(d);
  if (why.empty()) why.push_back(invalid.message());
  return why;
}

Status ErpSyncer::Customer(Tx& tx, Checked& c) {
  const CustomerRow& row = c.customer;
  const std::optional<Timestamp>& lm = c.lm;
  const CsvRecord& rec = c.rec;
  CX_RETURN_IF_ERROR(Reappeared(tx, row.erp_id));
  if (c.older) {
    ++out_->skipped_older;
    NoteValid(row.last_modified, row.erp_id);
    return Status::Ok();
  }
  if (c.fresh) {
    NoteValid(row.last_modified, row.erp_id);
    Account& a = c.fresh->account;
    // Into an empty table no id is taken; into a populated one the taken numbers are read a
    // range at a time (the sync stores accounts only under the ids it takes here).
    CX_ASSIGN_OR_RETURN(a.id, accounts_empty_ ? tx.NextIdUnchecked("A") : tx.NextIdOfMany("A"));
    a.created_at = a.updated_at = ctx_.now();
    pending_accounts_.push_back(&*c.fresh);  // written at the end of the batch
    ++out_->created;
    if (!propose_) return Status::Ok();
    if (unlinked_.loaded()) return Queue(tx, a, c.look_alikes);
    return Propose(tx, a);
  }
  // Build the account as the ERP wants it.
  // Into a table that had no account, with the file's ids all different, none exists yet.
  std::optional<Account> existing;
  if (!accounts_empty_) {
    CX_ASSIGN_OR_RETURN(existing, tx.FindAccountByErpId(row.erp_id));
  }
  Account a;
  if (existing) {
    a = *existing;
  } else {
    a.erp_customer_id = row.erp_id;
    a.type = "customer";
  }
  Status valid = AsErpWantsIt(row, &a);
  if (!valid.ok()) {
    Reject(rec, Reasons(valid), lm);
    return Status::Ok();
  }
  NoteValid(row.last_modified, row.erp_id);
  if (!existing) {
    CX_ASSIGN_OR_RETURN(a.id, tx.NextIdOfMany("A"));
    a.created_at = a.updated_at = ctx_.now();
    // Written with the batch's other new accounts, many per statement: a weekly delta's new
    // customers, one statement each, cost five times as much (docs/operations.md, "Weekly
    // deltas"). Nothing reads it before: the file names each customer once, and proposed links
    // go to accounts without an ERP id.
    KeyedAccount& k = c.fresh.emplace(KeyAccount(std::move(a)));
    pending_accounts_.push_back(&k);
    ++out_->created;
    return Propose(tx, k.account);
  }
  FieldList before = FieldsOf(*existing), after = FieldsOf(a);
  if (before == after) {
    ++out_->unchanged;
    return Status::Ok();
  }
  a.updated_at = ctx_.now();
  CX_RETURN_IF_ERROR(NoteUpdate(tx, a.id));
  CX_RETURN_IF_ERROR(tx.UpdateAccount(a));
  CX_RETURN_IF_ERROR(AuditChanges(tx, ctx_, "erp-sync", "account", a.id, before, after, reason_));
  ++out_->updated;
  if (existing->name != a.name || existing->phone != a.phone || existing->email != a.email)
    return Propose(tx, a);
  return Status::Ok();
}

Status ErpSyncer::NoteUpdate(Tx& tx, const std::string& id) {
  if (scatter_reserve_mib_ == 0) return Status::Ok();
  // The hub numbers accounts in the order it stores them (A-999999 before A-1000000). A delta
  // that follows that order (an export in ERP id order, the order the first sync numbered the
  // customers in) changes each page of the table and of its indexes by id and leaves it
  // behind: the connection's 64 MiB page cache does, where 256 MiB cost more CPU time to fill
  // than they saved (the million-account delta of bench/populated.sh: 1.98 s against 2.23 s,
  // 165 MiB against 406 MiB). A shuffled delta comes back to its pages: there the 256 MiB save
  // more than they cost (3.3 s against 3.9 s in 64 MiB). Scattered: after 256 updates, more
  // than one in eight went back in that order (in a shuffled file about one in two does; in an
  // ordered one only the odd account numbered out of turn).
  constexpr int64_t kSettle = 256, kBackShare = 8;
  const bool back = id.size() != last_updated_id_.size() ? id.size() < last_updated_id_.size()
                                                         : id < last_updated_id_;
  ++updates_;
  updates_back_ += back ? 1 : 0;
  last_updated_id_ = id;
  if (updates_ < kSettle || updates_back_ * kBackShare <= updates_) return Status::Ok();
  const int mib = scatter_reserve_mib_;
  scatter_reserve_mib_ = 0;
  return tx.ReserveLargeWriteMemory(mib);
}

// A customer flagged missing by an earlier full export is back: its open flag closes.
Status ErpSyncer::Reappeared(Tx& tx, const std::string& erp_id) {
  auto it = open_missing_.find(erp_id);
  if (it == open_missing_.end()) return Status::Ok();
  ErpQueueItem item = std::move(it->second);
  open_missing_.erase(it);
  item.status = "reappeared";
  item.decided_at = ctx_.now();
  item.decided_by = ctx_.actor;
  item.reason = "back in " + BaseName(opt_.file);
  CX_RETURN_IF_ERROR(tx.UpdateErpQueueItem(item));
  CX_RETURN_IF_ERROR(
      AuditAction(tx, ctx_, "reappeared", "erp_queue", std::to_string(item.id), erp_id, reason_));
  out_->reappeared.push_back(erp_id);
  return Status::Ok();
}

Status ErpSyncer::OrderLine(Tx& tx, Checked& c) {
  Order& o = c.order;
  const std::optional<Timestamp>& lm = c.lm;
  const CsvRecord& rec = c.rec;
  if (c.older) {
    ++out_->skipped_older;
    NoteValid(o.last_modified, o.id);
    return Status::Ok();
  }
  // Known customers are remembered (all of them when the file is big): a customer has
  // many orders.
  bool known = known_customers_.Contains(o.erp_customer_id);
  if (!known && !all_customers_known_) {
    CX_ASSIGN_OR_RETURN(auto account, tx.AccountIdByErpId(o.erp_customer_id));
    known = account.has_value();
    if (known && known_customers_.size() < kMaxKnownCustomers)
      known_customers_.Emplace(o.erp_customer_id, 0);
  }
  if (!known) {
    Reject(rec,
           {ColumnName("erp_customer_id") + " '" + QuotePrefix(o.erp_customer_id) +
            "' is not a known ERP customer (sync the customers export first)"},
           lm);
    return Status::Ok();
  }
  if (!c.order_valid.ok()) {
    const Status& valid = c.order_valid;
    Reject(rec,
           valid.details().empty() ? std::vector<std::string>{valid.message()} : valid.details(),
           lm);
    return Status::Ok();
  }
  NoteValid(o.last_modified, o.id);
  // Into an empty table (and the file's ids all different), no order can exist yet: the
  // new orders go in many at a time.
  if (orders_empty_) {
    pending_orders_.push_back(&o);  // written at the end of the batch
    ++out_->created;
    return Status::Ok();
  }
  CX_ASSIGN_OR_RETURN(auto old, tx.GetOrder(o.id));
  // An older version of an order (a corrected rejected row, after the ERP changed it again)
  // never replaces a newer one.
  if (old && old->last_modified > o.last_modified) {
    ++out_->skipped_older;
    return Status::Ok();
  }
  if (old && old->erp_customer_id == o.erp_customer_id && old->date == o.date &&
      old->division == o.division && old->amount == o.amount && old->currency == o.currency) {
    ++out_->unchanged;
    return Status::Ok();
  }
  CX_RETURN_IF_ERROR(tx.UpsertOrder(o));
  ++(old ? out_->updated : out_->created);
  return Status::Ok();
}

// At the end of each batch: the new orders or accounts of the batch, many per statement.
Status ErpSyncer::FlushBatch(Tx& tx) {
  if (!pending_orders_.empty()) {
    Status st = tx.InsertOrders(pending_orders_);
    pending_orders_.clear();
    CX_RETURN_IF_ERROR(st);
  }
  if (!pending_accounts_.empty()) {
    Status st = tx.InsertAccounts(pending_accounts_);
    for (size_t i = 0; st.ok() && i < pending_accounts_.size(); ++i)
      st = AuditBulkCreate(tx, ctx_, "account", pending_accounts_[i]->account.id, reason_);
    pending_accounts_.clear();
    CX_RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

}  // namespace cx::erp_detail
