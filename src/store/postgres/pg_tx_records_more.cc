// PostgreSQL Tx: opportunities and their stage history, cases, orders, feedback, users, and
// the questions asked of any kind of record (record_store.h).
#include <algorithm>

#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

// ---- opportunities ----

Result<std::optional<Opportunity>> PgTx::GetOpportunity(const std::string& id) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query(std::string("SELECT ") + kOpportunityCols +
                                                 " FROM opportunities WHERE id = $1",
                                             pg::Params().Add(id)));
  return First(Collect<Opportunity>(r, ReadOpportunity));
}

Status PgTx::InsertOpportunity(const Opportunity& o) {
  CX_ASSIGN_OR_RETURN(
      int64_t n, db_->Exec(std::string("INSERT INTO opportunities (") + kOpportunityCols + ")" +
                               ValuesSql(12, 1) + " ON CONFLICT DO NOTHING",
                           OpportunityParams(o)));
  if (n == 0) return Conflict("opportunity " + o.id + " cannot be stored: its id is taken");
  return Status::Ok();
}

Status PgTx::UpdateOpportunity(const Opportunity& o) {
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec("UPDATE opportunities SET account_id=$2, division=$3, owner=$4, amount=$5, "
                "stage=$6, created=$7, closed=$8, outcome=$9, lost_reason=$10, title=$11, "
                "custom=$12 WHERE id=$1",
                OpportunityParams(o)));
  if (n == 0) return NotFound("opportunity " + o.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Opportunity>> PgTx::ListOpportunities(const OpportunityFilter& f) {
  Where w;
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  if (!f.division.empty()) w.Add("division = ?", f.division);
  if (!f.owner.empty()) w.Add("owner = ?", f.owner);
  if (!f.outcome.empty()) w.Add("outcome = ?", f.outcome);
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kOpportunityCols + " FROM opportunities" +
                                     w.Sql() + " ORDER BY id" + Limit(f.limit, f.offset),
                                 w.params()));
  return Collect<Opportunity>(r, ReadOpportunity);
}

Status PgTx::AddStage(const StageEntry& e) {
  return db_
      ->Exec(
          "INSERT INTO stage_history (opportunity_id, stage, entered, \"by\") VALUES "
          "($1, $2, $3, $4)",
          pg::Params().Add(e.opportunity_id).Add(e.stage).Add(e.entered).Add(e.by))
      .status();
}

Result<std::vector<StageEntry>> PgTx::StageHistory(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query("SELECT opportunity_id, stage, entered, \"by\" FROM stage_history "
                                 "WHERE opportunity_id = $1 ORDER BY entered, seq",
                                 pg::Params().Add(opportunity_id)));
  return Collect<StageEntry>(r, [](const pg::Rows& s, Status*) {
    return StageEntry{s.Text(0), s.Text(1), s.Int(2), s.Text(3)};
  });
}

// ---- cases ----

Result<std::optional<Case>> PgTx::GetCase(const std::string& id) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kCaseCols + " FROM cases WHERE id = $1",
                                 pg::Params().Add(id)));
  return First(Collect<Case>(r, ReadCase));
}

Status PgTx::InsertCase(const Case& c) {
  CX_ASSIGN_OR_RETURN(int64_t n, db_->Exec(std::string("INSERT INTO cases (") + kCaseCols + ")" +
                                               ValuesSql(14, 1) + " ON CONFLICT DO NOTHING",
                                           CaseParams(c)));
  if (n == 0) return Conflict("case " + c.id + " cannot be stored: its id is taken");
  return Status::Ok();
}

Status PgTx::UpdateCase(const Case& c) {
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec("UPDATE cases SET account_id=$2, contact_id=$3, division=$4, kind=$5, "
                "summary=$6, opened=$7, first_response=$8, resolution_confirmed=$9, closed=$10, "
                "owner=$11, quote_approved=$12, work_started=$13, custom=$14 WHERE id=$1",
                CaseParams(c)));
  if (n == 0) return NotFound("case " + c.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Case>> PgTx::ListCases(const CaseFilter& f) {
  Where w;
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  if (!f.division.empty()) w.Add("division = ?", f.division);
  if (!f.kind.empty()) w.Add("kind = ?", f.kind);
  if (f.open_only) w.AddRaw("closed IS NULL");
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kCaseCols + " FROM cases" + w.Sql() +
                                     " ORDER BY id" + Limit(f.limit, f.offset),
                                 w.params()));
  return Collect<Case>(r, ReadCase);
}

