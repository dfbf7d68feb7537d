// The storage contract: every read and write of cxhub goes through these
// interfaces. Implementations: sqlite/ (embedded default), postgres/ (server).
// No SQL and no database type appears outside store/.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/account.h"
#include "domain/case.h"
#include "domain/contact.h"
#include "domain/interaction.h"
#include "domain/journey.h"
#include "domain/kpi.h"
#include "domain/opportunity.h"
#include "domain/order.h"
#include "domain/sla.h"
#include "domain/user.h"
#include "store/strategy_store.h"

namespace cx {

// Which kind of named record a search or duplicate query is about.
enum class NameKind { kAccount, kContact };

// A record's contact field that search also reads (besides its name).
enum class KeyField { kPhone, kEmail };

// Filters for listing. Empty strings and nullopt mean "any". Results are ordered
// by id (accounts, contacts) or time (interactions), then limited.
struct AccountFilter {
  std::string division, owner, type, erp_customer_id;
  bool missing_erp_id = false;
  bool include_merged = false;
  int limit = 100;
  int offset = 0;
};
struct ContactFilter {
  std::string account_id;
  bool include_merged = false;
  int limit = 100;
  int offset = 0;
};
struct InteractionFilter {
  std::string contact_id, account_id, opportunity_id, case_id, logged_by, division;
  std::optional<Timestamp> from, to;  // [from, to)
  bool open_next_actions = false;     // only those with a next action not done
  std::string next_action_owner;
  int limit = 100;
  int offset = 0;
  bool newest_first = true;  // by time, then by order of writing; false: order of writing
};
struct OpportunityFilter {
  std::string account_id, division, owner, outcome;
  int limit = 1000;
  int offset = 0;
};
struct CaseFilter {
  std::string account_id, division, kind;
  bool open_only = false;
  int limit = 1000;
  int offset = 0;
};
struct AuditFilter {
  std::string entity, entity_id, actor, action;
  int limit = 200;
  bool newest_first = true;  // by time, then by order of writing; false: order of writing
};

// A vocabulary word of the name index and how many records use it.
struct IndexedWord {
  std::string word;
  int64_t records = 0;
};

// The matching keys of one named record, streamed for duplicate detection.
struct MatchKeys {
  std::string id, name, name_key, phone_key, email_key, account_id;
};

// A probable-duplicate pair kept in the duplicate index (a < b).
struct DupPair {
  std::string a, b;
  double score = 0;
  std::string why;
};

struct DupIndexInfo {
  bool stale = true;    // never built, or a bulk load since
  int64_t records = 0;  // records filed
};

// What a merge moved from the merged record to the survivor, so it can be undone.
struct MovedRef {
  std::string table;   // "contacts", "interactions", "opportunities", "cases", "feedback"
  std::string id;      // the moved row
  std::string column;  // "account_id" or "contact_id"
};

struct MergeRecord {
  std::string id;  // "M-000001"
  NameKind kind = NameKind::kAccount;
  std::string survivor;
  std::vector<std::string> merged;
  std::vector<MovedRef> moved;
  Timestamp at = 0;
  std::string actor, reason;
  std::optional<Timestamp> undone_at;
};

// ---- ERP sync (issue 4): the sync history and the steward's queue. ----
// One applied ERP sync (PRODUCT.md §5): who, which file, counts, watermarks.
struct ErpSyncRecord {
  int64_t seq = 0;
  std::string kind;  // "customers" / "orders"
  std::string actor, file_name, file_sha256, encoding;
  bool full = false, partial = false;
  int64_t rows = 0, created = 0, updated = 0, unchanged = 0, skipped_older = 0, rejected = 0;
  int64_t flagged_missing = 0, proposed_links = 0;
  std::optional<Timestamp> watermark_before, watermark_after;
  Timestamp started_at = 0, finished_at = 0;
};
// One item of the steward's ERP queue: a proposed link of a hub account to an ERP
// customer ("link"), or a linked account missing from a full export ("missing").
struct ErpQueueItem {
  int64_t id = 0;
  std::string kind;  // "link" / "missing"
  std::string account_id, erp_id, why;
  std::string status =
      "open";  // open, accepted, rejected, superseded, acknowledged, dismissed, reappeared
  int64_t sync_seq = 0;
  Timestamp created_at = 0;
  std::optional<Timestamp> decided_at;
  std::string decided_by, reason;
};

// ---- KPI and weekly review facts (area: kpi) ----
// One opportunity whose earliest Stage History row of a stage falls in a period.
struct KpiStageRow {
  std::string id, owner, outcome;
  Timestamp entered = 0;  // earliest entry of the stage asked for
  std::optional<Timestamp> closed;
  std::optional<Timestamp> other_entered;  // earliest entry of the second stage asked for
  std::optional<Timestamp> won_entered;    // earliest Stage History row "won"
};
// One opportunity closed (or created) in a period, with the facts the KPIs need.
struct KpiOpportunityRow {
  std::string id, division, owner, outcome, stage, account_id, lost_reason;
  Timestamp created = 0;
  std::optional<Timestamp> closed;
  std::optional<Timestamp> stage_entered;  // earliest entry of the stage asked for
  std::optional<Timestamp>
      first_response;  // first interaction carrying its id logged by its owner, before a bound
  std::optional<double> amount;
};
// One case with the facts the KPIs need.
struct KpiCaseRow {
  std::string id, division, kind, owner, account_id;
  Timestamp opened = 0;
  std::optional<Timestamp> resolution_confirmed, closed;
  int64_t interactions = 0;  // interactions carrying its id before a bound
};
// Count and sum of order amounts.
struct KpiOrderStats {
  int64_t orders = 0;
  double amount = 0;
};
// Repeat-customer counts for one division and period.
struct KpiRepeatStats {
  int64_t customers = 0, returning = 0;
  std::vector<std::string> returning_ids, other_ids;  // ERP Customer IDs, up to a limit each
};
// One feedback score.
struct KpiFeedbackRow {
  std::string id, division;
  double score = 0;
};
// An account active in a division (interaction via a contact, or order via its ERP Customer ID).
struct KpiActiveAccount {
  std::string division, account_id;
};
// The repeat customer rate's look-back: an order returns when the customer's previous order of
// the division is at most this long before it (PRODUCT.md §7).
inline constexpr int64_t kKpiRepeatGapSeconds = 183 * 86400;
// The accounts active in a period, from the kpi_activity aggregate: how many, and the first ids.
struct KpiActivityCount {
  int64_t accounts = 0;
  std::vector<std::string> ids;  // in id order, at most the limit asked for
};
// Which time of an opportunity a read of the kpi_funnel aggregate takes in the period: the first
// entry of a funnel stage, Closed or Created.
enum class KpiFunnelAxis { kQualified, kQuote, kSigned, kClosed, kCreated };
// One opportunity as the kpi_funnel aggregate keeps it (migration 0011, docs/kpi.md): its facts,
// the earliest Stage History row of each funnel stage (stage names without case), and its first
// response: the earliest interaction carrying its id logged by its owner (as
// KpiCreatedOpportunities matches them), at any time.
struct KpiFunnelRow {
  std::string id, outcome;
  Timestamp created = 0;
  std::optional<Timestamp> closed, qualified, quote, proposal, won, signed_at, first_response;
};
// An open next action.
struct ReviewNextAction {
  std::string interaction_id, owner, next_action, division, contact_id;
  Timestamp due = 0;
};
// The open next actions of one owner (next-action owner, else Logged By, as stored) due before a
// moment: how many, how many of them from a second moment on, the earliest due.
struct ReviewOverdueCount {
  std::string owner;
  int64_t overdue = 0, since = 0;
  Timestamp oldest_due = 0;
};
// Interactions logged by one person in one division.
struct ReviewLogCount {
  std::string logged_by, division;
  int64_t count = 0;
};

// A signed-in browser session of the HTTP API.
struct ApiSession {
  std::string id_hash;  // SHA-256 (hex) of the cookie's value
  std::string login, csrf_token;
  Timestamp created_at = 0, last_seen = 0;
};
// The first answer given to a request with an Idempotency-Key.
struct IdempotentAnswer {
  std::string request_hash;  // SHA-256 of method, path and body
  int status = 0;            // 0 while the first request runs
  std::string body;
};

// The operations of one transaction. Obtained only inside Store::Transaction.
// Every method returns kInternal on a database failure; Get* return nullopt when
// absent; Insert* return kConflict when the id exists.
class Tx : public StrategyStore {
 public:
  virtual ~Tx() = default;

