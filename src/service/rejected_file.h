// FILE.rejected.csv, the rows an import or a sync rejected, written beside the file it read.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/output_file.h"
#include "base/status.h"
#include "io/csv/row_file.h"

namespace cx {

// The rejected rows are written under a temporary name (base/output_file.h) inside the load's
// transaction, before its commit, so that a file that cannot be written leaves the hub as it
// was; after the commit they are only renamed into place. A FILE.rejected.csv the hub did not
// write (IsOurRejectedFile) is never replaced nor removed without `force`.
class RejectedFile {
 public:
  // The file beside `source`, and what is there now.
  RejectedFile(const std::string& source, bool force);

  const std::string& path() const { return path_; }

  // Before the commit: writes `rows` (under `header`) to the temporary file. kInvalid, nothing
  // written, when a file the hub did not write is in the way and `force` is not given;
  // kInternal when it cannot be written.
  Status Write(const std::vector<std::string>& header, const std::vector<RejectedRecord>& rows);

  // After the commit. When rows were written: puts them in place (*written = the path; an error
  // says why they could not be). When nothing was rejected: removes an earlier run's file
  // (*removed = the path), or adds to *warnings why it stays.
  Status Finish(std::string* written, std::string* removed, std::vector<std::string>* warnings);

 private:
  std::string path_;
  bool force_ = false;
  bool exists_ = false;
  bool ours_ = false;
  std::unique_ptr<OutputFile> out_;
};

// The records of `rejected` (each with .line and .reason), record i being `records[i]`.
template <typename Row>
std::vector<RejectedRecord> RejectedRecords(const std::vector<CsvRecord>& records,
                                            const std::vector<Row>& rejected) {
  std::vector<RejectedRecord> rows;
  rows.reserve(rejected.size());
  for (size_t i = 0; i < rejected.size(); ++i)
    rows.push_back(RejectedRecord{&records[i], rejected[i].line, rejected[i].reason});
  return rows;
}

}  // namespace cx
