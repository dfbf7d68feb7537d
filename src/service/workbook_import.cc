// Import: every sheet is streamed row by row inside one transaction; rows are validated,
// compared with the stored record and written when changed. Any error rolls everything back.
#include "service/workbook_import.h"

#include "service/erp_sync.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/text.h"
#include "domain/cell_text.h"
#include "io/workbook/workbook_schema.h"
#include "io/xlsx/xlsx_reader.h"
#include "service/audit.h"
#include "service/dedupe.h"
#include "service/user_service.h"

namespace cx {
namespace {

using xlsx::Cell;
namespace wb = workbook;

constexpr size_t kMaxListedErrors = 1000;
constexpr size_t kMaxListedDuplicates = 1000;
constexpr size_t kMaxLinkedTexts = 100000;  // distinct people texts remembered by an import

std::string FormatNumber(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", v);
  }
  return buf;
}

FieldList FieldsOfOrder(const Order& o) {
  return {{"erp_customer_id", o.erp_customer_id},
          {"date", std::to_string(o.date)},
          {"division", o.division},
          {"amount", FormatNumber(o.amount)},
          {"currency", o.currency}};
}

FieldList FieldsOfFeedback(const Feedback& f) {
  return {{"date", std::to_string(f.date)},
          {"account_id", f.account_id},
          {"contact_id", f.contact_id},
          {"division", f.division},
          {"kind", f.kind},
          {"score", FormatNumber(f.score)},
          {"stage", f.stage},
          {"platform", f.platform},
          {"comment", f.comment},
          {"touchpoint", f.touchpoint}};
}

class Importer {
 public:
  Importer(const Context& ctx, Tx& tx, xlsx::Reader& reader, ImportSummary* sum,
           const ImportOptions& opt, std::string reason)
      : ctx_(ctx), tx_(tx), reader_(reader), sum_(sum), opt_(opt), reason_(std::move(reason)) {}

  Status Run(const std::map<std::string, std::string>& present);
  void Finish();
  // About how many interaction rows the workbook may hold (from its size).
  void set_expected_rows(int64_t n) { expected_rows_ = n; }

 private:
  using RowFn = std::function<Status()>;

  // ---- sheet plumbing ----
  Status ReadSheet(const std::string& canon, const std::string& actual, const RowFn& fn);
  Status Header(const std::vector<Cell>& cells);

  void Error(std::string_view column, const std::string& problem) {
    ++sum_->error_count;
    ++row_errors_;
    if (sum_->errors.size() >= kMaxListedErrors) return;
    std::string m = "Sheet '" + actual_ + "', row " + std::to_string(row_);
    if (!column.empty()) m += ", column '" + std::string(column) + "'";
    sum_->errors.push_back(m + ": " + problem);
  }
  // Adds the details of a validation failure as row errors.
  void ValidationErrors(const Status& st) {
    if (st.ok()) return;
    if (st.details().empty()) Error("", st.message());
    for (const auto& d : st.details()) Error("", d);
  }

