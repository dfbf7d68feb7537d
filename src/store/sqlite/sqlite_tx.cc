// SQLite Tx: accounts, contacts, interactions, opportunities, cases, orders, feedback, users,
// audit.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <cstdio>
#include <thread>
#include <variant>

#include "base/text.h"

namespace cx {
namespace {

using sqlite::Stmt;

// Reads every row through `row`, then resets the statement.
template <typename T, typename F>
Result<std::vector<T>> Collect(Stmt* s, F row) {
  std::vector<T> out;
  Status bad;
  while (s->Step()) {
    out.push_back(row(*s, &bad));
  }
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  if (!bad.ok()) return bad;
  return out;
}

template <typename T>
Result<std::optional<T>> First(Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

Status RunAndReset(Stmt* s) {
  Status st = s->Run();
  s->Reset();
  return st;
}

CustomFields ReadCustom(const Stmt& s, int col, Status* bad) {
  auto r = CustomFieldsFromJson(s.Text(col));
  if (!r.ok()) {
    *bad = Internal("stored custom fields are corrupt: " + r.status().message());
    return {};
  }
  return *r;
}

// Binds `v` or NULL.
std::optional<int64_t> Opt(const std::optional<Timestamp>& t) { return t; }

const char* kAccountCols =
    "id, name, industry, erp_customer_id, owner, divisions, type, address, city, phone, email, "
    "status, custom, merged_into, created_at, updated_at";

Account ReadAccount(const Stmt& s, Status* bad) {
  Account a;
  a.id = s.Text(0);
  a.name = s.Text(1);
  a.industry = s.Text(2);
  a.erp_customer_id = s.Text(3);
  a.owner = s.Text(4);
  a.divisions = s.Text(5);
  a.type = s.Text(6);
  a.address = s.Text(7);
  a.city = s.Text(8);
  a.phone = s.Text(9);
  a.email = s.Text(10);
  a.status = s.Text(11);
  a.custom = ReadCustom(s, 12, bad);
  a.merged_into = s.Text(13);
  a.created_at = s.Int(14);
  a.updated_at = s.Int(15);
  return a;
}

// The 19 values of an account from parameter `at` + 1 on, in the order of kAccountValues. The
// statement reads them in place: `k` must outlive its run.
constexpr int kAccountValues = 19;
const char* kAccountInsert =
    "INSERT INTO accounts (id, name, industry, erp_customer_id, owner, divisions, type, address, "
    "city, phone, email, status, custom, merged_into, created_at, updated_at, name_key, "
    "phone_key, email_key)";
void BindAccount(Stmt* s, const KeyedAccount& k, int at = 0) {
  const Account& a = k.account;
  s->BindStatic(at + 1, a.id).BindStatic(at + 2, a.name).BindStatic(at + 3, a.industry);
  s->BindStaticOrNull(at + 4, a.erp_customer_id);
  s->BindStatic(at + 5, a.owner).BindStatic(at + 6, a.divisions).BindStatic(at + 7, a.type);
  s->BindStatic(at + 8, a.address).BindStatic(at + 9, a.city).BindStatic(at + 10, a.phone);
  s->BindStatic(at + 11, a.email).BindStatic(at + 12, a.status);
  s->BindStatic(at + 13, k.custom_json);
  s->BindStaticOrNull(at + 14, a.merged_into);
  s->Bind(at + 15, a.created_at).Bind(at + 16, a.updated_at);
  s->BindStatic(at + 17, k.name_key).BindStatic(at + 18, k.phone_key);
  s->BindStatic(at + 19, k.email_key);
}

const char* kContactCols =
    "id, full_name, job_title, account_id, email, phone, custom, merged_into, created_at, "
    "updated_at";

Contact ReadContact(const Stmt& s, Status* bad) {
  Contact c;
  c.id = s.Text(0);
  c.full_name = s.Text(1);
  c.job_title = s.Text(2);
  c.account_id = s.Text(3);
  c.email = s.Text(4);
  c.phone = s.Text(5);
  c.custom = ReadCustom(s, 6, bad);
  c.merged_into = s.Text(7);
  c.created_at = s.Int(8);
  c.updated_at = s.Int(9);
  return c;
}

void BindContact(Stmt* s, const Contact& c) {
  s->Bind(1, c.id).Bind(2, c.full_name).Bind(3, c.job_title).BindOrNull(4, c.account_id);
  s->Bind(5, c.email)
      .Bind(6, c.phone)
      .Bind(7, CustomFieldsToJson(c.custom))
      .BindOrNull(8, c.merged_into);
  s->Bind(9, c.created_at).Bind(10, c.updated_at);
  s->Bind(11, PersonKey(c.full_name)).Bind(12, PhoneKey(c.phone)).Bind(13, EmailKey(c.email));
}

const char* kInteractionCols =
    "id, at, contact_id, channel, notes, next_action, next_action_due, next_action_owner, "
    "next_action_done, logged_by, division, type, opportunity_id, case_id, checklist, custom, "
    "created_at";

Interaction ReadInteraction(const Stmt& s, Status* bad) {
  Interaction i;
  i.id = s.Text(0);
  i.at = s.Int(1);
  i.contact_id = s.Text(2);
  i.channel = s.Text(3);
  i.notes = s.Text(4);
  i.next_action = s.Text(5);
  i.next_action_due = s.OptInt(6);
  i.next_action_owner = s.Text(7);
  i.next_action_done = s.Int(8) != 0;
  i.logged_by = s.Text(9);
  i.division = s.Text(10);
  i.type = s.Text(11);
  i.opportunity_id = s.Text(12);
  i.case_id = s.Text(13);
  i.checklist = s.Text(14);
  i.custom = ReadCustom(s, 15, bad);
  i.created_at = s.Int(16);
  return i;
}

// `i` outlives the statement's run: its text is bound without copies. Parameters base+1 to
// base+17, in the order of kInteractionCols.
void BindInteraction(Stmt* s, const Interaction& i, int base = 0) {
  const int b = base;
  s->BindStatic(b + 1, i.id).Bind(b + 2, i.at).BindStatic(b + 3, i.contact_id);
  s->BindStatic(b + 4, i.channel).BindStatic(b + 5, i.notes).BindStatic(b + 6, i.next_action);
  s->Bind(b + 7, Opt(i.next_action_due)).BindStatic(b + 8, i.next_action_owner);
  s->Bind(b + 9, int64_t(i.next_action_done)).BindStatic(b + 10, i.logged_by);
  s->BindStatic(b + 11, i.division).BindStatic(b + 12, i.type);
  s->BindOrNull(b + 13, i.opportunity_id).BindOrNull(b + 14, i.case_id);
  s->Bind(b + 15, i.checklist.empty() ? std::string_view("{}") : std::string_view(i.checklist));
  s->Bind(b + 16, CustomFieldsToJson(i.custom)).Bind(b + 17, i.created_at);
}

const char* kOpportunityCols =
    "id, account_id, division, owner, amount, stage, created, closed, outcome, lost_reason, title, "
    "custom";

Opportunity ReadOpportunity(const Stmt& s, Status* bad) {
  Opportunity o;
  o.id = s.Text(0);
  o.account_id = s.Text(1);
  o.division = s.Text(2);
  o.owner = s.Text(3);
  o.amount = s.OptReal(4);
  o.stage = s.Text(5);
  o.created = s.Int(6);
  o.closed = s.OptInt(7);
  o.outcome = s.Text(8);
  o.lost_reason = s.Text(9);
  o.title = s.Text(10);
  o.custom = ReadCustom(s, 11, bad);
  return o;
}

void BindOpportunity(Stmt* s, const Opportunity& o) {
  s->Bind(1, o.id).Bind(2, o.account_id).Bind(3, o.division).Bind(4, o.owner).Bind(5, o.amount);
  s->Bind(6, o.stage).Bind(7, o.created).Bind(8, Opt(o.closed)).Bind(9, o.outcome);
  s->Bind(10, o.lost_reason).Bind(11, o.title).Bind(12, CustomFieldsToJson(o.custom));
}

const char* kCaseCols =
    "id, account_id, contact_id, division, kind, summary, opened, first_response, "
    "resolution_confirmed, closed, owner, quote_approved, work_started, custom";

Case ReadCase(const Stmt& s, Status* bad) {
  Case c;
  c.id = s.Text(0);
  c.account_id = s.Text(1);
  c.contact_id = s.Text(2);
  c.division = s.Text(3);
  c.kind = s.Text(4);
  c.summary = s.Text(5);
  c.opened = s.Int(6);
  c.first_response = s.OptInt(7);
  c.resolution_confirmed = s.OptInt(8);
  c.closed = s.OptInt(9);
  c.owner = s.Text(10);
  c.quote_approved = s.OptInt(11);
  c.work_started = s.OptInt(12);
  c.custom = ReadCustom(s, 13, bad);
  return c;
}

void BindCase(Stmt* s, const Case& c) {
  s->Bind(1, c.id).Bind(2, c.account_id).BindOrNull(3, c.contact_id).Bind(4, c.division);
  s->Bind(5, c.kind).Bind(6, c.summary).Bind(7, c.opened).Bind(8, Opt(c.first_response));
  s->Bind(9, Opt(c.resolution_confirmed)).Bind(10, Opt(c.closed)).Bind(11, c.owner);
  s->Bind(12, Opt(c.quote_approved))
      .Bind(13, Opt(c.work_started))
      .Bind(14, CustomFieldsToJson(c.custom));
}

User ReadUser(const Stmt& s, Status*) {
  User u;
  u.login = s.Text(0);
  u.name = s.Text(1);
  u.role = s.Text(2);
  u.division = s.Text(3);
  u.password_hash = s.Text(4);
  u.away = s.Int(5) != 0;
  u.created_at = s.Int(6);
  return u;
}

// A WHERE clause assembled from optional conditions, with its parameters.
class Where {
 public:
  void Add(const std::string& cond, std::string param) {
    conds_.push_back(cond);
    params_.emplace_back(std::move(param));
  }
  void AddInt(const std::string& cond, int64_t v) {
    conds_.push_back(cond);
    params_.emplace_back(v);
  }
  void AddRaw(const std::string& cond) { conds_.push_back(cond); }
  std::string Sql() const {
    std::string out;
    for (size_t i = 0; i < conds_.size(); ++i) out += (i ? " AND " : " WHERE ") + conds_[i];
    return out;
  }
  void Bind(Stmt* s) const {
    for (size_t i = 0; i < params_.size(); ++i) {
      if (const auto* v = std::get_if<int64_t>(&params_[i])) {
        s->Bind(int(i + 1), *v);
      } else {
        s->Bind(int(i + 1), std::get<std::string>(params_[i]));
      }
    }
  }

 private:
  std::vector<std::string> conds_;
  std::vector<std::variant<std::string, int64_t>> params_;
};

std::string Limit(int limit, int offset) {
  return " LIMIT " + std::to_string(limit < 0 ? -1 : limit) + " OFFSET " +
         std::to_string(std::max(0, offset));
}

Where AccountWhere(const AccountFilter& f) {
  Where w;
  if (!f.include_merged) w.AddRaw("merged_into IS NULL");
  if (!f.division.empty()) w.Add("instr(divisions, ?) > 0", f.division);
  // `owner <> ''` lets SQLite use the partial index accounts_owner (migration 0014).
  if (!f.owner.empty()) w.Add("owner <> '' AND owner = ?", f.owner);
  if (!f.type.empty()) w.Add("type = ?", f.type);
  if (!f.erp_customer_id.empty()) w.Add("erp_customer_id = ?", f.erp_customer_id);
  if (f.missing_erp_id) w.AddRaw("erp_customer_id IS NULL");
  return w;
}

// Table of each id prefix, for NextId's collision check.
const char* TableOfPrefix(const std::string& prefix) {
  if (prefix == "A") return "accounts";
  if (prefix == "C") return "contacts";
  if (prefix == "I") return "interactions";
  if (prefix == "O") return "opportunities";
  if (prefix == "K") return "cases";
  if (prefix == "F") return "feedback";
  if (prefix == "M") return "merges";
  return nullptr;
}

}  // namespace

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

namespace {
// An SQL identifier in double quotes.
std::string Quoted(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

// The (name, SQL) of the schema objects of a type ("index", "trigger") on a table; automatic
// indexes, which have no SQL, are left out.
Result<std::vector<std::pair<std::string, std::string>>> SchemaOf(sqlite::Db* db,
                                                                  const std::string& type,
                                                                  const std::string& table) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db->Prepare("SELECT name, sql FROM sqlite_master WHERE type = ?1 "
                                            "AND tbl_name = ?2 AND sql IS NOT NULL"));
  s->Bind(1, type).Bind(2, table);
  std::vector<std::pair<std::string, std::string>> found;
  while (s->Step()) found.emplace_back(s->Text(0), s->Text(1));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return found;
}
}  // namespace

Result<int> SqliteTx::ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape shape) {
  if (entity != Entity::kAccount && entity != Entity::kContact && entity != Entity::kInteraction &&
      entity != Entity::kOrder)
    return Invalid(std::string("no bulk loading of ") + EntityTable(entity));
  // The indexes of accounts without an ERP id and of accounts with an owner get none of an ERP
  // sync's rows: kept, they cost nothing, where building them again would read the whole table.
  std::vector<std::string> keep;
  if (entity == Entity::kAccount && shape == BulkShape::kErpLinkedUnowned)
    keep = {"accounts_unlinked", "accounts_owner"};
  return DeferIndexesForBulk(EntityTable(entity), expected_rows, keep);
}

