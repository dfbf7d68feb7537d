// PostgreSQL Tx: ids, accounts, contacts, interactions (record_store.h). The other records are
// in pg_tx_records_more.cc.
//
// A conflict (a taken id or ERP Customer ID) is reported without failing the statement
// (INSERT … ON CONFLICT DO NOTHING, then a look at what went in): PostgreSQL aborts the whole
// transaction on a failed statement, and the contract lets a caller go on after a conflict, as
// SQLite does. The many-row writers of bulk loads use COPY: pg_tx_records_copy.cc.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

namespace {

// The id counters a transaction has read (and locked), by prefix: the last number handed out,
// and the number its row holds now. Written back once, before the commit, when they differ.
struct IdCounters {
  std::map<std::string, int64_t> last;
  std::map<std::string, int64_t> stored;
  bool flush_registered = false;
  // Set by NextIdUnchecked when the statement that took the id also looked it up in its table:
  // whether a row has it already (NextId then needs no look-up of its own).
  std::optional<bool> taken;
};

std::string FormatId(const std::string& prefix, int64_t n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s-%06lld", prefix.c_str(), static_cast<long long>(n));
  return buf;
}

}  // namespace

// ---- ids ----

Result<std::string> PgTx::NextId(const std::string& prefix) {
  // Interactions' ids are taken beside other writers (docs/postgresql.md, "Isolation"): a whole
  // interaction write runs beside them, so it is never run again for needing the hub to itself.
  // Any other id needs the hub to itself at once: its writer would be run again after taking it
  // beside others, and services keep the id they were handed across such a re-run, which
  // another writer may have taken meanwhile.
  std::optional<pg::ConcurrentOk> beside;
  if (prefix == "I") beside.emplace(*db_);
  const char* table = TableOfPrefix(prefix);
  if (!table) return Internal("no id sequence for prefix '" + prefix + "'");
  for (int attempt = 0; attempt < 1000000; ++attempt) {
    CX_ASSIGN_OR_RETURN(std::string id, NextIdUnchecked(prefix));
    std::optional<bool>& known = AreaState<IdCounters>("records.ids").taken;
    bool taken = false;
    if (known) {
      taken = *known;
    } else {
      CX_ASSIGN_OR_RETURN(pg::Rows t,
                          db_->Query(std::string("SELECT 1 FROM ") + table + " WHERE id = $1",
                                     pg::Params().Add(id)));
      taken = !t.empty();
    }
    known.reset();
    if (!taken) return id;
    // Taken (ids imported or generated in bulk): jump past the highest number in use.
    CX_ASSIGN_OR_RETURN(
        pg::Rows m, db_->Query(std::string("SELECT max(substr(id, $2)::bigint) FROM ") + table +
                                   " WHERE id LIKE $1 AND substr(id, $2) ~ '^[0-9]{1,18}$'",
                               pg::Params().Add(prefix + "-%").Add(int64_t(prefix.size() + 2))));
    int64_t& last = AreaState<IdCounters>("records.ids").last[prefix];
    if (m.Next()) last = std::max(last, m.Int(0));
  }
  return Internal("no free id for prefix " + prefix);
}

Result<std::string> PgTx::NextIdUnchecked(const std::string& prefix) {
  std::optional<pg::ConcurrentOk> beside;  // as in NextId
  if (prefix == "I") beside.emplace(*db_);
  if (!TableOfPrefix(prefix)) return Internal("no id sequence for prefix '" + prefix + "'");
  IdCounters& c = AreaState<IdCounters>("records.ids");
  c.taken.reset();
  auto it = c.last.find(prefix);
  if (it == c.last.end()) {
    // Read once per transaction, taking the first number at once (most transactions take
    // one), and written back before the commit when more were taken. The upsert locks the
    // counter's row until the commit: a writer beside this one (docs/postgresql.md,
    // "Isolation") that numbers the same prefix waits here and then reads the number this
    // one wrote back, so no id is handed out twice and none is skipped (a rolled-back
    // transaction leaves the counter as it was, as on SQLite).
    // The same statement looks the id up in its table (FormatId's digits: at least six), which
    // saves NextId a round trip while the row is locked.
    CX_ASSIGN_OR_RETURN(
        pg::Rows r,
        db_->Query("WITH c AS (INSERT INTO id_counters (prefix, next) VALUES ($1::text, 1) "
                   "ON CONFLICT (prefix) DO UPDATE SET next = id_counters.next + 1 RETURNING "
                   "next) SELECT c.next, EXISTS (SELECT 1 FROM " +
                       std::string(TableOfPrefix(prefix)) +
                       " WHERE id = $1::text || '-' || lpad(c.next::text, greatest(6, "
                       "length(c.next::text)), '0')) FROM c",
                   pg::Params().Add(prefix)));
    const bool read = r.Next();
    const int64_t taken = read ? r.Int(0) : 1;
    if (read) c.taken = r.Bool(1);
    c.stored[prefix] = taken;
    it = c.last.emplace(prefix, taken - 1).first;
    if (!c.flush_registered) {
      c.flush_registered = true;
      BeforeCommit([this]() -> Status {
        pg::ConcurrentOk beside(*db_);  // rows this transaction has locked already
        IdCounters& ids = AreaState<IdCounters>("records.ids");
        for (const auto& [p, n] : ids.last) {
          if (ids.stored[p] == n) continue;
          CX_RETURN_IF_ERROR(db_->Exec("UPDATE id_counters SET next = $2 WHERE prefix = $1",
                                       pg::Params().Add(p).Add(n))
                                 .status());
        }
        return Status::Ok();
      });
    }
  }
  return FormatId(prefix, ++it->second);
}