  const Cell* Get(std::string_view column) {
    auto it = col_of_.find(column);
    if (it == col_of_.end()) return nullptr;
    int c = it->second;
    auto pos = std::lower_bound(cells_->begin(), cells_->end(), c,
                                [](const Cell& a, int col) { return a.col < col; });
    if (pos == cells_->end() || pos->col != c) return nullptr;
    const Cell* cell = &*pos;
    if (cell->type == Cell::Type::kString && Trim(cell->text).empty()) return nullptr;
    return cell;
  }
  std::string TextOf(const Cell& c) {
    switch (c.type) {
      case Cell::Type::kString:
        return c.text;
      case Cell::Type::kBool:
        return c.number ? "TRUE" : "FALSE";
      case Cell::Type::kError:
        return c.text;
      case Cell::Type::kNumber:
        break;
    }
    if (c.is_date) {
      int64_t days = 0;
      int secs = 0;
      if (xlsx::SerialToCivil(c.number, reader_.Date1904(), &days, &secs).ok()) {
        std::string d = FormatDate(CivilFromDays(days));
        if (secs == 0) return d;
        char buf[32];
        std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
        return d + buf;
      }
    }
    return FormatNumber(c.number);
  }
  // Whether a cell's text fits in a cell of the hub's own export; reports it otherwise.
  bool Fits(std::string_view column, const std::string& text) {
    std::string why = CellLengthProblem(text);
    if (!why.empty()) Error(column, "the text " + why);
    return why.empty();
  }
  // Sets `*f` from a text column when the cell is not blank. Returns whether it did.
  bool SetText(std::string_view column, std::string* f, bool trim = true) {
    const Cell* c = Get(column);
    if (!c) return false;
    if (c->type == Cell::Type::kError) {
      Error(column, "the cell holds the spreadsheet error " + c->text);
      return false;
    }
    std::string t = TextOf(*c);
    if (!Fits(column, t)) return false;
    *f = trim ? Trim(t) : t;
    return true;
  }
  std::optional<Timestamp> TimeOf(std::string_view column) {
    const Cell* c = Get(column);
    if (!c) return std::nullopt;
    if (c->type == Cell::Type::kNumber) {
      int64_t days = 0;
      int secs = 0;
      Status st = xlsx::SerialToCivil(c->number, reader_.Date1904(), &days, &secs);
      if (!st.ok()) {
        Error(column, st.message());
        return std::nullopt;
      }
      return ctx_.zone.ToUtc(CivilFromDays(days), secs);
    }
    if (c->type != Cell::Type::kString) {
      Error(column, "'" + c->text + "' is not a date");
      return std::nullopt;
    }
    auto t = ParseTime(Trim(c->text), ctx_.zone);
    if (!t.ok()) {
      Error(column, "'" + c->text + "' is not a date (use YYYY-MM-DD or day-first DD/MM/YYYY)");
      return std::nullopt;
    }
    return *t;
  }
  void SetTime(std::string_view column, Timestamp* f) {
    if (auto t = TimeOf(column)) *f = *t;
  }
  void SetOptTime(std::string_view column, std::optional<Timestamp>* f) {
    if (auto t = TimeOf(column)) *f = *t;
  }
  std::optional<double> NumberOf(std::string_view column) {
    const Cell* c = Get(column);
    if (!c) return std::nullopt;
    if (c->type == Cell::Type::kNumber) return c->number;
    std::string t = Trim(c->text);
    std::string clean;
    for (char ch : t) {
      if (ch != ',' && ch != ' ') clean += ch;
    }
    char* end = nullptr;
    double v = std::strtod(clean.c_str(), &end);
    if (clean.empty() || *end != '\0' || !std::isfinite(v)) {
      Error(column, "'" + c->text + "' is not a number");
      return std::nullopt;
    }
    return v;
  }
  void SetBool(std::string_view column, bool* f) {
    const Cell* c = Get(column);
    if (!c) return;
    if (c->type == Cell::Type::kBool || c->type == Cell::Type::kNumber) {
      *f = c->number != 0;
      return;
    }
    std::string t = AsciiLower(Trim(c->text));
    if (t == "yes" || t == "y" || t == "true" || t == "1" || t == "done" || t == "x") {
      *f = true;
    } else if (t == "no" || t == "n" || t == "false" || t == "0") {
      *f = false;
    } else {
      Error(column, "'" + c->text + "' is not yes or no");
    }
  }
  // Sets a person column: the login of the user the cell names, else the name as typed (listed
  // among the unknown people). Users were read once when the import began. A cell naming the
  // person the field already holds (another case or spacing of a name) leaves it as it is.
  void SetPerson(std::string_view column, std::string* f) {
    std::string name;
    if (!SetText(column, &name)) return;
    // A sheet repeats a few people over and over: each distinct text is resolved once.
    auto it = linked_.find(name);
    if (it == linked_.end()) {
      const User* u = people_.Find(name);
      if (!u && !name.empty() && unknown_people_.size() < kMaxListedErrors)
        unknown_people_.insert(name);
      std::optional<std::string> login;
      if (u) login = u->login;
      if (linked_.size() >= kMaxLinkedTexts) {
        if (login) *f = *login;
        if (!login && !people_.Same(*f, name)) *f = std::move(name);
        return;
      }
      it = linked_.emplace(name, std::move(login)).first;
    }
    if (it->second) {
      *f = *it->second;
    } else if (!people_.Same(*f, name)) {
      *f = std::move(name);
    }
  }
  void SetCustom(CustomFields* f) {
    for (const auto& [col, header] : custom_cols_) {
      auto pos = std::lower_bound(cells_->begin(), cells_->end(), col,
                                  [](const Cell& a, int c) { return a.col < c; });
      if (pos == cells_->end() || pos->col != col) continue;
      std::string t = TextOf(*pos);
      if (Trim(t).empty() || !Fits(header, t)) continue;
      (*f)[header] = t;
    }
  }
  // The row's id from its ID column; reports an empty or repeated id.
  bool RowId(std::string_view column, std::string* id) {
    if (!SetText(column, id) || id->empty()) {
      Error(column, "is empty; every row needs an ID");
      return false;
    }
    uint64_t h = std::hash<std::string>()(*id);
    auto [it, fresh] = seen_.emplace(h, row_);
    if (!fresh) {
      Error(column,
            *id + " appears more than once (first in row " + std::to_string(it->second) + ")");
      return false;
    }
    return true;
  }
  // Checks that `id` (from `column`) exists in `table`; reports it otherwise, unless that
  // record's own row already failed (no cascade of errors).
  bool Exists(Entity table, const char* label, std::string_view column, const std::string& id) {
    if (id.empty()) return true;
    IdSets& sets = ids_[table];
    auto& known = sets.known;
    if (known.count(id)) return true;
    auto r = tx_.Exists(table, id);
    if (!r.ok()) {
      db_error_ = r.status();
      return false;
    }
    if (*r) {
      if (known.size() < 1000000) known.insert(id);
      return true;
    }
    if (!sets.failed.count(id)) Error(column, std::string(label) + " " + id + " does not exist");
    return false;
  }
  void Counted(int changed, bool created) {
    if (created) {
      ++counts_->created;
    } else if (changed > 0) {
      ++counts_->updated;
    } else {
      ++counts_->unchanged;
    }
  }
  void ReportDuplicates(NameKind k, const MatchKeys& keys, const std::string& id,
                        const std::string& name) {
    // Search first is about records that existed before: none when the hub had none of this kind.
    if (k == NameKind::kAccount ? accounts_empty_ : contacts_empty_) return;
    auto dups = FindProbableDuplicates(tx_, k, keys, id);
    if (!dups.ok()) {
      db_error_ = dups.status();
      return;
    }
    if (dups->empty() || sum_->duplicates.size() >= kMaxListedDuplicates) return;
    sum_->duplicates.push_back(ImportDuplicate{actual_, row_, id, name, std::move(*dups)});
  }

