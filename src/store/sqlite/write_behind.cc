// Write-behind VFS (write_behind.h): a shim over SQLite's default VFS whose files pass every
// call through, except writes while write-behind is on, which a thread of their own makes.
#include "store/sqlite/write_behind.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cx::sqlite {
namespace {

// Consecutive writes are joined into pieces, each one write call, of up to the most SQLite's
// Unix VFS writes in one call (it keeps the low 17 bits of the size: 128 KiB less a byte).
constexpr size_t kPieceBytes = 0x1ffff;
constexpr size_t kWalFrameHeaderBytes = 24;

std::atomic<int64_t> g_writes{0};

struct Piece {
  sqlite3_int64 offset = 0;
  size_t size = 0;
  std::unique_ptr<char[]> data{new char[kPieceBytes]};
};

// The writes waiting for one file, and the thread that makes them, in order.
class Queue {
 public:
  explicit Queue(sqlite3_file* real) : real_(real), thread_([this] { Loop(); }) {}
  ~Queue() {
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    work_.notify_one();
    thread_.join();
  }

  // Copies the write into the queue; the first failed write of the queue if there was one.
  int Add(const void* buf, int amount, sqlite3_int64 offset) {
    std::unique_lock<std::mutex> l(m_);
    if (error_ != SQLITE_OK) return error_;
    if (!pending_.empty()) {
      Piece& last = *pending_.back();
      if (last.offset + sqlite3_int64(last.size) == offset &&
          last.size + size_t(amount) <= kPieceBytes) {
        std::memcpy(last.data.get() + last.size, buf, size_t(amount));
        last.size += size_t(amount);
        bytes_ += size_t(amount);
        return SQLITE_OK;
      }
    }
    room_.wait(l, [&] { return bytes_ + size_t(amount) <= kWriteBehindQueueBytes || error_; });
    if (error_ != SQLITE_OK) return error_;
    std::unique_ptr<Piece> p;
    if (!spare_.empty()) {
      p = std::move(spare_.back());
      spare_.pop_back();
    } else {
      p = std::make_unique<Piece>();
    }
    p->offset = offset;
    p->size = size_t(amount);
    std::memcpy(p->data.get(), buf, size_t(amount));
    bytes_ += size_t(amount);
    pending_.push_back(std::move(p));
    l.unlock();
    work_.notify_one();
    return SQLITE_OK;
  }

  // Waits until every write queued is made; the first failed one's code, if any.
  int Drain() {
    std::unique_lock<std::mutex> l(m_);
    room_.wait(l, [&] { return (pending_.empty() && !writing_) || error_ != SQLITE_OK; });
    return error_;
  }

  bool Empty() {
    std::lock_guard<std::mutex> l(m_);
    return pending_.empty() && !writing_;
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> l(m_);
    for (;;) {
      work_.wait(l, [&] { return stop_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping, nothing left
      std::unique_ptr<Piece> p = std::move(pending_.front());
      pending_.pop_front();
      writing_ = true;
      const bool failed = error_ != SQLITE_OK;
      l.unlock();
      int rc = SQLITE_OK;
      if (!failed) {
        rc = real_->pMethods->xWrite(real_, p->data.get(), int(p->size), p->offset);
        g_writes.fetch_add(1, std::memory_order_relaxed);
      }
      l.lock();
      if (rc != SQLITE_OK && error_ == SQLITE_OK) error_ = rc;
      bytes_ -= p->size;
      writing_ = false;
      spare_.push_back(std::move(p));  // at most the queue's worth
      room_.notify_all();
    }
  }

  sqlite3_file* real_;
  std::mutex m_;
  std::condition_variable work_, room_;
  std::deque<std::unique_ptr<Piece>> pending_;
  std::vector<std::unique_ptr<Piece>> spare_;
  size_t bytes_ = 0;
  bool writing_ = false;
  bool stop_ = false;
  int error_ = SQLITE_OK;
  std::thread thread_;  // last: started once the rest is made
};

// A file of the shim: ours first, then the default VFS's file (its size is that VFS's).
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  bool wal;
  // After the log's commit frame: written by the caller until write-behind is turned off.
  bool direct;
  Queue* queue;  // while write-behind is on; else null
};

sqlite3_vfs* Root() { return sqlite3_vfs_find(nullptr); }
File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Of(f)->real; }

// Waits for the file's queue; its first failed write's code.
int Drain(sqlite3_file* f) {
  Queue* q = Of(f)->queue;
  return q ? q->Drain() : SQLITE_OK;
}

int Close(sqlite3_file* f) {
  File* p = Of(f);
  if (p->queue) {
    (void)p->queue->Drain();
    delete p->queue;
    p->queue = nullptr;
  }
  return p->real->pMethods->xClose(p->real);
}

int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xRead(Real(f), buf, amount, offset);
}

// A frame header of the log whose "database size after commit" is set: the commit frame.
bool IsCommitFrameHeader(const void* buf, int amount) {
  if (amount != int(kWalFrameHeaderBytes)) return false;
  const auto* b = static_cast<const unsigned char*>(buf);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  File* p = Of(f);
  if (p->queue && !p->direct) {
    if (p->wal && IsCommitFrameHeader(buf, amount)) {
      // Everything before the commit frame is written before it, and the frame by the caller:
      // a failed write fails the commit, and the frames are in the file before the log's
      // index tells any other connection of them.
      p->direct = true;
    } else if (size_t(amount) <= kPieceBytes) {
      return p->queue->Add(buf, amount, offset);
    }
  }
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xWrite(p->real, buf, amount, offset);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xTruncate(Real(f), size);
}