// ---- accounts ----

Result<std::optional<Account>> PgTx::GetAccount(const std::string& id) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kAccountCols + " FROM accounts WHERE id = $1",
                             pg::Params().Add(id)));
  return First(Collect<Account>(r, ReadAccount));
}

Result<std::optional<Account>> PgTx::FindAccountByErpId(const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query(std::string("SELECT ") + kAccountCols +
                                                 " FROM accounts WHERE erp_customer_id = $1",
                                             pg::Params().Add(erp_id)));
  return First(Collect<Account>(r, ReadAccount));
}

// One row: one statement (a COPY and its savepoint would take four round trips).
Status PgTx::InsertAccount(const Account& a) {
  const KeyedAccount k = KeyAccount(a);
  pg::Params p;
  AddAccount(&p, k);
  CX_ASSIGN_OR_RETURN(int64_t n,
                      db_->Exec(std::string("INSERT INTO accounts (") + kAccountWriteCols + ")" +
                                    ValuesSql(19, 1) + " ON CONFLICT DO NOTHING",
                                p));
  if (n == 0)
    return Conflict(
        "account " + a.id + " cannot be stored: its id" +
        (a.erp_customer_id.empty() ? std::string() : " or ERP Customer ID " + a.erp_customer_id) +
        " is taken");
  if (a.merged_into.empty()) return IndexName(NameKind::kAccount, a.id, k.words);
  return Status::Ok();
}

// InsertAccounts: pg_tx_records_copy.cc (COPY).

Status PgTx::UpdateAccount(const Account& a) {
  CX_ASSIGN_OR_RETURN(auto old, GetAccount(a.id));
  if (!old) return NotFound("account " + a.id + " does not exist");
  const KeyedAccount k = KeyAccount(a);
  pg::Params p;
  AddAccount(&p, k);
  // A taken ERP Customer ID leaves the row as it was (no failed statement).
  CX_ASSIGN_OR_RETURN(
      int64_t changed,
      db_->Exec("UPDATE accounts SET name=$2, industry=$3, erp_customer_id=$4, owner=$5, "
                "divisions=$6, type=$7, address=$8, city=$9, phone=$10, email=$11, status=$12, "
                "custom=$13, merged_into=$14, created_at=$15, updated_at=$16, name_key=$17, "
                "phone_key=$18, email_key=$19 WHERE id=$1 AND ($4::text IS NULL OR NOT EXISTS "
                "(SELECT 1 FROM accounts o WHERE o.erp_customer_id = $4 AND o.id <> $1))",
                p));
  if (changed == 0)
    return Conflict("account " + a.id + " cannot be stored: ERP Customer ID " + a.erp_customer_id +
                    " belongs to another account");
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

namespace {
Where AccountWhere(const AccountFilter& f) {
  Where w;
  if (!f.include_merged) w.AddRaw("merged_into IS NULL");
  if (!f.division.empty()) w.Add("strpos(divisions, ?) > 0", f.division);
  if (!f.owner.empty()) w.Add("owner <> '' AND owner = ?", f.owner);
  if (!f.type.empty()) w.Add("type = ?", f.type);
  if (!f.erp_customer_id.empty()) w.Add("erp_customer_id = ?", f.erp_customer_id);
  if (f.missing_erp_id) w.AddRaw("erp_customer_id IS NULL");
  return w;
}
}  // namespace

Result<std::vector<Account>> PgTx::ListAccounts(const AccountFilter& f) {
  Where w = AccountWhere(f);
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kAccountCols + " FROM accounts" + w.Sql() +
                                 " ORDER BY id" + Limit(f.limit, f.offset),
                             w.params()));
  return Collect<Account>(r, ReadAccount);
}

