// SQLite Tx: ids, accounts, contacts, interactions.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <cstdio>

#include "base/text.h"

#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt and the row helpers of sqlite_tx_rows.h

Result<std::string> SqliteTx::NextId(const std::string& prefix) { return NextId(prefix, true); }

Result<std::string> SqliteTx::NextIdUnchecked(const std::string& prefix) {
  return NextId(prefix, false);
}

Result<std::string> SqliteTx::NextId(const std::string& prefix, bool check) {
  const char* table = TableOfPrefix(prefix);
  if (!table) return Internal("no id sequence for prefix '" + prefix + "'");
  // The counter is read once per transaction and written back by Finish; the statement that
  // checks an id is free is looked up once too (bulk loads number a million records).
  auto counter = counters_.find(prefix);
  if (counter == counters_.end()) {
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT next FROM id_counters WHERE prefix = ?1"));
    s->Bind(1, prefix);
    int64_t last = s->Step() ? s->Int(0) : 0;
    Status st = s->status();
    s->Reset();
    CX_RETURN_IF_ERROR(st);
    CX_ASSIGN_OR_RETURN(Stmt * probe,
                        db_->Prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?"));
    counter = counters_.emplace(prefix, IdCounter{last, probe}).first;
  }
  IdCounter& c = counter->second;
  for (int attempt = 0; attempt < 1000000; ++attempt) {
    const int64_t n = ++c.last;
    char buf[32];
    const int len =
        std::snprintf(buf, sizeof buf, "%s-%06lld", prefix.c_str(), static_cast<long long>(n));
    const std::string_view id(buf, size_t(std::clamp(len, 0, int(sizeof buf) - 1)));
    if (!check) return std::string(id);
    c.probe->BindStatic(1, id);
    bool taken = c.probe->Step();
    Status st = c.probe->status();
    c.probe->Reset();
    CX_RETURN_IF_ERROR(st);
    if (!taken) return std::string(id);
    // Taken (ids imported or generated in bulk): jump past the highest number in use.
    CX_ASSIGN_OR_RETURN(
        Stmt * m, db_->Prepare(std::string("SELECT MAX(CAST(substr(id, ?2) AS INTEGER)) FROM ") +
                               table + " WHERE id GLOB ?1"));
    m->Bind(1, prefix + "-[0-9]*").Bind(2, int64_t(prefix.size() + 2));
    int64_t max = m->Step() ? m->Int(0) : 0;
    st = m->status();
    m->Reset();
    CX_RETURN_IF_ERROR(st);
    c.last = std::max(c.last, max);
  }
  return Internal("no free id for prefix " + prefix);
}

// ---- accounts ----

Result<std::optional<Account>> SqliteTx::GetAccount(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kAccountCols +
                                             " FROM accounts WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Account>(s, ReadAccount));
}

Result<std::optional<Account>> SqliteTx::FindAccountByErpId(const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kAccountCols +
                                             " FROM accounts WHERE erp_customer_id = ?"));
  s->Bind(1, erp_id);
  return First(Collect<Account>(s, ReadAccount));
}

Status SqliteTx::InsertAccount(const Account& a) {
  const KeyedAccount k = KeyAccount(a);
  return InsertAccounts({&k});
}