// ---- orders ----

Result<std::optional<Order>> PgTx::GetOrder(const std::string& id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kOrderCols + " FROM orders WHERE id = $1",
                                 pg::Params().Add(id)));
  return First(Collect<Order>(r, ReadOrder));
}

namespace {
void AddOrder(pg::Params* p, const Order& o) {
  p->Add(o.id).Add(o.erp_customer_id).Add(o.date).Add(o.division).Add(o.amount).Add(o.currency);
  p->Add(o.last_modified);
}
}  // namespace

Status PgTx::UpsertOrder(const Order& o) {
  pg::Params p;
  AddOrder(&p, o);
  return db_
      ->Exec(std::string("INSERT INTO orders (") + kOrderCols + ")" + ValuesSql(7, 1) +
                 " ON CONFLICT (id) DO UPDATE SET erp_customer_id = excluded.erp_customer_id, "
                 "date = excluded.date, division = excluded.division, amount = excluded.amount, "
                 "currency = excluded.currency, last_modified = excluded.last_modified",
             p)
      .status();
}

// InsertOrders: pg_tx_records_copy.cc (COPY).

// ---- feedback ----

Status PgTx::InsertFeedback(const Feedback& f) {
  CX_ASSIGN_OR_RETURN(int64_t n, db_->Exec(std::string("INSERT INTO feedback (") + kFeedbackCols +
                                               ")" + ValuesSql(12, 1) + " ON CONFLICT DO NOTHING",
                                           FeedbackParams(f)));
  if (n == 0) return Conflict("feedback " + f.id + " cannot be stored: its id is taken");
  return Status::Ok();
}

Result<std::optional<Feedback>> PgTx::GetFeedback(const std::string& id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query(std::string("SELECT ") + kFeedbackCols +
                                                 " FROM feedback WHERE id = $1",
                                             pg::Params().Add(id)));
  return First(Collect<Feedback>(r, ReadFeedback));
}

Status PgTx::UpdateFeedback(const Feedback& f) {
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec("UPDATE feedback SET date=$2, account_id=$3, contact_id=$4, division=$5, kind=$6, "
                "score=$7, stage=$8, platform=$9, comment=$10, touchpoint=$11, source=$12 "
                "WHERE id=$1",
                FeedbackParams(f)));
  if (n == 0) return NotFound("feedback " + f.id + " does not exist");
  return Status::Ok();
}

// ---- users ----

Result<std::optional<User>> PgTx::GetUser(const std::string& login) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kUserCols + " FROM users WHERE login = $1",
                             pg::Params().Add(login)));
  return First(Collect<User>(r, ReadUser));
}

Status PgTx::UpsertUser(const User& u) {
  return db_
      ->Exec(std::string("INSERT INTO users (") + kUserCols + ")" + ValuesSql(7, 1) +
                 " ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role, "
                 "division = excluded.division, password_hash = excluded.password_hash, "
                 "away = excluded.away",
             pg::Params()
                 .Add(u.login)
                 .Add(u.name)
                 .Add(u.role)
                 .Add(u.division)
                 .Add(u.password_hash)
                 .Add(int64_t(u.away))
                 .Add(u.created_at))
      .status();
}

Result<std::vector<User>> PgTx::ListUsers() {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY login"));
  return Collect<User>(r, ReadUser);
}

// ---- any kind ----

Result<bool> PgTx::Exists(Entity e, const std::string& id) {
  // The table name comes from the fixed list of EntityPlural, never from input.
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT 1 FROM ") + EntityPlural(e) + " WHERE id = $1",
                                 pg::Params().Add(id)));
  return !r.empty();
}

Result<bool> PgTx::IsEmpty(Entity e) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT 1 FROM ") + EntityPlural(e) + " LIMIT 1"));
  return r.empty();
}

Result<std::vector<std::string>> PgTx::CustomFieldNames(Entity e) {
  if (e == Entity::kOrder || e == Entity::kFeedback)
    return Invalid(std::string("no custom fields on ") + EntityPlural(e));
  // Byte order (COLLATE "C"), as SQLite sorts the keys.
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db_->Query(std::string("SELECT DISTINCT k COLLATE \"C\" AS k FROM ") + EntityPlural(e) +
                 " t, jsonb_object_keys(t.custom::jsonb) k WHERE t.custom <> '{}' ORDER BY 1"));
  std::vector<std::string> out;
  while (r.Next()) out.push_back(r.Text(0));
  return out;
}

}  // namespace cx
