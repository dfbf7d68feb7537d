// The rows of the PostgreSQL Tx's record tables: the column lists, reading each kind of record
// from a result row and its parameters for a statement, and WHERE clauses assembled from
// optional conditions. Shared by the area files that read records (pg_tx_*.cc).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/text.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/entity.h"
#include "domain/interaction.h"
#include "domain/opportunity.h"
#include "domain/order.h"
#include "domain/user.h"
#include "store/postgres/pg_db.h"

namespace cx::pgrows {

// Reads every row of `r` through `row(rows, &bad)`; the first problem a row reports wins.
template <typename T, typename F>
Result<std::vector<T>> Collect(pg::Rows& r, F row) {
  std::vector<T> out;
  out.reserve(size_t(r.size()));
  Status bad;
  while (r.Next()) out.push_back(row(r, &bad));
  if (!bad.ok()) return bad;
  return out;
}

template <typename T>
Result<std::optional<T>> First(Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows->front()));
}

inline CustomFields ReadCustom(const pg::Rows& r, int col, Status* bad) {
  auto c = CustomFieldsFromJson(r.Text(col));
  if (!c.ok()) {
    *bad = Internal("stored custom fields are corrupt: " + c.status().message());
    return {};
  }
  return *c;
}

inline constexpr const char* kAccountCols =
    "id, name, industry, erp_customer_id, owner, divisions, type, address, city, phone, email, "
    "status, custom, merged_into, created_at, updated_at";

inline Account ReadAccount(const pg::Rows& r, Status* bad) {
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
  a.custom = ReadCustom(r, 12, bad);
  a.merged_into = r.Text(13);
  a.created_at = r.Int(14);
  a.updated_at = r.Int(15);
  return a;
}

// The 19 columns of an account as written, in the order of AddAccount's values.
inline constexpr const char* kAccountWriteCols =
    "id, name, industry, erp_customer_id, owner, divisions, type, address, city, phone, email, "
    "status, custom, merged_into, created_at, updated_at, name_key, phone_key, email_key";
inline void AddAccount(pg::Params* p, const KeyedAccount& k) {
  const Account& a = k.account;
  p->Add(a.id).Add(a.name).Add(a.industry).AddOrNull(a.erp_customer_id).Add(a.owner);
  p->Add(a.divisions).Add(a.type).Add(a.address).Add(a.city).Add(a.phone).Add(a.email);
  p->Add(a.status).Add(k.custom_json).AddOrNull(a.merged_into).Add(a.created_at);
  p->Add(a.updated_at).Add(k.name_key).Add(k.phone_key).Add(k.email_key);
}

inline constexpr const char* kContactCols =
    "id, full_name, job_title, account_id, email, phone, custom, merged_into, created_at, "
    "updated_at";

inline Contact ReadContact(const pg::Rows& r, Status* bad) {
  Contact c;
  c.id = r.Text(0);
  c.full_name = r.Text(1);
  c.job_title = r.Text(2);
  c.account_id = r.Text(3);
  c.email = r.Text(4);
  c.phone = r.Text(5);
  c.custom = ReadCustom(r, 6, bad);
  c.merged_into = r.Text(7);
  c.created_at = r.Int(8);
  c.updated_at = r.Int(9);
  return c;
}

// The 13 values of a contact as written: kContactCols, then name_key, phone_key, email_key.
inline pg::Params ContactParams(const Contact& c) {
  pg::Params p;
  p.Add(c.id).Add(c.full_name).Add(c.job_title).AddOrNull(c.account_id).Add(c.email);
  p.Add(c.phone).Add(CustomFieldsToJson(c.custom)).AddOrNull(c.merged_into).Add(c.created_at);
  p.Add(c.updated_at).Add(PersonKey(c.full_name)).Add(PhoneKey(c.phone)).Add(EmailKey(c.email));
  return p;
}

inline constexpr const char* kInteractionCols =
    "id, at, contact_id, channel, notes, next_action, next_action_due, next_action_owner, "
    "next_action_done, logged_by, division, type, opportunity_id, case_id, checklist, custom, "
    "created_at";

inline Interaction ReadInteraction(const pg::Rows& r, Status* bad) {
  Interaction i;
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
  if (r.TextView(15) != "{}") i.custom = ReadCustom(r, 15, bad);
  i.created_at = r.Int(16);
  return i;
}

// The 17 values of an interaction, in the order of kInteractionCols.
inline void AddInteraction(pg::Params* p, const Interaction& i) {
  p->Add(i.id).Add(i.at).Add(i.contact_id).Add(i.channel).Add(i.notes).Add(i.next_action);
  p->Add(std::optional<int64_t>(i.next_action_due)).Add(i.next_action_owner);
  p->Add(int64_t(i.next_action_done)).Add(i.logged_by).Add(i.division).Add(i.type);
  p->AddOrNull(i.opportunity_id).AddOrNull(i.case_id);
  p->Add(i.checklist.empty() ? std::string_view("{}") : std::string_view(i.checklist));
  p->Add(CustomFieldsToJson(i.custom)).Add(i.created_at);
}

