// SQLite Tx: checklist answers, journey next actions and the facts behind SLA clocks.
#include "store/sqlite/sqlite_tx.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/text.h"

namespace cx {
namespace {

using sqlite::Stmt;

const char* kActionCols =
    "seq, opportunity_id, case_id, action, due, owner, done, created_at, created_by, rule";

JourneyAction ReadAction(const Stmt& s) {
  JourneyAction a;
  a.seq = s.Int(0);
  a.opportunity_id = s.Text(1);
  a.case_id = s.Text(2);
  a.action = s.Text(3);
  a.due = s.OptInt(4);
  a.owner = s.Text(5);
  a.done = s.Int(6) != 0;
  a.created_at = s.Int(7);
  a.created_by = s.Text(8);
  a.rule = s.Text(9);
  return a;
}

Result<std::vector<JourneyAction>> CollectActions(Stmt* s) {
  std::vector<JourneyAction> out;
  while (s->Step()) out.push_back(ReadAction(*s));
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

}  // namespace

Status SqliteTx::AddChecklistAnswer(const ChecklistAnswer& a) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("INSERT INTO checklist_answers (opportunity_id, item, answer, at, by) "
                             "VALUES (?,?,?,?,?)"));
  s->Bind(1, a.opportunity_id).Bind(2, a.item).Bind(3, a.answer).Bind(4, a.at).Bind(5, a.by);
  Status st = s->Run();
  s->Reset();
  return st;
}

Result<std::vector<ChecklistAnswer>> SqliteTx::ChecklistAnswers(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s, db_->Prepare("SELECT opportunity_id, item, answer, at, by FROM checklist_answers "
                             "WHERE opportunity_id = ? ORDER BY at, seq"));
  s->Bind(1, opportunity_id);
  std::vector<ChecklistAnswer> out;
  while (s->Step()) out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Int(3), s->Text(4)});
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> SqliteTx::InsertJourneyAction(const JourneyAction& a) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare(
          "INSERT INTO journey_actions (opportunity_id, case_id, action, due, owner, done, "
          "created_at, created_by, rule) VALUES (?,?,?,?,?,?,?,?,?) RETURNING seq"));
  s->BindOrNull(1, a.opportunity_id)
      .BindOrNull(2, a.case_id)
      .Bind(3, a.action)
      .Bind(4, a.due)
      .Bind(5, a.owner);
  s->Bind(6, int64_t(a.done)).Bind(7, a.created_at).Bind(8, a.created_by).Bind(9, a.rule);
  int64_t seq = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  if (!st.ok()) return st;
  if (seq == 0) return Internal("storing a next action returned no id");
  return seq;
}

Result<std::optional<JourneyAction>> SqliteTx::GetJourneyAction(int64_t seq) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare(std::string("SELECT ") + kActionCols +
                                             " FROM journey_actions WHERE seq = ?"));
  s->Bind(1, seq);
  CX_ASSIGN_OR_RETURN(auto rows, CollectActions(s));
  if (rows.empty()) return std::optional<JourneyAction>();
  return std::optional<JourneyAction>(rows.front());
}

Status SqliteTx::SetJourneyActionDone(int64_t seq, bool done) {
  CX_ASSIGN_OR_RETURN(Stmt * s, db_->Prepare("UPDATE journey_actions SET done = ? WHERE seq = ?"));
  s->Bind(1, int64_t(done)).Bind(2, seq);
  Status st = s->Run();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  if (db_->Changes() == 0)
    return NotFound("next action N-" + std::to_string(seq) + " does not exist");
  return Status::Ok();
}

Result<std::vector<JourneyAction>> SqliteTx::ListJourneyActions(const std::string& opportunity_id,
                                                                const std::string& case_id,
                                                                bool open_only) {
  CX_ASSIGN_OR_RETURN(Stmt * s,
                      db_->Prepare(std::string("SELECT ") + kActionCols +
                                   " FROM journey_actions WHERE (?1 = '' OR opportunity_id = ?1) "
                                   "AND (?2 = '' OR case_id = ?2) AND (?3 = 0 OR done = 0) "
                                   "ORDER BY due IS NULL, due, seq"));
  s->Bind(1, opportunity_id).Bind(2, case_id).Bind(3, int64_t(open_only));
  return CollectActions(s);
}

