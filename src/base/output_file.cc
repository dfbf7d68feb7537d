// Output paths that are checked before anything is written, and files that appear whole or
// not at all (temporary file in the same folder, then rename).
#include "base/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cx {
namespace fs = std::filesystem;

namespace {

const char* KindName(FileKind k) {
  switch (k) {
    case FileKind::kXlsx:
      return "an .xlsx workbook";
    case FileKind::kSqlite:
      return "a SQLite database";
    case FileKind::kText:
      return "a text file";
  }
  return "a file";
}

// What the first bytes of an existing file say it is; the empty file is of every kind.
bool IsOfKind(const std::string& head, FileKind k) {
  if (head.empty()) return true;
  switch (k) {
    case FileKind::kXlsx:
      return head.rfind(std::string("PK\x03\x04", 4), 0) == 0;
    case FileKind::kSqlite:
      return head.rfind(std::string("SQLite format 3\0", 16), 0) == 0;
    case FileKind::kText:
      return head.find('\0') == std::string::npos;
  }
  return false;
}

std::string DescribeHead(const std::string& head) {
  if (IsOfKind(head, FileKind::kSqlite)) return "a SQLite database";
  if (IsOfKind(head, FileKind::kXlsx)) return "a zip file (such as .xlsx)";
  if (IsOfKind(head, FileKind::kText)) return "a text file";
  return "a binary file";
}

// The first block of the file at `path` ("" when it cannot be read).
std::string ReadHead(const std::string& path) {
  std::string head(4096, '\0');
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  ssize_t n = ::read(fd, head.data(), head.size());
  ::close(fd);
  head.resize(n > 0 ? size_t(n) : 0);
  return head;
}

// `p` made absolute with its symbolic links and "..", as far as they exist, resolved.
std::string Resolved(const std::string& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? p : r.string();
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  return Resolved(a) == Resolved(b);
}

std::string FolderOf(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

}  // namespace

Status CheckOutputPath(const std::string& path, FileKind kind, const OutputPolicy& policy) {
  if (path.empty()) return Invalid("no output file named");
  const std::string folder = FolderOf(path);
  struct stat st;
  if (::stat(folder.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return Invalid("cannot write " + path + ": folder " + folder + " does not exist");
    return Invalid("cannot write " + path + ": folder " + folder + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode))
    return Invalid("cannot write " + path + ": " + folder + " is not a folder");
  for (const auto& p : policy.protected_paths) {
    if (SameFile(path, p)) {
      return Invalid("refusing to write over " + path + ": it is this hub's database file (" + p +
                     "); choose another file name");
    }
  }
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Invalid("cannot write " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return Invalid("cannot write " + path + ": it is a folder");
  if (!S_ISREG(st.st_mode)) return Invalid("cannot write " + path + ": it is not a regular file");
  if (policy.force) return Status::Ok();
  std::string head = ReadHead(path);
  if (!IsOfKind(head, kind)) {
    return Invalid("refusing to write over " + path + ": it is " + DescribeHead(head) + ", not " +
                   KindName(kind) + "; use --force to replace it");
  }
  return Status::Ok();
}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path, FileKind kind,
                                                       const OutputPolicy& policy) {
  CX_RETURN_IF_ERROR(CheckOutputPath(path, kind, policy));
  std::unique_ptr<OutputFile> f(new OutputFile());
  std::error_code ec;
  f->path_ = fs::is_symlink(path, ec) ? Resolved(path) : path;
  fs::path dest(f->path_);
  std::string tmpl =
      (fs::path(FolderOf(f->path_)) / ("." + dest.filename().string() + ".XXXXXX")).string();
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot write " + path + ": cannot create a file in " + FolderOf(f->path_) +
                    ": " + std::strerror(errno));
  }
  ::close(fd);
  f->temp_ = tmpl;
  return f;
}

OutputFile::~OutputFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Status OutputFile::Commit() {
  if (committed_) return Internal(path_ + " is already written");
  struct stat st;
  mode_t mode;
  if (::stat(path_.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Internal("cannot write " + path_ + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) return Internal("cannot write " + path_ + ": " + std::strerror(err));
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    return Internal("cannot write " + path_ + ": " + std::strerror(errno));
  }
  committed_ = true;
  // The rename itself survives a power cut once the folder is synced (best effort).
  int dfd = ::open(FolderOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Status WriteOutputFile(const std::string& path, FileKind kind, const OutputPolicy& policy,
                       const std::function<Status(const std::string& temp_path)>& write) {
  CX_ASSIGN_OR_RETURN(auto f, OutputFile::Create(path, kind, policy));
  CX_RETURN_IF_ERROR(write(f->temp_path()));
  return f->Commit();
}

}  // namespace cx
