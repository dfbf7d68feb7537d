// A long write that changes pages all over the accounts (a weekly ERP delta) spills them into the
// write-ahead log as its page cache fills. A page spilled and then changed again is rewritten in
// its place in the log, and the commit then reads back every frame from the first such one to
// recompute the log's checksums (docs/operations.md, "Weekly deltas"). The pages that the end of
// a delta changes (where its new accounts' ids sort, the audit index's pages for them and for
// the sync's own entry) are kept warm so that none is: counted here by a VFS that wraps the
// default one and notes the log's page writes at an offset written before.
#include <sqlite3.h>

#include <cstring>
#include <set>

#include "hub_fixture.h"
#include "raw_db.h"
#include "service/audit.h"

namespace cx {
namespace {

// The default VFS, with the writes of whole pages into write-ahead logs counted: how many, and
// how many at an offset of the same log written before.
struct LogWrites {
  static inline sqlite3_vfs* real = nullptr;
  static inline sqlite3_vfs vfs{};
  static inline sqlite3_io_methods methods{};
  static inline int64_t pages = 0, again = 0;
  static inline std::set<int64_t> written;
  struct File {
    sqlite3_file base;
    sqlite3_file* real;
    bool log;
  };
  static sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

  static int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
    File* file = reinterpret_cast<File*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    file->log = (flags & SQLITE_OPEN_WAL) != 0;
    file->base.pMethods = nullptr;
    const int rc = real->xOpen(real, name, file->real, flags, out);
    if (rc != SQLITE_OK) return rc;
    if (file->log) written.clear();
    methods = *file->real->pMethods;
    methods.xClose = [](sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); };
    methods.xRead = [](sqlite3_file* f, void* b, int n, sqlite3_int64 at) {
      return Real(f)->pMethods->xRead(Real(f), b, n, at);
    };
    methods.xWrite = [](sqlite3_file* f, const void* b, int n, sqlite3_int64 at) {
      if (reinterpret_cast<File*>(f)->log && n >= 4096) {
        ++pages;
        if (!written.insert(at).second) ++again;
      }
      return Real(f)->pMethods->xWrite(Real(f), b, n, at);
    };
    methods.xTruncate = [](sqlite3_file* f, sqlite3_int64 n) {
      if (reinterpret_cast<File*>(f)->log) written.clear();
      return Real(f)->pMethods->xTruncate(Real(f), n);
    };
    methods.xSync = [](sqlite3_file* f, int fl) { return Real(f)->pMethods->xSync(Real(f), fl); };
    methods.xFileSize = [](sqlite3_file* f, sqlite3_int64* n) {
      return Real(f)->pMethods->xFileSize(Real(f), n);
    };
    methods.xLock = [](sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); };
    methods.xUnlock = [](sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); };
    methods.xCheckReservedLock = [](sqlite3_file* f, int* r) {
      return Real(f)->pMethods->xCheckReservedLock(Real(f), r);
    };
    methods.xFileControl = [](sqlite3_file* f, int op, void* a) {
      return Real(f)->pMethods->xFileControl(Real(f), op, a);
    };
    methods.xSectorSize = [](sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); };
    methods.xDeviceCharacteristics = [](sqlite3_file* f) {
      return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
    };
    methods.xShmMap = [](sqlite3_file* f, int i, int n, int w, void volatile** p) {
      return Real(f)->pMethods->xShmMap(Real(f), i, n, w, p);
    };
    methods.xShmLock = [](sqlite3_file* f, int o, int n, int fl) {
      return Real(f)->pMethods->xShmLock(Real(f), o, n, fl);
    };
    methods.xShmBarrier = [](sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); };
    methods.xShmUnmap = [](sqlite3_file* f, int d) {
      return Real(f)->pMethods->xShmUnmap(Real(f), d);
    };
    methods.xFetch = [](sqlite3_file* f, sqlite3_int64 at, int n, void** p) {
      return Real(f)->pMethods->xFetch(Real(f), at, n, p);
    };
    methods.xUnfetch = [](sqlite3_file* f, sqlite3_int64 at, void* p) {
      return Real(f)->pMethods->xUnfetch(Real(f), at, p);
    };
    file->base.pMethods = &methods;
    return SQLITE_OK;
  }

  // Made the default VFS (for the connections opened from now on) until Uninstall.
  static void Install() {
    real = sqlite3_vfs_find(nullptr);
    vfs = *real;
    vfs.iVersion = 1;  // the file-level calls above; no system-call overrides
    vfs.szOsFile = int(sizeof(File)) + real->szOsFile;
    vfs.zName = "cxhub-test-log-writes";
    vfs.pAppData = nullptr;
    vfs.xOpen = Open;
    vfs.xDelete = [](sqlite3_vfs*, const char* n, int s) { return real->xDelete(real, n, s); };
    vfs.xAccess = [](sqlite3_vfs*, const char* n, int fl, int* r) {
      return real->xAccess(real, n, fl, r);
    };
    vfs.xFullPathname = [](sqlite3_vfs*, const char* n, int size, char* out) {
      return real->xFullPathname(real, n, size, out);
    };
    vfs.xDlOpen = [](sqlite3_vfs*, const char* n) { return real->xDlOpen(real, n); };
    vfs.xDlError = [](sqlite3_vfs*, int n, char* m) { real->xDlError(real, n, m); };
    vfs.xDlSym = [](sqlite3_vfs*, void* h, const char* s) { return real->xDlSym(real, h, s); };
    vfs.xDlClose = [](sqlite3_vfs*, void* h) { real->xDlClose(real, h); };
    vfs.xRandomness = [](sqlite3_vfs*, int n, char* out) {
      return real->xRandomness(real, n, out);
    };
    vfs.xSleep = [](sqlite3_vfs*, int us) { return real->xSleep(real, us); };
    vfs.xCurrentTime = [](sqlite3_vfs*, double* t) { return real->xCurrentTime(real, t); };
    vfs.xGetLastError = [](sqlite3_vfs*, int n, char* m) {
      return real->xGetLastError(real, n, m);
    };
    ASSERT_EQ(sqlite3_vfs_register(&vfs, 1), SQLITE_OK);
  }
  static void Uninstall() {
    sqlite3_vfs_unregister(&vfs);
    sqlite3_vfs_register(real, 1);
  }
};