Status SqliteTx::ForEachSlaOpportunity(
    const std::vector<std::string>& divisions, Timestamp at,
    const std::function<Status(const SlaOpportunityFacts&)>& fn) {
  // Who counts as the owner: a login or a user's name, either side may hold either (ignoring case).
  CX_ASSIGN_OR_RETURN(auto users, ListUsers());
  std::unordered_map<std::string, std::string> person;  // folded login or name → folded login
  for (const auto& u : users) {
    person[AsciiLower(u.login)] = AsciiLower(u.login);
    if (!u.name.empty()) person.emplace(AsciiLower(u.name), AsciiLower(u.login));
  }
  std::string folded;
  auto who = [&](std::string_view s) {
    folded.assign(s);
    for (char& ch : folded)
      if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
    auto it = person.find(folded);
    return it == person.end() ? folded : it->second;
  };
  // Two streams in id order, each read sequentially from a covering index (0002) and
  // merged: the divisions' opportunities, and per opportunity and logger the first
  // interaction at or before `at`. One division's opportunities stream from the index; those
  // of several are read first, each division in id order, and sorted by id, so that the
  // interactions are read once for all of them.
  CX_ASSIGN_OR_RETURN(Stmt * o,
                      db_->Prepare("SELECT id, division, owner, created FROM opportunities "
                                   "WHERE division = ?1 AND created <= ?2 ORDER BY division, id"));
  std::vector<SlaOpportunityFacts> held;
  if (divisions.size() > 1) {
    for (const auto& d : divisions) {
      o->Bind(1, d).Bind(2, at);
      while (o->Step()) {
        SlaOpportunityFacts& h = held.emplace_back();
        h.id = o->Text(0);
        h.division = o->Text(1);
        h.owner = o->Text(2);
        h.created = o->Int(3);
      }
      Status st = o->status();
      o->Reset();
      CX_RETURN_IF_ERROR(st);
    }
    std::sort(
        held.begin(), held.end(),
        [](const SlaOpportunityFacts& a, const SlaOpportunityFacts& b) { return a.id < b.id; });
  } else {
    o->Bind(1, divisions.empty() ? std::string() : divisions[0]).Bind(2, at);
  }
  size_t next_held = 0;
  SlaOpportunityFacts f;
  // The next opportunity into `f`; false at the end.
  auto next = [&]() {
    if (divisions.size() <= 1) {
      if (divisions.empty() || !o->Step()) return false;
      f.id.assign(o->TextView(0));
      f.division.assign(o->TextView(1));
      f.owner.assign(o->TextView(2));
      f.created = o->Int(3);
    } else {
      if (next_held == held.size()) return false;
      f = std::move(held[next_held++]);
    }
    f.first_response.reset();
    f.first_owner_response.reset();
    return true;
  };
  CX_ASSIGN_OR_RETURN(
      Stmt * i,
      db_->Prepare("SELECT opportunity_id, logged_by, MIN(at) FROM interactions "
                   "WHERE opportunity_id IS NOT NULL AND at <= ?1 "
                   "GROUP BY opportunity_id, logged_by ORDER BY opportunity_id, logged_by"));
  i->Bind(1, at);
  Status result;
  bool more = i->Step();
  std::string iid = more ? i->Text(0) : std::string();
  while (next()) {
    while (more && iid < f.id) {
      more = i->Step();
      if (more) iid.assign(i->TextView(0));
    }
    if (more && iid == f.id) {
      const std::string owner = f.owner.empty() ? std::string() : who(f.owner);
      while (more && iid == f.id) {
        Timestamp t = i->Int(2);
        if (!f.first_response || t < *f.first_response) f.first_response = t;
        if (!owner.empty() && (!f.first_owner_response || t < *f.first_owner_response) &&
            who(i->TextView(1)) == owner) {
          f.first_owner_response = t;
        }
        more = i->Step();
        if (more) iid.assign(i->TextView(0));
      }
    }
    result = fn(f);
    if (!result.ok()) break;
  }
  Status st = o->status();
  if (st.ok()) st = i->status();
  o->Reset();
  i->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

Status SqliteTx::ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                                const std::function<Status(const SlaCaseFacts&)>& fn) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      db_->Prepare("SELECT id, division, owner, opened, "
                   " CASE WHEN resolution_confirmed <= ?3 THEN resolution_confirmed END "
                   "FROM cases WHERE kind = ?2 AND (?1 = '' OR division = ?1) AND opened <= ?3"));
  s->Bind(1, division).Bind(2, kind).Bind(3, at);
  Status result;
  SlaCaseFacts f;
  while (s->Step()) {
    f.id.assign(s->TextView(0));
    f.division.assign(s->TextView(1));
    f.owner.assign(s->TextView(2));
    f.opened = s->Int(3);
    f.resolution_confirmed = s->OptInt(4);
    result = fn(f);
    if (!result.ok()) break;
  }
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return result;
}

Result<int64_t> SqliteTx::CountSlaRecords(const std::string& division, const std::string& case_kind,
                                          Timestamp at) {
  CX_ASSIGN_OR_RETURN(
      Stmt * s,
      case_kind.empty()
          ? db_->Prepare("SELECT count(*) FROM opportunities WHERE division = ?1 AND created <= ?3")
          : db_->Prepare(
                "SELECT count(*) FROM cases WHERE kind = ?2 AND (?1 = '' OR division = ?1) "
                "AND opened <= ?3"));
  s->Bind(1, division).Bind(2, case_kind).Bind(3, at);
  int64_t n = s->Step() ? s->Int(0) : 0;
  Status st = s->status();
  s->Reset();
  CX_RETURN_IF_ERROR(st);
  return n;
}

}  // namespace cx
