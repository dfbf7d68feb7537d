// PostgreSQL Tx: checklist answers, journey next actions and the facts behind SLA clocks
// (journey_store.h; tables and indexes of 0002_journeys.sql and 0005_sla_cases.sql).
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/text.h"
#include "store/postgres/pg_kpi_util.h"
#include "store/postgres/pg_tx.h"

namespace cx {
namespace {

using pg::Params;
using pgkpi::TextArrayParam;

const char* kActionCols =
    "seq, opportunity_id, case_id, action, due, owner, done, created_at, created_by, rule";

Result<std::vector<JourneyAction>> CollectActions(Result<pg::Rows> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<JourneyAction> out;
  while (rows->Next()) {
    const pg::Rows& s = *rows;
    JourneyAction a;
    a.seq = s.Int(0);
    a.opportunity_id = s.Text(1);
    a.case_id = s.Text(2);
    a.action = s.Text(3);
    a.due = s.OptInt(4);
    a.owner = s.Text(5);
    a.done = s.Bool(6);
    a.created_at = s.Int(7);
    a.created_by = s.Text(8);
    a.rule = s.Text(9);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

Status PgTx::AddChecklistAnswer(const ChecklistAnswer& a) {
  return db_
      ->Exec(
          "INSERT INTO checklist_answers (opportunity_id, item, answer, at, \"by\") VALUES "
          "($1, $2, $3, $4, $5)",
          Params().Add(a.opportunity_id).Add(a.item).Add(a.answer).Add(a.at).Add(a.by))
      .status();
}

Result<std::vector<ChecklistAnswer>> PgTx::ChecklistAnswers(const std::string& opportunity_id) {
  CX_ASSIGN_OR_RETURN(pg::Rows rows,
                      db_->Query("SELECT opportunity_id, item, answer, at, \"by\" FROM "
                                 "checklist_answers WHERE opportunity_id = $1 ORDER BY at, seq",
                                 Params().Add(opportunity_id)));
  std::vector<ChecklistAnswer> out;
  while (rows.Next()) {
    out.push_back({rows.Text(0), rows.Text(1), rows.Text(2), rows.Int(3), rows.Text(4)});
  }
  return out;
}

Result<int64_t> PgTx::InsertJourneyAction(const JourneyAction& a) {
  Params p;
  p.AddOrNull(a.opportunity_id).AddOrNull(a.case_id).Add(a.action).Add(a.due).Add(a.owner);
  p.Add(a.done).Add(a.created_at).Add(a.created_by).Add(a.rule);
  CX_ASSIGN_OR_RETURN(
      pg::Rows rows,
      db_->Query("INSERT INTO journey_actions (opportunity_id, case_id, action, due, owner, done, "
                 "created_at, created_by, rule) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                 "RETURNING seq",
                 p));
  if (!rows.Next()) return Internal("storing a next action returned no id");
  return rows.Int(0);
}

Result<std::optional<JourneyAction>> PgTx::GetJourneyAction(int64_t seq) {
  CX_ASSIGN_OR_RETURN(
      auto rows, CollectActions(db_->Query(
                     std::string("SELECT ") + kActionCols + " FROM journey_actions WHERE seq = $1",
                     Params().Add(seq))));
  if (rows.empty()) return std::optional<JourneyAction>();
  return std::optional<JourneyAction>(std::move(rows.front()));
}

Status PgTx::SetJourneyActionDone(int64_t seq, bool done) {
  CX_ASSIGN_OR_RETURN(int64_t changed,
                      db_->Exec("UPDATE journey_actions SET done = $1 WHERE seq = $2",
                                Params().Add(done).Add(seq)));
  if (changed == 0) return NotFound("next action N-" + std::to_string(seq) + " does not exist");
  return Status::Ok();
}

Result<std::vector<JourneyAction>> PgTx::ListJourneyActions(const std::string& opportunity_id,
                                                            const std::string& case_id,
                                                            bool open_only) {
  return CollectActions(db_->Query(
      std::string("SELECT ") + kActionCols +
          " FROM journey_actions WHERE ($1::text = '' OR opportunity_id = $1) AND ($2::text = '' "
          "OR case_id = $2) AND (NOT $3::boolean OR NOT done) ORDER BY due IS NULL, due, seq",
      Params().Add(opportunity_id).Add(case_id).Add(open_only)));
}

Status PgTx::ForEachSlaOpportunity(const std::vector<std::string>& divisions, Timestamp at,
                                   const std::function<Status(const SlaOpportunityFacts&)>& fn) {
  // Who counts as the owner: a login or a user's name, either side may hold either (ignoring
  // case), as the SQLite store matches them.
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
  // One stream in id order: each opportunity of the divisions with, per logger, its first
  // interaction at or before `at` (the server joins the two covering indexes of 0002). The
  // grouping of the interactions is of every opportunity's: one statement for all the
  // divisions asked does it once (the SLA clocks of two divisions read it twice before).
  SlaOpportunityFacts f;
  std::string owner;
  bool open = false;
  Status result;
  Status st = db_->ForEachBatch(
      "SELECT o.id, o.division, o.owner, o.created, i.logged_by, i.first FROM opportunities o "
      "LEFT JOIN (SELECT opportunity_id, logged_by, min(at) AS first FROM interactions WHERE "
      "opportunity_id IS NOT NULL AND at <= $2 GROUP BY opportunity_id, logged_by) i ON "
      "i.opportunity_id = o.id WHERE o.division = ANY($1::text[]) AND o.created <= $2 ORDER BY "
      "o.id",
      Params().Add(TextArrayParam(divisions)).Add(at),
      [&](pg::Rows& rows) -> Status {
        while (rows.Next()) {
          if (!open || f.id != rows.TextView(0)) {
            if (open) {
              result = fn(f);
              if (!result.ok()) return result;
            }
            open = true;
            f.id.assign(rows.TextView(0));
            f.division.assign(rows.TextView(1));
            f.owner.assign(rows.TextView(2));
            f.created = rows.Int(3);
            f.first_response.reset();
            f.first_owner_response.reset();
            owner = f.owner.empty() ? std::string() : who(f.owner);
          }
          if (rows.IsNull(5)) continue;
          const Timestamp t = rows.Int(5);
          if (!f.first_response || t < *f.first_response) f.first_response = t;
          if (!owner.empty() && (!f.first_owner_response || t < *f.first_owner_response) &&
              who(rows.TextView(4)) == owner) {
            f.first_owner_response = t;
          }
        }
        return Status::Ok();
      },
      5000);
  if (!result.ok()) return result;
  CX_RETURN_IF_ERROR(st);
  if (open) return fn(f);
  return Status::Ok();
}

Status PgTx::ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                            const std::function<Status(const SlaCaseFacts&)>& fn) {
  // In the order of the covering index cases_sla (kind, opened, division, id), as SQLite reads.
  SlaCaseFacts f;
  Status result;
  Status st = db_->ForEachBatch(
      "SELECT id, division, owner, opened, CASE WHEN resolution_confirmed <= $3 THEN "
      "resolution_confirmed END FROM cases WHERE kind = $2 AND ($1::text = '' OR division = $1) "
      "AND opened <= $3 ORDER BY opened, division, id",
      Params().Add(division).Add(kind).Add(at),
      [&](pg::Rows& rows) -> Status {
        while (rows.Next()) {
          f.id.assign(rows.TextView(0));
          f.division.assign(rows.TextView(1));
          f.owner.assign(rows.TextView(2));
          f.opened = rows.Int(3);
          f.resolution_confirmed = rows.OptInt(4);
          result = fn(f);
          if (!result.ok()) return result;
        }
        return Status::Ok();
      },
      5000);
  if (!result.ok()) return result;
  return st;
}

Result<int64_t> PgTx::CountSlaRecords(const std::string& division, const std::string& case_kind,
                                      Timestamp at) {
  Result<pg::Rows> rows =
      case_kind.empty()
          ? db_->Query("SELECT count(*) FROM opportunities WHERE division = $1 AND created <= $2",
                       Params().Add(division).Add(at))
          : db_->Query(
                "SELECT count(*) FROM cases WHERE kind = $2 AND ($1::text = '' OR "
                "division = $1) AND opened <= $3",
                Params().Add(division).Add(case_kind).Add(at));
  if (!rows.ok()) return rows.status();
  return rows->Next() ? rows->Int(0) : 0;
}

}  // namespace cx