class LateWritesTest : public testing::HubTest {
 protected:
  void TearDown() override {
    store_.reset();  // its connection's files use the counting VFS until they close
    LogWrites::Uninstall();
    HubTest::TearDown();
  }
};

TEST_F(LateWritesTest, ADeltaRewritesNoPageOfTheLogInPlace) {
  store_.reset();
  LogWrites::Install();
  auto s = OpenStore(testing::TestStoreUrl(dir_));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  ctx_.store = store_.get();
  // Accounts numbered up to A-999999, their creation audited: the next ids (A-1000000…) sort
  // before all of them, where the delta's first updates and audit entries land, as a delta's
  // new accounts in a hub of a million accounts sort among its first changes (A-1001001
  // beside A-100100).
  constexpr int kAccounts = 19999, kStep = 2, kNew = 300;
  {
    testing::RawDb raw(dir_ + "/hub.db");
    raw.Exec("INSERT INTO id_counters(prefix, next) VALUES ('A', " +
             std::to_string(1000000 - kAccounts - 1) + ")");
  }
  const auto named = [](int i, const char* suffix) {
    return "Customer " + std::to_string(i) + " Trading " + suffix;
  };
  InTx([&](Tx& tx) {
    std::vector<KeyedAccount> rows;
    for (int i = 0; i < kAccounts; ++i) {
      Account a;
      auto id = tx.NextId("A");
      ASSERT_TRUE(id.ok());
      a.id = *id;
      a.name = named(i, "Ltd");
      a.erp_customer_id = "C" + std::to_string(i);
      a.phone = "+23480" + std::to_string(10000000 + i);
      a.city = "Lagos";
      rows.push_back(KeyAccount(a));
      ASSERT_TRUE(AuditBulkCreate(tx, ctx_, "account", a.id, "load").ok());
    }
    std::vector<const KeyedAccount*> ptrs;
    for (const auto& k : rows) ptrs.push_back(&k);
    ASSERT_TRUE(tx.InsertAccounts(ptrs).ok());
  });
  // The delta, in a page cache of 2 MiB: one account in three renamed, in order, each audited,
  // then new accounts and the sync's own entry (record "2"), with the pages where those land
  // kept warm every 64 updates as the ERP sync does at the end of its batches.
  const int64_t pages_before = LogWrites::pages;
  InTx([&](Tx& tx) {
    ASSERT_TRUE(tx.ReserveLargeWriteMemory(2).ok());
    for (int i = 0; i < kAccounts; i += kStep) {
      auto a = tx.FindAccountByErpId("C" + std::to_string(i));
      ASSERT_TRUE(a.ok() && a->has_value());
      Account acc = **a;
      acc.name = named(i, "Plc");
      ASSERT_TRUE(tx.UpdateAccount(acc).ok());
      ASSERT_TRUE(AuditChanges(tx, ctx_, "erp-sync", "account", acc.id, FieldsOf(**a),
                               FieldsOf(acc), "delta")
                      .ok());
      if (i % (64 * kStep) == 0) ASSERT_TRUE(tx.KeepLateWritesWarm({"2"}).ok());
    }
    std::vector<KeyedAccount> rows;
    for (int i = 0; i < kNew; ++i) {
      Account a;
      auto id = tx.NextId("A");
      ASSERT_TRUE(id.ok());
      a.id = *id;
      a.name = named(kAccounts + i, "Ltd");
      a.erp_customer_id = "C" + std::to_string(kAccounts + i);
      rows.push_back(KeyAccount(a));
      ASSERT_TRUE(AuditBulkCreate(tx, ctx_, "account", a.id, "delta").ok());
      if (i % 64 == 63) ASSERT_TRUE(tx.KeepLateWritesWarm({"2"}).ok());
    }
    std::vector<const KeyedAccount*> ptrs;
    for (const auto& k : rows) ptrs.push_back(&k);
    ASSERT_TRUE(tx.InsertAccounts(ptrs).ok());
    ASSERT_TRUE(AuditAction(tx, ctx_, "erp-sync", "erp_sync", "2", "{}", "delta").ok());
  });
  // The delta spilled pages before its commit (its log is many times the cache)…
  const int64_t pages = LogWrites::pages - pages_before;
  EXPECT_GT(pages, 4 * 128) << "the delta did not outgrow its page cache";
  // …and wrote none of them twice (before: 7 pages again, and the commit read back the log).
  EXPECT_EQ(LogWrites::again, 0) << LogWrites::again << " of " << pages
                                 << " page writes into the log were at an offset written before";
  // The delta's results, read back.
  InTx([&](Tx& tx) {
    auto a = tx.FindAccountByErpId("C3");
    ASSERT_TRUE(a.ok() && a->has_value());
    EXPECT_EQ((*a)->name, named(3, "Plc"));
    auto n = tx.FindAccountByErpId("C" + std::to_string(kAccounts + kNew - 1));
    ASSERT_TRUE(n.ok() && n->has_value());
    EXPECT_EQ((*n)->id, "A-" + std::to_string(1000000 + kNew - 1));
  });
}

}  // namespace
}  // namespace cx
