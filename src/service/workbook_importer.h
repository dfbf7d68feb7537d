// The workbook importer's state and its row readers, shared by the files of the import:
// workbook_import.cc (the sheets, accounts, contacts, the order of the steps) and
// workbook_import_rows.cc (the other sheets). Internal to the service: only those include it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
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
#include "service/config_service.h"
#include "service/dedupe.h"
#include "service/search_first_aside.h"
#include "service/user_service.h"
#include "service/workbook_import.h"

namespace cx::wbimport {

using xlsx::Cell;
namespace wb = workbook;

inline constexpr size_t kMaxListedErrors = 1000;
inline constexpr size_t kMaxListedDuplicates = 1000;
inline constexpr size_t kMaxLinkedTexts = 100000;  // distinct people texts remembered by an import

// A number as the audit log and the import's messages write it: an integer without decimals.
std::string FormatNumber(double v);

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
  // Search-first of a new account or contact (`keys`, written after this call): its probable
  // duplicates among the records that existed before are reported, in row order, once every
  // sheet is read. The search runs beside the writer, on the hub as it was (SearchFirstAside),
  // while that gives the same answer: nothing the import did so far is visible to it other than
  // its new records (SearchVisibleRewrites has not moved), and none of those shares a key with
  // this record or (a contact) its account. Otherwise it runs here, in the transaction, as it
  // always did (docs/store.md, "Search-first beside the writer").
  void ReportDuplicates(NameKind k, const MatchKeys& keys, const std::string& id,
                        const std::string& name) {
    // Search first is about records that existed before: none when the hub had none of this kind.
    if (k == NameKind::kAccount ? accounts_empty_ : contacts_empty_) return;
    const bool aside = MaySearchAside(k, keys);
    NoteNewRecord(k, keys);
    if (aside) {
      const size_t n = aside_->Add(k, keys, id);
      found_.push_back(FoundDuplicates{actual_, row_, id, name, n, {}});
      return;
    }
    auto dups = FindProbableDuplicates(tx_, k, keys, id);
    if (!dups.ok()) {
      db_error_ = dups.status();
      return;
    }
    if (dups->empty()) return;
    found_.push_back(FoundDuplicates{actual_, row_, id, name, std::nullopt, std::move(*dups)});
  }
  bool MaySearchAside(NameKind k, const MatchKeys& keys) {
    if (aside_off_) return false;
    if (!rewrites_at_start_ || tx_.SearchVisibleRewrites() != rewrites_at_start_) return false;
    const NewKeys& mine = new_keys_[k == NameKind::kAccount ? 0 : 1];
    if ((!keys.name_key.empty() && mine.name.count(keys.name_key)) ||
        (!keys.phone_key.empty() && mine.phone.count(keys.phone_key)) ||
        (!keys.email_key.empty() && mine.email.count(keys.email_key)))
      return false;
    if (k == NameKind::kContact && !keys.account_id.empty() &&
        new_colleagues_.count(keys.account_id))
      return false;
    if (!aside_) {
      auto started = SearchFirstAside::Start(*ctx_.store);
      if (!started.ok() || !*started) {
        aside_off_ = true;
        return false;
      }
      aside_ = std::move(*started);
    }
    return true;
  }
  void NoteNewRecord(NameKind k, const MatchKeys& keys) {
    NewKeys& mine = new_keys_[k == NameKind::kAccount ? 0 : 1];
    if (!keys.name_key.empty()) mine.name.insert(keys.name_key);
    if (!keys.phone_key.empty()) mine.phone.insert(keys.phone_key);
    if (!keys.email_key.empty()) mine.email.insert(keys.email_key);
    if (k == NameKind::kContact && !keys.account_id.empty())
      new_colleagues_.insert(keys.account_id);
  }
  // The duplicates found, into the summary in row order (the searches beside the writer
  // waited for).
  Status ListDuplicates();

  // ---- one row of each sheet ----
  Status AccountRow();
  Status ContactRow();
  Status OpportunityRow();
  Status StageRow();
  Status CaseRow();
  Status InteractionRow();
  Status OrderRow();
  Status FeedbackRow();
  Status TouchpointRow();
  // The contact's Newsletter column, when the sheet has it (a blank cell clears the date).
  Status NewsletterOf(const std::string& contact_id, int* changed);
  // The opportunity's Source Touchpoint column, when the sheet has it (blank clears it).
  Status SourceOf(const std::string& opportunity_id, int* changed);

  // New interactions written together (see InteractionRow).
  static constexpr size_t kInteractionBatch = 16384;
  // The page cache asked for while new interactions go into a populated table (see Run).
  static constexpr int kPopulatedInteractionsMiB = 256;
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
  // Search-first (ReportDuplicates): the searches' answers in row order, each found here or
  // by search number beside the writer.
  struct FoundDuplicates {
    std::string sheet;
    int64_t row = 0;
    std::string id, name;
    std::optional<size_t> aside;  // the search's number in aside_
    std::vector<Match> matches;   // else its answer
  };
  std::vector<FoundDuplicates> found_;
  std::unique_ptr<SearchFirstAside> aside_;
  bool aside_off_ = false;  // no sibling store: every search here
  std::optional<uint64_t> rewrites_at_start_;
  // The keys of the records this import added, per kind, and the accounts of its contacts.
  struct NewKeys {
    std::unordered_set<std::string> name, phone, email;
  };
  NewKeys new_keys_[2];
  std::unordered_set<std::string> new_colleagues_;
  std::shared_ptr<const HubConfig> config_;  // journeys, for the stages of touchpoints and feedback
};

}  // namespace cx::wbimport