  // A fresh id "PREFIX-NNNNNN" not used by any record of that prefix's table.
  virtual Result<std::string> NextId(const std::string& prefix) = 0;
  // The next number without checking that no record has it: for a table that held no
  // record when the transaction began and gets its ids only from here. (A taken id would
  // then fail its insert as a conflict.)
  virtual Result<std::string> NextIdUnchecked(const std::string& prefix) = 0;

  virtual Result<std::optional<Account>> GetAccount(const std::string& id) = 0;
  virtual Result<std::optional<Account>> FindAccountByErpId(const std::string& erp_id) = 0;
  virtual Status InsertAccount(const Account& a) = 0;
  // Inserts new accounts, many per statement. Errors: kConflict naming the account when an
  // id or ERP Customer ID is taken (nothing of that call written).
  virtual Status InsertAccounts(const std::vector<const KeyedAccount*>& rows) = 0;
  virtual Status UpdateAccount(const Account& a) = 0;
  virtual Result<std::vector<Account>> ListAccounts(const AccountFilter& f) = 0;
  virtual Result<int64_t> CountAccounts(const AccountFilter& f) = 0;

  virtual Result<std::optional<Contact>> GetContact(const std::string& id) = 0;
  virtual Status InsertContact(const Contact& c) = 0;
  virtual Status UpdateContact(const Contact& c) = 0;
  virtual Result<std::vector<Contact>> ListContacts(const ContactFilter& f) = 0;