Result<int64_t> PgTx::CountAccounts(const AccountFilter& f) {
  Where w = AccountWhere(f);
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query("SELECT count(*) FROM accounts" + w.Sql(), w.params()));
  return r.Next() ? r.Int(0) : 0;
}

// ---- contacts ----

Result<std::optional<Contact>> PgTx::GetContact(const std::string& id) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kContactCols + " FROM contacts WHERE id = $1",
                             pg::Params().Add(id)));
  return First(Collect<Contact>(r, ReadContact));
}

Status PgTx::InsertContact(const Contact& c) {
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec(std::string("INSERT INTO contacts (") + kContactCols +
                    ", name_key, phone_key, email_key) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,"
                    "$11,$12,$13) ON CONFLICT DO NOTHING",
                ContactParams(c)));
  if (n == 0) return Conflict("contact " + c.id + " cannot be stored: its id is taken");
  if (c.merged_into.empty()) return IndexName(NameKind::kContact, c.id, Words(c.full_name));
  return Status::Ok();
}

Status PgTx::UpdateContact(const Contact& c) {
  CX_ASSIGN_OR_RETURN(auto old, GetContact(c.id));
  if (!old) return NotFound("contact " + c.id + " does not exist");
  CX_RETURN_IF_ERROR(
      db_->Exec("UPDATE contacts SET full_name=$2, job_title=$3, account_id=$4, email=$5, "
                "phone=$6, custom=$7, merged_into=$8, created_at=$9, updated_at=$10, "
                "name_key=$11, phone_key=$12, email_key=$13 WHERE id=$1",
                ContactParams(c))
          .status());
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

Result<std::vector<Contact>> PgTx::ListContacts(const ContactFilter& f) {
  Where w;
  if (!f.include_merged) w.AddRaw("merged_into IS NULL");
  if (!f.account_id.empty()) w.Add("account_id = ?", f.account_id);
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db_->Query(std::string("SELECT ") + kContactCols + " FROM contacts" + w.Sql() +
                                 " ORDER BY id" + Limit(f.limit, f.offset),
                             w.params()));
  return Collect<Contact>(r, ReadContact);
}

// ---- interactions ----

Result<std::optional<Interaction>> PgTx::GetInteraction(const std::string& id) {
  pg::ConcurrentOk beside(*db_);  // docs/postgresql.md, "Isolation"
  CX_ASSIGN_OR_RETURN(pg::Rows r, db_->Query(std::string("SELECT ") + kInteractionCols +
                                                 " FROM interactions WHERE id = $1",
                                             pg::Params().Add(id)));
  return First(Collect<Interaction>(r, ReadInteraction));
}

// One new row under a new key: it may run beside other writers (docs/postgresql.md,
// "Isolation"); a taken id waits for the other writer's end and is then reported.
Status PgTx::InsertInteraction(const Interaction& i) {
  pg::ConcurrentOk beside(*db_);
  pg::Params p;
  AddInteraction(&p, i);
  CX_ASSIGN_OR_RETURN(int64_t n,
                      db_->Exec(std::string("INSERT INTO interactions (") + kInteractionCols + ")" +
                                    ValuesSql(17, 1) + " ON CONFLICT DO NOTHING",
                                p));
  if (n == 0) return Conflict("interaction " + i.id + " cannot be stored: its id is taken");
  return Status::Ok();
}

// InsertInteractions: pg_tx_records_copy.cc (COPY).

Status PgTx::UpdateInteraction(const Interaction& i) {
  pg::Params p;
  AddInteraction(&p, i);
  CX_ASSIGN_OR_RETURN(
      int64_t n,
      db_->Exec("UPDATE interactions SET at=$2, contact_id=$3, channel=$4, notes=$5, "
                "next_action=$6, next_action_due=$7, next_action_owner=$8, next_action_done=$9, "
                "logged_by=$10, division=$11, type=$12, opportunity_id=$13, case_id=$14, "
                "checklist=$15, custom=$16, created_at=$17 WHERE id=$1",
                p));
  if (n == 0) return NotFound("interaction " + i.id + " does not exist");
  return Status::Ok();
}

Result<std::vector<Interaction>> PgTx::ListInteractions(const InteractionFilter& f) {
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
  // SQLite sorts NULL first; `next_action_due IS NULL` puts the undated last, as there.
  std::string order = f.open_next_actions
                          ? " ORDER BY next_action_due IS NULL, next_action_due, id"
                          : (f.newest_first ? " ORDER BY at DESC, id DESC" : " ORDER BY at, id");
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db_->Query(std::string("SELECT ") + kInteractionCols + " FROM interactions" +
                                     w.Sql() + order + Limit(f.limit, f.offset),
                                 w.params()));
  return Collect<Interaction>(r, ReadInteraction);
}

}  // namespace cx
