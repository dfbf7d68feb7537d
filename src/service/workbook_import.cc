// Import: every sheet is streamed row by row inside one transaction; rows are validated,
// compared with the stored record and written when changed. Any error rolls everything back.
// The importer itself is in workbook_importer.h; the rows of most sheets in
// workbook_import_rows.cc.
#include "service/workbook_import.h"

#include <filesystem>

#include "service/erp_sync.h"
#include "service/workbook_importer.h"

namespace cx {
namespace wbimport {

Status Importer::Header(const std::vector<Cell>& cells) {
  const auto& known = wb::ColumnsOf(sheet_);
  std::unordered_map<std::string, std::string> norm;
  for (const auto& k : known) norm[wb::NormalizeHeader(k)] = k;
  if (sheet_ == wb::kAccounts) {
    norm["division"] = "Divisions";
    norm["division(s)"] = "Divisions";
  }
  if (sheet_ == wb::kContacts) norm["account id"] = "Associated Account ID";
  if (sheet_ == wb::kFeedback) norm["touchpoint"] = "Touchpoint ID";  // its name before 0029
  for (const auto& c : cells) {
    std::string typed = Trim(TextOf(c));
    if (typed.empty()) continue;
    auto it = norm.find(wb::NormalizeHeader(typed));
    if (it != norm.end()) {
      if (col_of_.count(it->second)) {
        Error(typed, "the column '" + it->second + "' appears twice in the header");
        continue;
      }
      col_of_[it->second] = c.col;
    } else if (wb::HasCustomFields(sheet_)) {
      custom_cols_.emplace_back(c.col, typed);
    } else {
      sum_->warnings.push_back("Sheet '" + actual_ + "': the column '" + typed +
                               "' is not known here; ignored");
    }
  }
  const std::string& id_col = known.front();
  if (!col_of_.count(id_col)) {
    Error("", "the header has no '" + id_col + "' column");
    no_id_column_ = true;
    return Conflict("no id column");  // the sheet cannot be read further
  }
  return Status::Ok();
}

Status Importer::ReadSheet(const std::string& canon, const std::string& actual, const RowFn& fn) {
  sheet_ = canon;
  actual_ = actual;
  header_done_ = false;
  no_id_column_ = false;
  col_of_.clear();
  custom_cols_.clear();
  seen_.clear();
  // The large sheet: room for every id up front rather than rehashing as it grows.
  if (canon == wb::kInteractions) seen_.reserve(size_t(std::max<int64_t>(expected_rows_, 0)));
  sum_->sheets.push_back(SheetCounts{actual, 0, 0, 0, 0});
  counts_ = &sum_->sheets.back();
  int64_t rows = 0;
  Status st = reader_.ReadSheet(actual, [&](int64_t row, const std::vector<Cell>& cells) -> Status {
    row_ = row;
    cells_ = &cells;
    bool blank = std::all_of(cells.begin(), cells.end(), [](const Cell& c) {
      return c.type == Cell::Type::kString && Trim(c.text).empty();
    });
    if (blank) return Status::Ok();
    if (!header_done_) {
      header_done_ = true;
      return Header(cells);
    }
    row_errors_ = 0;
    CX_RETURN_IF_ERROR(fn());
    if (!db_error_.ok()) return db_error_;
    if (++rows % 10000 == 0 && opt_.progress) opt_.progress(actual_, rows);
    return Status::Ok();
  });
  if (opt_.progress && rows >= 10000) opt_.progress(actual_, rows);
  if (no_id_column_) return Status::Ok();
  return st;
}

Status Importer::AccountRow() {
  std::string id;
  if (!RowId("Account ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetAccount(id));
  if (old && !old->merged_into.empty()) {
    sum_->warnings.push_back("Sheet '" + actual_ + "', row " + std::to_string(row_) + ": account " +
                             id + " was merged into " + old->merged_into + "; row skipped");
    ++counts_->skipped;
    return Status::Ok();
  }
  Account a = old ? *old : Account{};
  a.id = id;
  SetText("Company Name", &a.name);
  SetText("Industry", &a.industry);
  SetText("ERP Customer ID", &a.erp_customer_id);
  SetPerson("Account Owner", &a.owner);
  SetText("Divisions", &a.divisions);
  SetText("Type", &a.type);
  SetText("Address", &a.address);
  SetText("City", &a.city);
  SetText("Phone", &a.phone);
  SetText("Email", &a.email);
  SetText("Status", &a.status);
  SetCustom(&a.custom);
  if (old) {
    // ERP is king: a linked account keeps the ERP's values; each difference is a warning.
    for (const auto& w : KeepErpOwned(*old, &a)) {
      sum_->warnings.push_back("Sheet '" + actual_ + "', row " + std::to_string(row_) + ": " + w);
    }
  }
  ValidationErrors(ValidateAccount(&a));
  // The rule of engagement holds on this path too: only a manager (or the console) changes an
  // owner, and the change is an ownership change like `ownership set`'s (docs/workbook.md,
  // docs/journeys.md).
  const bool owner_changed = old && a.owner != old->owner;
  if (owner_changed) {
    Status may = Authorize(actor_, Operation::kImportOwner);
    if (!may.ok()) {
      Error("Account Owner", "changes the owner from '" + people_.Name(old->owner) + "' to '" +
                                 people_.Name(a.owner) + "': " + may.message());
    }
  }
  if (!a.erp_customer_id.empty() && (!old || old->erp_customer_id != a.erp_customer_id)) {
    CX_ASSIGN_OR_RETURN(auto linked, tx_.FindAccountByErpId(a.erp_customer_id));
    if (linked && linked->id != id) {
      Error("ERP Customer ID",
            "ERP customer " + a.erp_customer_id + " is already account " + linked->id);
    }
  }
  if (row_errors_) {
    failed(Entity::kAccount).insert(id);
    return Status::Ok();
  }
  if (!old) {
    ReportDuplicates(NameKind::kAccount, KeysOf(a), a.id, a.name);
    a.created_at = a.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.InsertAccount(a));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "account", a.id, FieldsOf(a), reason_));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  FieldList before = FieldsOf(*old), after = FieldsOf(a);
  if (owner_changed) {
    // Audited apart, as an ownership change: `ownership history` lists it.
    auto is_owner = [](const auto& f) { return f.first == "owner"; };
    std::erase_if(before, is_owner);
    std::erase_if(after, is_owner);
    CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "ownership", "account", id, {{"owner", old->owner}},
                                    {{"owner", a.owner}}, reason_));
  }
  CX_RETURN_IF_ERROR(
      AuditChanges(tx_, ctx_, "update", "account", id, before, after, reason_, &changed));
  if (owner_changed) ++changed;
  if (changed) {
    a.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.UpdateAccount(a));
  }
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::ContactRow() {
  std::string id;
  if (!RowId("Contact ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetContact(id));
  if (old && !old->merged_into.empty()) {
    sum_->warnings.push_back("Sheet '" + actual_ + "', row " + std::to_string(row_) + ": contact " +
                             id + " was merged into " + old->merged_into + "; row skipped");
    ++counts_->skipped;
    return Status::Ok();
  }
  Contact c = old ? *old : Contact{};
  c.id = id;
  SetText("Full Name", &c.full_name);
  SetText("Job Title", &c.job_title);
  SetText("Associated Account ID", &c.account_id);
  SetText("Email", &c.email);
  SetText("Phone", &c.phone);
  SetCustom(&c.custom);
  ValidationErrors(ValidateContact(&c));
  if (col_of_.count("Newsletter") && Get("Newsletter")) TimeOf("Newsletter");  // a bad date: error
  if (!c.account_id.empty() && (!old || old->account_id != c.account_id)) {
    CX_ASSIGN_OR_RETURN(auto acc, tx_.GetAccount(c.account_id));
    if (!acc) {
      if (!failed(Entity::kAccount).count(c.account_id)) {
        Error("Associated Account ID", "account " + c.account_id + " does not exist");
      } else {
        ++row_errors_;
      }
    } else if (!acc->merged_into.empty()) {
      Error("Associated Account ID",
            "account " + c.account_id + " was merged into " + acc->merged_into);
    }
  }
  if (row_errors_) {
    failed(Entity::kContact).insert(id);
    return Status::Ok();
  }
  if (!old) {
    ReportDuplicates(NameKind::kContact, KeysOf(c), c.id, c.full_name);
    c.created_at = c.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.InsertContact(c));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "contact", c.id, FieldsOf(c), reason_));
    int ignored = 0;
    CX_RETURN_IF_ERROR(NewsletterOf(c.id, &ignored));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "contact", id, FieldsOf(*old), FieldsOf(c),
                                  reason_, &changed));
  if (changed) {
    c.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx_.UpdateContact(c));
  }
  CX_RETURN_IF_ERROR(NewsletterOf(id, &changed));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::Run(const std::map<std::string, std::string>& present) {
  struct Step {
    std::string_view sheet;
    Status (Importer::*row)();
  };
  // Referenced records first, so that references can be checked against the store.
  const Step steps[] = {{wb::kAccounts, &Importer::AccountRow},
                        {wb::kContacts, &Importer::ContactRow},
                        {wb::kTouchpoints, &Importer::TouchpointRow},
                        {wb::kOpportunities, &Importer::OpportunityRow},
                        {wb::kStageHistory, &Importer::StageRow},
                        {wb::kCases, &Importer::CaseRow},
                        {wb::kInteractions, &Importer::InteractionRow},
                        {wb::kOrders, &Importer::OrderRow},
                        {wb::kFeedback, &Importer::FeedbackRow}};
  {
    CX_ASSIGN_OR_RETURN(people_, LoadPeople(tx_));
    CX_ASSIGN_OR_RETURN(config_, ActiveConfig());
    CX_ASSIGN_OR_RETURN(actor_, ActingUser(tx_, ctx_));
    CX_ASSIGN_OR_RETURN(accounts_empty_, tx_.IsEmpty(Entity::kAccount));
    CX_ASSIGN_OR_RETURN(contacts_empty_, tx_.IsEmpty(Entity::kContact));
    // Search first is about records that existed before the import: the names this import
    // writes need not be flushed into the index before each row's search.
    tx_.SearchOnlyFlushedNames();
    // Each new account's or contact's search reads the match keys of hundreds of candidates,
    // mostly the last row's (names share their words): read once, kept for the import (emptied
    // whenever the import rewrites a record; docs/store.md, "Search-first during a load").
    tx_.KeepMatchKeys();
    // Where the transaction stands before it writes: the searches beside the writer answer
    // while it has not moved (ReportDuplicates).
    rewrites_at_start_ = tx_.SearchVisibleRewrites();
    // Into an empty table no duplicate check reads its indexes: they are built once at the
    // end rather than row by row.
    if (accounts_empty_)
      CX_RETURN_IF_ERROR(tx_.ExpectBulkLoad(Entity::kAccount, expected_rows_).status());
    if (contacts_empty_)
      CX_RETURN_IF_ERROR(tx_.ExpectBulkLoad(Entity::kContact, expected_rows_).status());
  }
  for (const auto& s : steps) {
    auto it = present.find(std::string(s.sheet));
    if (it == present.end()) continue;
    if (s.sheet == wb::kInteractions) {
      CX_ASSIGN_OR_RETURN(interactions_empty_, tx_.IsEmpty(Entity::kInteraction));
      // Many more rows coming than the table holds: its indexes are built once at the end.
      CX_ASSIGN_OR_RETURN(int deferred, tx_.ExpectBulkLoad(Entity::kInteraction, expected_rows_));
      // A populated table keeps its indexes, and the new rows land at random pages of the big
      // ones (by date, by contact): room for those pages until the commit, rather than writing
      // them out to the log and reading them back as the default page cache fills (docs/store.md,
      // "Bulk inserts of interactions").
      if (!interactions_empty_ && deferred == 0)
        CX_RETURN_IF_ERROR(tx_.ReserveLargeWriteMemory(kPopulatedInteractionsMiB));
    }
    CX_RETURN_IF_ERROR(
        ReadSheet(std::string(s.sheet), it->second, [&] { return (this->*s.row)(); }));
    CX_RETURN_IF_ERROR(FlushInteractions());
  }
  return ListDuplicates();
}

