// PostgreSQL Tx: merges: moving the references of a merged record and back, and the merge
// records (their steps kept as store/logic/merge_steps.h writes them).
#include <nlohmann/json.hpp>

#include "store/logic/merge_steps.h"
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

namespace {

// The column of a row that references an account or a contact.
const char* ReferenceColumn(NameKind k) {
  return k == NameKind::kAccount ? "account_id" : "contact_id";
}

// Whether rows of `e` reference records of kind `k` (and so move in a merge).
bool Refers(Entity e, NameKind k) {
  return k == NameKind::kAccount
             ? (e == Entity::kContact || e == Entity::kOpportunity || e == Entity::kCase ||
                e == Entity::kFeedback)
             : (e == Entity::kInteraction || e == Entity::kCase || e == Entity::kFeedback);
}

constexpr const char* kMergeCols =
    "id, kind, survivor, merged, moved, at, actor, reason, undone_at";

Result<std::vector<MergeRecord>> ReadMerges(pg::Rows& r) {
  std::vector<MergeRecord> out;
  while (r.Next()) {
    MergeRecord m;
    m.id = r.Text(0);
    m.kind = r.Text(1) == "account" ? NameKind::kAccount : NameKind::kContact;
    m.survivor = r.Text(2);
    auto merged = nlohmann::json::parse(r.Text(3), nullptr, false);
    auto moved = MergeStepsFromText(r.Text(4), m.id);
    if (merged.is_discarded() || !merged.is_array() || !moved.ok())
      return Internal("merge record " + m.id + " is corrupt");
    for (const auto& id : merged) {
      if (!id.is_string()) return Internal("merge record " + m.id + " is corrupt");
      m.merged.push_back(id.get<std::string>());
    }
    m.moved = std::move(*moved);
    m.at = r.Int(5);
    m.actor = r.Text(6);
    m.reason = r.Text(7);
    m.undone_at = r.OptInt(8);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

Result<std::vector<MergeStep>> PgTx::MoveReferences(NameKind k, const std::string& from,
                                                    const std::string& to) {
  static const Entity kKinds[] = {Entity::kContact, Entity::kInteraction, Entity::kOpportunity,
                                  Entity::kCase, Entity::kFeedback};
  const std::string column = ReferenceColumn(k);
  std::vector<MergeStep> moved;
  for (Entity e : kKinds) {
    if (!Refers(e, k)) continue;
    // The moved rows in id order (table and column names are fixed strings).
    CX_ASSIGN_OR_RETURN(
        pg::Rows r, db().Query(std::string("WITH moved AS (UPDATE ") + EntityPlural(e) + " SET " +
                                   column + " = $1 WHERE " + column +
                                   " = $2 RETURNING id) SELECT id FROM moved ORDER BY id",
                               pg::Params().Add(to).Add(from)));
    while (r.Next()) moved.push_back(MergeStep::Moved(e, r.Text(0), k));
  }
  return moved;
}

Status PgTx::RestoreReferences(const std::vector<MergeStep>& moved, const std::string& original) {
  for (const auto& m : moved) {
    if (m.type != MergeStep::Type::kMovedRow) return Invalid("only moved rows can be put back");
    if (!Refers(m.entity, m.reference))
      return Internal(std::string("merge record names rows that cannot move: ") +
                      EntityPlural(m.entity));
    CX_RETURN_IF_ERROR(db().Exec(std::string("UPDATE ") + EntityPlural(m.entity) + " SET " +
                                     ReferenceColumn(m.reference) + " = $1 WHERE id = $2",
                                 pg::Params().Add(original).Add(m.id))
                           .status());
  }
  return Status::Ok();
}

Status PgTx::SaveMerge(const MergeRecord& m) {
  return db()
      .Exec(std::string("INSERT INTO merges (") + kMergeCols +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO UPDATE SET "
                "undone_at = excluded.undone_at",
            pg::Params()
                .Add(m.id)
                .Add(m.kind == NameKind::kAccount ? "account" : "contact")
                .Add(m.survivor)
                .Add(nlohmann::json(m.merged).dump())
                .Add(MergeStepsToText(m.moved))
                .Add(m.at)
                .Add(m.actor)
                .Add(m.reason)
                .Add(std::optional<int64_t>(m.undone_at)))
      .status();
}

Result<std::optional<MergeRecord>> PgTx::GetMerge(const std::string& id) {
  CX_ASSIGN_OR_RETURN(pg::Rows r,
                      db().Query(std::string("SELECT ") + kMergeCols + " FROM merges WHERE id = $1",
                                 pg::Params().Add(id)));
  CX_ASSIGN_OR_RETURN(auto rows, ReadMerges(r));
  if (rows.empty()) return std::optional<MergeRecord>();
  return std::optional<MergeRecord>(std::move(rows.front()));
}

Result<std::vector<MergeRecord>> PgTx::ListMerges(int limit) {
  CX_ASSIGN_OR_RETURN(
      pg::Rows r, db().Query(std::string("SELECT ") + kMergeCols +
                             " FROM merges ORDER BY at DESC, id DESC" + pgrows::Limit(limit, 0)));
  return ReadMerges(r);
}

}  // namespace cx
