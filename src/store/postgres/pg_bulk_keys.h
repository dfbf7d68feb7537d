// The accounts' keys during an ERP sync's first load on PostgreSQL (pg_tx_bulk_keys.cc).
#pragma once

#include "base/status.h"
#include "store/postgres/pg_tx.h"

namespace cx::pgbulk {

// Into an EMPTY accounts table, an ERP sync's first load (ExpectBulkLoad, pg_tx_bulk.cc) takes
// off, at its first COPY of accounts, the accounts' unique keys (the primary key when every
// table whose foreign key names it is empty too, and the unique index of ERP Customer IDs) and
// the foreign key of merged accounts, and builds them again with one sort each just before the
// commit, or before the first statement of the transaction that could read or need them (its
// text names the accounts or a table whose foreign key was taken off); the COPYs of the load's
// accounts are the statements that go without them. A key repeated by the load fails that
// build, and the account at fault is named as a failed COPY named it: "account A-… cannot be
// stored: its id or ERP Customer ID … is taken".
void MayDeferAccountKeys(PgTx& tx);
// Called before each COPY into accounts: takes the keys off at the first one after
// MayDeferAccountKeys, when the table is still empty. Returns how many keys went off (0: none —
// not announced, already off, the table not empty, a role that may not alter the tables).
Result<int> BeforeAccountsCopy(PgTx& tx);

}  // namespace cx::pgbulk
