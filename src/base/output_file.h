// Writing a file the user named without ever destroying one by accident: the checks every
// writing command makes on its output path, and the write to a temporary file beside it that
// is renamed into place only when complete (docs/operations.md, "File safety").
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace cx {

// What a command writes; an existing file at the output path must be of the same kind.
enum class FileKind {
  kXlsx,    // a zip container: starts with "PK\x03\x04"
  kSqlite,  // a SQLite database: starts with "SQLite format 3\0"
  kText,    // HTML, CSV: no NUL byte in its first block
};

// What an output path is checked against.
struct OutputPolicy {
  // Files never written, even with `force`: the hub's own database and its -wal, -journal
  // and -shm files. Compared by file identity when they exist, else by absolute path.
  std::vector<std::string> protected_paths;
  // Write over an existing file of another kind (the user said so).
  bool force = false;
};

// Checks that `path` may be written as `kind`: its folder exists and is a folder, it is not
// a folder or a device, not a protected file, and an existing non-empty file there is of
// `kind` unless policy.force. Errors: kInvalid naming the path or folder and the fix.
Status CheckOutputPath(const std::string& path, FileKind kind, const OutputPolicy& policy);

// A file being written: the content goes to a temporary file in the destination's folder,
// and Commit() renames it over the destination, so a reader (or a failure, or a crash) sees
// either the old file or the complete new one. Destroying it uncommitted removes the
// temporary file. Not copyable; one thread.
class OutputFile {
 public:
  // Checks `path` (CheckOutputPath) and creates the empty temporary file. A symbolic link
  // at `path` is followed: its target is replaced. Errors: those of CheckOutputPath;
  // kInternal when the temporary file cannot be created.
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path, FileKind kind,
                                                    const OutputPolicy& policy);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Where the writer writes (an existing, empty file it may truncate or replace).
  const std::string& temp_path() const { return temp_; }
  // The destination.
  const std::string& path() const { return path_; }
  // Flushes the temporary file to disk and renames it over the destination, with the old
  // file's permissions (new files get 0666 less the umask). Errors: kInternal; the
  // temporary file is then removed and the destination left as it was.
  Status Commit();

 private:
  OutputFile() = default;
  std::string path_, temp_;
  bool committed_ = false;
};

// Creates an OutputFile for `path`, runs `write` on its temporary path and commits when
// `write` succeeds. On any failure the destination is left as it was and no temporary
// file remains; the error is `write`'s own or the check's.
Status WriteOutputFile(const std::string& path, FileKind kind, const OutputPolicy& policy,
                       const std::function<Status(const std::string& temp_path)>& write);

}  // namespace cx
