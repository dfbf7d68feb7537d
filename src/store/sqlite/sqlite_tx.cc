// SQLite Tx: accounts, contacts, interactions (ids: sqlite_tx_ids.cc).
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "base/text.h"

#include "store/sqlite/sqlite_name_rows.h"
#include "store/sqlite/sqlite_tx_rows.h"

namespace cx {

using namespace sqlite;  // Stmt and the row helpers of sqlite_tx_rows.h

// ---- accounts ----

// The columns of an account's row that UpdateAccount compares, in the order of kAccountColumns
// (below): those of kAccountCols, then the keys. The selects that fill last_account_row_ read
// them with the rowid in between, at column 16.
constexpr const char* kAccountKeyCols = "name_key, phone_key, email_key";
constexpr int kRowidAt = 16;
// The integer values among them (created_at and updated_at).
constexpr uint32_t kAccountNumbers = (1u << 14) | (1u << 15);
static_assert(StoredAccountRow::kValues == kAccountValues);

int64_t SqliteTx::RowsWritten() const { return sqlite3_total_changes64(db_->handle()); }

namespace {

// The account of a stored row (values in the order of kAccountColumns), as ReadAccount reads it
// from a statement: the row is copied out of the statement once, for both.
Account AccountOfRow(const StoredAccountRow& r, Status* bad) {
  const auto text = [&r](int i) { return std::string(r.TextView(i)); };
  Account a;
  a.id = text(0);
  a.name = text(1);
  a.industry = text(2);
  a.erp_customer_id = text(3);
  a.owner = text(4);
  a.divisions = text(5);
  a.type = text(6);
  a.address = text(7);
  a.city = text(8);
  a.phone = text(9);
  a.email = text(10);
  a.status = text(11);
  if (auto custom = CustomFieldsFromJson(text(12)); custom.ok()) {
    a.custom = std::move(*custom);
  } else {
    *bad = Internal("stored custom fields are corrupt: " + custom.status().message());
  }
  a.merged_into = text(13);
  a.created_at = r.Int(14);
  a.updated_at = r.Int(15);
  return a;
}

}  // namespace

Result<std::optional<Account>> SqliteTx::OneAccount(Stmt* s) {
  std::optional<Account> out;
  Status bad;
  if (s->Step()) {
    // The row is kept for UpdateAccount, and the account made from that copy: reading each
    // column from the statement twice was some 3 % of a weekly delta's instructions.
    last_account_row_.Fill(*s, 0, kRowidAt, kAccountNumbers);
    out = AccountOfRow(last_account_row_, &bad);
    last_account_id_ = out->id;
    last_account_rowid_ = s->Int(kRowidAt);  // after the 16 columns of kAccountCols
    last_account_writes_ = RowsWritten();
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  CX_RETURN_IF_ERROR(bad);
  return out;
}

Result<std::optional<Account>> SqliteTx::GetAccount(const std::string& id) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kAccountCols + ", rowid, " +
                                             kAccountKeyCols + " FROM accounts WHERE id = ?"));
  s->Bind(1, id);
  return OneAccount(s);
}

Result<std::optional<Account>> SqliteTx::FindAccountByErpId(const std::string& erp_id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare(std::string("SELECT ") + kAccountCols + ", rowid, " + kAccountKeyCols +
                             " FROM accounts WHERE erp_customer_id = ?"));
  s->Bind(1, erp_id);
  return OneAccount(s);
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

