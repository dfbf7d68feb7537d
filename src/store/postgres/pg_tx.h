// The PostgreSQL Tx: every operation of store.h for one open transaction. Each area's methods
// live in their own file (pg_tx_<area>.cc, named on each group below); an area keeps its private
// helpers in its own file or in a pg_<area>_*.h header, never as members here, and keeps state
// it needs between calls in AreaState() (docs/postgresql.md).
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/postgres/pg_db.h"
#include "store/store.h"

namespace cx {

class PgTx final : public Tx {
 public:
  // `writable` false: a read transaction (Store::Read, READ ONLY), in which the refreshes of
  // derived tables do nothing.
  PgTx(pg::Db* db, bool writable) : db_(db), writable_(writable) {}
  ~PgTx() override;
  PgTx(const PgTx&) = delete;
  PgTx& operator=(const PgTx&) = delete;

  // ---- infrastructure (pg_tx.cc) ----
  // The connection, for every area file's queries.
  pg::Db& db() { return *db_; }
  // State an area keeps for the length of this transaction (a buffer, a cache), created empty
  // on first use. One type per key; the key names the area ("names.pending").
  template <typename T>
  T& AreaState(const std::string& key) {
    std::any& slot = state_[key];
    if (!slot.has_value()) slot = T();
    return *std::any_cast<T>(&slot);
  }
  // Registers work to run just before COMMIT, in order of registration (writing out what an
  // area buffered); an error rolls the transaction back. Only in a writable transaction.
  void BeforeCommit(std::function<Status()> fn) { before_commit_.push_back(std::move(fn)); }
  // Runs the BeforeCommit work; the store calls it before COMMIT.
  Status Finish();
  // Sets the connection's statement watch (pg::Db::SetStatementWatch) for this transaction's
  // remaining statements; it goes with the transaction. nullptr: none.
  void WatchStatements(std::function<Status(std::string_view sql)> watch);

  // ---- lock_store.h (here) ----
  bool Writable() const override;

  // ---- record_store.h (pg_tx_records.cc, pg_tx_records_more.cc; COPY: pg_tx_records_copy.cc) ----
  Result<std::string> NextId(const std::string& prefix) override;
  Result<std::string> NextIdUnchecked(const std::string& prefix) override;
  // As NextId: each id looked up (PostgreSQL reads no ranges of ids yet).
  Result<std::string> NextIdOfMany(const std::string& prefix) override { return NextId(prefix); }
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
  Result<std::optional<Feedback>> GetFeedback(const std::string& id) override;
  Status UpdateFeedback(const Feedback& f) override;
  Result<bool> Exists(Entity e, const std::string& id) override;
  Result<bool> IsEmpty(Entity e) override;
  Result<std::vector<std::string>> CustomFieldNames(Entity e) override;

  // ---- stream_store.h (pg_tx_stream.cc) ----
  Status ForEachAccount(const std::function<Status(const Account&)>& fn) override;
  Status ForEachContact(const std::function<Status(const Contact&)>& fn) override;
  Status ForEachInteraction(const std::function<Status(const Interaction&)>& fn) override;
  Status ForEachOpportunity(const std::function<Status(const Opportunity&)>& fn) override;
  Status ForEachStage(const std::function<Status(const StageEntry&)>& fn) override;
  Status ForEachCase(const std::function<Status(const Case&)>& fn) override;
  Status ForEachOrder(const std::function<Status(const Order&)>& fn) override;
  Status ForEachFeedback(const std::function<Status(const Feedback&)>& fn) override;

  // ---- audit_store.h (pg_tx_audit.cc) ----
  Status AppendAudit(AuditEntry e) override;
  Result<std::vector<AuditEntry>> ListAudit(const AuditFilter& f) override;

  // ---- setting_store.h (pg_tx_setting.cc) ----
  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  Status SetSetting(const std::string& key, const std::string& value) override;

  // ---- access_store.h (pg_tx_access.cc) ----
  Status InsertApiSession(const ApiSession& s) override;
  Result<std::optional<ApiSession>> GetApiSession(const std::string& id_hash) override;
  Status TouchApiSession(const std::string& id_hash, Timestamp at) override;
  Status DeleteApiSession(const std::string& id_hash) override;
  Status DeleteApiSessionsOf(const std::string& login) override;
  Status InsertApiToken(const std::string& hash, const std::string& login, Timestamp at) override;
  Result<std::optional<std::string>> ApiTokenLogin(const std::string& hash) override;
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

  // ---- check_store.h (pg_tx_check.cc) ----
  Result<std::vector<std::string>> CheckStorage(int limit) override;
  Result<std::vector<std::string>> CheckReferences(int limit) override;
  Result<AuditLogFacts> GetAuditLogFacts() override;
  // (ForEachNamePosting is the name index's: pg_tx_names.cc.)