int Sync(sqlite3_file* f, int flags) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xSync(Real(f), flags);
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFileSize(Real(f), size);
}

int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}

int FileControl(sqlite3_file* f, int op, void* arg) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}

int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}

// The shared memory is the log's index, whose locks and barriers publish what was written (a
// checkpoint's progress): the queue is written first.
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) {
  (void)Drain(f);
  Real(f)->pMethods->xShmBarrier(Real(f));
}
int ShmUnmap(sqlite3_file* f, int del) {
  (void)Drain(f);
  return Real(f)->pMethods->xShmUnmap(Real(f), del);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  if (int rc = Drain(f); rc != SQLITE_OK) return rc;
  return Real(f)->pMethods->xFetch(Real(f), offset, amount, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), offset, p);
}

const sqlite3_io_methods kMethods = {3,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     Fetch,
                                     Unfetch};

// The same calls for a file of an older interface (no shared memory, no mapping).
const sqlite3_io_methods kMethods1 = {1,
                                      Close,
                                      Read,
                                      Write,
                                      Truncate,
                                      Sync,
                                      FileSize,
                                      Lock,
                                      Unlock,
                                      CheckReservedLock,
                                      FileControl,
                                      SectorSize,
                                      DeviceCharacteristics,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr,
                                      nullptr};

constexpr int kFileBytes = int((sizeof(File) + 15) / 16 * 16);

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* p = Of(f);
  p->base.pMethods = nullptr;
  p->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kFileBytes);
  p->wal = (flags & SQLITE_OPEN_WAL) != 0;
  p->direct = false;
  p->queue = nullptr;
  sqlite3_vfs* root = Root();
  const int rc = root->xOpen(root, name, p->real, flags, out_flags);
  if (p->real->pMethods == nullptr) return rc;
  p->base.pMethods = p->real->pMethods->iVersion >= 3 ? &kMethods : &kMethods1;
  return rc;
}

// The rest of the VFS is the default one's.
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return Root()->xDelete(Root(), name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return Root()->xAccess(Root(), name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return Root()->xFullPathname(Root(), name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return Root()->xDlOpen(Root(), name); }
void DlError(sqlite3_vfs*, int n, char* out) { Root()->xDlError(Root(), n, out); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return Root()->xDlSym(Root(), h, sym);
}
void DlClose(sqlite3_vfs*, void* h) { Root()->xDlClose(Root(), h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return Root()->xRandomness(Root(), n, out); }
int Sleep(sqlite3_vfs*, int us) { return Root()->xSleep(Root(), us); }
int CurrentTime(sqlite3_vfs*, double* out) { return Root()->xCurrentTime(Root(), out); }
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return Root()->xGetLastError ? Root()->xGetLastError(Root(), n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return Root()->xCurrentTimeInt64(Root(), out);
}

constexpr const char* kName = "cxhub-write-behind";

sqlite3_vfs* Vfs() {
  static sqlite3_vfs* vfs = [] {
    sqlite3_initialize();
    sqlite3_vfs* root = Root();
    auto* v = new sqlite3_vfs();
    v->iVersion = 2;
    v->szOsFile = kFileBytes + root->szOsFile;
    v->mxPathname = root->mxPathname;
    v->zName = kName;
    v->xOpen = Open;
    v->xDelete = Delete;
    v->xAccess = Access;
    v->xFullPathname = FullPathname;
    v->xDlOpen = DlOpen;
    v->xDlError = DlError;
    v->xDlSym = DlSym;
    v->xDlClose = DlClose;
    v->xRandomness = Randomness;
    v->xSleep = Sleep;
    v->xCurrentTime = CurrentTime;
    v->xGetLastError = GetLastError;
    v->xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(v, 0);
    return v;
  }();
  return vfs;
}

// The shim's file behind a file pointer SQLite gave, or null.
File* Ours(sqlite3_file* f) {
  if (!f || (f->pMethods != &kMethods && f->pMethods != &kMethods1)) return nullptr;
  return Of(f);
}

int TurnOn(File* p) {
  if (!p->queue) p->queue = new Queue(p->real);
  p->direct = false;
  return SQLITE_OK;
}

int TurnOff(File* p) {
  if (!p->queue) return SQLITE_OK;
  const int rc = p->queue->Drain();
  delete p->queue;
  p->queue = nullptr;
  p->direct = false;
  return rc;
}

}  // namespace

const char* WriteBehindVfsName() { return Vfs()->zName; }

int64_t WriteBehindWrites() { return g_writes.load(); }

Status SetWriteBehind(sqlite3* db, bool on) {
  sqlite3_file* main_file = nullptr;
  sqlite3_file* log = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &main_file) != SQLITE_OK ||
      sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &log) != SQLITE_OK)
    return Status::Ok();
  File* hub = Ours(main_file);
  File* wal = Ours(log);
  // Under a rollback journal the hub file's writes must follow the journal's sync: left alone.
  if (!hub || !wal || !wal->wal) return Status::Ok();
  if (on) {
    TurnOn(wal);
    TurnOn(hub);
    return Status::Ok();
  }
  const int a = TurnOff(wal), b = TurnOff(hub);
  const int rc = a != SQLITE_OK ? a : b;
  if (rc == SQLITE_OK) return Status::Ok();
  return Internal(std::string("writing the hub's pages failed: ") + sqlite3_errstr(rc));
}

}  // namespace cx::sqlite