  virtual Result<std::optional<Interaction>> GetInteraction(const std::string& id) = 0;
  virtual Status InsertInteraction(const Interaction& i) = 0;
  // The same for many (a bulk load): fewer statements, the same errors.
  virtual Status InsertInteractions(const std::vector<Interaction>& rows) = 0;
  virtual Status UpdateInteraction(const Interaction& i) = 0;
  virtual Result<std::vector<Interaction>> ListInteractions(const InteractionFilter& f) = 0;

  virtual Result<std::optional<Opportunity>> GetOpportunity(const std::string& id) = 0;
  virtual Status InsertOpportunity(const Opportunity& o) = 0;
  virtual Status UpdateOpportunity(const Opportunity& o) = 0;
  virtual Result<std::vector<Opportunity>> ListOpportunities(const OpportunityFilter& f) = 0;
  virtual Status AddStage(const StageEntry& e) = 0;
  virtual Result<std::vector<StageEntry>> StageHistory(const std::string& opportunity_id) = 0;

  virtual Result<std::optional<Case>> GetCase(const std::string& id) = 0;
  virtual Status InsertCase(const Case& c) = 0;
  virtual Status UpdateCase(const Case& c) = 0;
  virtual Result<std::vector<Case>> ListCases(const CaseFilter& f) = 0;

  virtual Result<std::optional<Order>> GetOrder(const std::string& id) = 0;
  virtual Status UpsertOrder(const Order& o) = 0;
  // Inserts new orders, many per statement. Errors: kConflict naming the order when an id
  // is taken.
  virtual Status InsertOrders(const std::vector<const Order*>& rows) = 0;

  virtual Status InsertFeedback(const Feedback& f) = 0;

  virtual Result<std::optional<User>> GetUser(const std::string& login) = 0;
  virtual Status UpsertUser(const User& u) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;

  // The audit log is append-only: there is no update or delete.
  virtual Status AppendAudit(AuditEntry e) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) = 0;