  // ---- name_index_store.h (pg_tx_names.cc) ----
  Result<std::vector<IndexedWord>> WordsByVariants(
      NameKind k, const std::vector<std::string>& variants) override;
  Result<std::vector<IndexedWord>> WordsByPrefix(NameKind k, const std::string& prefix,
                                                 int limit) override;
  Result<std::vector<std::string>> IdsByWord(NameKind k, const std::string& word,
                                             int limit) override;
  Result<std::vector<std::string>> IdsByWordGroups(
      NameKind k, const std::vector<std::vector<std::string>>& groups, int min_groups,
      int limit) override;
  Result<std::vector<MatchKeys>> FindByKeys(NameKind k, const std::string& name_key,
                                            const std::string& phone_key,
                                            const std::string& email_key) override;
  Result<std::vector<MatchKeys>> FindByKeyPrefix(NameKind k, KeyField f, const std::string& prefix,
                                                 int limit) override;
  Result<std::vector<MatchKeys>> GetMatchKeys(NameKind k,
                                              const std::vector<std::string>& ids) override;
  Status ForEachMatchKeys(NameKind k, const std::function<Status(const MatchKeys&)>& fn) override;
  void SearchOnlyFlushedNames() override;
  Status ForEachUnlinkedAccountKeys(const std::function<Status(const MatchKeys&)>& fn) override;
  Result<std::vector<MatchKeys>> GetLiveMatchKeys(NameKind k,
                                                  const std::vector<std::string>& ids) override;
  Status ForEachNamePosting(NameKind k,
                            const std::function<Status(const NamePosting&)>& fn) override;
  // Name index upkeep, called by the account and contact writers (pg_tx_records.cc) for a
  // live record's name words: added when it is stored or renamed, removed when renamed or
  // merged away.
  Status IndexName(NameKind k, const std::string& id, const std::vector<std::string>& words);
  Status UnindexName(NameKind k, const std::string& id, const std::vector<std::string>& words);

  // ---- duplicate_store.h (pg_tx_duplicate.cc) ----
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

  // ---- merge_store.h (pg_tx_merge.cc) ----
  Result<std::vector<MergeStep>> MoveReferences(NameKind k, const std::string& from,
                                                const std::string& to) override;
  Status RestoreReferences(const std::vector<MergeStep>& moved,
                           const std::string& original) override;
  Status SaveMerge(const MergeRecord& m) override;
  Result<std::optional<MergeRecord>> GetMerge(const std::string& id) override;
  Result<std::vector<MergeRecord>> ListMerges(int limit) override;

  // ---- erp_store.h (pg_tx_erp.cc) ----
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

  // ---- copy_store.h (pg_tx_copy.cc) ----
  Result<std::vector<CopyTable>> CopyTables() override;
  Status ReadCopyRows(const CopyTable& table, int batch,
                      const std::function<Status(std::vector<CopyRow>&)>& fn) override;
  Result<std::optional<std::string>> FirstHeldTable() override;
  Result<std::map<std::string, int64_t>> CopySerials() override;
  Status BeginCopy() override;
  Status AppendCopyRows(const CopyTable& table, const std::vector<CopyRow>& rows) override;
  Status FinishCopy(const std::map<std::string, int64_t>& serials) override;

  // ---- bulk_load_store.h (pg_tx_bulk.cc) ----
  Result<int> ExpectBulkLoad(Entity entity, int64_t expected_rows, BulkShape shape) override;
  Status ReserveLargeWriteMemory(int mib) override;

  // ---- touchpoint_store.h (pg_tx_touchpoint.cc) ----
  Status InsertTouchpoint(const Touchpoint& t) override;
  Status UpdateTouchpoint(const Touchpoint& t) override;
  Result<std::optional<Touchpoint>> GetTouchpoint(const std::string& id) override;
  Result<std::vector<Touchpoint>> ListTouchpoints(const std::string& division) override;
  Status SetOpportunitySource(const std::string& opportunity_id,
                              const std::string& touchpoint_id) override;
  Result<std::string> OpportunitySource(const std::string& opportunity_id) override;
  Result<std::vector<std::pair<std::string, std::string>>> OpportunitySources() override;
  Result<std::vector<TouchpointLeads>> TouchpointLeadCounts(Timestamp from, Timestamp to,
                                                            Timestamp won_before) override;

  // ---- feedback_store.h (pg_tx_feedback.cc) ----
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
  Result<std::vector<std::pair<std::string, std::string>>> NewsletterDates() override;
  Result<int64_t> CountNewsletterSignups(const std::string& from_date,
                                         const std::string& to_date) override;
  Result<std::vector<std::string>> NewsletterContacts(const std::string& from_date,
                                                      const std::string& to_date,
                                                      int limit) override;
  Status InsertSurveyToken(const SurveyToken& t) override;
  Result<std::optional<SurveyToken>> GetSurveyToken(const std::string& nonce_hash) override;
  Result<bool> UseSurveyToken(const std::string& nonce_hash, Timestamp at,
                              const std::string& feedback_id) override;

  // ---- account_history_store.h (pg_tx_account_history.cc) ----
  Result<std::vector<Order>> OrdersOfCustomer(const std::string& erp_customer_id, int limit,
                                              int offset) override;
  Result<std::vector<Feedback>> FeedbackOfAccount(const std::string& account_id, int limit,
                                                  int offset) override;

  // ---- strategy_store.h (pg_tx_strategy.cc) ----
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

  // ---- record_batch_store.h (pg_tx_record_batch.cc) ----
  Result<std::vector<Opportunity>> GetOpportunities(const std::vector<std::string>& ids) override;
  Result<std::vector<Case>> GetCases(const std::vector<std::string>& ids) override;

  // ---- kpi_store.h (pg_tx_kpi.cc and its pg_tx_kpi_*.cc splits) ----
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

  // ---- journey_store.h (pg_tx_journey.cc) ----
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
  Result<int64_t> CountSlaRecords(const std::string& division, const std::string& case_kind,
                                  Timestamp at) override;

 private:
  // Folds the rows kpi_order_days' triggers added into one per day (pg_tx_kpi.cc).
  Status FoldKpiOrderDays();

  pg::Db* db_;
  bool writable_;
  std::unordered_map<std::string, std::any> state_;
  std::vector<std::function<Status()>> before_commit_;
  bool watching_ = false;
};

}  // namespace cx