Result<int> SqliteTx::DeferIndexesForBulk(const std::string& table, int64_t incoming,
                                          const std::vector<std::string>& keep) {
  if (table != "accounts" && table != "contacts" && table != "interactions" && table != "orders")
    return Internal("no bulk loading for table '" + table + "'");
  // The largest rowid bounds the row count and costs one step down the tree.
  CX_ASSIGN_OR_RETURN(Stmt * m, db_->Prepare("SELECT max(rowid) FROM " + table));
  int64_t held = m->Step() ? m->Int(0) : 0;
  Status st = m->status();
  m->Reset();
  CX_RETURN_IF_ERROR(st);
  if (incoming <= 4 * held) return 0;
  CX_ASSIGN_OR_RETURN(auto found, SchemaOf(db_, "index", table));
  int deferred = 0;
  for (const auto& [name, sql] : found) {
    if (std::find(keep.begin(), keep.end(), name) != keep.end()) continue;
    if (sql.rfind("CREATE UNIQUE", 0) == 0) continue;
    // A partial index covers only the rows its condition picks: keeping it up to date costs
    // less than the full scan of the table that rebuilding it would take. Into an empty table
    // that scan reads only the new rows, and the partial indexes of accounts, contacts and
    // orders (phone, email) pick most of them: those are deferred too. Those of interactions
    // (open next actions) pick few.
    const bool partial = sql.find(" WHERE ") != std::string::npos;
    if (partial && (held > 0 || table == "interactions")) continue;
    CX_RETURN_IF_ERROR(db_->Exec("DROP INDEX " + Quoted(name)));
    deferred_indexes_.push_back(sql);
    ++deferred;
  }
  if (deferred > 0) {
    // The triggers that mark changed records for the KPI activity aggregate and the duplicate
    // index would fire once per row: mark those for a full rebuild instead (at their next use)
    // and restore the triggers at the end.
    CX_ASSIGN_OR_RETURN(auto triggers, SchemaOf(db_, "trigger", table));
    bool kpi = false, dup = false, funnel = false;
    for (const auto& [name, sql] : triggers) {
      const bool is_kpi = name.rfind("kpi_activity_", 0) == 0, is_dup = name.rfind("dup_", 0) == 0;
      // The KPI funnel aggregate's triggers on interactions (0011_kpi_funnel.sql), likewise.
      const bool is_funnel = name.rfind("kpi_funnel_", 0) == 0;
      if (!is_kpi && !is_dup && !is_funnel) continue;
      CX_RETURN_IF_ERROR(db_->Exec("DROP TRIGGER " + Quoted(name)));
      deferred_indexes_.push_back(sql);
      kpi = kpi || is_kpi;
      dup = dup || is_dup;
      funnel = funnel || is_funnel;
    }
    if (kpi) CX_RETURN_IF_ERROR(db_->Exec("UPDATE kpi_activity_state SET stale = 1"));
    if (funnel) CX_RETURN_IF_ERROR(db_->Exec("UPDATE kpi_funnel_state SET stale = 1"));
    if (dup) {
      CX_RETURN_IF_ERROR(db_->Exec(std::string("UPDATE dup_state SET stale = 1 WHERE kind = ") +
                                   (table == "accounts" ? "0" : "1")));
    }
  }
  return deferred;
}