Status Importer::ListDuplicates() {
  std::vector<std::vector<Match>> aside;
  if (aside_) {
    CX_ASSIGN_OR_RETURN(aside, aside_->Finish());
    aside_.reset();
  }
  for (auto& f : found_) {
    std::vector<Match>& matches = f.aside ? aside[*f.aside] : f.matches;
    if (matches.empty() || sum_->duplicates.size() >= kMaxListedDuplicates) continue;
    sum_->duplicates.push_back(ImportDuplicate{f.sheet, f.row, f.id, f.name, std::move(matches)});
  }
  found_.clear();
  return Status::Ok();
}

void Importer::Finish() {
  sum_->unknown_people.assign(unknown_people_.begin(), unknown_people_.end());
}

}  // namespace wbimport

using wbimport::Importer;

Result<ImportSummary> ImportWorkbook(const Context& ctx, const std::string& path,
                                     const ImportOptions& opt) {
  CX_ASSIGN_OR_RETURN(auto reader, xlsx::Reader::Open(path));
  ImportSummary sum;
  sum.dry_run = opt.dry_run;
  // Sheets of the contract found in the file (matched ignoring case and spaces).
  std::map<std::string, std::string> present;
  std::map<std::string, std::string> known;
  for (const auto& s : workbook::SheetOrder()) known[workbook::NormalizeHeader(s)] = s;
  for (const auto& name : reader->SheetNames()) {
    auto it = known.find(workbook::NormalizeHeader(name));
    if (it == known.end()) {
      sum.warnings.push_back("the sheet '" + name + "' is not part of the workbook; ignored");
    } else if (present.count(it->second)) {
      sum.warnings.push_back("the sheet '" + name + "' repeats '" + present[it->second] +
                             "'; ignored");
    } else {
      present[it->second] = name;
    }
  }
  if (present.empty()) {
    return Invalid(
        path +
        ": no sheet of the workbook contract (Accounts, Contacts, Interactions, …) was found");
  }
  bool rolled_back = false;
  const HubLoad load{"import-workbook " + path, ctx.actor};
  Status st = ctx.store->BulkTransaction(load, [&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx, Operation::kEditRecords));
    // The audit's reason names the file: "workbook import hub.xlsx".
    Importer imp(ctx, tx, *reader, &sum, opt,
                 "workbook import " + std::filesystem::path(path).filename().string());
    std::error_code size_error;
    const auto bytes = std::filesystem::file_size(path, size_error);
    // A compressed interaction row takes some 60-70 bytes of an .xlsx.
    if (!size_error) imp.set_expected_rows(int64_t(bytes / 64));
    CX_RETURN_IF_ERROR(imp.Run(present));
    imp.Finish();
    if (!sum.ok() || opt.dry_run) {
      rolled_back = true;
      return Invalid("rolled back");
    }
    int64_t created = 0, updated = 0;
    for (const auto& s : sum.sheets) {
      created += s.created;
      updated += s.updated;
    }
    const std::string base = std::filesystem::path(path).filename().string();
    return AuditAction(
        tx, ctx, "import", "workbook", base,
        std::to_string(created) + " created, " + std::to_string(updated) + " updated",
        "workbook import " + base);
  });
  if (!st.ok() && !rolled_back) return st;
  return sum;
}

Status ImportErrors(const ImportSummary& s) {
  if (s.ok()) return Status::Ok();
  Status st = Invalid("the workbook has " + std::to_string(s.error_count) +
                      (s.error_count == 1 ? " error" : " errors") + "; nothing was imported");
  for (const auto& e : s.errors) st.AddDetail(e);
  if (s.error_count > int64_t(s.errors.size())) {
    st.AddDetail("… and " + std::to_string(s.error_count - int64_t(s.errors.size())) + " more");
  }
  return st;
}

}  // namespace cx
