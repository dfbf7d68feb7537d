// Export: one read transaction streams each table into its sheet.
#include "service/workbook_export.h"
#include "service/user_service.h"

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "base/batch_pipe.h"
#include "domain/cell_text.h"
#include "io/workbook/workbook_schema.h"
#include "io/xlsx/xlsx_writer.h"

namespace cx {
namespace {

using workbook::ColumnsOf;

// How each known column is shown; any other column (custom fields) is one-line text.
xlsx::ColumnKind KindOf(std::string_view column) {
  using K = xlsx::ColumnKind;
  static const std::map<std::string_view, K> kinds = {
      {"Date", K::kDateTime},           {"Next Action Due", K::kDateTime},
      {"Created", K::kDateTime},        {"Closed", K::kDateTime},
      {"Entered", K::kDateTime},        {"Opened", K::kDateTime},
      {"First Response", K::kDateTime}, {"Resolution Confirmed", K::kDateTime},
      {"Quote Approved", K::kDateTime}, {"Work Started", K::kDateTime},
      {"Order Date", K::kDate},  // the ERP dates orders by the day
      {"Amount", K::kNumber},           {"Score", K::kNumber},
      {"Notes", K::kLongText},          {"Comment", K::kLongText},
      {"Summary", K::kLongText},
  };
  auto it = kinds.find(column);
  return it == kinds.end() ? K::kText : it->second;
}

// One write into the workbook, made on the reading thread and carried out on the writing one.
struct CellOp {
  enum class Kind : uint8_t { kSheet, kText, kNumber, kTime };
  Kind kind = Kind::kText;
  int col = 0;
  int64_t row = 0;
  double value = 0;
  std::string text;                                    // the text, or the sheet's name
  std::unique_ptr<std::vector<xlsx::Column>> columns;  // a sheet's columns
};

Status Apply(xlsx::Writer* w, CellOp& op) {
  switch (op.kind) {
    case CellOp::Kind::kSheet:
      return w->AddSheet(op.text, *op.columns);
    case CellOp::Kind::kText:
      w->Text(op.row, op.col, op.text);
      break;
    case CellOp::Kind::kNumber:
      w->Number(op.row, op.col, op.value);
      break;
    case CellOp::Kind::kTime:
      w->Time(op.row, op.col, op.value);
      break;
  }
  return Status::Ok();
}

// Describes one sheet row by row, as cell writes into the pipe. A text longer than a cell
// holds (stored before the hub refused such text) is cut to the limit and listed in
// `warnings` with its record and column: one record never fails the whole export.
class SheetOut {
 public:
  SheetOut(BatchPipe<CellOp>* pipe, const Context& ctx, std::vector<std::string>* warnings)
      : pipe_(pipe), ctx_(ctx), warnings_(warnings) {}

  Status Begin(std::string_view sheet, std::vector<std::string> custom) {
    sheet_ = std::string(sheet);
    row_ = 0;
    names_ = ColumnsOf(sheet);
    known_ = int(names_.size());
    custom_ = std::move(custom);
    auto columns = std::make_unique<std::vector<xlsx::Column>>();
    for (const auto& name : names_) columns->push_back({name, KindOf(name)});
    for (const auto& name : custom_) {
      names_.push_back(name);
      columns->push_back({Fitted(name, int(names_.size()) - 1), xlsx::ColumnKind::kText});
    }
    Put({CellOp::Kind::kSheet, 0, 0, 0, sheet_, std::move(columns)});
    return status_;
  }
  void NextRow() {
    ++row_;
    col_ = 0;
  }
  void Text(const std::string& t) {
    if (col_ == 0) id_ = t;
    if (!t.empty()) Put({CellOp::Kind::kText, col_, row_, 0, Fitted(t, col_), {}});
    ++col_;
  }
  void Time(Timestamp t) {
    Put({CellOp::Kind::kTime, col_++, row_, workbook::ToSerial(t, ctx_.zone), {}, {}});
  }
  void OptTime(const std::optional<Timestamp>& t) {
    if (t) Put({CellOp::Kind::kTime, col_, row_, workbook::ToSerial(*t, ctx_.zone), {}, {}});
    ++col_;
  }
  void Number(double v) { Put({CellOp::Kind::kNumber, col_++, row_, v, {}, {}}); }
  void OptNumber(const std::optional<double>& v) {
    if (v) Put({CellOp::Kind::kNumber, col_, row_, *v, {}, {}});
    ++col_;
  }
  void Custom(const CustomFields& f) {
    if (f.empty()) return;
    for (size_t c = 0; c < custom_.size(); ++c) {
      auto it = f.find(custom_[c]);
      const int col = known_ + int(c);
      if (it != f.end() && !it->second.empty())
        Put({CellOp::Kind::kText, col, row_, 0, Fitted(it->second, col), {}});
    }
  }
  int64_t rows() const { return row_; }
  // The first failure to hand a write over (the writing side stopped).
  const Status& status() const { return status_; }

