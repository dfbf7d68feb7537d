// The SQLite Tx: every query of store.h for one open transaction.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/logic/name_plan.h"
#include "store/sqlite/db.h"
#include "store/sqlite/match_key_cache.h"
#include "store/sqlite/sqlite_account_row.h"
#include "store/store.h"

namespace cx {

// The table of the records of an Entity is named EntityPlural(e) (domain/entity.h).
class SqliteTx : public Tx {
 public:
  // `writable` false: a read transaction (Store::Read), in which the refreshes of derived
  // tables do nothing.
  explicit SqliteTx(sqlite::Db* db, bool writable = true) : db_(db), writable_(writable) {}

  // A read transaction's match keys come from `cache` (shared by the process's stores of the
  // hub) while its generation is `gen`, the one the transaction began under; the keys read
  // for its misses are kept there (docs/search.md, "Speed"). Never for a write transaction,
  // which may see its own uncommitted changes.
  void UseKeyCache(sqlite::MatchKeyCache* cache, uint64_t gen) {
    if (!writable_) key_cache_ = cache, key_gen_ = gen;
  }

  // Writes back what the transaction holds in memory (new name index entries, id
  // counters); the store calls it before COMMIT.
  Status Finish();

  Result<std::string> NextId(const std::string& prefix) override;
  Result<std::string> NextIdUnchecked(const std::string& prefix) override;
  Result<std::string> NextIdOfMany(const std::string& prefix) override;

  Result<std::optional<Account>> GetAccount(const std::string& id) override;
  Result<std::optional<Account>> FindAccountByErpId(const std::string& erp_id) override;
  Status InsertAccount(const Account& a) override;
  Status InsertAccounts(const std::vector<const KeyedAccount*>& rows) override;
  Status UpdateAccount(const Account& a) override;
  Result<std::vector<Account>> ListAccounts(const AccountFilter& f) override;
  Result<int64_t> CountAccounts(const AccountFilter& f) override;

  Result<std::optional<Contact>> GetContact(const std::string& id) override;
  Status InsertContact(const Contact& c) override;
  Status UpdateContact(const Contact& c) override;
  Result<std::vector<Contact>> ListContacts(const ContactFilter& f) override;

  Result<std::optional<Interaction>> GetInteraction(const std::string& id) override;
  Status InsertInteraction(const Interaction& i) override;
  Status InsertInteractions(const std::vector<Interaction>& rows) override;
  Status UpdateInteraction(const Interaction& i) override;
  Result<std::vector<Interaction>> ListInteractions(const InteractionFilter& f) override;

  Result<std::optional<Opportunity>> GetOpportunity(const std::string& id) override;
  Status InsertOpportunity(const Opportunity& o) override;
  Status UpdateOpportunity(const Opportunity& o) override;
  Result<std::vector<Opportunity>> ListOpportunities(const OpportunityFilter& f) override;
  Status AddStage(const StageEntry& e) override;
  Result<std::vector<StageEntry>> StageHistory(const std::string& opportunity_id) override;

  Result<std::optional<Case>> GetCase(const std::string& id) override;
  Status InsertCase(const Case& c) override;
  Status UpdateCase(const Case& c) override;
  Result<std::vector<Case>> ListCases(const CaseFilter& f) override;

  Result<std::optional<Order>> GetOrder(const std::string& id) override;
  Status UpsertOrder(const Order& o) override;
  Status InsertOrders(const std::vector<const Order*>& rows) override;
  Status InsertFeedback(const Feedback& f) override;

  Result<std::optional<User>> GetUser(const std::string& login) override;
  Status UpsertUser(const User& u) override;
  Result<std::vector<User>> ListUsers() override;

  Status AppendAudit(AuditEntry e) override;
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override;