Status SqliteTx::InsertAccounts(const std::vector<const KeyedAccount*>& rows) {
  constexpr size_t kRows = 32;
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(kRows, rows.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(sqlite::MultiRowSql(kAccountInsert, kAccountValues, int(n))));
    for (size_t r = 0; r < n; ++r) BindAccount(s, *rows[at + r], int(r) * kAccountValues);
    Status st = sqlite::RunAndRewind(s);
    if (st.code() == Code::kConflict) {
      if (n == 1) {
        return Conflict("account " + rows[at]->account.id + " cannot be stored: " + st.message());
      }
      // The statement wrote nothing: one row at a time names the account at fault.
      for (size_t r = 0; r < n; ++r) CX_RETURN_IF_ERROR(InsertAccounts({rows[at + r]}));
      return Internal("inserting " + std::to_string(n) + " accounts failed: " + st.message());
    }
    CX_RETURN_IF_ERROR(st);
    for (size_t r = 0; r < n; ++r) {
      const KeyedAccount& k = *rows[at + r];
      if (k.account.merged_into.empty())
        CX_RETURN_IF_ERROR(IndexName(NameKind::kAccount, k.account.id, k.words));
    }
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::UpdateAccount(const Account& a) {
  CX_ASSIGN_OR_RETURN(auto old, GetAccount(a.id));
  if (!old) return NotFound("account " + a.id + " does not exist");
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("UPDATE accounts SET name=?2, industry=?3, erp_customer_id=?4, owner=?5, "
                   "divisions=?6, type=?7, address=?8, city=?9, phone=?10, email=?11, status=?12, "
                   "custom=?13, merged_into=?14, created_at=?15, updated_at=?16, name_key=?17, "
                   "phone_key=?18, email_key=?19 WHERE id=?1"));
  const KeyedAccount k = KeyAccount(a);
  BindAccount(s, k);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("account " + a.id + " cannot be stored: " + st.message());
  CX_RETURN_IF_ERROR(st);
  bool was_live = old->merged_into.empty();
  bool is_live = a.merged_into.empty();
  if (was_live && (!is_live || old->name != a.name)) {
    CX_RETURN_IF_ERROR(UnindexName(NameKind::kAccount, a.id, CompanyWords(old->name)));
  }
  if (is_live && (!was_live || old->name != a.name)) {
    CX_RETURN_IF_ERROR(IndexName(NameKind::kAccount, a.id, k.words));
  }
  return Status::Ok();
}

Result<std::vector<Account>> SqliteTx::ListAccounts(const AccountFilter& f) {
  Where w = AccountWhere(f);
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kAccountCols + " FROM accounts" + w.Sql() +
                             " ORDER BY id" + Limit(f.limit, f.offset)));
  w.Bind(s);
  return Collect<Account>(s, ReadAccount);
}

Result<int64_t> SqliteTx::CountAccounts(const AccountFilter& f) {
  Where w = AccountWhere(f);
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("SELECT COUNT(*) FROM accounts" + w.Sql()));
  w.Bind(s);
  int64_t n = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return n;
}

// ---- contacts ----

Result<std::optional<Contact>> SqliteTx::GetContact(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kContactCols +
                                             " FROM contacts WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Contact>(s, ReadContact));
}

Status SqliteTx::InsertContact(const Contact& c) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("INSERT INTO contacts (id, full_name, job_title, account_id, email, phone, "
                   "custom, merged_into, created_at, updated_at, name_key, phone_key, email_key) "
                   "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"));
  BindContact(s, c);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("contact " + c.id + " cannot be stored: " + st.message());
  CX_RETURN_IF_ERROR(st);
  if (c.merged_into.empty()) return IndexName(NameKind::kContact, c.id, Words(c.full_name));
  return Status::Ok();
}

Status SqliteTx::UpdateContact(const Contact& c) {
  CX_ASSIGN_OR_RETURN(auto old, GetContact(c.id));
  if (!old) return NotFound("contact " + c.id + " does not exist");
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("UPDATE contacts SET full_name=?2, job_title=?3, account_id=?4, email=?5, "
                   "phone=?6, custom=?7, merged_into=?8, created_at=?9, updated_at=?10, "
                   "name_key=?11, phone_key=?12, email_key=?13 WHERE id=?1"));
  BindContact(s, c);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("contact " + c.id + " cannot be stored: " + st.message());
  CX_RETURN_IF_ERROR(st);
  bool was_live = old->merged_into.empty();
  bool is_live = c.merged_into.empty();
  if (was_live && (!is_live || old->full_name != c.full_name)) {
    CX_RETURN_IF_ERROR(UnindexName(NameKind::kContact, c.id, Words(old->full_name)));
  }
  if (is_live && (!was_live || old->full_name != c.full_name)) {
    CX_RETURN_IF_ERROR(IndexName(NameKind::kContact, c.id, Words(c.full_name)));
  }
  return Status::Ok();
}

