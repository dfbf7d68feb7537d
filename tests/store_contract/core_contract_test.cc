// The store contract, the hub's own machinery: the audit log (append-only, numbered without a
// gap even across rolled-back transactions), sign-in state (sessions, tokens, throttle,
// idempotency, disabled users), streams in byte order, the checks of a sound hub, and how
// readers and writers on two connections to one hub meet.
#include <gtest/gtest.h>

#include <cstdlib>

#include "store_contract/store_contract.h"

namespace cx {
namespace {

using testing::MakeAccount;
using testing::MakeContact;
using testing::StoreContract;

AuditEntry Entry(const std::string& id, Timestamp at, const std::string& action = "create") {
  AuditEntry e;
  e.at = at;
  e.actor = "cli";
  e.action = action;
  e.entity = "account";
  e.entity_id = id;
  return e;
}

TEST_F(StoreContract, TheAuditLogKeepsItsOrderAndHasNoGapAfterARollback) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.AppendAudit(Entry("A-1", 100)).ok());
    ASSERT_TRUE(tx.AppendAudit(Entry("A-2", 100)).ok());
  });
  // A transaction that fails leaves no entry and no hole in the numbering.
  Status st = store_->Transaction([&](Tx& tx) -> Status {
    CX_RETURN_IF_ERROR(tx.AppendAudit(Entry("A-3", 200)));
    CX_RETURN_IF_ERROR(tx.ListAudit(AuditFilter{}).status());  // written out, then rolled back
    return Invalid("changed my mind");
  });
  EXPECT_EQ(st.code(), Code::kInvalid);
  InTx([&](Tx& tx) {
    AuditEntry e = Entry("A-1", 300, "update");
    e.field = "City";
    e.before = "Lagos";
    e.after = "Abuja";
    e.reason = "moved";
    ASSERT_TRUE(tx.AppendAudit(e).ok());
  });
  InTx([&](Tx& tx) {
    AuditFilter oldest;
    oldest.newest_first = false;
    auto all = tx.ListAudit(oldest);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].seq, 1);
    EXPECT_EQ((*all)[0].entity_id, "A-1");
    EXPECT_EQ((*all)[1].entity_id, "A-2");
    EXPECT_EQ((*all)[2].seq, 3);
    EXPECT_EQ((*all)[2].after, "Abuja");
    EXPECT_EQ((*all)[2].reason, "moved");
    AuditFilter newest;
    newest.entity_id = "A-1";
    auto mine = tx.ListAudit(newest);
    ASSERT_EQ(mine->size(), 2u);
    EXPECT_EQ((*mine)[0].action, "update");  // newest first
    auto facts = tx.GetAuditLogFacts();
    ASSERT_TRUE(facts.ok()) << facts.status().ToString();
    EXPECT_EQ(facts->rows, 3);
    EXPECT_EQ(facts->min_seq, 1);
    EXPECT_EQ(facts->max_seq, 3);
    EXPECT_EQ(facts->highest_ever, 3);
    EXPECT_TRUE(facts->missing_guards.empty());
  });
}

// The user a bearer token signs in (one look-up for every API request that sends one): the
// token's user with every field, nobody for an unknown token, a disabled user, or a token whose
// user is gone; a user enabled again signs in again.
TEST_F(StoreContract, ATokenSignsInItsUserUnlessDisabled) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.UpsertUser(User{"job", "Nightly Job", "erp", "north", "", true, 42}).ok());
    ASSERT_TRUE(tx.UpsertUser(User{"off", "Off", "sales", "", "x", false, 7}).ok());
    ASSERT_TRUE(tx.InsertApiToken("t-job", "job", 5).ok());
    ASSERT_TRUE(tx.InsertApiToken("t-off", "off", 5).ok());
    ASSERT_TRUE(tx.InsertApiToken("t-gone", "nobody", 5).ok());
    ASSERT_TRUE(tx.SetUserDisabled("off", true, 9).ok());
  });
  InTx([&](Tx& tx) {
    auto job = tx.UserOfApiToken("t-job");
    ASSERT_TRUE(job.ok()) << job.status().ToString();
    ASSERT_TRUE(job->has_value());
    EXPECT_EQ((*job)->login, "job");
    EXPECT_EQ((*job)->name, "Nightly Job");
    EXPECT_EQ((*job)->role, "erp");
    EXPECT_EQ((*job)->division, "north");
    EXPECT_TRUE((*job)->away);
    EXPECT_EQ((*job)->created_at, 42);
    for (const char* token : {"t-off", "t-gone", "t-none", ""}) {
      auto u = tx.UserOfApiToken(token);
      ASSERT_TRUE(u.ok()) << u.status().ToString();
      EXPECT_FALSE(u->has_value()) << token;
    }
    ASSERT_TRUE(tx.SetUserDisabled("off", false, 10).ok());
    auto off = tx.UserOfApiToken("t-off");
    ASSERT_TRUE(off.ok() && off->has_value());
    EXPECT_EQ((*off)->login, "off");
  });
}