inline constexpr const char* kOpportunityCols =
    "id, account_id, division, owner, amount, stage, created, closed, outcome, lost_reason, title, "
    "custom";

inline Opportunity ReadOpportunity(const pg::Rows& r, Status* bad) {
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
  o.custom = ReadCustom(r, 11, bad);
  return o;
}

inline pg::Params OpportunityParams(const Opportunity& o) {
  pg::Params p;
  p.Add(o.id).Add(o.account_id).Add(o.division).Add(o.owner).Add(o.amount).Add(o.stage);
  p.Add(o.created).Add(std::optional<int64_t>(o.closed)).Add(o.outcome).Add(o.lost_reason);
  p.Add(o.title).Add(CustomFieldsToJson(o.custom));
  return p;
}

inline constexpr const char* kCaseCols =
    "id, account_id, contact_id, division, kind, summary, opened, first_response, "
    "resolution_confirmed, closed, owner, quote_approved, work_started, custom";

inline Case ReadCase(const pg::Rows& r, Status* bad) {
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
  c.custom = ReadCustom(r, 13, bad);
  return c;
}

inline pg::Params CaseParams(const Case& c) {
  using O = std::optional<int64_t>;
  pg::Params p;
  p.Add(c.id).Add(c.account_id).AddOrNull(c.contact_id).Add(c.division).Add(c.kind);
  p.Add(c.summary).Add(c.opened).Add(O(c.first_response)).Add(O(c.resolution_confirmed));
  p.Add(O(c.closed)).Add(c.owner).Add(O(c.quote_approved)).Add(O(c.work_started));
  p.Add(CustomFieldsToJson(c.custom));
  return p;
}

inline constexpr const char* kOrderCols =
    "id, erp_customer_id, date, division, amount, currency, last_modified";
inline Order ReadOrder(const pg::Rows& r, Status*) {
  return Order{r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Real(4), r.Text(5), r.Int(6)};
}

inline constexpr const char* kUserCols =
    "login, name, role, division, password_hash, away, created_at";
inline User ReadUser(const pg::Rows& r, Status*) {
  User u;
  u.login = r.Text(0);
  u.name = r.Text(1);
  u.role = r.Text(2);
  u.division = r.Text(3);
  u.password_hash = r.Text(4);
  u.away = r.Int(5) != 0;
  u.created_at = r.Int(6);
  return u;
}

inline constexpr const char* kFeedbackCols =
    "id, date, account_id, contact_id, division, kind, score, stage, platform, comment, "
    "touchpoint, source";
inline Feedback ReadFeedback(const pg::Rows& r, Status*) {
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
inline pg::Params FeedbackParams(const Feedback& f) {
  pg::Params p;
  p.Add(f.id).Add(f.date).AddOrNull(f.account_id).AddOrNull(f.contact_id).Add(f.division);
  p.Add(f.kind).Add(f.score).Add(f.stage).Add(f.platform).Add(f.comment).Add(f.touchpoint);
  p.Add(f.source);
  return p;
}

// A WHERE clause assembled from optional conditions, each with at most one parameter written
// `?` (numbered $1, $2, … as they are added).
class Where {
 public:
  void Add(const std::string& cond, std::string param) {
    conds_.push_back(Number(cond));
    params_.Add(param);
  }
  void AddInt(const std::string& cond, int64_t v) {
    conds_.push_back(Number(cond));
    params_.Add(v);
  }
  void AddRaw(const std::string& cond) { conds_.push_back(cond); }
  std::string Sql() const {
    std::string out;
    for (size_t i = 0; i < conds_.size(); ++i) out += (i ? " AND " : " WHERE ") + conds_[i];
    return out;
  }
  const pg::Params& params() const { return params_; }

 private:
  std::string Number(const std::string& cond) const {
    std::string out;
    for (char c : cond) {
      if (c == '?')
        out += "$" + std::to_string(params_.size() + 1);
      else
        out += c;
    }
    return out;
  }
  std::vector<std::string> conds_;
  pg::Params params_;
};

// " LIMIT n OFFSET m" (no limit for a negative n), as SQLite's LIMIT -1 reads.
inline std::string Limit(int limit, int offset) {
  std::string out = limit < 0 ? std::string() : " LIMIT " + std::to_string(limit);
  if (offset > 0) out += " OFFSET " + std::to_string(offset);
  return out;
}

// " VALUES ($1, …, $cols), (…)" for `rows` rows of `cols` parameters each: one statement for
// many rows (PostgreSQL takes up to 65535 parameters).
inline std::string ValuesSql(int cols, int rows) {
  std::string out = " VALUES ";
  int n = 0;
  for (int r = 0; r < rows; ++r) {
    out += r ? ",(" : "(";
    for (int c = 0; c < cols; ++c) out += (c ? ",$" : "$") + std::to_string(++n);
    out += ')';
  }
  return out;
}

// The table of each id prefix, for NextId's check; nullptr for an unknown prefix.
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

}  // namespace cx::pgrows
