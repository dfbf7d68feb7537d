// The rows of the SQLite Tx's record tables: reading and binding each kind of record, the
// assembled WHERE clauses of the listings. Shared by the files of SqliteTx (sqlite_tx*.cc).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/text.h"
#include "store/sqlite/sqlite_tx.h"

namespace cx::sqlite {

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

inline CustomFields ReadCustom(const Stmt& s, int col, Status* bad) {
  auto r = CustomFieldsFromJson(s.Text(col));
  if (!r.ok()) {
    *bad = Internal("stored custom fields are corrupt: " + r.status().message());
    return {};
  }
  return *r;
}

// Binds `v` or NULL.
inline std::optional<int64_t> Opt(const std::optional<Timestamp>& t) { return t; }

inline constexpr const char* kAccountCols =
    "id, name, industry, erp_customer_id, owner, divisions, type, address, city, phone, email, "
    "status, custom, merged_into, created_at, updated_at";

inline Account ReadAccount(const Stmt& s, Status* bad) {
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
inline constexpr int kAccountValues = 19;
inline constexpr const char* kAccountInsert =
    "INSERT INTO accounts (id, name, industry, erp_customer_id, owner, divisions, type, address, "
    "city, phone, email, status, custom, merged_into, created_at, updated_at, name_key, "
    "phone_key, email_key)";
inline void BindAccount(Stmt* s, const KeyedAccount& k, int at = 0) {
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

inline constexpr const char* kContactCols =
    "id, full_name, job_title, account_id, email, phone, custom, merged_into, created_at, "
    "updated_at";

inline Contact ReadContact(const Stmt& s, Status* bad) {
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

inline void BindContact(Stmt* s, const Contact& c) {
  s->Bind(1, c.id).Bind(2, c.full_name).Bind(3, c.job_title).BindOrNull(4, c.account_id);
  s->Bind(5, c.email)
      .Bind(6, c.phone)
      .Bind(7, CustomFieldsToJson(c.custom))
      .BindOrNull(8, c.merged_into);
  s->Bind(9, c.created_at).Bind(10, c.updated_at);
  s->Bind(11, PersonKey(c.full_name)).Bind(12, PhoneKey(c.phone)).Bind(13, EmailKey(c.email));
}

inline constexpr const char* kInteractionCols =
    "id, at, contact_id, channel, notes, next_action, next_action_due, next_action_owner, "
    "next_action_done, logged_by, division, type, opportunity_id, case_id, checklist, custom, "
    "created_at";

inline Interaction ReadInteraction(const Stmt& s, Status* bad) {
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
inline void BindInteraction(Stmt* s, const Interaction& i, int base = 0) {
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

inline constexpr const char* kOpportunityCols =
    "id, account_id, division, owner, amount, stage, created, closed, outcome, lost_reason, title, "
    "custom";

inline Opportunity ReadOpportunity(const Stmt& s, Status* bad) {
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

inline void BindOpportunity(Stmt* s, const Opportunity& o) {
  s->Bind(1, o.id).Bind(2, o.account_id).Bind(3, o.division).Bind(4, o.owner).Bind(5, o.amount);
  s->Bind(6, o.stage).Bind(7, o.created).Bind(8, Opt(o.closed)).Bind(9, o.outcome);
  s->Bind(10, o.lost_reason).Bind(11, o.title).Bind(12, CustomFieldsToJson(o.custom));
}

inline constexpr const char* kCaseCols =
    "id, account_id, contact_id, division, kind, summary, opened, first_response, "
    "resolution_confirmed, closed, owner, quote_approved, work_started, custom";

inline Case ReadCase(const Stmt& s, Status* bad) {
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

inline void BindCase(Stmt* s, const Case& c) {
  s->Bind(1, c.id).Bind(2, c.account_id).BindOrNull(3, c.contact_id).Bind(4, c.division);
  s->Bind(5, c.kind).Bind(6, c.summary).Bind(7, c.opened).Bind(8, Opt(c.first_response));
  s->Bind(9, Opt(c.resolution_confirmed)).Bind(10, Opt(c.closed)).Bind(11, c.owner);
  s->Bind(12, Opt(c.quote_approved))
      .Bind(13, Opt(c.work_started))
      .Bind(14, CustomFieldsToJson(c.custom));
}

inline User ReadUser(const Stmt& s, Status*) {
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

// The columns of a feedback row, in the order ReadFeedbackRow reads them.
inline constexpr const char* kFeedbackCols =
    "id, date, account_id, contact_id, division, kind, score, stage, platform, comment, "
    "touchpoint, source";

inline Feedback ReadFeedbackRow(const Stmt& r) {
  Feedback f;
  f.id = r.Text(0);
  f.date = r.Int(1);
  f.account_id = r.Text(2);
  f.contact_id = r.Text(3);
  f.division = r.Text(4);
  f.kind = r.Text(5);
  f.score = r.Real(6);
  f.stage = r.Text(7);
  f.platform = r.Text(8);
  f.comment = r.Text(9);
  f.touchpoint = r.Text(10);
  f.source = r.Text(11);
  return f;
}

inline std::string Limit(int limit, int offset) {
  return " LIMIT " + std::to_string(limit < 0 ? -1 : limit) + " OFFSET " +
         std::to_string(std::max(0, offset));
}

inline Where AccountWhere(const AccountFilter& f) {
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
inline const char* TableOfPrefix(const std::string& prefix) {
  if (prefix == "A") return "accounts";
  if (prefix == "C") return "contacts";
  if (prefix == "I") return "interactions";
  if (prefix == "O") return "opportunities";
  if (prefix == "K") return "cases";
  if (prefix == "F") return "feedback";
  if (prefix == "M") return "merges";
  if (prefix == "T") return "touchpoints";
  return nullptr;
}

}  // namespace cx::sqlite
