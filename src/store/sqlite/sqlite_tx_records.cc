// SQLite Tx: opportunities and their stage history, cases, orders, feedback, users.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>

#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt and the row helpers of sqlite_tx_rows.h

// ---- opportunities ----

Result<std::optional<Opportunity>> SqliteTx::GetOpportunity(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kOpportunityCols +
                                             " FROM opportunities WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Opportunity>(s, ReadOpportunity));
}

Status SqliteTx::InsertOpportunity(const Opportunity& o) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("INSERT INTO opportunities (") + kOpportunityCols +
                                   ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"));
  BindOpportunity(s, o);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("opportunity " + o.id + " cannot be stored: " + st.message());
  return st;
}

Status SqliteTx::UpdateOpportunity(const Opportunity& o) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("UPDATE opportunities SET account_id=?2, division=?3, owner=?4, amount=?5, "
                   "stage=?6, created=?7, closed=?8, outcome=?9, lost_reason=?10, title=?11, "
                   "custom=?12 WHERE id=?1"));
  BindOpportunity(s, o);
  CX_RETURN_IF_ERROR(RunAndReset(s));
  if (db_->Changes() == 0) return NotFound("opportunity " + o.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Opportunity>> SqliteTx::ListOpportunities(const OpportunityFilter& f) {
  Where w;
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  if (!f.division.empty()) w.Add("division = ?", f.division);
  if (!f.owner.empty()) w.Add("owner = ?", f.owner);
  if (!f.outcome.empty()) w.Add("outcome = ?", f.outcome);
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kOpportunityCols + " FROM opportunities" +
                             w.Sql() + " ORDER BY id" + Limit(f.limit, f.offset)));
  w.Bind(s);
  return Collect<Opportunity>(s, ReadOpportunity);
}

Status SqliteTx::AddStage(const StageEntry& e) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO stage_history (opportunity_id, stage, entered, by) VALUES (?,?,?,?)"));
  s->Bind(1, e.opportunity_id).Bind(2, e.stage).Bind(3, e.entered).Bind(4, e.by);
  return RunAndReset(s);
}

Result<std::vector<StageEntry>> SqliteTx::StageHistory(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare("SELECT opportunity_id, stage, entered, by FROM stage_history "
                                   "WHERE opportunity_id = ? ORDER BY entered, seq"));
  s->Bind(1, opportunity_id);
  return Collect<StageEntry>(s, [](const Stmt& r, Status*) {
    return StageEntry{r.Text(0), r.Text(1), r.Int(2), r.Text(3)};
  });
}

// ---- cases ----

Result<std::optional<Case>> SqliteTx::GetCase(const std::string& id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kCaseCols + " FROM cases WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Case>(s, ReadCase));
}

Status SqliteTx::InsertCase(const Case& c) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("INSERT INTO cases (") + kCaseCols +
                                   ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"));
  BindCase(s, c);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("case " + c.id + " cannot be stored: " + st.message());
  return st;
}

Status SqliteTx::UpdateCase(const Case& c) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "UPDATE cases SET account_id=?2, contact_id=?3, division=?4, kind=?5, summary=?6, "
          "opened=?7, first_response=?8, resolution_confirmed=?9, closed=?10, owner=?11, "
          "quote_approved=?12, work_started=?13, custom=?14 WHERE id=?1"));
  BindCase(s, c);
  CX_RETURN_IF_ERROR(RunAndReset(s));
  if (db_->Changes() == 0) return NotFound("case " + c.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Case>> SqliteTx::ListCases(const CaseFilter& f) {
  Where w;
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  if (!f.division.empty()) w.Add("division = ?", f.division);
  if (!f.kind.empty()) w.Add("kind = ?", f.kind);
  if (f.open_only) w.AddRaw("closed IS NULL");
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kCaseCols + " FROM cases" +
                                             w.Sql() + " ORDER BY id" + Limit(f.limit, f.offset)));
  w.Bind(s);
  return Collect<Case>(s, ReadCase);
}

// ---- orders and feedback ----

Result<std::optional<Order>> SqliteTx::GetOrder(const std::string& id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, erp_customer_id, date, division, amount, currency, last_modified "
                   "FROM orders WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Order>(s, [](const Stmt& r, Status*) {
    return Order{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Real(4), r.Text(5), r.Int(6)};
  }));
}

