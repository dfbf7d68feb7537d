// PostgreSQL Tx: every record of a kind streamed in a stable order, for the workbook export and
// other full reads (stream_store.h). Rows come through a cursor in batches, so a hub of millions
// of interactions is never held in memory whole.
#include "store/postgres/pg_tx.h"
#include "store/postgres/pg_tx_rows.h"

namespace cx {

using namespace pgrows;

namespace {

// Streams `sql`'s rows, read by `read`, to `fn`; the first problem stops it.
template <typename T, typename R>
Status Stream(pg::Db& db, const std::string& sql, R read,
              const std::function<Status(const T&)>& fn) {
  return db.ForEachBatch(sql, pg::Params(), [&](pg::Rows& rows) -> Status {
    while (rows.Next()) {
      Status bad;
      T v = read(rows, &bad);
      CX_RETURN_IF_ERROR(bad);
      CX_RETURN_IF_ERROR(fn(v));
    }
    return Status::Ok();
  });
}

}  // namespace

Status PgTx::ForEachAccount(const std::function<Status(const Account&)>& fn) {
  return Stream<Account>(*db_, std::string("SELECT ") + kAccountCols + " FROM accounts ORDER BY id",
                         ReadAccount, fn);
}

Status PgTx::ForEachContact(const std::function<Status(const Contact&)>& fn) {
  return Stream<Contact>(*db_, std::string("SELECT ") + kContactCols + " FROM contacts ORDER BY id",
                         ReadContact, fn);
}

Status PgTx::ForEachInteraction(const std::function<Status(const Interaction&)>& fn) {
  return Stream<Interaction>(
      *db_, std::string("SELECT ") + kInteractionCols + " FROM interactions ORDER BY id",
      ReadInteraction, fn);
}

Status PgTx::ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) {
  return Stream<Opportunity>(
      *db_, std::string("SELECT ") + kOpportunityCols + " FROM opportunities ORDER BY id",
      ReadOpportunity, fn);
}

Status PgTx::ForEachStage(const std::function<Status(const StageEntry&)>& fn) {
  return Stream<StageEntry>(
      *db_,
      "SELECT opportunity_id, stage, entered, \"by\" FROM stage_history "
      "ORDER BY opportunity_id, entered, seq",
      [](const pg::Rows& r, Status*) {
        return StageEntry{r.Text(0), r.Text(1), r.Int(2), r.Text(3)};
      },
      fn);
}

Status PgTx::ForEachCase(const std::function<Status(const Case&)>& fn) {
  return Stream<Case>(*db_, std::string("SELECT ") + kCaseCols + " FROM cases ORDER BY id",
                      ReadCase, fn);
}

Status PgTx::ForEachOrder(const std::function<Status(const Order&)>& fn) {
  return Stream<Order>(*db_, std::string("SELECT ") + kOrderCols + " FROM orders ORDER BY id",
                       ReadOrder, fn);
}

Status PgTx::ForEachFeedback(const std::function<Status(const Feedback&)>& fn) {
  return Stream<Feedback>(*db_,
                          std::string("SELECT ") + kFeedbackCols + " FROM feedback ORDER BY id",
                          ReadFeedback, fn);
}

}  // namespace cx