Result<std::vector<Contact>> SqliteTx::ListContacts(const ContactFilter& f) {
  Where w;
  if (!f.include_merged) w.AddRaw("merged_into IS NULL");
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kContactCols + " FROM contacts" + w.Sql() +
                             " ORDER BY id" + Limit(f.limit, f.offset)));
  w.Bind(s);
  return Collect<Contact>(s, ReadContact);
}

// ---- interactions ----

Result<std::optional<Interaction>> SqliteTx::GetInteraction(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kInteractionCols +
                                             " FROM interactions WHERE id = ?"));
  s->Bind(1, id);
  return First(Collect<Interaction>(s, ReadInteraction));
}

Status SqliteTx::InsertInteraction(const Interaction& i) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(std::string("INSERT INTO interactions (") + kInteractionCols +
                   ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"));
  BindInteraction(s, i);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("interaction " + i.id + " cannot be stored: " + st.message());
  return st;
}

Status SqliteTx::InsertInteractions(const std::vector<Interaction>& rows) {
  constexpr size_t kRows = 32;  // 17 values each
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(kRows, rows.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * s,
        db_->Prepare(sqlite::MultiRowSql(
            std::string("INSERT INTO interactions (") + kInteractionCols + ")", 17, int(n))));
    for (size_t r = 0; r < n; ++r) BindInteraction(s, rows[at + r], int(r) * 17);
    Status st = sqlite::RunAndRewind(s);
    if (st.code() == Code::kConflict) {
      // The statement wrote nothing: one at a time, to name the interaction at fault.
      for (size_t r = 0; r < n; ++r) CX_RETURN_IF_ERROR(InsertInteraction(rows[at + r]));
    }
    CX_RETURN_IF_ERROR(st);
    at += n;
  }
  return Status::Ok();
}

Status SqliteTx::UpdateInteraction(const Interaction& i) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("UPDATE interactions SET at=?2, contact_id=?3, channel=?4, notes=?5, "
                   "next_action=?6, next_action_due=?7, next_action_owner=?8, next_action_done=?9, "
                   "logged_by=?10, division=?11, type=?12, opportunity_id=?13, case_id=?14, "
                   "checklist=?15, custom=?16, created_at=?17 WHERE id=?1"));
  BindInteraction(s, i);
  Status st = RunAndReset(s);
  if (st.code() == Code::kConflict)
    return Conflict("interaction " + i.id + " cannot be stored: " + st.message());
  CX_RETURN_IF_ERROR(st);
  if (db_->Changes() == 0) return NotFound("interaction " + i.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Interaction>> SqliteTx::ListInteractions(const InteractionFilter& f) {
  Where w;
  if (!f.contact_id.empty()) w.Add("contact_id = ?", f.contact_id);
  if (!f.account_id.empty())
    w.Add("contact_id IN (SELECT id FROM contacts WHERE account_id = ?)", f.account_id);
  if (!f.opportunity_id.empty()) w.Add("opportunity_id = ?", f.opportunity_id);
  if (!f.case_id.empty()) w.Add("case_id = ?", f.case_id);
  if (!f.logged_by.empty()) w.Add("logged_by = ?", f.logged_by);
  if (!f.division.empty()) w.Add("division = ?", f.division);
  if (f.from) w.AddInt("at >= ?", *f.from);
  if (f.to) w.AddInt("at < ?", *f.to);
  if (f.open_next_actions) w.AddRaw("next_action <> '' AND next_action_done = 0");
  if (!f.next_action_owner.empty()) w.Add("next_action_owner = ?", f.next_action_owner);
  std::string order = f.open_next_actions
                          ? " ORDER BY next_action_due IS NULL, next_action_due, id"
                          : (f.newest_first ? " ORDER BY at DESC, id DESC" : " ORDER BY at, id");
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kInteractionCols + " FROM interactions" +
                             w.Sql() + order + Limit(f.limit, f.offset)));
  w.Bind(s);
  return Collect<Interaction>(s, ReadInteraction);
}

}  // namespace cx