namespace {

// The stored value of one column of an account, as BindAccount binds it.
struct ColumnValue {
  enum Kind { kText, kTextOrNull, kInt } kind;
  std::string_view text;
  int64_t number = 0;
};

// The columns of kAccountInsert, in its order, and the values of `k` for them.
constexpr const char* kAccountColumns[kAccountValues] = {
    "id",       "name",        "industry",   "erp_customer_id", "owner",    "divisions",
    "type",     "address",     "city",       "phone",           "email",    "status",
    "custom",   "merged_into", "created_at", "updated_at",      "name_key", "phone_key",
    "email_key"};

std::array<ColumnValue, kAccountValues> ValuesOf(const KeyedAccount& k) {
  const Account& a = k.account;
  using V = ColumnValue;
  return {V{V::kText, a.id, 0},          V{V::kText, a.name, 0},
          V{V::kText, a.industry, 0},    V{V::kTextOrNull, a.erp_customer_id, 0},
          V{V::kText, a.owner, 0},       V{V::kText, a.divisions, 0},
          V{V::kText, a.type, 0},        V{V::kText, a.address, 0},
          V{V::kText, a.city, 0},        V{V::kText, a.phone, 0},
          V{V::kText, a.email, 0},       V{V::kText, a.status, 0},
          V{V::kText, k.custom_json, 0}, V{V::kTextOrNull, a.merged_into, 0},
          V{V::kInt, {}, a.created_at},  V{V::kInt, {}, a.updated_at},
          V{V::kText, k.name_key, 0},    V{V::kText, k.phone_key, 0},
          V{V::kText, k.email_key, 0}};
}

// Whether value `i` of the stored row `s` is `v` (NULL for an empty kTextOrNull value).
bool Holds(const StoredAccountRow& s, int i, const ColumnValue& v) {
  if (v.kind == ColumnValue::kInt) return !s.IsNull(i) && s.Int(i) == v.number;
  if (v.kind == ColumnValue::kTextOrNull && v.text.empty()) return s.IsNull(i);
  return !s.IsNull(i) && s.TextView(i) == v.text;
}

// `a` less `b`, both sorted and without repeats.
std::vector<std::string> Less(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

Status SqliteTx::UpdateAccount(const Account& a) {
  // Only the columns whose value changes are written, and only the name index entries of the
  // words that come or go: an UPDATE naming a column rewrites that column's index entries and
  // fires its triggers even when the value stays, and a weekly ERP delta updates thousands of
  // accounts spread over the whole table (every column named, it rewrote an entry in each of
  // the table's six indexes and the name index blocks of every word, per row).
  // The stored row is the one the last read of this account copied when no row has been
  // written since (the delta's read by ERP id, just before); else it is read where that read
  // found it (the id is checked: the rowid of a deleted account may be another's now), else
  // through the id index. Column 0 is the rowid, column 1 + i the value i of kAccountColumns.
  static const auto select = [](const char* where) {
    std::string sql = "SELECT rowid";
    for (int i = 0; i < kAccountValues; ++i) sql += std::string(", ") + kAccountColumns[i];
    return sql + " FROM accounts WHERE " + where;
  };
  static const std::string by_id = select("id = ?1"), at_rowid = select("rowid = ?2 AND id = ?1");
  const bool hinted = last_account_rowid_ != 0 && last_account_id_ == a.id;
  if (!hinted || last_account_writes_ != RowsWritten()) {
    Stmt* r = nullptr;
    for (const bool at : {true, false}) {
      if (at && !hinted) continue;
      CX_ASSIGN_OR_RETURN(r, db_->Prepare(at ? at_rowid : by_id));
      r->Bind(1, a.id);
      if (at) r->Bind(2, last_account_rowid_);
      if (r->Step()) break;
      Status st = r->status();
      r->Reset();
      CX_RETURN_IF_ERROR(st);
      r = nullptr;
    }
    if (!r) return NotFound("account " + a.id + " does not exist");
    last_account_id_ = a.id;
    last_account_rowid_ = r->Int(0);
    last_account_row_.Fill(*r, 1, kAccountValues, kAccountNumbers);
    last_account_writes_ = RowsWritten();
    r->Reset();
  }
  const int64_t rowid = last_account_rowid_;
  const StoredAccountRow& stored = last_account_row_;
  const KeyedAccount k = KeyAccount(a);
  const std::array<ColumnValue, kAccountValues> values = ValuesOf(k);
  std::vector<int> changed;
  for (int i = 1; i < kAccountValues; ++i) {
    if (!Holds(stored, i, values[size_t(i)])) changed.push_back(i);
  }
  const std::string old_name(stored.TextView(1));
  const bool was_live = stored.IsNull(13) || stored.TextView(13).empty();
  if (!changed.empty()) {
    // Without a foreign key to check (neither the ERP id nor the merge changes; the only
    // trigger that can run then appends to the duplicate index's log, a table without
    // constraints), the one row's constraints are all checked before it is written, so FAIL
    // undoes as much as ABORT (nothing) and spares SQLite the statement journal that ABORT
    // keeps: a copy of each page the UPDATE changes, about a third of the instructions of a
    // weekly delta's updates (docs/operations.md, "Weekly deltas"). An error still rolls the
    // transaction back.
    const bool plain = std::none_of(changed.begin(), changed.end(), [](int c) {
      return std::string_view(kAccountColumns[c]) == "erp_customer_id" ||
             std::string_view(kAccountColumns[c]) == "merged_into";
    });
    std::string sql = plain ? "UPDATE OR FAIL accounts SET " : "UPDATE accounts SET ";
    for (size_t c = 0; c < changed.size(); ++c) {
      if (c) sql += ", ";
      sql += std::string(kAccountColumns[changed[c]]) + " = ?" + std::to_string(c + 2);
    }
    sql += " WHERE rowid = ?1";
    CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(sql));
    s->Bind(1, rowid);
    for (size_t c = 0; c < changed.size(); ++c) {
      const ColumnValue& v = values[size_t(changed[c])];
      const int at = int(c) + 2;
      if (v.kind == ColumnValue::kInt) {
        s->Bind(at, v.number);
      } else if (v.kind == ColumnValue::kTextOrNull) {
        s->BindStaticOrNull(at, v.text);
      } else {
        s->BindStatic(at, v.text);
      }
    }
    Status st = RunAndReset(s);
    if (st.code() == Code::kConflict)
      return Conflict("account " + a.id + " cannot be stored: " + st.message());
    CX_RETURN_IF_ERROR(st);
  }
  const bool is_live = a.merged_into.empty();
  if (was_live == is_live && (!is_live || old_name == a.name)) return Status::Ok();
  const std::vector<std::string> before =
      was_live ? Unique(CompanyWords(old_name)) : std::vector<std::string>();
  const std::vector<std::string> after = is_live ? Unique(k.words) : std::vector<std::string>();
  if (const auto gone = Less(before, after); !gone.empty())
    CX_RETURN_IF_ERROR(UnindexName(NameKind::kAccount, a.id, gone));
  if (const auto added = Less(after, before); !added.empty())
    CX_RETURN_IF_ERROR(IndexName(NameKind::kAccount, a.id, added));
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

// Many rows go in through a staging table, then into `interactions` in one statement. Each
// statement that writes `interactions` keeps a statement journal: a copy of every page it changes
// for the first time, so that a failing row undoes only its statement. Into a populated hub the
// new rows land at random places of the big indexes (`at`, next actions), so statements of 32 rows
// copied some hundred pages each, page by page, again and again; one statement per batch copies
// each page once (docs/store.md, "Bulk inserts of interactions"). The staging table has no index,
// constraint or trigger, so its own inserts keep no journal.
Status SqliteTx::InsertInteractions(const std::vector<Interaction>& rows) {
  constexpr size_t kRows = 32;  // 17 values each
  const bool staged = rows.size() > kRows;
  if (staged) {
    CX_RETURN_IF_ERROR(db_->Exec(std::string("CREATE TEMP TABLE IF NOT EXISTS staged_interactions "
                                             "AS SELECT ") +
                                 kInteractionCols + " FROM main.interactions WHERE 0"));
  }
  const std::string into = staged ? "temp.staged_interactions" : "interactions";
  for (size_t at = 0; at < rows.size();) {
    const size_t n = std::min(kRows, rows.size() - at);
    CX_ASSIGN_OR_RETURN(Stmt * s,
                        db_->Prepare(sqlite::MultiRowSql(
                            "INSERT INTO " + into + " (" + kInteractionCols + ")", 17, int(n))));
    for (size_t r = 0; r < n; ++r) BindInteraction(s, rows[at + r], int(r) * 17);
    Status st = sqlite::RunAndRewind(s);
    if (!staged && st.code() == Code::kConflict) {
      // The statement wrote nothing: one at a time, to name the interaction at fault.
      for (size_t r = 0; r < n; ++r) CX_RETURN_IF_ERROR(InsertInteraction(rows[at + r]));
    }
    CX_RETURN_IF_ERROR(st);
    at += n;
  }
  if (!staged) return Status::Ok();
  CX_ASSIGN_OR_RETURN(Stmt * move, db_->Prepare(std::string("INSERT INTO interactions (") +
                                                kInteractionCols + ") SELECT " + kInteractionCols +
                                                " FROM temp.staged_interactions ORDER BY rowid"));
  Status st = RunAndReset(move);
  CX_ASSIGN_OR_RETURN(Stmt * clear, db_->Prepare("DELETE FROM temp.staged_interactions"));
  CX_RETURN_IF_ERROR(RunAndReset(clear));
  if (st.code() == Code::kConflict) {
    // The statement wrote nothing: one at a time, to name the interaction at fault.
    for (const Interaction& i : rows) CX_RETURN_IF_ERROR(InsertInteraction(i));
  }
  return st;
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
