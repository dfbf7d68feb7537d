// SQLite Tx for the workbook: streaming every record for export, feedback edits, existence checks.
#include <set>

#include "store/sqlite/sqlite_tx.h"
#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {
namespace {

using sqlite::Stmt;

// Steps `s` to the end calling `row` for each row; resets the statement.
template <typename F>
Status Stream(Stmt* s, F row) {
  Status result;
  while (s->Step()) {
    result = row(*s);
    if (!result.ok()) break;
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

Result<CustomFields> Custom(const Stmt& s, int col) {
  auto r = CustomFieldsFromJson(s.Text(col));
  if (!r.ok()) return Internal("stored custom fields are corrupt: " + r.status().message());
  return r;
}

}  // namespace

Status SqliteTx::ForEachAccount(const std::function<Status(const Account&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, name, industry, erp_customer_id, owner, divisions, type, address, "
                   "city, phone, email, status, custom, merged_into, created_at, updated_at "
                   "FROM accounts ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    Account a;
    a.id = r.Text(0);
    a.name = r.Text(1);
    a.industry = r.Text(2);
    a.erp_customer_id = r.Text(3);
    a.owner = r.Text(4);
    a.divisions = r.Text(5);
    a.type = r.Text(6);
    a.address = r.Text(7);
    a.city = r.Text(8);
    a.phone = r.Text(9);
    a.email = r.Text(10);
    a.status = r.Text(11);
    CX_ASSIGN_OR_RETURN(a.custom, Custom(r, 12));
    a.merged_into = r.Text(13);
    a.created_at = r.Int(14);
    a.updated_at = r.Int(15);
    return fn(a);
  });
}

Status SqliteTx::ForEachContact(const std::function<Status(const Contact&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT id, full_name, job_title, account_id, email, phone, custom, merged_into, "
          "created_at, updated_at FROM contacts ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    Contact c;
    c.id = r.Text(0);
    c.full_name = r.Text(1);
    c.job_title = r.Text(2);
    c.account_id = r.Text(3);
    c.email = r.Text(4);
    c.phone = r.Text(5);
    CX_ASSIGN_OR_RETURN(c.custom, Custom(r, 6));
    c.merged_into = r.Text(7);
    c.created_at = r.Int(8);
    c.updated_at = r.Int(9);
    return fn(c);
  });
}

Status SqliteTx::ForEachInteraction(const std::function<Status(const Interaction&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT id, at, contact_id, channel, notes, next_action, next_action_due, "
          "next_action_owner, next_action_done, logged_by, division, type, opportunity_id, "
          "case_id, checklist, custom, created_at FROM interactions ORDER BY id /* workbook */"));
  Interaction i;
  return Stream(s, [&](const Stmt& r) -> Status {
    i.id = r.Text(0);
    i.at = r.Int(1);
    i.contact_id = r.Text(2);
    i.channel = r.Text(3);
    i.notes = r.Text(4);
    i.next_action = r.Text(5);
    i.next_action_due = r.OptInt(6);
    i.next_action_owner = r.Text(7);
    i.next_action_done = r.Int(8) != 0;
    i.logged_by = r.Text(9);
    i.division = r.Text(10);
    i.type = r.Text(11);
    i.opportunity_id = r.Text(12);
    i.case_id = r.Text(13);
    i.checklist = r.Text(14);
    std::string custom = r.Text(15);
    if (custom == "{}") {
      i.custom.clear();
    } else {
      CX_ASSIGN_OR_RETURN(i.custom, Custom(r, 15));
    }
    i.created_at = r.Int(16);
    return fn(i);
  });
}

Status SqliteTx::ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "SELECT id, account_id, division, owner, amount, stage, created, closed, outcome, "
          "lost_reason, title, custom FROM opportunities ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    Opportunity o;
    o.id = r.Text(0);
    o.account_id = r.Text(1);
    o.division = r.Text(2);
    o.owner = r.Text(3);
    o.amount = r.OptReal(4);
    o.stage = r.Text(5);
    o.created = r.Int(6);
    o.closed = r.OptInt(7);
    o.outcome = r.Text(8);
    o.lost_reason = r.Text(9);
    o.title = r.Text(10);
    CX_ASSIGN_OR_RETURN(o.custom, Custom(r, 11));
    return fn(o);
  });
}