TEST_F(StoreContract, SignInStateIsKeptInTheStore) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertApiSession(ApiSession{"h1", "sam", "csrf1", 10, 10}).ok());
    ASSERT_TRUE(tx.InsertApiSession(ApiSession{"h2", "sam", "csrf2", 11, 11}).ok());
    ASSERT_TRUE(tx.InsertApiSession(ApiSession{"h3", "ada", "csrf3", 12, 12}).ok());
    ASSERT_TRUE(tx.TouchApiSession("h1", 50).ok());
    ASSERT_TRUE(tx.InsertApiToken("t1", "job", 5).ok());
    for (Timestamp at : {100, 200, 300}) ASSERT_TRUE(tx.AddLoginFailure("login:sam", at).ok());
  });
  InTx([&](Tx& tx) {
    auto s = tx.GetApiSession("h1");
    ASSERT_TRUE(s.ok() && s->has_value());
    EXPECT_EQ((*s)->login, "sam");
    EXPECT_EQ((*s)->csrf_token, "csrf1");
    EXPECT_EQ((*s)->last_seen, 50);
    EXPECT_FALSE(tx.GetApiSession("nope")->has_value());
    EXPECT_EQ(**tx.ApiTokenLogin("t1"), "job");
    EXPECT_FALSE(tx.ApiTokenLogin("t2")->has_value());
    EXPECT_EQ(*tx.CountLoginFailures("login:sam", 150), 2);
    EXPECT_EQ(*tx.CountLoginFailures("login:sam", 0), 2);  // those before 150 were forgotten
    ASSERT_TRUE(tx.ClearLoginFailures("login:sam").ok());
    EXPECT_EQ(*tx.CountLoginFailures("login:sam", 0), 0);
    ASSERT_TRUE(tx.DeleteApiSessionsOf("sam").ok());
    EXPECT_FALSE(tx.GetApiSession("h2")->has_value());
    EXPECT_TRUE(tx.GetApiSession("h3")->has_value());
    ASSERT_TRUE(tx.DeleteApiSession("h3").ok());
    EXPECT_FALSE(tx.GetApiSession("h3")->has_value());
  });
  InTx([&](Tx& tx) {
    auto first = tx.ReserveIdempotencyKey("sam", "k1", "hash-a", 10);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_FALSE(first->has_value());
    auto running = tx.ReserveIdempotencyKey("sam", "k1", "hash-a", 11);
    ASSERT_TRUE(running.ok() && running->has_value());
    EXPECT_EQ((*running)->status, 0);  // the first request still runs
    ASSERT_TRUE(tx.SaveIdempotentAnswer("sam", "k1", 201, "{\"id\":\"I-1\"}").ok());
    EXPECT_FALSE(tx.ReserveIdempotencyKey("ada", "k1", "hash-b", 12)->has_value());  // per login
  });
  InTx([&](Tx& tx) {
    auto again = tx.ReserveIdempotencyKey("sam", "k1", "hash-a", 20);
    ASSERT_TRUE(again.ok() && again->has_value());
    EXPECT_EQ((*again)->status, 201);
    EXPECT_EQ((*again)->body, "{\"id\":\"I-1\"}");
    EXPECT_EQ((*again)->request_hash, "hash-a");
    ASSERT_TRUE(tx.ForgetIdempotencyKey("sam", "k1").ok());
    EXPECT_FALSE(tx.ReserveIdempotencyKey("sam", "k1", "hash-c", 21)->has_value());
    EXPECT_FALSE(*tx.IsUserDisabled("sam"));
    ASSERT_TRUE(tx.SetUserDisabled("sam", true, 30).ok());
    ASSERT_TRUE(tx.SetUserDisabled("sam", true, 31).ok());  // twice is fine
    EXPECT_TRUE(*tx.IsUserDisabled("sam"));
    ASSERT_TRUE(tx.SetUserDisabled("sam", false, 32).ok());
    EXPECT_FALSE(*tx.IsUserDisabled("sam"));
  });
}