Status SqliteTx::BuildDeferredIndexes() {
  if (deferred_indexes_.empty()) return Status::Ok();
  // SQLite's sorter (CREATE INDEX) sorts in parallel only with its temporary files on disk
  // (with temp_store=MEMORY it runs no worker thread), and its runs are best kept small: at
  // five million orders the two order indexes took 15 s this way before and 5.6 s now.
  // Should SQLite refuse the temporary store here (only possible with TEMP tables open,
  // which cxhub never makes), or a build fail on disk (no writable temporary directory),
  // the indexes are built in memory on this thread: slower, never wrong (a failed
  // statement leaves nothing behind).
  const int threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  CX_RETURN_IF_ERROR(
      db_->Exec("PRAGMA cache_size = -" + std::to_string(sqlite::kIndexBuildCacheKiB)));
  bool on_disk =
      db_->Exec("PRAGMA temp_store = FILE; PRAGMA threads = " + std::to_string(threads)).ok();
  for (const auto& sql : deferred_indexes_) {
    Status built = db_->Exec(sql);
    if (!built.ok() && on_disk) {
      CX_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY; PRAGMA threads = 0"));
      on_disk = false;
      built = db_->Exec(sql);
    }
    CX_RETURN_IF_ERROR(built);
  }
  deferred_indexes_.clear();
  if (on_disk) CX_RETURN_IF_ERROR(db_->Exec("PRAGMA temp_store = MEMORY; PRAGMA threads = 0"));
  CX_RETURN_IF_ERROR(db_->Exec("PRAGMA cache_size = -" + std::to_string(sqlite::kCacheKiB)));
  return Status::Ok();
}

