// ERP sync, reading: the column plan of the header and the checks each row gets on the reading
// thread, before any database work (docs/erp.md).
#include <algorithm>
#include <set>

#include "base/safe_text.h"
#include "base/text.h"
#include "domain/cell_text.h"
#include "domain/division.h"
#include "service/erp_syncer.h"

namespace cx::erp_detail {
namespace {

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

std::string ErpSyncer::Cell(const ColumnPlan& plan, const CsvRecord& rec,
                            std::string_view field) const {
  int c = plan.Col(field);
  if (c < 0 || size_t(c) >= rec.fields.size()) return "";
  return Trim(rec.fields[size_t(c)]);
}

std::string ErpSyncer::ColumnName(const std::string& field) const {
  auto it = m_.columns.find(field);
  return it == m_.columns.end() ? field : it->second;
}

std::optional<Timestamp> ErpSyncer::LastModified(const ColumnPlan& plan, const CsvRecord& rec,
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
Result<Timestamp> ErpSyncer::Time(const std::string& text) {
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

std::optional<std::string> ErpSyncer::Division(const std::string& text) {
  if (auto it = division_memo_.find(text); it != division_memo_.end()) return it->second;
  std::optional<std::string> d = CanonicalDivision(text);
  if (division_memo_.size() >= kMemo) division_memo_.clear();
  division_memo_.emplace(text, d);
  return d;
}

// Not newer than the watermark, and not the correction of a row an earlier sync rejected
// (one with its key, at least as new as the rejected row when that had a valid date).
bool ErpSyncer::Older(Timestamp lm, const std::string& key) const {
  if (!out_->watermark_before || lm > *out_->watermark_before) return false;
  if (open_rejected_.empty()) return true;
  auto it = open_rejected_.find(key);
  return it == open_rejected_.end() || (it->second && lm < *it->second);
}

const char* ErpSyncer::KeyField() const {
  return opt_.kind == ErpKind::kCustomers ? "erp_customer_id" : "order_id";
}

// On the reading thread: the checks of a record that need no database. Touches only the
// plan, the ids seen and its own result.
Checked ErpSyncer::Check(CsvRecord& rec) {
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
    c.problems.push_back("column '" + QuotePrefix(Trim(plan.header[o.field])) + "': the text is " +
                         std::to_string(o.bytes) +
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
    bool extras_blank = rec.fields.size() > plan.header.size() &&
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

void ErpSyncer::CheckCustomer(const ColumnPlan& plan, const CsvRecord& rec, Checked* c) {
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
  if (fresh_accounts_ || (linked_ids_known_ && !linked_ids_.Contains(row.erp_id))) {
    // A new account is made straight from the cells: every field of a new account starts
    // blank, so a blank cell leaves it so whether or not the ERP clears it.
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
    // The unlinked accounts it looks like: the set is read before the rows and never changes
    // during the sync, so this thread can search it; the name's words are already split.
    if (propose_ && unlinked_.loaded())
      c->look_alikes =
          unlinked_.Find(MatchKeys{"", a.name, k.name_key, k.phone_key, k.email_key, ""},
                         UnlinkedAccounts::TypedKey(k.words));
    return;
  }
  for (const char* f : kOptionalOwned) {
    if (plan.Col(f) >= 0) row.values[f] = Cell(plan, rec, f);
  }
}

void ErpSyncer::CheckOrder(const ColumnPlan& plan, const CsvRecord& rec, Checked* c) {
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

}  // namespace cx::erp_detail