Status SqliteTx::ForEachStage(const std::function<Status(const StageEntry&)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT opportunity_id, stage, entered, by FROM stage_history "
                                   "ORDER BY opportunity_id, entered, seq /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    return fn(StageEntry{r.Text(0), r.Text(1), r.Int(2), r.Text(3)});
  });
}

Status SqliteTx::ForEachCase(const std::function<Status(const Case&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT id, account_id, contact_id, division, kind, summary, opened, "
                             "first_response, resolution_confirmed, closed, owner, quote_approved, "
                             "work_started, custom FROM cases ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    Case c;
    c.id = r.Text(0);
    c.account_id = r.Text(1);
    c.contact_id = r.Text(2);
    c.division = r.Text(3);
    c.kind = r.Text(4);
    c.summary = r.Text(5);
    c.opened = r.Int(6);
    c.first_response = r.OptInt(7);
    c.resolution_confirmed = r.OptInt(8);
    c.closed = r.OptInt(9);
    c.owner = r.Text(10);
    c.quote_approved = r.OptInt(11);
    c.work_started = r.OptInt(12);
    CX_ASSIGN_OR_RETURN(c.custom, Custom(r, 13));
    return fn(c);
  });
}

Status SqliteTx::ForEachOrder(const std::function<Status(const Order&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, erp_customer_id, date, division, amount, currency, last_modified "
                   "FROM orders ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status {
    return fn(Order{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Real(4), r.Text(5), r.Int(6)});
  });
}

Status SqliteTx::ForEachFeedback(const std::function<Status(const Feedback&)>& fn) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + sqlite::kFeedbackCols +
                                             " FROM feedback ORDER BY id /* workbook */"));
  return Stream(s, [&](const Stmt& r) -> Status { return fn(sqlite::ReadFeedbackRow(r)); });
}

Result<std::optional<Feedback>> SqliteTx::GetFeedback(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + sqlite::kFeedbackCols +
                                             " FROM feedback WHERE id = ?"));
  s->Bind(1, id);
  std::optional<Feedback> out;
  CX_RETURN_IF_ERROR(Stream(s, [&](const Stmt& r) -> Status {
    out = sqlite::ReadFeedbackRow(r);
    return Status::Ok();
  }));
  return out;
}

Status SqliteTx::UpdateFeedback(const Feedback& f) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "UPDATE feedback SET date=?2, account_id=?3, contact_id=?4, division=?5, kind=?6, "
          "score=?7, stage=?8, platform=?9, comment=?10, touchpoint=?11, source=?12 "
          "WHERE id=?1"));
  s->Bind(1, f.id).Bind(2, f.date).BindOrNull(3, f.account_id).BindOrNull(4, f.contact_id);
  s->Bind(5, f.division).Bind(6, f.kind).Bind(7, f.score).Bind(8, f.stage).Bind(9, f.platform);
  s->Bind(10, f.comment).Bind(11, f.touchpoint).Bind(12, f.source);
  Status st = s->Run();
  s->Reset();
  if (st.code() == Code::kConflict)
    return Conflict("feedback " + f.id + " cannot be stored: " + st.message());
  CX_RETURN_IF_ERROR(st);
  if (db_->Changes() == 0) return NotFound("feedback " + f.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteTx::CustomFieldNames(Entity e) {
  if (e == Entity::kOrder || e == Entity::kFeedback)
    return Invalid(std::string("no custom fields on ") + EntityPlural(e));
  // The table name comes from the fixed list of EntityPlural (domain/entity.h), never from input.
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT DISTINCT j.key FROM ") +
                                             EntityPlural(e) + " t, json_each(t.custom) j " +
                                             "WHERE t.custom <> '{}' ORDER BY j.key"));
  std::vector<std::string> out;
  CX_RETURN_IF_ERROR(Stream(s, [&](const Stmt& r) -> Status {
    out.push_back(r.Text(0));
    return Status::Ok();
  }));
  return out;
}

Result<bool> SqliteTx::IsEmpty(Entity e) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("SELECT 1 FROM ") + EntityPlural(e) + " LIMIT 1"));
  bool found = s->Step();
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return !found;
}

Result<bool> SqliteTx::Exists(Entity e, const std::string& id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT 1 FROM ") + EntityPlural(e) + " WHERE id = ?"));
  s->Bind(1, id);
  bool found = s->Step();
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return found;
}

}  // namespace cx
