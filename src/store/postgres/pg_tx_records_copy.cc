// PostgreSQL Tx: the record writers of bulk loads (record_store.h's InsertAccounts,
// InsertInteractions, InsertOrders), through COPY … FROM STDIN (pg_copy.h). A COPY has no
// ON CONFLICT: a taken id fails it, the savepoint takes the call's rows out again, and the
// record at fault is then found with one look-up and named, the transaction going on as after
// a failed statement on SQLite (docs/postgresql.md, "Bulk loads").
#include <set>
#include <string>
#include <vector>

#include "store/postgres/pg_bulk_keys.h"
#include "store/postgres/pg_copy.h"
#include "store/postgres/pg_names_rows.h"
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

namespace {

// After a COPY into `table` failed on a taken key: the first row (in the call's order) whose
// `column` value is already stored or repeats an earlier row's; -1 when none (another
// constraint failed).
Result<int> FirstTaken(pg::Db& db, const std::string& table, const std::string& column,
                       const std::vector<std::string>& values) {
  std::vector<std::string_view> present;
  for (const auto& v : values)
    if (!v.empty()) present.push_back(v);
  // The table and column names come from the fixed lists below, never from input.
  CX_ASSIGN_OR_RETURN(pg::Rows r, db.Query("SELECT " + column + " FROM " + table + " WHERE " +
                                               column + " = ANY($1::text[])",
                                           pg::Params().Add(pgnames::TextArray(present))));
  std::set<std::string> taken;
  while (r.Next()) taken.insert(r.Text(0));
  std::set<std::string_view> seen;
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i].empty()) continue;
    if (taken.count(values[i]) || !seen.insert(values[i]).second) return int(i);
  }
  return -1;
}

void CopyAccount(pg::CopyRows* c, const KeyedAccount& k) {
  const Account& a = k.account;
  c->Text(a.id).Text(a.name).Text(a.industry).TextOrNull(a.erp_customer_id).Text(a.owner);
  c->Text(a.divisions).Text(a.type).Text(a.address).Text(a.city).Text(a.phone).Text(a.email);
  c->Text(a.status).Text(k.custom_json).TextOrNull(a.merged_into).Int(a.created_at);
  c->Int(a.updated_at).Text(k.name_key).Text(k.phone_key).Text(k.email_key);
  c->EndRow();
}

// The values of AddInteraction (pg_tx_rows.h), in the order of kInteractionCols.
void CopyInteraction(pg::CopyRows* c, const Interaction& i) {
  c->Text(i.id).Int(i.at).Text(i.contact_id).Text(i.channel).Text(i.notes).Text(i.next_action);
  c->Opt(std::optional<int64_t>(i.next_action_due)).Text(i.next_action_owner);
  c->Int(int64_t(i.next_action_done)).Text(i.logged_by).Text(i.division).Text(i.type);
  c->TextOrNull(i.opportunity_id).TextOrNull(i.case_id);
  c->Text(i.checklist.empty() ? std::string_view("{}") : std::string_view(i.checklist));
  c->Text(CustomFieldsToJson(i.custom)).Int(i.created_at);
  c->EndRow();
}

void CopyOrder(pg::CopyRows* c, const Order& o) {
  c->Text(o.id).Text(o.erp_customer_id).Int(o.date).Text(o.division).Real(o.amount);
  c->Text(o.currency).Int(o.last_modified);
  c->EndRow();
}

}  // namespace

Status PgTx::InsertAccounts(const std::vector<const KeyedAccount*>& rows) {
  // A first ERP sync's accounts go in without their keys, built at the commit.
  if (!rows.empty()) CX_RETURN_IF_ERROR(pgbulk::BeforeAccountsCopy(*this).status());
  pgcopy::CopyOutcome out = pgcopy::CopyAllOrNone(
      *db_, std::string("COPY accounts (") + kAccountWriteCols + ") FROM STDIN", rows.size(),
      [&](size_t i, pg::CopyRows* c) { CopyAccount(c, *rows[i]); });
  if (out.sqlstate == "23505") {
    std::vector<std::string> ids, erp_ids;
    for (const KeyedAccount* k : rows) {
      ids.push_back(k->account.id);
      erp_ids.push_back(k->account.erp_customer_id);
    }
    CX_ASSIGN_OR_RETURN(int by_id, FirstTaken(*db_, "accounts", "id", ids));
    CX_ASSIGN_OR_RETURN(int by_erp, FirstTaken(*db_, "accounts", "erp_customer_id", erp_ids));
    const int bad = by_id < 0 ? by_erp : (by_erp < 0 ? by_id : std::min(by_id, by_erp));
    if (bad >= 0) {
      const Account& a = rows[size_t(bad)]->account;
      return Conflict(
          "account " + a.id + " cannot be stored: its id" +
          (a.erp_customer_id.empty() ? std::string() : " or ERP Customer ID " + a.erp_customer_id) +
          " is taken");
    }
  }
  CX_RETURN_IF_ERROR(out.status);
  for (const KeyedAccount* k : rows) {
    if (k->account.merged_into.empty())
      CX_RETURN_IF_ERROR(IndexName(NameKind::kAccount, k->account.id, k->words));
  }
  return Status::Ok();
}

Status PgTx::InsertInteractions(const std::vector<Interaction>& rows) {
  pgcopy::CopyOutcome out = pgcopy::CopyAllOrNone(
      *db_, std::string("COPY interactions (") + kInteractionCols + ") FROM STDIN", rows.size(),
      [&](size_t i, pg::CopyRows* c) { CopyInteraction(c, rows[i]); });
  if (out.sqlstate == "23505") {
    std::vector<std::string> ids;
    for (const Interaction& i : rows) ids.push_back(i.id);
    CX_ASSIGN_OR_RETURN(int bad, FirstTaken(*db_, "interactions", "id", ids));
    if (bad >= 0)
      return Conflict("interaction " + ids[size_t(bad)] + " cannot be stored: its id is taken");
  }
  return out.status;
}

Status PgTx::InsertOrders(const std::vector<const Order*>& rows) {
  pgcopy::CopyOutcome out = pgcopy::CopyAllOrNone(
      *db_, std::string("COPY orders (") + kOrderCols + ") FROM STDIN", rows.size(),
      [&](size_t i, pg::CopyRows* c) { CopyOrder(c, *rows[i]); });
  if (out.sqlstate == "23505") {
    std::vector<std::string> ids;
    for (const Order* o : rows) ids.push_back(o->id);
    CX_ASSIGN_OR_RETURN(int bad, FirstTaken(*db_, "orders", "id", ids));
    if (bad >= 0) return Conflict("order " + ids[size_t(bad)] + " exists already");
  }
  return out.status;
}

}  // namespace cx