  Result<std::vector<IndexedWord>> WordsByVariants(
      NameKind k, const std::vector<std::string>& variants) override;
  Result<std::vector<IndexedWord>> WordsByPrefix(NameKind k, const std::string& prefix,
                                                 int limit) override;
  Result<std::vector<std::string>> IdsByWord(NameKind k, const std::string& word,
                                             int limit) override;
  Result<std::vector<std::string>> IdsByWordGroups(
      NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups,
      int limit) override;
  Result<std::vector<std::string>> IdsByTwoGroups(
      NameKind k, const std::array<std::vector<std::string>, 2>& groups, int limit, int few,
      int either) override;
  Result<std::vector<MatchKeys>> FindByKeys(NameKind k, const std::string& name_key,
                                            const std::string& phone_key,
                                            const std::string& email_key) override;
  Result<std::vector<MatchKeys>> FindByKeyPrefix(NameKind k, KeyField f, const std::string& prefix,
                                                 int limit) override;
  Result<std::vector<MatchKeys>> GetMatchKeys(NameKind k,
                                              const std::vector<std::string>& ids) override;
  Status GetMatchKeyViews(NameKind k, const std::vector<std::string>& ids,
                          MatchKeyViews* out) override;
  Status ForEachMatchKeys(NameKind k, const std::function<Status(const MatchKeys&)>& fn) override;
  void SearchOnlyFlushedNames() override { search_only_flushed_names_ = true; }
  void KeepMatchKeys() override;
  std::optional<uint64_t> SearchVisibleRewrites() override {
    return db_->record_rewrites() + name_index_writes_;
  }
  Status ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) override;
  Result<std::vector<MatchKeys>> GetLiveMatchKeys(NameKind k,
                                                  const std::vector<std::string>& ids) override;
  Result<DupIndexInfo> GetDupIndexInfo(NameKind k) override;
  Result<std::vector<std::string>> DupDirtyIds(NameKind k) override;
  Status RebuildDupIndex(NameKind k, const std::vector<std::string>& ids,
                         const std::vector<uint64_t>& hashes, const std::vector<size_t>& offsets,
                         const std::vector<DupPair>& pairs) override;
  Result<std::vector<std::optional<std::vector<uint64_t>>>> DupHashes(
      NameKind k, const std::vector<std::string>& ids) override;
  Status FileDupRecords(NameKind k, const std::vector<DupFiling>& records) override;
  Result<std::vector<std::vector<std::string>>> DupBlocks(NameKind k,
                                                          const std::vector<uint64_t>& hashes,
                                                          int limit) override;
  Status ReplaceDupPairs(NameKind k, const std::vector<std::string>& ids,
                         const std::vector<DupPair>& pairs) override;
  Result<std::vector<DupPair>> DupPairs(NameKind k) override;

  Result<std::vector<MergeStep>> MoveReferences(NameKind k, const std::string& from,
                                                const std::string& to) override;
  Status RestoreReferences(const std::vector<MergeStep>& moved,
                           const std::string& original) override;
  Status SaveMerge(const MergeRecord& m) override;
  Result<std::optional<MergeRecord>> GetMerge(const std::string& id) override;
  Result<std::vector<MergeRecord>> ListMerges(int limit) override;

  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  Status SetSetting(const std::string& key, const std::string& value) override;

  // ERP sync (docs/erp.md), in sqlite_tx_erp.cc.
  Result<int64_t> InsertErpSync(const ErpSyncRecord& r) override;
  Result<std::vector<ErpSyncRecord>> ListErpSyncs(int limit) override;
  Result<std::optional<Timestamp>> ErpWatermark(const std::string& kind) override;
  Result<std::vector<std::pair<std::string, std::optional<Timestamp>>>> ErpRejectedKeys(
      const std::string& kind) override;
  Status PutErpRejected(const std::string& kind, const std::string& key,
                        std::optional<Timestamp> last_modified, int64_t sync_seq, int64_t line,
                        const std::string& reason) override;
  Status DeleteErpRejected(const std::string& kind, const std::string& key) override;
  Result<std::optional<std::string>> AccountIdByErpId(const std::string& erp_id) override;
  Result<std::vector<std::string>> ErpCustomerIds() override;
  Result<int64_t> InsertErpQueueItem(const ErpQueueItem& q) override;
  Status UpdateErpQueueItem(const ErpQueueItem& q) override;
  Result<std::optional<ErpQueueItem>> GetErpQueueItem(int64_t id) override;
  Result<std::optional<ErpQueueItem>> FindErpQueueItem(const std::string& kind,
                                                       const std::string& account_id,
                                                       const std::string& erp_id) override;
  Result<std::vector<ErpQueueItem>> ListErpQueue(const std::string& status, int limit) override;
  Status ReserveLargeWriteMemory(int mib) override;