Status SqliteTx::Finish() {
  CX_RETURN_IF_ERROR(FlushNamesAlongside([this]() -> Status {
    CX_RETURN_IF_ERROR(FlushAudit());
    return BuildDeferredIndexes();
  }));
  for (const auto& [prefix, counter] : counters_) {
    const int64_t last = counter.last;
    CX_ASSIGN_OR_RETURN(Stmt * u,
                        db_->Prepare("INSERT INTO id_counters(prefix, next) VALUES (?1, ?2) "
                                     "ON CONFLICT(prefix) DO UPDATE SET next = MAX(next, ?2)"));
    u->Bind(1, prefix).Bind(2, last);
    Status st = u->Run();
    u->Reset();
    CX_RETURN_IF_ERROR(st);
  }
  counters_.clear();
  return Status::Ok();
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
      db_->Prepare(
          "INSERT INTO feedback (id, date, account_id, contact_id, division, kind, score, "
          "stage, platform, comment, touchpoint) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"));
  s->Bind(1, f.id).Bind(2, f.date).BindOrNull(3, f.account_id).BindOrNull(4, f.contact_id);
  s->Bind(5, f.division).Bind(6, f.kind).Bind(7, f.score).Bind(8, f.stage).Bind(9, f.platform);
  s->Bind(10, f.comment).Bind(11, f.touchpoint);
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

