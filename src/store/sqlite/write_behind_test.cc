// A bulk load into a hub that holds records (under WAL) hands its writes of the log and of its
// checkpoint to a thread of their own (store/sqlite/write_behind.h): the thread that runs the
// load writes little itself, the hub ends as it would have, another connection reads all of
// it at once, and a write that fails fails the load, nothing written.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "hub_fixture.h"
#include "raw_db.h"
#include "store/store.h"

namespace cx {
namespace {

class WriteBehindTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    path_ = dir_ + "/hub.db";
    // A hub that holds records: its loads run under WAL (an empty one's, under a rollback
    // journal, write each page once and are left alone).
    InTx([&](Tx& tx) {
      for (int i = 0; i < 2000; ++i) ASSERT_TRUE(tx.InsertAccount(Make(i)).ok());
    });
    testing::RawDb raw(path_);
    raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  static Account Make(int i) {
    Account a;
    a.id = "A-" + std::to_string(100000 + i);
    a.name = "Bulk Trading " + std::to_string(i) + " Ltd";
    a.address = std::string(300, 'a' + i % 26);
    a.created_at = a.updated_at = 1;
    return a;
  }

  // 30,000 new accounts in one bulk load (some 16 MiB of pages: the log, then the hub file).
  Status Load() {
    return store_->BulkTransaction(HubLoad{"erp-sync customers big.csv", "test"},
                                   [&](Tx& tx) -> Status {
                                     for (int i = 2000; i < 32000; ++i)
                                       CX_RETURN_IF_ERROR(tx.InsertAccount(Make(i)));
                                     return Status::Ok();
                                   });
  }

  // Bytes this thread has handed to write calls so far (Linux's per-thread count); -1 if the
  // system does not say.
  static int64_t ThreadWrites() {
    std::ifstream in("/proc/thread-self/io");
    std::string key;
    int64_t value = 0;
    while (in >> key >> value)
      if (key == "wchar:") return value;
    return -1;
  }

  std::string path_;
};

TEST_F(WriteBehindTest, ALoadsPagesAreWrittenByAnotherThread) {
  const int64_t before = ThreadWrites();
  if (before < 0) GTEST_SKIP() << "no /proc/thread-self/io here";
  ASSERT_TRUE(Load().ok());
  const int64_t mine = ThreadWrites() - before;
  const auto log = int64_t(std::filesystem::file_size(path_ + "-wal"));
  ASSERT_GT(log, 8 << 20);  // the log still holds the load (cut back only past 32 MiB)
  // The log and the checkpoint wrote the load's pages twice; the thread that ran it wrote only
  // the commit frames and the load's row in hub_loads. Without write-behind it wrote them all.
  EXPECT_LT(mine, log / 8) << mine << " bytes written by the load's thread, the log " << log;
  // All there, for this connection and for another one at once.
  InTx([&](Tx& tx) {
    EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 32000);
    auto a = tx.GetAccount("A-131999");
    ASSERT_TRUE(a.ok() && a->has_value());
    EXPECT_EQ((*a)->address, Make(31999).address);
  });
  testing::RawDb raw(path_);
  EXPECT_EQ(raw.Rows("SELECT count(*), sum(length(address)) FROM accounts"),
            std::vector<std::string>{"32000|9600000"});
  EXPECT_EQ(raw.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

TEST_F(WriteBehindTest, TurnedOffTheLoadsThreadWritesAndTheHubEndsTheSame) {
  const int64_t before = ThreadWrites();
  if (before < 0) GTEST_SKIP() << "no /proc/thread-self/io here";
  setenv("CXHUB_WRITE_BEHIND", "0", 1);
  Status st = Load();
  unsetenv("CXHUB_WRITE_BEHIND");
  ASSERT_TRUE(st.ok()) << st.ToString();
  const int64_t mine = ThreadWrites() - before;
  EXPECT_GT(mine, int64_t(std::filesystem::file_size(path_ + "-wal")));
  testing::RawDb raw(path_);
  EXPECT_EQ(raw.Rows("SELECT count(*), sum(length(address)) FROM accounts"),
            std::vector<std::string>{"32000|9600000"});
  EXPECT_EQ(raw.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// A write of the log that fails (the file may not grow: the process's file size limit) fails
// the load, however late the write-behind thread meets it; the hub is as before.
TEST_F(WriteBehindTest, AFailedWriteFailsTheLoadAndWritesNothing) {
  store_.reset();
  const auto limit = rlim_t(std::filesystem::file_size(path_) + (1 << 20));
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = OpenStore("sqlite:" + path_);
    if (!s.ok()) _exit(2);
    store_ = std::move(*s);
    std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails (EFBIG) instead of killing
    struct rlimit r = {limit, limit};
    if (setrlimit(RLIMIT_FSIZE, &r) != 0) _exit(3);
    Status st = Load();
    store_.reset();
    _exit(st.ok() ? 4 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the load did not fail (4) or could not start (2, 3)";
  auto s = OpenStore("sqlite:" + path_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  InTx([&](Tx& tx) { EXPECT_EQ(*tx.CountAccounts(AccountFilter{}), 2000); });
  testing::RawDb raw(path_);
  EXPECT_EQ(raw.Rows("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace cx