  // Name index maintenance (used by the account and contact writers).
  Status IndexName(NameKind k, const std::string& id, const std::vector<std::string>& words);
  Status UnindexName(NameKind k, const std::string& id, const std::vector<std::string>& words);

  // ---- signing in to the HTTP API (sqlite_tx_access.cc) ----
  Status InsertApiSession(const ApiSession& s) override;
  Result<std::optional<ApiSession>> GetApiSession(const std::string& id_hash) override;
  Status TouchApiSession(const std::string& id_hash, Timestamp at) override;
  Status DeleteApiSession(const std::string& id_hash) override;
  Status DeleteApiSessionsOf(const std::string& login) override;
  Status InsertApiToken(const std::string& hash, const std::string& login, Timestamp at) override;
  Result<std::optional<std::string>> ApiTokenLogin(const std::string& hash) override;
  Result<std::optional<User>> UserOfApiToken(const std::string& hash) override;
  Status AddLoginFailure(const std::string& key, Timestamp at) override;
  Result<int64_t> CountLoginFailures(const std::string& key, Timestamp since) override;
  Status ClearLoginFailures(const std::string& key) override;
  Result<std::optional<IdempotentAnswer>> ReserveIdempotencyKey(const std::string& login,
                                                                const std::string& key,
                                                                const std::string& request_hash,
                                                                Timestamp at) override;
  Status SaveIdempotentAnswer(const std::string& login, const std::string& key, int status,
                              const std::string& body) override;
  Status ForgetIdempotencyKey(const std::string& login, const std::string& key) override;
  Status SetUserDisabled(const std::string& login, bool disabled, Timestamp at) override;
  Result<bool> IsUserDisabled(const std::string& login) override;