  // ---- one row of each sheet ----
  Status AccountRow();
  Status ContactRow();
  Status OpportunityRow();
  Status StageRow();
  Status CaseRow();
  Status InteractionRow();
  Status OrderRow();
  Status FeedbackRow();

  Status FlushInteractions() {
    Status st = tx_.InsertInteractions(new_interactions_);
    new_interactions_.clear();
    return st;
  }

  const Context& ctx_;
  Tx& tx_;
  xlsx::Reader& reader_;
  ImportSummary* sum_;
  const ImportOptions& opt_;
  const std::string reason_;

  // Current sheet and row.
  std::string sheet_, actual_;
  int64_t row_ = 0;
  int row_errors_ = 0;
  const std::vector<Cell>* cells_ = nullptr;
  bool header_done_ = false;
  bool no_id_column_ = false;
  // Known column → index; looked up by views of the column names.
  struct ViewHash {
    using is_transparent = void;
    size_t operator()(std::string_view v) const { return std::hash<std::string_view>()(v); }
  };
  std::unordered_map<std::string, int, ViewHash, std::equal_to<>> col_of_;
  std::vector<std::pair<int, std::string>> custom_cols_;
  std::unordered_map<uint64_t, int64_t> seen_;  // id hash → first row
  SheetCounts* counts_ = nullptr;

