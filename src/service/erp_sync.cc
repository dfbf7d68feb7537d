// ERP sync: read the export, check every row, apply the newer ones in one
// transaction, flag, propose links, record the sync.
#include "service/erp_sync.h"

#include "base/safe_text.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "base/batch_pipe.h"
#include "base/output_file.h"
#include "base/safe_text.h"
#include "base/sha256.h"
#include "base/string_table.h"
#include "base/text.h"
#include "domain/cell_text.h"
#include "domain/division.h"
#include "io/csv/csv_reader.h"
#include "io/xlsx/xlsx_reader.h"
#include "service/audit.h"
#include "service/dedupe.h"
#include "service/match.h"
#include "service/unlinked_accounts.h"
#include "service/user_service.h"

namespace cx {
namespace {

const std::vector<std::string> kErpOwned = {"name",  "industry", "address", "city",
                                            "phone", "email",    "status",  "erp_customer_id"};
// The ERP-owned fields a customers export may leave out, and where an account keeps each.
constexpr const char* kOptionalOwned[] = {"industry", "phone", "email",
                                          "address",  "city",  "status"};
std::string Account::*Member(std::string_view f) {
  if (f == "industry") return &Account::industry;
  if (f == "phone") return &Account::phone;
  if (f == "email") return &Account::email;
  if (f == "address") return &Account::address;
  if (f == "city") return &Account::city;
  return &Account::status;
}

}  // namespace

std::string* ErpOwnedField(Account& a, const std::string& f) {
  if (f == "name") return &a.name;
  if (f == "industry") return &a.industry;
  if (f == "address") return &a.address;
  if (f == "city") return &a.city;
  if (f == "phone") return &a.phone;
  if (f == "email") return &a.email;
  if (f == "status") return &a.status;
  if (f == "erp_customer_id") return &a.erp_customer_id;
  return nullptr;
}

namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && AsciiLower(s.substr(s.size() - suffix.size())) == suffix;
}

// A record of blank cells only (spaces, tabs, a DOS end-of-file mark ^Z).
bool BlankRecord(const CsvRecord& rec) {
  for (const auto& f : rec.fields)
    if (f.find_first_not_of(" \t\r\x1a") != std::string::npos) return false;
  return true;
}

// A zip archive (an .xlsx workbook under another name) starts with "PK\3\4".
bool LooksLikeZip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == std::string_view("PK\3\4", 4);
}

// Marks a dry run's rollback.
const char* kDryRunMarker = "erp-sync dry run: rolled back";

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

Result<ColumnPlan> PlanColumns(const std::vector<std::string>& header, int header_line,
                               ErpKind kind, const ErpKindMapping& m, const std::string& file,
                               const std::string& map_source) {
  ColumnPlan p;
  p.header = header;
  std::map<std::string, int> by_name;
  std::set<std::string> twice;  // a column the mapping does not name may appear twice
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = AsciiLower(Trim(header[i]));
    if (h.empty()) continue;
    if (!by_name.emplace(h, int(i)).second) twice.insert(h);
  }
  std::vector<std::string> missing;
  for (const auto& f : ErpFields(kind)) {
    auto mc = m.columns.find(f);
    if (mc == m.columns.end()) continue;
    if (twice.count(AsciiLower(mc->second))) {
      return Invalid(file + ": the header (line " + std::to_string(header_line) +
                     ") has the column '" + mc->second + "' twice: which one holds " + f +
                     " is not clear");
    }
    auto it = by_name.find(AsciiLower(mc->second));
    if (it != by_name.end()) {
      p.index.emplace_back(f, it->second);
    } else if (ErpFieldRequired(kind, f)) {
      missing.push_back(mc->second);
    }
  }
  if (!missing.empty()) {
    std::string names, found;
    for (const auto& n : missing) names += (names.empty() ? "'" : ", '") + n + "'";
    // The header as found, each name and the list cut short (a hostile first line can be
    // megabytes long).
    for (size_t i = 0; i < header.size() && i < 30; ++i)
      found += (found.empty() ? "'" : ", '") + QuotePrefix(Trim(header[i])) + "'";
    if (header.size() > 30) found += " and " + std::to_string(header.size() - 30) + " more";
    return Invalid(file + ": the " + std::string(ErpKindName(kind)) +
                   " export lacks the required column(s) " + names + " (mapping: " + map_source +
                   "; the header has " + found + ")");
  }
  return p;
}

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
  // A customer new to a hub that had no account: the account, checked and keyed on the
  // reading thread, for the writing thread to number and store.
  std::optional<KeyedAccount> fresh;
  Status order_valid;  // ValidateOrder's verdict, given after the customer is known
};