  // Name index (kept up to date by Insert*/Update* of accounts and contacts).
  // Words whose deletion variants include any of `variants` (typo tolerance).
  virtual Result<std::vector<IndexedWord>> WordsByVariants(
      NameKind k, const std::vector<std::string>& variants) = 0;
  // Words starting with `prefix`, most used first.
  virtual Result<std::vector<IndexedWord>> WordsByPrefix(NameKind k, const std::string& prefix,
                                                         int limit) = 0;
  // Ids of live (not merged) records whose name has `word`.
  virtual Result<std::vector<std::string>> IdsByWord(NameKind k, const std::string& word,
                                                     int limit) = 0;
  // Ids of live records whose name has a word of at least `min_groups` of the
  // groups (each group: the index words one query word may mean), those matching
  // the most groups first. Reads only the postings of the given words.
  virtual Result<std::vector<std::string>> IdsByWordGroups(
      NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups,
      int limit) = 0;
  // Live records whose name key, phone key or email key equals the given one (empty keys are
  // ignored).
  virtual Result<std::vector<MatchKeys>> FindByKeys(NameKind k, const std::string& name_key,
                                                    const std::string& phone_key,
                                                    const std::string& email_key) = 0;
  // Live records whose phone key or email key (`f`) starts with `prefix` (search as one
  // types a number or an address), at most `limit`, in key order; an empty prefix finds
  // nothing. Reads the key's own index, never every record.
  virtual Result<std::vector<MatchKeys>> FindByKeyPrefix(NameKind k, KeyField f,
                                                         const std::string& prefix, int limit) = 0;
  virtual Result<std::vector<MatchKeys>> GetMatchKeys(NameKind k,
                                                      const std::vector<std::string>& ids) = 0;
  // Calls `fn` for every live record's keys; stops early on a non-ok status.
  virtual Status ForEachMatchKeys(NameKind k,
                                  const std::function<Status(const MatchKeys&)>& fn) = 0;
  // From now on in this transaction, the name index's readers (search-first) skip the
  // entries this transaction has written but not yet flushed, instead of flushing them first:
  // for a bulk load whose search-first concerns only records that existed before it (a flush
  // per row was a sort and a write per row, and made loads into a full hub many times slower;
  // issue 25). The entries still go in at the next run or at the commit.
  virtual void SearchOnlyFlushedNames() = 0;
  // Calls `fn` for the keys of every live account without an ERP id (read through the index
  // of unlinked accounts: the cost follows their number, not the hub's); stops early on a
  // non-ok status.
  virtual Status ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) = 0;
  // The keys of those of `ids` that are live (not merged), in the order of `ids`.
  virtual Result<std::vector<MatchKeys>> GetLiveMatchKeys(NameKind k,
                                                          const std::vector<std::string>& ids) = 0;

  // Duplicate index (0010_duplicates.sql), kept by service/dedupe.cc: each live record filed
  // under its blocking hashes, the probable-duplicate pairs, and the records changed since.
  virtual Result<DupIndexInfo> GetDupIndexInfo(NameKind k) = 0;
  // The distinct ids marked changed since the index was brought up to date.
  virtual Result<std::vector<std::string>> DupDirtyIds(NameKind k) = 0;
  // Replaces the whole index of kind `k`: `ids[i]` is filed under the hashes
  // `hashes[offsets[i]]…hashes[offsets[i + 1] - 1]`, the pairs are `pairs`; clears the dirty
  // marks and the stale flag.
  virtual Status RebuildDupIndex(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<uint64_t>& hashes,
                                 const std::vector<size_t>& offsets,
                                 const std::vector<DupPair>& pairs) = 0;
  // The hashes `id` is filed under, or nullopt when it is not filed.
  virtual Result<std::optional<std::vector<uint64_t>>> DupHashes(NameKind k,
                                                                 const std::string& id) = 0;
  // Files `id` under `hashes` instead of what it was filed under, or unfiles it (nullopt).
  virtual Status FileDupRecord(NameKind k, const std::string& id,
                               const std::optional<std::vector<uint64_t>>& hashes) = 0;
  // Up to `limit` ids of kind `k` filed under `hash`.
  virtual Result<std::vector<std::string>> DupBlock(NameKind k, uint64_t hash, int limit) = 0;
  // Deletes every pair with one of `ids`, inserts `pairs` and clears the dirty marks of `k`.
  virtual Status ReplaceDupPairs(NameKind k, const std::vector<std::string>& ids,
                                 const std::vector<DupPair>& pairs) = 0;
  virtual Result<std::vector<DupPair>> DupPairs(NameKind k) = 0;

  // Merging: repoints every reference to `from` to `to` and returns what moved.
  virtual Result<std::vector<MovedRef>> MoveReferences(NameKind k, const std::string& from,
                                                       const std::string& to) = 0;
  // Points each moved row back at `original`.
  virtual Status RestoreReferences(const std::vector<MovedRef>& moved,
                                   const std::string& original) = 0;
  virtual Status SaveMerge(const MergeRecord& m) = 0;
  virtual Result<std::optional<MergeRecord>> GetMerge(const std::string& id) = 0;
  virtual Result<std::vector<MergeRecord>> ListMerges(int limit) = 0;

  // Small named values (watermarks, versions).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;

  // ---- ERP sync (issue 4) ----
  // Appends a sync record; returns its seq.
  virtual Result<int64_t> InsertErpSync(const ErpSyncRecord& r) = 0;
  // Newest first.
  virtual Result<std::vector<ErpSyncRecord>> ListErpSyncs(int limit) = 0;
  // The watermark after the last applied sync of `kind`, or nullopt.
  virtual Result<std::optional<Timestamp>> ErpWatermark(const std::string& kind) = 0;
  // The id of the account (live or merged) linked to `erp_id`, or nullopt.
  virtual Result<std::optional<std::string>> AccountIdByErpId(const std::string& erp_id) = 0;
  // Every ERP customer id held by an account (live or merged), in no order.
  virtual Result<std::vector<std::string>> ErpCustomerIds() = 0;
  // Inserts a queue item; returns its id.
  virtual Result<int64_t> InsertErpQueueItem(const ErpQueueItem& q) = 0;
  virtual Status UpdateErpQueueItem(const ErpQueueItem& q) = 0;
  virtual Result<std::optional<ErpQueueItem>> GetErpQueueItem(int64_t id) = 0;
  // The newest item of that kind for the account and ERP id, whatever its status.
  virtual Result<std::optional<ErpQueueItem>> FindErpQueueItem(const std::string& kind,
                                                               const std::string& account_id,
                                                               const std::string& erp_id) = 0;
  // Items with `status` (all when empty), oldest first.
  virtual Result<std::vector<ErpQueueItem>> ListErpQueue(const std::string& status, int limit) = 0;
  // The keys (ERP Customer IDs or Order IDs) of the rows of `kind` that a --partial sync
  // rejected and no later row has put right, with the rejected row's Last Modified when it
  // had a valid one (0015_erp_rejected.sql).
  virtual Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> ErpRejectedKeys(
      const std::string& kind) = 0;
  // Records (or records again) a rejected row's key.
  virtual Status PutErpRejected(const std::string& kind, const std::string& key,
                                std::optional<Timestamp> last_modified, int64_t sync_seq,
                                int64_t line, const std::string& reason) = 0;
  // The key was put right: forgets it.
  virtual Status DeleteErpRejected(const std::string& kind, const std::string& key) = 0;
  // Gives this connection a page cache of about `mib` MiB for a large write (a big sync).
  virtual Status ReserveWriteCache(int mib) = 0;

  // ---- workbook import/export (service/workbook_*) ----
  // Streams every record in id order (interactions by id too; stage history by
  // opportunity then entry time), merged ones included; stops at fn's first error.
  virtual Status ForEachAccount(const std::function<Status(const Account&)>& fn) = 0;
  virtual Status ForEachContact(const std::function<Status(const Contact&)>& fn) = 0;
  virtual Status ForEachInteraction(const std::function<Status(const Interaction&)>& fn) = 0;
  virtual Status ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) = 0;
  virtual Status ForEachStage(const std::function<Status(const StageEntry&)>& fn) = 0;
  virtual Status ForEachCase(const std::function<Status(const Case&)>& fn) = 0;
  virtual Status ForEachOrder(const std::function<Status(const Order&)>& fn) = 0;
  virtual Status ForEachFeedback(const std::function<Status(const Feedback&)>& fn) = 0;
  // The custom field names used by any record of a table ("accounts", "contacts",
  // "interactions", "opportunities", "cases"), sorted. Errors: kInvalid for another table.
  virtual Result<std::vector<std::string>> CustomFieldNames(const std::string& table) = 0;
  virtual Result<std::optional<Feedback>> GetFeedback(const std::string& id) = 0;
  // Errors: kNotFound when absent.
  virtual Status UpdateFeedback(const Feedback& f) = 0;
  // Whether a row with this id exists (cheap existence check). Tables as above plus "orders",
  // "feedback".
  virtual Result<bool> Exists(const std::string& table, const std::string& id) = 0;
  // Whether the table holds no row at all (the same tables).
  virtual Result<bool> IsEmpty(const std::string& table) = 0;
  // ---- KPI and weekly review (area: kpi; src/store/sqlite/sqlite_tx_kpi.cc) ----
  // Times are [from, to). `division` "" means every division. Stage names match without case.
  // Opportunities of `division` whose earliest Stage History row of `stage` is in [from, to), with
  // the earliest entry of `other_stage` (any time) and of "won".
  virtual Result<std::vector<KpiStageRow>> KpiFirstStageEntries(const std::string& division,
                                                                const std::string& stage,
                                                                Timestamp from, Timestamp to,
                                                                const std::string& other_stage) = 0;
  // Opportunities of `division` with Closed in [from, to), with the earliest entry of `stage`.
  virtual Result<std::vector<KpiOpportunityRow>> KpiClosedOpportunities(
      const std::string& division, Timestamp from, Timestamp to, const std::string& stage) = 0;
  // Opportunities of `division` created in [from, to), with the first interaction carrying their
  // id, logged by their owner (same text without case, or the same user by login or name), before
  // `response_before`.
  virtual Result<std::vector<KpiOpportunityRow>> KpiCreatedOpportunities(
      const std::string& division, Timestamp from, Timestamp to, Timestamp response_before) = 0;
  // Whether `division` has any opportunity created before `before`.
  virtual Result<bool> KpiAnyOpportunity(const std::string& division, Timestamp before) = 0;
  // Cases of `kind` (and `division`) whose `field` ("opened", "closed", "resolution_confirmed") is
  // in [from, to), with the number of interactions carrying their id before `interactions_before`.
  virtual Result<std::vector<KpiCaseRow>> KpiCases(const std::string& division,
                                                   const std::string& kind,
                                                   const std::string& field, Timestamp from,
                                                   Timestamp to, Timestamp interactions_before) = 0;
  // Orders of `division` dated in [from, to).
  virtual Result<KpiOrderStats> KpiOrders(const std::string& division, Timestamp from,
                                          Timestamp to) = 0;
  virtual Result<std::vector<std::string>> KpiOrderIds(const std::string& division, Timestamp from,
                                                       Timestamp to, int limit) = 0;
  // Customers with an order of `division` in [from, to) and how many returned within `gap` seconds.
  virtual Result<KpiRepeatStats> KpiRepeatCustomers(const std::string& division, Timestamp from,
                                                    Timestamp to, int64_t gap, int id_limit) = 0;
  // Feedback of `kind` dated in [from, to), every division.
  virtual Result<std::vector<KpiFeedbackRow>> KpiFeedback(const std::string& kind, Timestamp from,
                                                          Timestamp to) = 0;
  // Distinct (division, account) pairs active in [from, to): an interaction of a contact of the
  // account, or an order with the account's ERP Customer ID.
  virtual Result<std::vector<KpiActiveAccount>> KpiActiveAccounts(Timestamp from, Timestamp to) = 0;
  // The same accounts from the aggregate of active days (migration 0008, docs/kpi.md). Refresh
  // brings it up to date with the facts written since (a full rebuild when a bulk load marked it
  // stale or it was never built, taking `zone` as its zone); it does nothing when the aggregate
  // is kept in another zone.
  virtual Status RefreshKpiActivity(const Zone& zone) = 0;
  // KpiRepeatCustomers with gap kKpiRepeatGapSeconds over the local days [from_day, to_day], from
  // the same aggregate; nullopt when it is not up to date in `zone`.
  virtual Result<std::optional<KpiRepeatStats>> KpiRepeatCustomersByDay(const Zone& zone,
                                                                        const std::string& division,
                                                                        int64_t from_day,
                                                                        int64_t to_day,
                                                                        int id_limit) = 0;
  // Per series (a division, or "*" for every division together), the accounts active on the local
  // days [from_day, to_day] (days since 1970-01-01 in `zone`) and up to `id_limit` of their ids.
  // nullopt when the aggregate is not up to date in `zone`: the caller falls back to the facts.
  virtual Result<std::optional<std::map<std::string, KpiActivityCount>>> KpiActivityCounts(
      const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
      int id_limit) = 0;
  // Brings the kpi_funnel aggregate (migration 0011) up to date with the opportunities, stage
  // entries, interactions and users written since: the changed opportunities' rows, or every
  // row when it is stale (never built, a user changed, a bulk load) or many changed.
  virtual Status RefreshKpiFunnel() = 0;
  // The opportunities of `division` whose `axis` time is in [from, to), from the aggregate:
  // ordered by id for a stage axis, by (time, id) for kClosed and kCreated. Only what the axis's
  // covering index holds is filled, besides id and the axis time: kQualified quote; kQuote
  // outcome, closed, won; kSigned nothing; kClosed outcome, qualified, proposal; kCreated
  // first_response. nullopt when the aggregate is not up to date or `division` is "" (every
  // division): the caller reads the facts (KpiFirstStageEntries, KpiClosedOpportunities,
  // KpiCreatedOpportunities) instead.
  virtual Result<std::optional<std::vector<KpiFunnelRow>>> KpiFunnel(KpiFunnelAxis axis,
                                                                     const std::string& division,
                                                                     Timestamp from,
                                                                     Timestamp to) = 0;
  // Open next actions due in [from, before) of interactions logged before `before`, oldest first.
  virtual Result<std::vector<ReviewNextAction>> ReviewOverdueNextActions(Timestamp from,
                                                                         Timestamp before,
                                                                         int limit) = 0;
  // The same actions due before `before` counted per owner (`since`: of them, due from `since`
  // on), by owner.
  virtual Result<std::vector<ReviewOverdueCount>> ReviewOverdueCounts(Timestamp before,
                                                                      Timestamp since) = 0;
  // Interactions logged in [from, to), per person and division.
  virtual Result<std::vector<ReviewLogCount>> ReviewLogCounts(Timestamp from, Timestamp to) = 0;
  // Audit entries of `entity`/`field` made in [from, to), oldest first. `field` names a field
  // (kInvalid when empty: rows of created records and of actions have none).
  virtual Result<std::vector<AuditEntry>> ReviewAuditIn(const std::string& entity,
                                                        const std::string& field, Timestamp from,
                                                        Timestamp to) = 0;
  // Open cases of `kind` opened before `before`.
  virtual Result<std::vector<KpiCaseRow>> ReviewOpenCases(const std::string& kind,
                                                          Timestamp before) = 0;
  // Targets a manager stored (they win over the shipped file); SaveKpiTarget replaces (key,
  // division).
  virtual Result<std::vector<KpiTarget>> KpiStoredTargets() = 0;
  virtual Status SaveKpiTarget(const KpiTarget& t, const std::string& set_by, Timestamp at) = 0;
  // ---- journeys: checklist answers, journey next actions, SLA facts (migration 0002) ----
  virtual Status AddChecklistAnswer(const ChecklistAnswer& a) = 0;
  // Every answer recorded for the opportunity, oldest first.
  virtual Result<std::vector<ChecklistAnswer>> ChecklistAnswers(
      const std::string& opportunity_id) = 0;
  // Stores a new journey next action and returns its seq.
  virtual Result<int64_t> InsertJourneyAction(const JourneyAction& a) = 0;
  virtual Result<std::optional<JourneyAction>> GetJourneyAction(int64_t seq) = 0;
  virtual Status SetJourneyActionDone(int64_t seq, bool done) = 0;
  // Journey next actions of an opportunity or case ("" = any), open ones only when `open_only`, by
  // due time.
  virtual Result<std::vector<JourneyAction>> ListJourneyActions(const std::string& opportunity_id,
                                                                const std::string& case_id,
                                                                bool open_only) = 0;
  // Calls `fn` for every opportunity of `division` created at or before `at`,
  // with its first responses at or before `at`; stops early on a non-ok status.
  virtual Status ForEachSlaOpportunity(
      const std::string& division, Timestamp at,
      const std::function<Status(const SlaOpportunityFacts&)>& fn) = 0;
  // Calls `fn` for every case of `division` (any when "") and `kind` opened at or before `at`.
  virtual Status ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                                const std::function<Status(const SlaCaseFacts&)>& fn) = 0;
  // Bulk loading about `incoming` rows into `table` (accounts, contacts, interactions or
  // orders): when that is over four times what the table already holds (a first load; the
  // margin absorbs estimates made from a file's size), its non-unique secondary
  // indexes (but those named in `keep`) are dropped for the rest of the transaction and
  // built again, one sort each, just before it commits — far cheaper than placing each new
  // row at a random spot of every index. Unique indexes always stay; partial ones stay unless
  // the table is empty (and is not interactions, whose partial indexes pick few rows). The table's
  // triggers that keep the KPI activity aggregate are dropped too and the aggregate is marked for a
  // full rebuild at its next use. Returns how many indexes were deferred (0 when the load is small
  // next to the table).
  virtual Result<int> DeferIndexesForBulk(const std::string& table, int64_t incoming,
                                          const std::vector<std::string>& keep) = 0;
  // How many records the matching ForEachSla* call would visit: the opportunities of
  // `division` when `case_kind` is empty, else the cases of that kind (from an index alone).
  virtual Result<int64_t> CountSlaRecords(const std::string& division, const std::string& case_kind,
                                          Timestamp at) = 0;

  // ---- signing in to the HTTP API (0022_api_access.sql; sqlite_tx_access.cc) ----
  // Sessions and tokens are found by the SHA-256 of their secret, never by the secret.
  virtual Status InsertApiSession(const ApiSession& s) = 0;
  virtual Result<std::optional<ApiSession>> GetApiSession(const std::string& id_hash) = 0;
  virtual Status TouchApiSession(const std::string& id_hash, Timestamp at) = 0;
  virtual Status DeleteApiSession(const std::string& id_hash) = 0;
  // Ends every session of `login` (password change, disabling).
  virtual Status DeleteApiSessionsOf(const std::string& login) = 0;
  virtual Status InsertApiToken(const std::string& hash, const std::string& login,
                                Timestamp at) = 0;
  // The login a token belongs to, or nullopt.
  virtual Result<std::optional<std::string>> ApiTokenLogin(const std::string& hash) = 0;
  virtual Status AddLoginFailure(const std::string& key, Timestamp at) = 0;
  // Failures of `key` at or after `since`; forgets those before it.
  virtual Result<int64_t> CountLoginFailures(const std::string& key, Timestamp since) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;
  // Reserves (login, key) for a request with status 0. Returns the stored answer instead
  // when the pair is already there (status 0: the first request is still running).
  virtual Result<std::optional<IdempotentAnswer>> ReserveIdempotencyKey(
      const std::string& login, const std::string& key, const std::string& request_hash,
      Timestamp at) = 0;
  virtual Status SaveIdempotentAnswer(const std::string& login, const std::string& key, int status,
                                      const std::string& body) = 0;
  virtual Status ForgetIdempotencyKey(const std::string& login, const std::string& key) = 0;
  virtual Status SetUserDisabled(const std::string& login, bool disabled, Timestamp at) = 0;
  virtual Result<bool> IsUserDisabled(const std::string& login) = 0;
};