  // Per referenced table: ids of rows that failed, and ids known to exist. Keyed by the
  // table name's literal, so a lookup builds no string.
  struct IdSets {
    std::unordered_set<std::string> failed, known;
  };
  std::map<Entity, IdSets> ids_;
  std::unordered_set<std::string>& failed(Entity table) { return ids_[table].failed; }
  bool interactions_empty_ = false;
  int64_t expected_rows_ = 0;
  bool accounts_empty_ = false,
       contacts_empty_ = false;  // … no account / contact when the import began  // the store had
                                 // no interaction when the sheet began
  People people_;
  std::unordered_map<std::string, std::optional<std::string>>
      linked_;  // text → login or none                // every user, read when the import began
  std::optional<User> actor_;  // the acting user (nullopt: the console's "cli")
  std::set<std::string> unknown_people_;
  std::string stage_opp_;
  std::vector<StageEntry> stage_cache_;
  std::vector<Interaction> new_interactions_;  // created, not written yet
  Status db_error_;
};

Status Importer::Header(const std::vector<Cell>& cells) {
  const auto& known = wb::ColumnsOf(sheet_);
  std::unordered_map<std::string, std::string> norm;
  for (const auto& k : known) norm[wb::NormalizeHeader(k)] = k;
  if (sheet_ == wb::kAccounts) {
    norm["division"] = "Divisions";
    norm["division(s)"] = "Divisions";
  }
  if (sheet_ == wb::kContacts) norm["account id"] = "Associated Account ID";
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
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::OpportunityRow() {
  std::string id;
  if (!RowId("Opportunity ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetOpportunity(id));
  Opportunity o = old ? *old : Opportunity{};
  o.id = id;
  SetText("Account ID", &o.account_id);
  SetText("Division", &o.division);
  SetPerson("Owner", &o.owner);
  SetText("Stage", &o.stage);
  if (auto v = NumberOf("Amount")) o.amount = *v;
  SetTime("Created", &o.created);
  SetOptTime("Closed", &o.closed);
  SetText("Outcome", &o.outcome);
  SetText("Lost Reason", &o.lost_reason);
  SetText("Title", &o.title);
  SetCustom(&o.custom);
  if (o.created == 0) o.created = ctx_.now();
  ValidationErrors(ValidateOpportunity(&o));
  if (!o.account_id.empty() && !Exists(Entity::kAccount, "account", "Account ID", o.account_id))
    ++row_errors_;
  if (row_errors_) {
    failed(Entity::kOpportunity).insert(id);
    return Status::Ok();
  }
  if (!old) {
    CX_RETURN_IF_ERROR(tx_.InsertOpportunity(o));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "opportunity", o.id, FieldsOf(o), reason_));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "opportunity", id, FieldsOf(*old),
                                  FieldsOf(o), reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateOpportunity(o));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::StageRow() {
  StageEntry e;
  if (!SetText("Opportunity ID", &e.opportunity_id) || e.opportunity_id.empty()) {
    Error("Opportunity ID", "is empty");
    return Status::Ok();
  }
  if (!SetText("Stage", &e.stage) || e.stage.empty()) Error("Stage", "is empty");
  auto t = TimeOf("Entered");
  if (!t && !Get("Entered")) Error("Entered", "is empty");
  if (t) e.entered = *t;
  SetPerson("By", &e.by);
  if (!Exists(Entity::kOpportunity, "opportunity", "Opportunity ID", e.opportunity_id))
    ++row_errors_;
  if (row_errors_) return Status::Ok();
  if (stage_opp_ != e.opportunity_id) {
    CX_ASSIGN_OR_RETURN(stage_cache_, tx_.StageHistory(e.opportunity_id));
    stage_opp_ = e.opportunity_id;
  }
  for (const auto& s : stage_cache_) {
    if (s.stage == e.stage && s.entered == e.entered) {
      Counted(0, false);
      return Status::Ok();
    }
  }
  CX_RETURN_IF_ERROR(tx_.AddStage(e));
  stage_cache_.push_back(e);
  CX_RETURN_IF_ERROR(AuditCreate(
      tx_, ctx_, "stage", e.opportunity_id,
      {{"stage", e.stage}, {"entered", std::to_string(e.entered)}, {"by", e.by}}, reason_));
  Counted(0, true);
  return Status::Ok();
}

Status Importer::CaseRow() {
  std::string id;
  if (!RowId("Case ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetCase(id));
  Case c = old ? *old : Case{};
  c.id = id;
  SetText("Account ID", &c.account_id);
  SetText("Contact ID", &c.contact_id);
  SetText("Division", &c.division);
  SetText("Kind", &c.kind);
  SetTime("Opened", &c.opened);
  SetOptTime("First Response", &c.first_response);
  SetOptTime("Resolution Confirmed", &c.resolution_confirmed);
  SetOptTime("Closed", &c.closed);
  SetPerson("Owner", &c.owner);
  SetText("Summary", &c.summary, false);
  SetOptTime("Quote Approved", &c.quote_approved);
  SetOptTime("Work Started", &c.work_started);
  SetCustom(&c.custom);
  ValidationErrors(ValidateCase(&c));
  if (!Exists(Entity::kAccount, "account", "Account ID", c.account_id)) ++row_errors_;
  if (!Exists(Entity::kContact, "contact", "Contact ID", c.contact_id)) ++row_errors_;
  if (row_errors_) {
    failed(Entity::kCase).insert(id);
    return Status::Ok();
  }
  if (!old) {
    CX_RETURN_IF_ERROR(tx_.InsertCase(c));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "case", c.id, FieldsOf(c), reason_));
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "case", id, FieldsOf(*old), FieldsOf(c),
                                  reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateCase(c));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::InteractionRow() {
  std::string id;
  if (!RowId("Interaction ID", &id)) return Status::Ok();
  // Into an empty table (and ids unique in the sheet), no row can exist yet: skip the lookup.
  std::optional<Interaction> old;
  if (!interactions_empty_) {
    CX_ASSIGN_OR_RETURN(old, tx_.GetInteraction(id));
  }
  Interaction i = old ? *old : Interaction{};
  i.id = id;
  SetTime("Date", &i.at);
  SetText("Contact ID", &i.contact_id);
  SetText("Channel", &i.channel);
  SetText("Notes", &i.notes, false);
  SetText("Next Action", &i.next_action, false);
  SetPerson("Logged By", &i.logged_by);
  SetOptTime("Next Action Due", &i.next_action_due);
  SetPerson("Next Action Owner", &i.next_action_owner);
  SetBool("Next Action Done", &i.next_action_done);
  SetText("Division", &i.division);
  SetText("Type", &i.type);
  SetText("Opportunity ID", &i.opportunity_id);
  SetText("Case ID", &i.case_id);
  SetText("Checklist", &i.checklist);
  SetCustom(&i.custom);
  ValidationErrors(ValidateInteraction(&i));
  if (!Exists(Entity::kContact, "contact", "Contact ID", i.contact_id)) ++row_errors_;
  if (!Exists(Entity::kOpportunity, "opportunity", "Opportunity ID", i.opportunity_id))
    ++row_errors_;
  if (!Exists(Entity::kCase, "case", "Case ID", i.case_id)) ++row_errors_;
  if (row_errors_) return Status::Ok();
  if (!old) {
    i.created_at = ctx_.now();
    CX_RETURN_IF_ERROR(AuditBulkCreate(tx_, ctx_, "interaction", i.id, reason_));
    // New rows go in many at a time; none is read back while the sheet is read (its ids are
    // all different), and the rest is flushed when the sheet ends.
    new_interactions_.push_back(std::move(i));
    if (new_interactions_.size() >= 256) CX_RETURN_IF_ERROR(FlushInteractions());
    Counted(0, true);
    return Status::Ok();
  }
  int changed = 0;
  CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "interaction", id, FieldsOf(*old),
                                  FieldsOf(i), reason_, &changed));
  if (changed) CX_RETURN_IF_ERROR(tx_.UpdateInteraction(i));
  Counted(changed, false);
  return Status::Ok();
}

Status Importer::OrderRow() {
  std::string id;
  if (!RowId("Order ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetOrder(id));
  Order o = old ? *old : Order{};
  o.id = id;
  SetText("ERP Customer ID", &o.erp_customer_id);
  SetTime("Order Date", &o.date);
  SetText("Division", &o.division);
  if (auto v = NumberOf("Amount")) o.amount = *v;
  SetText("Currency", &o.currency);
  if (o.date == 0 && !Get("Order Date")) Error("Order Date", "is empty");
  ValidationErrors(ValidateOrder(&o));
  if (row_errors_) return Status::Ok();
  int changed = 0;
  if (old) {
    CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "order", id, FieldsOfOrder(*old),
                                    FieldsOfOrder(o), reason_, &changed));
    if (changed) CX_RETURN_IF_ERROR(tx_.UpsertOrder(o));
  } else {
    CX_RETURN_IF_ERROR(tx_.UpsertOrder(o));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "order", id, FieldsOfOrder(o), reason_));
  }
  Counted(changed, !old);
  return Status::Ok();
}