// ---- audit ----

Status SqliteTx::AppendAudit(AuditEntry e) {
  if (pending_audit_.empty()) pending_audit_.reserve(4096);
  pending_audit_.push_back(std::move(e));
  if (pending_audit_.size() >= 4096) return FlushAudit();  // bounded memory
  return Status::Ok();
}

Status SqliteTx::FlushAudit() {
  constexpr size_t kRows = 64;  // 9 values each, well under SQLite's parameter limit
  for (size_t at = 0; at < pending_audit_.size();) {
    const size_t n = std::min(kRows, pending_audit_.size() - at);
    CX_ASSIGN_OR_RETURN(
        Stmt * s, db_->Prepare(sqlite::MultiRowSql("INSERT INTO audit (at, actor, action, entity, "
                                                   "entity_id, field, before, after, reason)",
                                                   9, int(n))));
    for (size_t r = 0; r < n; ++r) {
      const AuditEntry& e = pending_audit_[at + r];
      const int b = int(r) * 9;
      s->Bind(b + 1, e.at).BindStatic(b + 2, e.actor).BindStatic(b + 3, e.action);
      s->BindStatic(b + 4, e.entity).BindStatic(b + 5, e.entity_id).BindStatic(b + 6, e.field);
      s->BindStatic(b + 7, e.before).BindStatic(b + 8, e.after).BindStatic(b + 9, e.reason);
    }
    Status st = sqlite::RunAndRewind(s);
    if (!st.ok()) {
      pending_audit_.clear();
      return st;
    }
    at += n;
  }
  pending_audit_.clear();
  return Status::Ok();
}

Result<std::vector<AuditEntry>> SqliteTx::ListAudit(const AuditFilter& f) {
  CX_RETURN_IF_ERROR(FlushAudit());
  Where w;
  if (!f.entity.empty()) w.Add("entity = ?", f.entity);
  if (!f.entity_id.empty()) w.Add("entity_id = ?", f.entity_id);
  if (!f.actor.empty()) w.Add("actor = ?", f.actor);
  if (!f.action.empty()) w.Add("action = ?", f.action);
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT seq, at, actor, action, entity, entity_id, field, before, after, reason "
                   "FROM audit" +
                   w.Sql() + (f.newest_first ? " ORDER BY at DESC, seq DESC" : " ORDER BY seq") +
                   Limit(f.limit, 0)));
  w.Bind(s);
  return Collect<AuditEntry>(s, [](const Stmt& r, Status*) {
    return AuditEntry{r.Int(0),  r.Int(1),  r.Text(2), r.Text(3), r.Text(4),
                      r.Text(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
  });
}

}  // namespace cx