TEST_F(StoreContract, StreamsAndListingsComeInByteOrder) {
  InTx([&](Tx& tx) {
    // Upper case sorts before lower case, '-' before digits, as bytes compare.
    for (const char* id : {"a-1", "A-10", "A-9", "B-1", "A-1"})
      ASSERT_TRUE(tx.InsertAccount(MakeAccount(id, std::string("Firm ") + id)).ok());
  });
  const std::vector<std::string> want = {"A-1", "A-10", "A-9", "B-1", "a-1"};
  InTx([&](Tx& tx) {
    std::vector<std::string> streamed;
    ASSERT_TRUE(tx.ForEachAccount([&](const Account& a) -> Status {
                    streamed.push_back(a.id);
                    return Status::Ok();
                  }).ok());
    EXPECT_EQ(streamed, want);
    std::vector<std::string> listed;
    auto accounts = tx.ListAccounts(AccountFilter{});
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    for (const auto& a : *accounts) listed.push_back(a.id);
    EXPECT_EQ(listed, want);
    // A stream stops at the first error it is given back.
    int seen = 0;
    Status st = tx.ForEachAccount(
        [&](const Account&) -> Status { return ++seen == 2 ? Invalid("enough") : Status::Ok(); });
    EXPECT_EQ(st.code(), Code::kInvalid);
    EXPECT_EQ(seen, 2);
  });
}

TEST_F(StoreContract, ASoundHubPassesItsOwnChecks) {
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok());
    ASSERT_TRUE(tx.InsertContact(MakeContact("C-1", "Ada Obi", "A-1")).ok());
    ASSERT_TRUE(tx.AppendAudit(Entry("A-1", 1)).ok());
  });
  InTx([&](Tx& tx) {
    auto storage = tx.CheckStorage(10);
    ASSERT_TRUE(storage.ok()) << storage.status().ToString();
    EXPECT_TRUE(storage->empty()) << (*storage)[0];
    auto refs = tx.CheckReferences(10);
    ASSERT_TRUE(refs.ok()) << refs.status().ToString();
    EXPECT_TRUE(refs->empty()) << (*refs)[0];
  });
}

// Two connections to one hub: a reader sees the last committed state while a writer works and
// cannot write; a second writer waits its turn and, when the wait runs out, fails naming the
// bulk load that holds the hub, having written nothing.
TEST_F(StoreContract, ReadersSeeCommittedStateAndWritersTakeTurns) {
  InTx([&](Tx& tx) { ASSERT_TRUE(tx.InsertAccount(MakeAccount("A-1", "Alpha")).ok()); });
  ::setenv("CXHUB_LOCK_WAIT", "0.3", 1);
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  Status st = store_->BulkTransaction(HubLoad{"import-workbook big.xlsx", "ada"}, [&](Tx& tx) {
    CX_RETURN_IF_ERROR(tx.InsertAccount(MakeAccount("A-2", "Beta")));
    Status read = (*other)->Read([&](Tx& r) -> Status {
      EXPECT_FALSE(r.Writable());
      EXPECT_TRUE(r.GetAccount("A-1")->has_value());
      EXPECT_FALSE(r.GetAccount("A-2")->has_value());  // not committed yet
      EXPECT_FALSE(r.SetSetting("x", "y").ok());       // a read cannot write
      return Status::Ok();
    });
    EXPECT_TRUE(read.ok()) << read.ToString();
    Status write =
        (*other)->Transaction([&](Tx& w) { return w.InsertAccount(MakeAccount("A-3", "Gamma")); });
    EXPECT_FALSE(write.ok());
    EXPECT_NE(write.message().find("import-workbook big.xlsx"), std::string::npos)
        << write.ToString();
    EXPECT_NE(write.message().find("ada"), std::string::npos) << write.ToString();
    return Status::Ok();
  });
  ::unsetenv("CXHUB_LOCK_WAIT");
  ASSERT_TRUE(st.ok()) << st.ToString();
  Status read = (*other)->Read([&](Tx& r) -> Status {
    EXPECT_TRUE(r.GetAccount("A-2")->has_value());
    EXPECT_FALSE(r.GetAccount("A-3")->has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read.ToString();
}

}  // namespace
}  // namespace cx