// Streams every record of the file (the header first) into a sink.
using RowSink = std::function<Status(CsvRecord&)>;
using RowSource = std::function<Status(const RowSink&)>;
// Turns the header record into the column plan.
using PlanFn = std::function<Result<ColumnPlan>(const CsvRecord&)>;

class Syncer {
 public:
  Syncer(const Context& ctx, const ErpSyncOptions& opt, const ErpKindMapping& m,
         ErpSyncSummary* out)
      : ctx_(ctx), opt_(opt), m_(m), out_(out) {}

  Status Run(const RowSource& source, const PlanFn& plan_of, Tx& tx) {
    CX_RETURN_IF_ERROR(Authorize(tx, ctx_, Operation::kErpSync));
    const std::string kind = ErpKindName(opt_.kind);
    CX_ASSIGN_OR_RETURN(out_->watermark_before, tx.ErpWatermark(kind));
    CX_ASSIGN_OR_RETURN(auto open_rejected, tx.ErpRejectedKeys(kind));
    for (auto& [key, lm] : open_rejected) open_rejected_.emplace(std::move(key), lm);
    if (opt_.kind == ErpKind::kCustomers) {
      AccountFilter f;
      f.missing_erp_id = true;
      CX_ASSIGN_OR_RETURN(int64_t unlinked, tx.CountAccounts(f));
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
    // A big file writes many pages in one transaction: keep them in memory rather than
    // spilling them to the WAL early (bounded: 256 MiB).
    CX_RETURN_IF_ERROR(tx.ReserveWriteCache(256));
    // A file much bigger than the table (a first sync): its indexes are built once at the end
    // rather than row by row. The account indexes that finding look-alikes reads stay
    // when links are proposed by searching the hub (too many unlinked accounts to hold).
    if (opt_.kind == ErpKind::kOrders) {
      CX_ASSIGN_OR_RETURN(orders_empty_, tx.IsEmpty("orders"));
      // A big file meets most customers: read them all at once rather than one by one.
      if (expected_rows_ >= kPreloadCustomersRows) {
        CX_ASSIGN_OR_RETURN(auto ids, tx.ErpCustomerIds());
        if (ids.size() <= kMaxKnownCustomers) {
          known_customers_.Reserve(ids.size());
          for (const auto& id : ids) known_customers_.Emplace(id, 0);
          all_customers_known_ = true;
        }
      }
      CX_RETURN_IF_ERROR(tx.DeferIndexesForBulk("orders", expected_rows_, {}).status());
    } else {
      CX_ASSIGN_OR_RETURN(accounts_empty_, tx.IsEmpty("accounts"));
      // Every valid row is then a new account (the file's ids are all different), made whole
      // on the reading thread.
      fresh_accounts_ = accounts_empty_ && open_missing_.empty();
      // The indexes of accounts without an ERP id and of accounts with an owner get none of
      // the sync's rows (the ERP owns no owner): kept, they cost nothing, where building them
      // again would read the whole table.
      // Proposals read no account index when the unlinked accounts are in memory.
      if (!propose_ || unlinked_.loaded()) {
        CX_RETURN_IF_ERROR(tx.DeferIndexesForBulk("accounts", expected_rows_,
                                                  {"accounts_unlinked", "accounts_owner"})
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
      CX_RETURN_IF_ERROR(tx.PutErpRejected(kind, rejected_keys_[i], rejected_lms_[i],
                                           out_->sync_seq, out_->rejected[i].line,
                                           out_->rejected[i].reason));
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
  std::string Cell(const ColumnPlan& plan, const CsvRecord& rec, std::string_view field) const {
    int c = plan.Col(field);
    if (c < 0 || size_t(c) >= rec.fields.size()) return "";
    return Trim(rec.fields[size_t(c)]);
  }
  std::string ColumnName(const std::string& field) const {
    auto it = m_.columns.find(field);
    return it == m_.columns.end() ? field : it->second;
  }

  void Reject(const CsvRecord& rec, const std::vector<std::string>& problems,
              std::optional<Timestamp> lm, bool duplicate = false) {
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

  std::optional<Timestamp> LastModified(const ColumnPlan& plan, const CsvRecord& rec,
                                        std::vector<std::string>* problems) {
    std::string lm = Cell(plan, rec, "last_modified");
    if (lm.empty()) {
      problems->push_back(ColumnName("last_modified") + " is blank");
      return std::nullopt;
    }
    auto t = Time(lm);
    if (!t.ok()) {
      problems->push_back(ColumnName("last_modified") + ": " + t.status().message());
      return std::nullopt;
    }
    // A change the ERP dates after the sync (beyond two hours' leeway for clocks) would move
    // the watermark past the real changes to come, and they would all be skipped.
    if (*t > started_ + kFutureLeeway) {
      problems->push_back(ColumnName("last_modified") + " '" + QuotePrefix(lm) +
                          "' is in the future (more than two hours after this sync)");
    }
    return *t;
  }

  // An export repeats its dates, times and divisions: each distinct text is parsed once
  // (bounded memory; failures are not kept).
  Result<Timestamp> Time(const std::string& text) {
    if (auto it = time_memo_.find(text); it != time_memo_.end()) return it->second;
    auto t = ParseErpTime(text, m_.date_format, ctx_.zone);
    // A workbook's date cells come as "YYYY-MM-DD HH:MM:SS" (XlsxRows), whatever the mapping's
    // date_format says of the dates written as text.
    if (!t.ok() && xlsx_ && !m_.date_format.empty() && text.size() == 19) {
      if (auto cell = ParseErpTime(text, "%Y-%m-%d %H:%M:%S", ctx_.zone); cell.ok()) t = cell;
    }
    if (t.ok()) {
      if (time_memo_.size() >= kMemo) time_memo_.clear();
      time_memo_.emplace(text, *t);
    }
    return t;
  }
  std::optional<std::string> Division(const std::string& text) {
    if (auto it = division_memo_.find(text); it != division_memo_.end()) return it->second;
    std::optional<std::string> d = CanonicalDivision(text);
    if (division_memo_.size() >= kMemo) division_memo_.clear();
    division_memo_.emplace(text, d);
    return d;
  }

  // Not newer than the watermark, and not the correction of a row an earlier sync rejected
  // (one with its key, at least as new as the rejected row when that had a valid date).
  bool Older(Timestamp lm, const std::string& key) const {
    if (!out_->watermark_before || lm > *out_->watermark_before) return false;
    if (open_rejected_.empty()) return true;
    auto it = open_rejected_.find(key);
    return it == open_rejected_.end() || (it->second && lm < *it->second);
  }
  const char* KeyField() const {
    return opt_.kind == ErpKind::kCustomers ? "erp_customer_id" : "order_id";
  }

  // A valid row: it moves the watermark, and puts right an earlier sync's rejected row.
  void NoteValid(Timestamp lm, const std::string& key) {
    if (!max_valid_ || lm > *max_valid_) max_valid_ = lm;
    if (!open_rejected_.empty() && open_rejected_.count(key)) put_right_.push_back(key);
  }

  // On the reading thread: the checks of a record that need no database. Touches only the
  // plan, the ids seen and its own result.
  Checked Check(CsvRecord& rec) {
    const ColumnPlan& plan = plan_;
    Checked c;
    // A NUL byte is no text (a damaged export, or binary data): the row is refused, and its
    // cells are not quoted in the reason.
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      if (rec.fields[i].find('\0') == std::string::npos) continue;
      c.problems.push_back((i < plan.header.size()
                                ? "column '" + QuotePrefix(Trim(plan.header[i])) + "'"
                                : "field " + std::to_string(i + 1)) +
                           " holds a NUL byte (0x00): the row is damaged or not text");
    }
    // A mapped field longer than a spreadsheet cell holds is refused too: stored, it could
    // not be exported whole. (Columns the mapping does not name are never stored.)
    // A field the reader cut at its cap (csv_reader.h) was far longer than a cell: named with
    // its size, never read further.
    for (const auto& o : rec.overlong) {
      bool mapped = false;
      for (const auto& [field, col] : plan.index) mapped = mapped || size_t(col) == o.field;
      if (!mapped) continue;
      c.problems.push_back("column '" + QuotePrefix(Trim(plan.header[o.field])) +
                           "': the text is " + std::to_string(o.bytes) +
                           " bytes long; a spreadsheet cell holds at most 32,767 characters");
    }
    for (const auto& [field, col] : plan.index) {
      if (col < 0 || size_t(col) >= rec.fields.size()) continue;
      bool cut = false;
      for (const auto& o : rec.overlong) cut = cut || o.field == size_t(col);
      if (cut) continue;
      if (std::string why = CellLengthProblem(rec.fields[size_t(col)]); !why.empty())
        c.problems.push_back("column '" + QuotePrefix(Trim(plan.header[size_t(col)])) +
                             "': the text " + why);
    }
    if (!c.problems.empty()) {
      c.rec = std::move(rec);
      return c;
    }
    if (rec.fields.size() != plan.header.size()) {
      bool extras_blank =
          rec.fields.size() > plan.header.size() &&
          std::all_of(rec.fields.begin() + long(plan.header.size()), rec.fields.end(),
                      [](const std::string& s) { return Trim(s).empty(); });
      if (!extras_blank) {
        c.problems.push_back("has " + std::to_string(rec.fields.size()) +
                             " fields where the header has " + std::to_string(plan.header.size()));
      }
    }
    if (c.problems.empty()) {
      if (opt_.kind == ErpKind::kCustomers) {
        CheckCustomer(plan, rec, &c);
      } else {
        CheckOrder(plan, rec, &c);
      }
    }
    // The fields go with the row only where the writing thread may still reject it: a row
    // skipped as older, or a new account of an empty hub, leaves them to be reused for the
    // next record.
    if (!c.problems.empty() || (!c.older && !c.fresh)) {
      c.rec = std::move(rec);
    } else {
      c.rec.line = rec.line;
    }
    return c;
  }

  // On the writing thread, in the file's order.
  Status Apply(Tx& tx, Checked& c) {
    ++out_->rows;
    if (!c.problems.empty()) {
      Reject(c.rec, c.problems, c.lm, c.duplicate);
      return Status::Ok();
    }
    if (opt_.kind == ErpKind::kCustomers) return Customer(tx, c);
    return OrderLine(tx, c);
  }

  void CheckCustomer(const ColumnPlan& plan, const CsvRecord& rec, Checked* c) {
    std::vector<std::string>& problems = c->problems;
    CustomerRow& row = c->customer;
    row.erp_id = Cell(plan, rec, "erp_customer_id");
    row.name = Cell(plan, rec, "name");
    if (row.erp_id.empty()) {
      problems.push_back(ColumnName("erp_customer_id") + " is blank");
    } else if (auto [line, fresh] = seen_.Emplace(row.erp_id, rec.line); !fresh) {
      c->duplicate = true;
      problems.push_back(ColumnName("erp_customer_id") + " '" + QuotePrefix(row.erp_id) +
                         "' appears already on line " + std::to_string(line));
    }
    if (row.name.empty()) problems.push_back(ColumnName("name") + " is blank");
    c->lm = LastModified(plan, rec, &problems);
    std::string div = Cell(plan, rec, "division");
    if (!div.empty()) {
      auto d = Division(div);
      if (!d) {
        problems.push_back(ColumnName("division") + ": '" + QuotePrefix(div) +
                           "' is not a division (" + JoinForMessage(Divisions()) + ")");
      } else {
        row.division = std::string(*d);
      }
    }
    if (!problems.empty()) return;
    row.last_modified = *c->lm;
    c->older = Older(row.last_modified, row.erp_id);
    if (c->older) return;
    if (fresh_accounts_) {
      // A new account of an empty hub is made straight from the cells: every field of a new
      // account starts blank, so a blank cell leaves it so whether or not the ERP clears it.
      if (owned_columns_.empty()) {
        for (const char* f : kOptionalOwned) {
          if (const int col = plan.Col(f); col >= 0) owned_columns_.push_back({Member(f), col});
        }
        owned_columns_.push_back({nullptr, -1});  // planned (the file may map none)
      }
      // Made in place: an account is a score of strings, each move of it costs.
      KeyedAccount& k = c->fresh.emplace();
      Account& a = k.account;
      a.erp_customer_id = row.erp_id;
      a.name = row.name;
      a.divisions = row.division;
      for (const auto& [member, col] : owned_columns_) {
        if (col < 0 || size_t(col) >= rec.fields.size()) continue;
        const std::string_view v = TrimView(rec.fields[size_t(col)]);
        if (!v.empty()) a.*member = v;
      }
      Status valid = ValidateAccount(&a);
      if (!valid.ok()) {
        problems = Reasons(valid);
        c->fresh.reset();
        return;
      }
      KeyInPlace(&k);
      return;
    }
    for (const char* f : kOptionalOwned) {
      if (plan.Col(f) >= 0) row.values[f] = Cell(plan, rec, f);
    }
  }

  // Sets the ERP's fields of `a` from the row and checks the result.
  Status AsErpWantsIt(const CustomerRow& row, Account* a) const {
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

  static std::vector<std::string> Reasons(const Status& invalid) {
    std::vector<std::string> why;
    for (const auto& d : invalid.details()) why.push_back(d);
    if (why.empty()) why.push_back(invalid.message());
    return why;
  }

  Status Customer(Tx& tx, Checked& c) {
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
      CX_ASSIGN_OR_RETURN(a.id, tx.NextIdUnchecked("A"));  // into an empty table
      a.created_at = a.updated_at = ctx_.now();
      pending_accounts_.push_back(&*c.fresh);  // written at the end of the batch
      ++out_->created;
      return Status::Ok();
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
      CX_ASSIGN_OR_RETURN(a.id, tx.NextId("A"));
      a.created_at = a.updated_at = ctx_.now();
      CX_RETURN_IF_ERROR(tx.InsertAccount(a));
      CX_RETURN_IF_ERROR(AuditBulkCreate(tx, ctx_, "account", a.id, reason_));
      ++out_->created;
      return Propose(tx, a);
    }
    FieldList before = FieldsOf(*existing), after = FieldsOf(a);
    if (before == after) {
      ++out_->unchanged;
      return Status::Ok();
    }
    a.updated_at = ctx_.now();
    CX_RETURN_IF_ERROR(tx.UpdateAccount(a));
    CX_RETURN_IF_ERROR(AuditChanges(tx, ctx_, "erp-sync", "account", a.id, before, after, reason_));
    ++out_->updated;
    if (existing->name != a.name || existing->phone != a.phone || existing->email != a.email)
      return Propose(tx, a);
    return Status::Ok();
  }

  // A customer flagged missing by an earlier full export is back: its open flag closes.
  Status Reappeared(Tx& tx, const std::string& erp_id) {
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

  // Hub accounts without an ERP id that look like this ERP customer go to the queue.
  Status Propose(Tx& tx, const Account& a) {
    if (!propose_) return Status::Ok();
    // The unlinked accounts in memory when there are not too many of them: a search of the
    // whole hub per customer made a sync into a populated hub many times slower (issue 25).
    std::vector<Match> matches;
    if (unlinked_.loaded()) {
      matches = unlinked_.Find(KeysOf(a));
    } else {
      CX_ASSIGN_OR_RETURN(matches, FindProbableDuplicates(tx, NameKind::kAccount, KeysOf(a), a.id));
    }
    for (const auto& m : matches) {
      CX_ASSIGN_OR_RETURN(auto hub, tx.GetAccount(m.id));
      if (!hub || !hub->erp_customer_id.empty() || !hub->merged_into.empty()) continue;
      CX_ASSIGN_OR_RETURN(auto known, tx.FindErpQueueItem("link", hub->id, a.erp_customer_id));
      if (known) continue;  // proposed before (open, accepted or rejected): never again
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", m.score);
      ErpQueueItem q;
      q.kind = "link";
      q.account_id = hub->id;
      q.erp_id = a.erp_customer_id;
      q.why = m.why + " (score " + score + ") as ERP customer " + a.erp_customer_id + " '" +
              a.name + "' (account " + a.id + ")";
      q.created_at = ctx_.now();
      CX_RETURN_IF_ERROR(tx.InsertErpQueueItem(q).status());
      out_->proposed_links.push_back({hub->id, a.erp_customer_id, m.why});
    }
    return Status::Ok();
  }

  Status FlagMissing(Tx& tx) {
    // The ERP ids alone come from the ERP-id index without reading the accounts; only those
    // missing from the file are looked up.
    std::vector<std::pair<std::string, std::string>> missing;
    {
      CX_ASSIGN_OR_RETURN(auto linked, tx.ErpCustomerIds());
      for (auto& erp : linked) {
        if (seen_.Contains(erp)) continue;
        CX_ASSIGN_OR_RETURN(auto a, tx.FindAccountByErpId(erp));
        if (a && a->merged_into.empty()) missing.emplace_back(a->id, std::move(erp));
      }
    }
    std::sort(missing.begin(), missing.end());  // by account id
    for (const auto& [id, erp] : missing) {
      out_->flagged_missing.push_back(erp);
      out_->flagged_missing_accounts.push_back(id);
      CX_ASSIGN_OR_RETURN(auto known, tx.FindErpQueueItem("missing", id, erp));
      if (known && known->status == "open") continue;
      ErpQueueItem q;
      q.kind = "missing";
      q.account_id = id;
      q.erp_id = erp;
      q.why = "ERP customer " + erp + " is missing from the full export " + BaseName(opt_.file);
      q.created_at = ctx_.now();
      CX_RETURN_IF_ERROR(tx.InsertErpQueueItem(q).status());
    }
    return Status::Ok();
  }

  void CheckOrder(const ColumnPlan& plan, const CsvRecord& rec, Checked* c) {
    std::vector<std::string>& problems = c->problems;
    Order& o = c->order;
    o.id = Cell(plan, rec, "order_id");
    o.erp_customer_id = Cell(plan, rec, "erp_customer_id");
    if (o.id.empty()) {
      problems.push_back(ColumnName("order_id") + " is blank");
    } else if (auto [line, fresh] = seen_.Emplace(o.id, rec.line); !fresh) {
      c->duplicate = true;
      problems.push_back(ColumnName("order_id") + " '" + QuotePrefix(o.id) +
                         "' appears already on line " + std::to_string(line));
    }
    if (o.erp_customer_id.empty()) problems.push_back(ColumnName("erp_customer_id") + " is blank");
    std::string date = Cell(plan, rec, "order_date");
    if (date.empty()) {
      problems.push_back(ColumnName("order_date") + " is blank");
    } else if (auto t = Time(date); !t.ok()) {
      problems.push_back(ColumnName("order_date") + ": " + t.status().message());
    } else {
      o.date = *t;
    }
    std::string div = Cell(plan, rec, "division");
    auto d = Division(div);
    if (div.empty()) {
      problems.push_back(ColumnName("division") + " is blank");
    } else if (!d) {
      problems.push_back(ColumnName("division") + ": '" + QuotePrefix(div) + "' is not a division");
    } else {
      o.division = std::string(*d);
    }
    if (auto amt = ParseErpAmount(Cell(plan, rec, "amount"), m_.decimal_comma); !amt.ok()) {
      problems.push_back(ColumnName("amount") + ": " + amt.status().message());
    } else {
      o.amount = *amt;
    }
    if (std::string cur = Cell(plan, rec, "currency"); cur.empty()) {
      o.currency = m_.default_currency;
    } else if (auto code = ParseErpCurrency(cur); !code.ok()) {
      problems.push_back(ColumnName("currency") + ": " + code.status().message());
    } else {
      o.currency = std::move(*code);
    }
    c->lm = LastModified(plan, rec, &problems);
    if (!problems.empty()) return;
    o.last_modified = *c->lm;
    c->older = Older(o.last_modified, o.id);
    if (!c->older) c->order_valid = ValidateOrder(&o);
  }

  Status OrderLine(Tx& tx, Checked& c) {
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
  Status FlushBatch(Tx& tx) {
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
  // For those, each optional ERP-owned field with its column (reading thread only; ends with
  // a {nullptr, -1} mark once planned).
  std::vector<std::pair<std::string Account::*, int>> owned_columns_;
  std::vector<const KeyedAccount*> pending_accounts_;  // … of the batch, not yet written
  static constexpr size_t kMaxKnownCustomers = 2000000;
  static constexpr int64_t kPreloadCustomersRows = 20000;
  StringTable known_customers_;       // ERP ids linked to an account
  bool all_customers_known_ = false;  // known_customers_ holds every one
  std::optional<Timestamp> max_valid_, min_rejected_;
  bool reject_without_time_ = false;
  std::vector<CsvRecord> rejected_records_;
  ColumnPlan plan_;
};

// The first bytes of every rejected-rows file the hub writes: a UTF-8 byte-order mark (which
// also makes a spreadsheet read the file as UTF-8) and a header that ends with the columns
// Line and Reason. A file at FILE.rejected.csv without both is someone else's.
constexpr std::string_view kRejectedBom = "\xEF\xBB\xBF";

Status WriteRejected(const std::string& path, const std::vector<std::string>& header,
                     const std::vector<CsvRecord>& recs, const std::vector<RejectedRow>& why) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Internal("cannot write " + path + ": " + std::strerror(errno));
  std::vector<std::string> h = header;
  h.push_back("Line");
  h.push_back("Reason");
  f << kRejectedBom << CsvLine(h);
  for (size_t i = 0; i < recs.size(); ++i) {
    std::vector<std::string> row = recs[i].fields;
    row.push_back(std::to_string(why[i].line));
    row.push_back(why[i].reason);
    f << CsvLine(row);
  }
  f.flush();
  f.close();
  if (!f) return Internal("cannot write " + path + ": the disk may be full");
  return Status::Ok();
}

// Whether the file at `path` is a rejected-rows file the hub wrote: it starts with the
// byte-order mark and its first line ends with ",Line,Reason".
bool IsOurRejectedFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::string head(64 * 1024, '\0');
  f.read(head.data(), std::streamsize(head.size()));
  head.resize(size_t(f.gcount()));
  if (head.rfind(kRejectedBom, 0) != 0) return false;
  const size_t eol = head.find("\r\n");
  if (eol == std::string::npos) return false;
  const std::string first = head.substr(0, eol);
  return first.size() >= 12 && first.compare(first.size() - 12, 12, ",Line,Reason") == 0;
}

// The first sheet of an .xlsx export as records: the row number is the line; date
// cells become "YYYY-MM-DD HH:MM:SS" (wall clock, as the ERP wrote them).
Status XlsxRows(xlsx::Reader& book, const std::string& file, const Zone&, const RowSink& sink) {
  const std::string sheet = book.SheetNames().front();
  size_t width = 0;
  Status st =
      book.ReadSheet(sheet, [&](int64_t row, const std::vector<xlsx::Cell>& cells) -> Status {
        if (cells.empty()) return Status::Ok();
        CsvRecord rec;
        rec.line = row;
        size_t n = size_t(cells.back().col) + 1;
        rec.fields.assign(std::max(n, width), "");
        for (const auto& c : cells) {
          std::string text = c.text;
          if (c.type == xlsx::Cell::Type::kNumber && c.is_date) {
            int64_t days = 0;
            int secs = 0;
            CX_RETURN_IF_ERROR(xlsx::SerialToCivil(c.number, book.Date1904(), &days, &secs));
            char buf[32];
            Date d = CivilFromDays(days);
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day,
                          secs / 3600, secs / 60 % 60, secs % 60);
            text = buf;
          } else if (c.type == xlsx::Cell::Type::kNumber &&
                     text.find_first_of("Ee") != std::string::npos && std::fabs(c.number) < 1e18 &&
                     c.number == std::floor(c.number)) {
            // A long number id Excel stored as "1E+17": its digits, not the exponent form.
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", c.number);
            text = buf;
          }
          rec.fields[size_t(c.col)] = text;
        }
        if (width == 0) {
          width = rec.fields.size();
        } else {
          // Trailing blank cells are absent from the sheet: pad to the header's width.
          while (rec.fields.size() > width && rec.fields.back().empty()) rec.fields.pop_back();
        }
        return sink(rec);
      });
  if (!st.ok() && st.code() == Code::kNotFound) return Invalid(file + ": " + st.message());
  return st;
}

}  // namespace

const std::vector<std::string>& ErpOwnedAccountFields() { return kErpOwned; }

Status CheckErpOwnedUnchanged(const Account& current, const Account& proposed) {
  if (current.erp_customer_id.empty()) return Status::Ok();
  Account cur = current, prop = proposed;
  Status st;
  for (const auto& f : kErpOwned) {
    if (*ErpOwnedField(cur, f) != *ErpOwnedField(prop, f)) {
      std::string m = "field " + f + " is owned by the ERP (account " + current.id +
                      " linked to ERP customer " + current.erp_customer_id + ")";
      if (st.ok()) {
        st = Conflict(m);
      } else {
        st.AddDetail(m);
      }
    }
  }
  return st;
}

std::vector<std::string> KeepErpOwned(const Account& current, Account* incoming) {
  std::vector<std::string> warnings;
  if (current.erp_customer_id.empty()) return warnings;
  Account cur = current;
  for (const auto& f : kErpOwned) {
    std::string* in = ErpOwnedField(*incoming, f);
    const std::string& erp = *ErpOwnedField(cur, f);
    if (*in != erp) {
      warnings.push_back("account " + current.id + ": " + f + " is owned by the ERP (customer " +
                         current.erp_customer_id + "): kept '" + erp + "', ignored '" + *in + "'");
      *in = erp;
    }
  }
  return warnings;
}

Status RunErpSync(const Context& ctx, const ErpSyncOptions& opt, ErpSyncSummary* out) {
  *out = ErpSyncSummary();
  out->kind = ErpKindName(opt.kind);
  out->file = opt.file;
  out->dry_run = opt.dry_run;
  if (opt.full && opt.kind != ErpKind::kCustomers) {
    return Invalid(
        "--full applies to customers exports only (orders are never flagged as missing)");
  }
  ErpMapping mapping;
  if (opt.map_file.empty()) {
    CX_ASSIGN_OR_RETURN(mapping, DefaultErpMapping());
  } else {
    CX_ASSIGN_OR_RETURN(mapping, LoadErpMapping(opt.map_file));
  }
  const ErpKindMapping& m = mapping.Of(opt.kind);
  if (!m.present) {
    return Invalid(mapping.source + ": the mapping has no [" + std::string(ErpKindName(opt.kind)) +
                   "] table, which a " + ErpKindName(opt.kind) + " export needs");
  }
  PlanFn plan_of = [&](const CsvRecord& header) -> Result<ColumnPlan> {
    for (const auto& h : header.fields) {
      if (h.find('\0') != std::string::npos) {
        return Invalid(opt.file + ": line " + std::to_string(header.line) +
                       ": the header holds a NUL byte (0x00): the file is damaged or not text");
      }
    }
    return PlanColumns(header.fields, header.line, opt.kind, m, opt.file, mapping.source);
  };
  RowSource source;
  std::unique_ptr<CsvReader> reader;
  std::unique_ptr<xlsx::Reader> book;
  if (EndsWith(opt.file, ".xlsx") || LooksLikeZip(opt.file)) {
    CX_ASSIGN_OR_RETURN(out->sha256, FileSha256(opt.file));
    CX_ASSIGN_OR_RETURN(book, xlsx::Reader::Open(opt.file));
    if (book->SheetNames().empty()) return Invalid(opt.file + ": the workbook has no sheet");
    out->encoding = "xlsx";
    source = [&](const RowSink& sink) { return XlsxRows(*book, opt.file, ctx.zone, sink); };
  } else {
    CX_ASSIGN_OR_RETURN(reader, CsvReader::Open(opt.file));
    out->sha256 = reader->sha256();
    out->encoding = reader->encoding();
    out->delimiter = reader->delimiter();
    source = [&](const RowSink& sink) -> Status {
      CsvRecord rec;
      while (true) {
        CX_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
        if (!more) return Status::Ok();
        CX_RETURN_IF_ERROR(sink(rec));
      }
    };
  }
  Syncer syncer(ctx, opt, m, out);
  syncer.set_started(ctx.now());
  syncer.set_xlsx(book != nullptr);
  if (reader) syncer.Reserve(size_t(reader->size_bytes() / 80));
  // The rejected rows are written (beside, under a temporary name: base/output_file.h) before
  // the commit, so that a file that cannot be written leaves the hub as it was; the commit
  // then only renames it. A FILE.rejected.csv the hub did not write is never replaced nor
  // removed without --force.
  const std::string rejected_path = opt.file + ".rejected.csv";
  std::error_code ec;
  const bool rejected_exists = std::filesystem::exists(rejected_path, ec);
  const bool rejected_ours = rejected_exists &&
                             std::filesystem::is_regular_file(rejected_path, ec) &&
                             IsOurRejectedFile(rejected_path);
  std::unique_ptr<OutputFile> rejected_out;
  Status st = ctx.store->BulkTransaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(syncer.Run(source, plan_of, tx));
    if (out->rejected.empty()) return Status::Ok();
    if (rejected_exists && !rejected_ours && !opt.force) {
      return Invalid(rejected_path +
                     " exists and was not written by cxhub; nothing was written (move it away, "
                     "or use --force to replace it)");
    }
    OutputPolicy policy;
    policy.force = true;  // the kind is checked above: ours, or --force
    CX_ASSIGN_OR_RETURN(rejected_out, OutputFile::Create(rejected_path, FileKind::kText, policy));
    Status w = WriteRejected(rejected_out->temp_path(), syncer.header(), syncer.rejected_records(),
                             out->rejected);
    if (!w.ok()) return Internal(w.message() + "; nothing was written");
    return Status::Ok();
  });
  if (opt.dry_run && st.code() == Code::kInternal && st.message() == kDryRunMarker) {
    out->sync_seq = 0;
    return Status::Ok();
  }
  if (!st.ok()) {
    out->sync_seq = 0;
    return st;  // rejected_out, uncommitted, removes its temporary file
  }
  out->applied = true;
  if (!out->rejected.empty()) {
    out->rejected_file = rejected_path;
    Status c = rejected_out->Commit();
    if (!c.ok()) {
      return Internal("sync " + std::to_string(out->sync_seq) +
                      " is recorded, but its rejected rows could not be written: " + c.message());
    }
  } else if (rejected_exists) {
    // An earlier run's rejected rows beside the file would read as this run's; a file the hub
    // did not write stays unless --force.
    if (!rejected_ours && !opt.force) {
      out->warnings.push_back(rejected_path +
                              " was not written by cxhub, so it is left as it is (this run "
                              "rejected nothing)");
    } else if (std::filesystem::is_regular_file(rejected_path, ec) &&
               std::filesystem::remove(rejected_path, ec)) {
      out->removed_rejected_file = rejected_path;
    } else {
      out->warnings.push_back(rejected_path + " is not this run's (it rejected nothing), but it " +
                              "could not be removed" + (ec ? ": " + ec.message() : std::string()));
    }
  }
  return Status::Ok();
}

Result<std::vector<ErpSyncRecord>> ErpSyncHistory(const Context& ctx, int limit) {
  std::vector<ErpSyncRecord> out;
  Status st = ctx.store->Transaction([&](Tx& tx) -> Status {
    CX_ASSIGN_OR_RETURN(out, tx.ListErpSyncs(limit));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace cx
