// PostgreSQL Tx: the accounts' keys during an ERP sync's first load (pg_bulk_keys.h;
// docs/postgresql.md, "Bulk loads"). Each COPY'd account used to add an entry to its primary
// key and its unique index of ERP Customer IDs, each a B-tree descent, and queue a foreign-key
// event for `merged_into`; into an empty table the keys are built once, with one sort each,
// and the foreign keys checked once, each with one statement.
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_bulk_keys.h"

namespace cx::pgbulk {

namespace {

// What a first load took off, for this transaction.
struct AccountKeys {
  bool may = false;  // a first load was announced; the keys go off at its first COPY
  bool off = false;
  std::string build;                 // the statements that build everything back
  std::vector<std::string> watched;  // table names whose mention builds them back first
};

// Memory for the builds (a session setting, for this transaction only), as pg_tx_bulk.cc's.
constexpr const char* kKeysBuildMemory = "256MB";

// After a build of the keys failed on a repeated key: the first account (in the order the load
// wrote them) whose id or ERP Customer ID an earlier one holds, named as a failed COPY named
// it (pg_tx_records_copy.cc).
Status NameRepeatedAccount(pg::Db& db, const Status& failed) {
  auto r = db.Query(
      "SELECT id, coalesce(erp_customer_id, '') FROM (SELECT id, erp_customer_id, ctid AS at, "
      "row_number() OVER (PARTITION BY id ORDER BY ctid) AS by_id, CASE WHEN erp_customer_id IS "
      "NULL THEN 1 ELSE row_number() OVER (PARTITION BY erp_customer_id ORDER BY ctid) END AS "
      "by_erp FROM accounts) AS a WHERE by_id > 1 OR by_erp > 1 ORDER BY at LIMIT 1");
  if (!r.ok() || !r->Next()) return failed;
  const std::string id = r->Text(0), erp = r->Text(1);
  return Conflict("account " + id + " cannot be stored: its id" +
                  (erp.empty() ? std::string() : " or ERP Customer ID " + erp) + " is taken");
}

// Builds the keys DeferAccountKeys took off (once; nothing when they are on).
Status RestoreAccountKeys(PgTx& tx) {
  AccountKeys& k = tx.AreaState<AccountKeys>("bulk.account_keys");
  if (!k.off) return Status::Ok();
  pg::Db& db = tx.db();
  Status st = db.ExecScript("SAVEPOINT cx_keys; SET LOCAL maintenance_work_mem = '" +
                            std::string(kKeysBuildMemory) + "'; " + k.build +
                            "RESET maintenance_work_mem; RELEASE SAVEPOINT cx_keys");
  if (st.ok()) {
    k.off = false;
    tx.WatchStatements(nullptr);
    return Status::Ok();
  }
  // The keys stay off (a later statement, or the commit, fails the same way): the load's
  // transaction cannot commit without them.
  const std::string state = db.last_sqlstate();
  CX_RETURN_IF_ERROR(db.ExecScript("ROLLBACK TO SAVEPOINT cx_keys; RELEASE SAVEPOINT cx_keys"));
  if (state == "23505") return NameRepeatedAccount(db, st);
  return st;
}

}  // namespace

void MayDeferAccountKeys(PgTx& tx) { tx.AreaState<AccountKeys>("bulk.account_keys").may = true; }

Result<int> BeforeAccountsCopy(PgTx& tx) {
  AccountKeys& state = tx.AreaState<AccountKeys>("bulk.account_keys");
  if (!state.may || state.off) return 0;
  state.may = false;
  pg::Db& db = tx.db();
  // The primary key, and every foreign key that names it (merged accounts', contacts', …).
  CX_ASSIGN_OR_RETURN(
      pg::Rows r,
      db.Query("SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid), "
               "k.contype = 'p' FROM pg_constraint k WHERE (k.confrelid = 'accounts'::regclass "
               "AND k.contype = 'f') OR (k.conrelid = 'accounts'::regclass AND k.contype = 'p') "
               "ORDER BY 4 DESC, 1, 2"));
  struct Key {
    std::string table, name, def;
    bool primary;
  };
  std::vector<Key> keys;
  while (r.Next()) keys.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3) == "t"});
  // The unique indexes that back no constraint (ERP Customer IDs).
  CX_ASSIGN_OR_RETURN(
      pg::Rows u,
      db.Query("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c "
               "ON c.oid = i.indexrelid WHERE i.indrelid = 'accounts'::regclass AND "
               "i.indisunique AND NOT i.indisprimary AND i.indisvalid AND NOT EXISTS (SELECT 1 "
               "FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname"));
  std::vector<std::pair<std::string, std::string>> unique;
  while (u.Next()) unique.emplace_back(u.Text(0), u.Text(1));
  // The primary key goes only when every other table whose foreign key names it is empty: taking
  // the key off takes those foreign keys off too, which locks their tables until the commit
  // (readers of a table that holds rows would wait), and a row written into them meanwhile
  // would be checked only at the commit.
  std::vector<std::string> others;
  for (const Key& k : keys)
    if (!k.primary && k.table != "accounts") others.push_back(k.table);
  // And only into an accounts table still empty (nothing was written since the announcement).
  std::string q = "SELECT NOT EXISTS (SELECT 1 FROM accounts)";
  // The table names come from the catalog (regclass's text, quoted where needed).
  for (const auto& t : others) q += ", NOT EXISTS (SELECT 1 FROM " + t + ")";
  CX_ASSIGN_OR_RETURN(pg::Rows e, db.Query(q));
  if (!e.Next() || e.Text(0) != "t") return 0;
  bool primary = !keys.empty() && keys[0].primary;
  for (size_t i = 0; i < others.size(); ++i) primary = primary && e.Text(int(i) + 1) == "t";
  std::string drop_fks, drop_keys, add_keys, add_fks;
  std::vector<std::string> watched = {"accounts"};
  int off = 0;
  for (const Key& k : keys) {
    if (k.primary) {
      if (!primary) continue;
      drop_keys += "ALTER TABLE accounts DROP CONSTRAINT " + pg::QuoteIdent(k.name) + "; ";
      add_keys +=
          "ALTER TABLE accounts ADD CONSTRAINT " + pg::QuoteIdent(k.name) + " " + k.def + "; ";
    } else {
      // The foreign key of merged accounts (this table's own) always goes: each COPY'd row
      // queued an event for it. The others only with the primary key they need.
      if (k.table != "accounts" && !primary) continue;
      drop_fks += "ALTER TABLE " + k.table + " DROP CONSTRAINT " + pg::QuoteIdent(k.name) + "; ";
      add_fks += "ALTER TABLE " + k.table + " ADD CONSTRAINT " + pg::QuoteIdent(k.name) + " " +
                 k.def + "; ";
      if (k.table != "accounts") watched.push_back(k.table);
    }
    ++off;
  }
  for (const auto& [name, def] : unique) {
    drop_keys += "DROP INDEX " + pg::QuoteIdent(name) + "; ";
    add_keys += def + "; ";
    ++off;
  }
  if (off == 0) return 0;
  // The foreign keys drop before the key they name, and come back after it.
  Status st = db.ExecScript("SAVEPOINT cx_keys; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; " +
                            drop_fks + drop_keys + "RELEASE SAVEPOINT cx_keys");
  if (!st.ok() && db.last_sqlstate() == "42501") {
    // A role that may write the tables but not alter them keeps the keys (the load runs slower).
    CX_RETURN_IF_ERROR(db.ExecScript("ROLLBACK TO SAVEPOINT cx_keys; RELEASE SAVEPOINT cx_keys"));
    return 0;
  }
  CX_RETURN_IF_ERROR(st);
  state.off = true;
  state.build = add_keys + add_fks;
  state.watched = std::move(watched);
  tx.WatchStatements([&tx](std::string_view sql) -> Status {
    AccountKeys& k = tx.AreaState<AccountKeys>("bulk.account_keys");
    if (!k.off || sql.rfind("COPY accounts (", 0) == 0) return Status::Ok();
    for (const auto& w : k.watched)
      if (sql.find(w) != std::string_view::npos) return RestoreAccountKeys(tx);
    return Status::Ok();
  });
  tx.BeforeCommit([&tx]() { return RestoreAccountKeys(tx); });
  return off;
}

}  // namespace cx::pgbulk