Status SqliteTx::UpsertOrder(const Order& o) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO orders (id, erp_customer_id, date, division, amount, currency, "
          "last_modified) VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(id) DO UPDATE SET "
          "erp_customer_id=excluded.erp_customer_id, date=excluded.date, "
          "division=excluded.division, amount=excluded.amount, currency=excluded.currency, "
          "last_modified=excluded.last_modified"));
  s->Bind(1, o.id).Bind(2, o.erp_customer_id).Bind(3, o.date).Bind(4, o.division).Bind(5, o.amount);
  s->Bind(6, o.currency).Bind(7, o.last_modified);
  return RunAndReset(s);
}

Status SqliteTx::InsertOrders(const std::vector<const Order*>& rows) {
  constexpr size_t kRows = 64;  // 7 values each
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(kRows, rows.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sqlite::MultiRowSql(
                                      "INSERT INTO orders (id, erp_customer_id, date, division, "
                                      "amount, currency, last_modified)",
                                      7, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const Order& o = *rows[at + r];
      const int c = int(r) * 7;
      s->BindStatic(c + 1, o.id).BindStatic(c + 2, o.erp_customer_id).Bind(c + 3, o.date);
      s->BindStatic(c + 4, o.division).Bind(c + 5, o.amount).BindStatic(c + 6, o.currency);
      s->Bind(c + 7, o.last_modified);
    }
    Status st = sqlite::RunAndRewind(s);
    if (st.code() == Code::kConflict) {
      // The statement wrote nothing: find the order at fault.
      for (size_t r = 0; r < n; ++r) {
        CX_ASSIGN_OR_RETURN(auto old, GetOrder(rows[at + r]->id));
        if (old) return Conflict("order " + rows[at + r]->id + " exists already");
      }
    }
    CX_RETURN_IF_ERROR(st);
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::InsertFeedback(const Feedback& f) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO feedback (id, date, account_id, contact_id, division, kind, score, "
                   "stage, platform, comment, touchpoint, source) "
                   "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"));
  s->Bind(1, f.id).Bind(2, f.date).BindOrNull(3, f.account_id).BindOrNull(4, f.contact_id);
  s->Bind(5, f.division).Bind(6, f.kind).Bind(7, f.score).Bind(8, f.stage).Bind(9, f.platform);
  s->Bind(10, f.comment).Bind(11, f.touchpoint).Bind(12, f.source);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("feedback " + f.id + " cannot be stored: " + st.message());
  return st;
}

// ---- users ----

Result<std::optional<User>> SqliteTx::GetUser(const std::string& login) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT login, name, role, division, password_hash, away, created_at FROM users "
                   "WHERE login = ?"));
  s->Bind(1, login);
  return First(Collect<User>(s, ReadUser));
}

Result<std::optional<User>> SqliteTx::UserOfApiToken(const std::string& hash) {
  // ApiTokenLogin, IsUserDisabled and GetUser in one statement.
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT u.login, u.name, u.role, u.division, u.password_hash, u.away, "
                             "u.created_at FROM api_tokens t JOIN users u ON u.login = t.login "
                             "WHERE t.hash = ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM api_disabled_users d WHERE d.login = t.login)"));
  s->Bind(1, hash);
  return First(Collect<User>(s, ReadUser));
}

Status SqliteTx::UpsertUser(const User& u) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO users (login, name, role, division, password_hash, away, created_at) "
          "VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(login) DO UPDATE SET name=excluded.name, "
          "role=excluded.role, division=excluded.division, "
          "password_hash=excluded.password_hash, away=excluded.away"));
  s->Bind(1, u.login).Bind(2, u.name).Bind(3, u.role).Bind(4, u.division).Bind(5, u.password_hash);
  s->Bind(6, int64_t(u.away)).Bind(7, u.created_at);
  return RunAndReset(s);
}

Result<std::vector<User>> SqliteTx::ListUsers() {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT login, name, role, division, password_hash, away, created_at FROM users "
                   "ORDER BY login"));
  return Collect<User>(s, ReadUser);
}

}  // namespace cx