// A database. Thread-compatible: one Store per thread, or external locking.
class Store {
 public:
  virtual ~Store() = default;
  // Applies every migration not yet applied, each in its own transaction.
  virtual Status Migrate() = 0;
  // The schema version applied (0 for an empty database).
  virtual Result<int> SchemaVersion() = 0;
  // Runs `fn` in one transaction: commits when it returns ok, rolls back otherwise
  // (and when it throws). The Tx must not escape `fn`.
  virtual Status Transaction(const std::function<Status(Tx&)>& fn) = 0;
  // The same, for a transaction that writes a great deal (an import, an ERP sync). Same
  // guarantees; the store may journal it differently so that each new page is written once.
  virtual Status BulkTransaction(const std::function<Status(Tx&)>& fn) = 0;
  // Writes a consistent copy of the whole database to `path` while others keep using it.
  virtual Status Backup(const std::string& path) = 0;
  // Database size in bytes (for the hub's health report).
  virtual Result<int64_t> SizeBytes() = 0;
};

// Opens a store from a URL: "sqlite:PATH", a bare path, or "postgresql://…".
// Does not migrate. Errors: kInvalid for an unknown scheme, kInternal when the
// database cannot be opened.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

// The database file a store URL names ("sqlite:PATH" or a bare path), as OpenStore reads it;
// "" for a server URL or a URL naming no file. The command line protects it (and its -wal,
// -journal, -shm companions) from being written over and tells a missing hub from a new one.
std::string StoreFilePath(const std::string& url);

}  // namespace cx