 private:
  void Put(CellOp op) {
    if (status_.ok()) status_ = pipe_->Push(std::move(op));
  }
  // `t` as it can be written in column `col`: cut to a cell's limit, with a warning.
  std::string Fitted(const std::string& t, int col) {
    if (FitsInCell(t)) return t;
    // Ids and column names are checked on input like any text, so they fit in a message.
    const std::string where = row_ == 0
                                  ? "the header of custom column " + std::to_string(col + 1)
                                  : "record " + id_ + ", column '" + names_[size_t(col)] + "'";
    warnings_->push_back("sheet '" + sheet_ + "', " + where + ": the text " + CellLengthProblem(t) +
                         "; written cut to that length");
    return std::string(CutToCell(t));
  }

  BatchPipe<CellOp>* pipe_;
  const Context& ctx_;
  std::vector<std::string>* warnings_;
  std::string sheet_;
  std::vector<std::string> names_;  // every column's header
  int known_ = 0;
  std::vector<std::string> custom_;
  int64_t row_ = 0;
  int col_ = 0;
  std::string id_;  // the current row's record id (its first column)
  Status status_;
};

// Reads every table in one transaction, describing each sheet into `out`.
Status ReadInto(const Context& ctx, SheetOut& out, ExportSummary* sum) {
  return ctx.store->Read([&](Tx& tx) -> Status {
    using namespace workbook;
    // People columns show a linked user's full name (docs/workbook.md), read once.
    CX_ASSIGN_OR_RETURN(const People people, LoadPeople(tx));
    CX_ASSIGN_OR_RETURN(auto custom, tx.CustomFieldNames(Entity::kAccount));
    CX_RETURN_IF_ERROR(out.Begin(kAccounts, custom));
    CX_RETURN_IF_ERROR(tx.ForEachAccount([&](const Account& a) -> Status {
      if (!a.merged_into.empty()) return Status::Ok();
      out.NextRow();
      for (const auto* v : {&a.id, &a.name, &a.industry, &a.erp_customer_id}) out.Text(*v);
      out.Text(people.Name(a.owner));
      for (const auto* v :
           {&a.divisions, &a.type, &a.address, &a.city, &a.phone, &a.email, &a.status}) {
        out.Text(*v);
      }
      out.Custom(a.custom);
      return out.status();
    }));
    sum->rows.emplace_back(kAccounts, out.rows());

    // The sparse columns kept apart from their records: a contact's newsletter date, an
    // opportunity's source touchpoint (few records have one).
    std::unordered_map<std::string, std::string> newsletter, source;
    {
      CX_ASSIGN_OR_RETURN(auto dates, tx.NewsletterDates());
      for (auto& [k, v] : dates) newsletter.emplace(std::move(k), std::move(v));
      CX_ASSIGN_OR_RETURN(auto sources, tx.OpportunitySources());
      for (auto& [k, v] : sources) source.emplace(std::move(k), std::move(v));
    }
    auto sparse = [](const std::unordered_map<std::string, std::string>& m, const std::string& id) {
      auto it = m.find(id);
      return it == m.end() ? std::string() : it->second;
    };
    CX_ASSIGN_OR_RETURN(custom, tx.CustomFieldNames(Entity::kContact));
    CX_RETURN_IF_ERROR(out.Begin(kContacts, custom));
    CX_RETURN_IF_ERROR(tx.ForEachContact([&](const Contact& c) -> Status {
      if (!c.merged_into.empty()) return Status::Ok();
      out.NextRow();
      for (const auto* v : {&c.id, &c.full_name, &c.job_title, &c.account_id, &c.email, &c.phone})
        out.Text(*v);
      // The newsletter date as a date cell (midnight of that day in the hub's zone).
      std::optional<Timestamp> subscribed;
      if (!newsletter.empty()) {
        if (auto d = ParseDate(sparse(newsletter, c.id)); d.ok())
          subscribed = ctx.zone.ToUtc(*d, 0);
      }
      out.OptTime(subscribed);
      out.Custom(c.custom);
      return out.status();
    }));
    sum->rows.emplace_back(kContacts, out.rows());

    CX_ASSIGN_OR_RETURN(custom, tx.CustomFieldNames(Entity::kInteraction));
    CX_RETURN_IF_ERROR(out.Begin(kInteractions, custom));
    CX_RETURN_IF_ERROR(tx.ForEachInteraction([&](const Interaction& i) -> Status {
      out.NextRow();
      out.Text(i.id);
      out.Time(i.at);
      out.Text(i.contact_id);
      out.Text(i.channel);
      out.Text(i.notes);
      out.Text(i.next_action);
      out.Text(people.Name(i.logged_by));
      out.OptTime(i.next_action_due);
      out.Text(people.Name(i.next_action_owner));
      out.Text(i.next_action_done ? "yes" : "");
      out.Text(i.division);
      out.Text(i.type);
      out.Text(i.opportunity_id);
      out.Text(i.case_id);
      out.Text(i.checklist == "{}" ? "" : i.checklist);
      out.Custom(i.custom);
      return out.status();
    }));
    sum->rows.emplace_back(kInteractions, out.rows());

    CX_ASSIGN_OR_RETURN(custom, tx.CustomFieldNames(Entity::kOpportunity));
    CX_RETURN_IF_ERROR(out.Begin(kOpportunities, custom));
    CX_RETURN_IF_ERROR(tx.ForEachOpportunity([&](const Opportunity& o) -> Status {
      out.NextRow();
      out.Text(o.id);
      out.Text(o.account_id);
      out.Text(o.division);
      out.Text(people.Name(o.owner));
      out.Text(o.stage);
      out.OptNumber(o.amount);
      out.Time(o.created);
      out.OptTime(o.closed);
      out.Text(o.outcome);
      out.Text(o.lost_reason);
      out.Text(source.empty() ? std::string() : sparse(source, o.id));
      out.Text(o.title);
      out.Custom(o.custom);
      return out.status();
    }));
    sum->rows.emplace_back(kOpportunities, out.rows());

    CX_RETURN_IF_ERROR(out.Begin(kStageHistory, {}));
    CX_RETURN_IF_ERROR(tx.ForEachStage([&](const StageEntry& e) -> Status {
      out.NextRow();
      out.Text(e.opportunity_id);
      out.Text(e.stage);
      out.Time(e.entered);
      out.Text(people.Name(e.by));
      return out.status();
    }));
    sum->rows.emplace_back(kStageHistory, out.rows());

    CX_ASSIGN_OR_RETURN(custom, tx.CustomFieldNames(Entity::kCase));
    CX_RETURN_IF_ERROR(out.Begin(kCases, custom));
    CX_RETURN_IF_ERROR(tx.ForEachCase([&](const Case& c) -> Status {
      out.NextRow();
      out.Text(c.id);
      out.Text(c.account_id);
      out.Text(c.contact_id);
      out.Text(c.division);
      out.Text(c.kind);
      out.Time(c.opened);
      out.OptTime(c.first_response);
      out.OptTime(c.resolution_confirmed);
      out.OptTime(c.closed);
      out.Text(people.Name(c.owner));
      out.Text(c.summary);
      out.OptTime(c.quote_approved);
      out.OptTime(c.work_started);
      out.Custom(c.custom);
      return out.status();
    }));
    sum->rows.emplace_back(kCases, out.rows());

    CX_RETURN_IF_ERROR(out.Begin(kOrders, {}));
    CX_RETURN_IF_ERROR(tx.ForEachOrder([&](const Order& o) -> Status {
      out.NextRow();
      out.Text(o.id);
      out.Text(o.erp_customer_id);
      out.Time(o.date);
      out.Text(o.division);
      out.Number(o.amount);
      out.Text(o.currency);
      return out.status();
    }));
    sum->rows.emplace_back(kOrders, out.rows());

    CX_RETURN_IF_ERROR(out.Begin(kFeedback, {}));
    CX_RETURN_IF_ERROR(tx.ForEachFeedback([&](const Feedback& f) -> Status {
      out.NextRow();
      out.Text(f.id);
      out.Time(f.date);
      out.Text(f.account_id);
      out.Text(f.contact_id);
      out.Text(f.division);
      out.Text(f.kind);
      out.Number(f.score);
      out.Text(f.stage);
      out.Text(f.platform);
      out.Text(f.comment);
      out.Text(f.touchpoint);
      out.Text(f.source);
      return out.status();
    }));
    sum->rows.emplace_back(kFeedback, out.rows());

    CX_RETURN_IF_ERROR(out.Begin(kTouchpoints, {}));
    CX_ASSIGN_OR_RETURN(auto touchpoints, tx.ListTouchpoints(""));
    for (const auto& t : touchpoints) {
      out.NextRow();
      for (const auto* v : {&t.id, &t.name, &t.division, &t.stage, &t.channel}) out.Text(*v);
      out.Text(people.Name(t.owner));
      out.Number(t.yearly_budget);
      CX_RETURN_IF_ERROR(out.status());
    }
    sum->rows.emplace_back(kTouchpoints, out.rows());
    return Status::Ok();
  });
}

}  // namespace

Result<ExportSummary> ExportWorkbook(const Context& ctx, const std::string& path) {
  CX_ASSIGN_OR_RETURN(auto w, xlsx::Writer::Create(path));
  ExportSummary sum;
  // The database is read on a second thread while this one writes (and compresses) the
  // cells: the export then takes about as long as writing the workbook alone.
  auto read = [&](BatchPipe<CellOp>& pipe) {
    SheetOut out(&pipe, ctx, &sum.warnings);
    return ReadInto(ctx, out, &sum);
  };
  Status st = Pipelined<CellOp>(
      read, [&](CellOp& op) { return Apply(w.get(), op); }, 1024);
  Status closed = w->Close();
  if (!st.ok()) {
    std::remove(path.c_str());
    return st;
  }
  if (!closed.ok()) {
    std::remove(path.c_str());
    return closed;
  }
  return sum;
}

}  // namespace cx