Status Importer::FeedbackRow() {
  std::string id;
  if (!RowId("Feedback ID", &id)) return Status::Ok();
  CX_ASSIGN_OR_RETURN(auto old, tx_.GetFeedback(id));
  Feedback f = old ? *old : Feedback{};
  f.id = id;
  SetTime("Date", &f.date);
  SetText("Account ID", &f.account_id);
  SetText("Contact ID", &f.contact_id);
  SetText("Division", &f.division);
  SetText("Kind", &f.kind);
  if (auto v = NumberOf("Score")) f.score = *v;
  SetText("Stage", &f.stage);
  SetText("Platform", &f.platform);
  SetText("Comment", &f.comment, false);
  SetText("Touchpoint", &f.touchpoint);
  ValidationErrors(ValidateFeedback(&f));
  if (!Exists(Entity::kAccount, "account", "Account ID", f.account_id)) ++row_errors_;
  if (!Exists(Entity::kContact, "contact", "Contact ID", f.contact_id)) ++row_errors_;
  if (row_errors_) return Status::Ok();
  int changed = 0;
  if (old) {
    CX_RETURN_IF_ERROR(AuditChanges(tx_, ctx_, "update", "feedback", id, FieldsOfFeedback(*old),
                                    FieldsOfFeedback(f), reason_, &changed));
    if (changed) CX_RETURN_IF_ERROR(tx_.UpdateFeedback(f));
  } else {
    CX_RETURN_IF_ERROR(tx_.InsertFeedback(f));
    CX_RETURN_IF_ERROR(AuditCreate(tx_, ctx_, "feedback", id, FieldsOfFeedback(f), reason_));
  }
  Counted(changed, !old);
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
                        {wb::kOpportunities, &Importer::OpportunityRow},
                        {wb::kStageHistory, &Importer::StageRow},
                        {wb::kCases, &Importer::CaseRow},
                        {wb::kInteractions, &Importer::InteractionRow},
                        {wb::kOrders, &Importer::OrderRow},
                        {wb::kFeedback, &Importer::FeedbackRow}};
  {
    CX_ASSIGN_OR_RETURN(people_, LoadPeople(tx_));
    CX_ASSIGN_OR_RETURN(actor_, ActingUser(tx_, ctx_));
    CX_ASSIGN_OR_RETURN(accounts_empty_, tx_.IsEmpty(Entity::kAccount));
    CX_ASSIGN_OR_RETURN(contacts_empty_, tx_.IsEmpty(Entity::kContact));
    // Search first is about records that existed before the import: the names this import
    // writes need not be flushed into the index before each row's search.
    tx_.SearchOnlyFlushedNames();
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
      CX_RETURN_IF_ERROR(tx_.ExpectBulkLoad(Entity::kInteraction, expected_rows_).status());
    }
    CX_RETURN_IF_ERROR(
        ReadSheet(std::string(s.sheet), it->second, [&] { return (this->*s.row)(); }));
    CX_RETURN_IF_ERROR(FlushInteractions());
  }
  return Status::Ok();
}

void Importer::Finish() {
  sum_->unknown_people.assign(unknown_people_.begin(), unknown_people_.end());
}

}  // namespace

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
  Status st = ctx.store->BulkTransaction([&](Tx& tx) -> Status {
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