  // ---- workbook import/export (sqlite_tx_workbook.cc) ----
  Status ForEachAccount(const std::function<Status(const Account&)>& fn) override;
  Status ForEachContact(const std::function<Status(const Contact&)>& fn) override;
  Status ForEachInteraction(const std::function<Status(const Interaction&)>& fn) override;
  Status ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) override;
  Status ForEachStage(const std::function<Status(const StageEntry&)>& fn) override;
  Status ForEachCase(const std::function<Status(const Case&)>& fn) override;
  Status ForEachOrder(const std::function<Status(const Order&)>& fn) override;
  Status ForEachFeedback(const std::function<Status(const Feedback&)>& fn) override;
  Result<std::vector<std::string>> CustomFieldNames(Entity e) override;
  Result<std::optional<Feedback>> GetFeedback(const std::string& id) override;
  Status UpdateFeedback(const Feedback& f) override;
  Result<bool> Exists(Entity e, const std::string& id) override;
  Result<bool> IsEmpty(Entity e) override;
  // ---- KPI and weekly review (area: kpi; sqlite_tx_kpi.cc) ----
  Result<std::vector<KpiStageRow>> KpiFirstStageEntries(const std::string& division,
                                                        const std::string& stage, Timestamp from,
                                                        Timestamp to,
                                                        const std::string& other_stage) override;
  Result<std::vector<KpiOpportunityRow>> KpiClosedOpportunities(const std::string& division,
                                                                Timestamp from, Timestamp to,
                                                                const std::string& stage) override;
  Result<std::vector<KpiOpportunityRow>> KpiCreatedOpportunities(
      const std::string& division, Timestamp from, Timestamp to,
      Timestamp response_before) override;
  Result<bool> KpiAnyOpportunity(const std::string& division, Timestamp before) override;
  Result<std::vector<KpiCaseRow>> KpiCases(const std::string& division, const std::string& kind,
                                           const std::string& field, Timestamp from, Timestamp to,
                                           Timestamp interactions_before) override;
  Result<KpiOrderStats> KpiOrders(const std::string& division, Timestamp from,
                                  Timestamp to) override;
  Result<std::vector<std::string>> KpiOrderIds(const std::string& division, Timestamp from,
                                               Timestamp to, int limit) override;
  Result<KpiRepeatStats> KpiRepeatCustomers(const std::string& division, Timestamp from,
                                            Timestamp to, int64_t gap, int id_limit) override;
  Result<std::vector<KpiFeedbackRow>> KpiFeedback(const std::string& kind, Timestamp from,
                                                  Timestamp to) override;
  Result<std::vector<KpiActiveAccount>> KpiActiveAccounts(Timestamp from, Timestamp to) override;
  Status RefreshKpiActivity(const Zone& zone) override;
  Result<std::optional<KpiRepeatStats>> KpiRepeatCustomersByDay(const Zone& zone,
                                                                const std::string& division,
                                                                int64_t from_day, int64_t to_day,
                                                                int id_limit) override;
  Result<std::optional<std::map<std::string, KpiActivityCount>>> KpiActivityCounts(
      const Zone& zone, int64_t from_day, int64_t to_day, const std::vector<std::string>& series,
      int id_limit) override;
  Status RefreshKpiFunnel() override;
  Result<std::optional<std::vector<KpiFunnelRow>>> KpiFunnel(KpiFunnelAxis axis,
                                                             const std::string& division,
                                                             Timestamp from, Timestamp to) override;
  Result<std::vector<ReviewNextAction>> ReviewOverdueNextActions(Timestamp from, Timestamp before,
                                                                 int limit) override;
  Result<std::vector<ReviewOverdueCount>> ReviewOverdueCounts(Timestamp before,
                                                              Timestamp since) override;
  Result<std::vector<ReviewLogCount>> ReviewLogCounts(Timestamp from, Timestamp to) override;
  Result<std::vector<AuditEntry>> ReviewAuditIn(const std::string& entity, const std::string& field,
                                                Timestamp from, Timestamp to) override;
  Result<std::vector<KpiCaseRow>> ReviewOpenCases(const std::string& kind,
                                                  Timestamp before) override;
  Result<std::vector<KpiTarget>> KpiStoredTargets() override;
  Status SaveKpiTarget(const KpiTarget& t, const std::string& set_by, Timestamp at) override;
  // ---- journeys (sqlite_tx_journeys.cc) ----
  Status AddChecklistAnswer(const ChecklistAnswer& a) override;
  Result<std::vector<ChecklistAnswer>> ChecklistAnswers(const std::string& opportunity_id) override;
  Result<int64_t> InsertJourneyAction(const JourneyAction& a) override;
  Result<std::optional<JourneyAction>> GetJourneyAction(int64_t seq) override;
  Status SetJourneyActionDone(int64_t seq, bool done) override;
  Result<std::vector<JourneyAction>> ListJourneyActions(const std::string& opportunity_id,
                                                        const std::string& case_id,
                                                        bool open_only) override;
  Status ForEachSlaOpportunity(
      const std::vector<std::string>& divisions, Timestamp at,
      const std::function<Status(const SlaOpportunityFacts&)>& fn) override;
  Status ForEachSlaCase(const std::string& division, const std::string& kind, Timestamp at,
                        const std::function<Status(const SlaCaseFacts&)>& fn) override;
  Result<int> ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape shape) override;
  // ExpectBulkLoad for the table `table`: when `incoming` is over four times what it holds,
  // drops its non-unique secondary indexes (but those named in `keep`; partial ones unless the
  // table is empty and is not interactions) and the triggers that keep the KPI aggregates and
  // the duplicate index, marking those for a full rebuild; Finish builds the indexes and
  // triggers again. Returns how many indexes were deferred.
  Result<int> DeferIndexesForBulk(const std::string& table, int64_t incoming,
                                  const std::vector<std::string>& keep);
  Result<int64_t> CountSlaRecords(const std::string& division, const std::string& case_kind,
                                  Timestamp at) override;
  // ---- strategy area (sqlite_tx_strategy.cc) ----
  Result<int64_t> AppendStrategyVersion(Timestamp saved_at, const std::string& saved_by,
                                        const std::string& body) override;
  Result<std::optional<StoredStrategy>> GetStrategyVersion(int64_t version) override;
  Result<std::vector<StoredStrategy>> ListStrategyVersions() override;
  Result<std::vector<CemStepState>> ListCemSteps(int year) override;
  Status SaveCemStep(const CemStepState& s) override;
  Result<std::vector<DiscoveryQuestion>> ListDiscoveryAnswers() override;
  Status SaveDiscoveryAnswer(const DiscoveryQuestion& q, bool added) override;
  Result<std::vector<PlanTask>> ListPlanProgress() override;
  Status SavePlanProgress(const PlanTask& t) override;
  Status InsertHubFeedback(const HubFeedback& f) override;
  Result<std::vector<HubFeedback>> ListHubFeedback(Timestamp from, Timestamp to,
                                                   int limit) override;
  Result<std::vector<FeedbackTally>> CountFeedback(Timestamp from, Timestamp to,
                                                   bool by_division_stage) override;

  // ---- touchpoints and feedback measures (sqlite_tx_touchpoint.cc, sqlite_tx_feedback.cc) ----
  Status InsertTouchpoint(const Touchpoint& t) override;
  Status UpdateTouchpoint(const Touchpoint& t) override;
  Result<std::optional<Touchpoint>> GetTouchpoint(const std::string& id) override;
  Result<std::vector<Touchpoint>> ListTouchpoints(const std::string& division) override;
  Status SetOpportunitySource(const std::string& opportunity_id,
                              const std::string& touchpoint_id) override;
  Result<std::string> OpportunitySource(const std::string& opportunity_id) override;
  Result<std::vector<std::pair<std::string, std::string>>> OpportunitySources() override;
  Result<std::vector<std::pair<std::string, std::string>>> NewsletterDates() override;
  Result<std::vector<TouchpointLeads>> TouchpointLeadCounts(Timestamp from, Timestamp to,
                                                            Timestamp won_before) override;
  Result<std::vector<FeedbackGroupTally>> FeedbackTallies(const std::string& kind,
                                                          const std::string& division,
                                                          Timestamp from, Timestamp to,
                                                          FeedbackGroup by) override;
  Result<std::vector<TouchpointFeedback>> TouchpointFeedbackTallies(Timestamp from,
                                                                    Timestamp to) override;
  Result<std::vector<std::string>> FeedbackIds(const std::string& kind, const std::string& division,
                                               const std::string& touchpoint, Timestamp from,
                                               Timestamp to, int limit) override;
  Status SetNewsletter(const std::string& contact_id, const std::string& date) override;
  Result<std::string> Newsletter(const std::string& contact_id) override;
  Result<int64_t> CountNewsletterSignups(const std::string& from_date,
                                         const std::string& to_date) override;
  Result<std::vector<std::string>> NewsletterContacts(const std::string& from_date,
                                                      const std::string& to_date,
                                                      int limit) override;
  Status InsertSurveyToken(const SurveyToken& t) override;
  Result<std::optional<SurveyToken>> GetSurveyToken(const std::string& nonce_hash) override;
  Result<bool> UseSurveyToken(const std::string& nonce_hash, Timestamp at,
                              const std::string& feedback_id) override;

  // check_store.h (sqlite_tx_check.cc).
  Result<std::vector<std::string>> CheckStorage(int limit) override;
  Result<std::vector<std::string>> CheckReferences(int limit) override;
  Result<AuditLogFacts> GetAuditLogFacts() override;
  Status ForEachNamePosting(NameKind k,
                            const std::function<Status(const NamePosting&)>& fn) override;
  // CheckStorage when integrity_check itself cannot run (`why`): each table and index read
  // alone, the damaged ones named.
  Result<std::vector<std::string>> TreeByTree(const Status& why, int limit);

  // copy_store.h (sqlite_tx_copy.cc).
  Result<std::vector<CopyTable>> CopyTables() override;
  Status ReadCopyRows(const CopyTable& table, int batch,
                      const std::function<Status(std::vector<CopyRow>&)>& fn) override;
  Result<std::optional<std::string>> FirstHeldTable() override;
  Result<std::map<std::string, int64_t>> CopySerials() override;
  Status BeginCopy() override;
  Status AppendCopyRows(const CopyTable& table, const std::vector<CopyRow>& rows) override;
  Status FinishCopy(const std::map<std::string, int64_t>& serials) override;

 private:
  // Applies dup_blocks_recent to dup_blocks and empties it (0064).
  Status FoldDupBlocks();
  // Deletes the duplicate log's marks of `kind` (taken by a refresh or a rebuild); raises the
  // match key version when it deleted any, since the log's last row, part of the version,
  // may then come back (store/sqlite/sqlite_store.cc, KeyCacheGeneration).
  Status TakeDupMarks(int64_t kind);
  Status FileDupRecord(NameKind k, const DupFiling& record);
  // Writes the buffered name index entries, sorted (bulk inserts touch each page once);
  // every read of the name index calls it first.
  Status FlushNames();
  // FlushNames before a read of the name index, unless SearchOnlyFlushedNames was called.
  Status FlushNamesForRead() { return search_only_flushed_names_ ? Status::Ok() : FlushNames(); }
  // IdsByWordGroups by reading every posting of every word (any number of groups); the public
  // one reads less for one or two groups.
  Result<std::vector<std::string>> IdsByWordGroupsRead(
      NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups, int limit);
  // The steps of FlushNames (sqlite_tx_names.cc). PlanNames reads only the pending entries
  // (it sorts them in place), never the database: FlushNamesAlongside runs it on a second
  // thread while this one rebuilds deferred indexes. WriteNames writes what it planned.
  struct NamePlan;
  Result<std::array<bool, 2>> KindsWithoutBlocks();  // kinds with no block in the index yet
  void PlanNames(const std::array<bool, 2>& no_blocks, bool with_variants, NamePlan* plan);
  Status WriteNames(NamePlan* plan);
  void ClearPendingNames();
  // FlushNames around `work` (on this thread): a bulk load's many entries, beside the
  // rebuild of its deferred indexes, are planned on a second thread meanwhile.
  Status FlushNamesAlongside(const std::function<Status()>& work);
  static constexpr size_t kNamesPlannedAside = 4096;  // entries worth a thread
  // Builds the indexes and triggers that DeferIndexesForBulk dropped.
  Status BuildDeferredIndexes();
  // Writes the buffered audit entries in order; every read of the audit log calls it first.
  Status FlushAudit();
  // Rebuilds the kpi_activity aggregate from every interaction and order, in `zone`.
  Status RebuildKpiActivity(const Zone& zone);
  // Rebuilds every row of the kpi_funnel aggregate from the facts (sqlite_tx_kpi_funnel.cc).
  Status RebuildKpiFunnel();

  sqlite::Db* db_;
  sqlite::MatchKeyCache* key_cache_ = nullptr;  // UseKeyCache
  uint64_t key_gen_ = 0;
  // KeepMatchKeys: this write transaction's own cache of match keys (only GetMatchKeys uses it;
  // the name index's facts are not kept), emptied whenever a row of accounts or contacts was
  // updated or deleted since (the connection's count of those, `own_rewrites_` when last
  // seen).
  std::unique_ptr<sqlite::MatchKeyCache> own_keys_;
  uint64_t own_rewrites_ = 0;
  // GetMatchKeys from the index, kAtOnce ids a statement.
  Result<std::vector<MatchKeys>> ReadMatchKeys(NameKind k, const std::vector<std::string>& ids);
  // The keys of `ids` not `hit` in `cache`, read from the index in id order (each once) and
  // put into `cache` under `gen`.
  Result<std::vector<MatchKeys>> ReadMisses(NameKind k, const std::vector<std::string>& ids,
                                            const std::vector<bool>& hit,
                                            sqlite::MatchKeyCache* cache, uint64_t gen);
  // The name index entries waiting to be written (store/logic/name_plan.h).
  PendingNames pending_names_;
  bool search_only_flushed_names_ = false;
  // How many times this transaction wrote name index entries (a flush, an unindexed record):
  // part of SearchVisibleRewrites.
  uint64_t name_index_writes_ = 0;
  // Per kind: whether the index held none of its words when this transaction first added one.
  // Then every entry waits for one sorted write (8 bytes each); else they go in bounded runs.
  std::optional<bool> name_index_was_empty_[2];
  std::vector<AuditEntry> pending_audit_;
  // The account last read by id or ERP id (or last compared by UpdateAccount): where it is
  // stored (its rowid) and its row as it was then, with the connection's count of rows written
  // at that moment. A weekly ERP delta reads and then updates thousands of accounts: while no
  // row has been written since, UpdateAccount compares with that copy instead of reading the
  // row again; else it reads the row at that rowid, checking the id, instead of through the id
  // index. (A savepoint rolled back would undo writes without lowering the count: the store
  // opens none.) Empty id: none.
  std::string last_account_id_;
  int64_t last_account_rowid_ = 0;
  int64_t last_account_writes_ = -1;
  sqlite::StoredAccountRow last_account_row_;
  // Rows inserted, updated or deleted on this connection so far (triggers' included).
  int64_t RowsWritten() const;
  // The one account `s` (selecting kAccountCols, then rowid, then the three keys) finds,
  // remembered as above.
  Result<std::optional<Account>> OneAccount(sqlite::Stmt* s);
  std::vector<std::string> deferred_indexes_;  // CREATE INDEX/TRIGGER statements for Finish
  // ---- ids (sqlite_tx_ids.cc) ----
  // Each id looked up in its table, none, or the numbers read a range at a time.
  enum class IdCheck { kEach, kNone, kByRange };
  Result<std::string> NextId(const std::string& prefix, IdCheck check);
  struct IdCounter {
    int64_t last = 0;               // the last number handed out
    sqlite::Stmt* probe = nullptr;  // whether an id is taken
    // NextIdOfMany's range: the ids of the table from one number to range_last, and of those
    // the numbers that are taken (ascending) with the first not yet passed.
    sqlite::Stmt* range = nullptr;
    int64_t range_last = 0;
    std::vector<int64_t> taken;
    size_t next_taken = 0;
  };
  Result<std::string> NextIdByRange(const std::string& prefix, const char* table, IdCounter& c);
  std::unordered_map<std::string, IdCounter> counters_;  // by id prefix

 public:
  // ---- account_history_store.h (sqlite_tx_account_history.cc) ----
  Result<std::vector<Order>> OrdersOfCustomer(const std::string& erp_customer_id, int limit,
                                              int offset) override;
  Result<std::vector<Feedback>> FeedbackOfAccount(const std::string& account_id, int limit,
                                                  int offset) override;

  // ---- lock_store.h ----
  bool Writable() const override { return writable_; }

 private:
  bool writable_;
};

}  // namespace cx
