// FILE.rejected.csv beside an imported file (rejected_file.h).
#include "service/rejected_file.h"

#include <filesystem>

namespace cx {

RejectedFile::RejectedFile(const std::string& source, bool force)
    : path_(source + ".rejected.csv"), force_(force) {
  std::error_code ec;
  exists_ = std::filesystem::exists(path_, ec);
  ours_ = exists_ && std::filesystem::is_regular_file(path_, ec) && IsOurRejectedFile(path_);
}

Status RejectedFile::Write(const std::vector<std::string>& header,
                           const std::vector<RejectedRecord>& rows) {
  if (exists_ && !ours_ && !force_) {
    return Invalid(path_ +
                   " exists and was not written by cxhub; nothing was written (move it away, "
                   "or use --force to replace it)");
  }
  OutputPolicy policy;
  policy.force = true;  // the kind is checked above: ours, or --force
  CX_ASSIGN_OR_RETURN(out_, OutputFile::Create(path_, FileKind::kText, policy));
  Status w = WriteRejectedFile(out_->temp_path(), header, rows);
  if (!w.ok()) return Internal(w.message() + "; nothing was written");
  return Status::Ok();
}

Status RejectedFile::Finish(std::string* written, std::string* removed,
                            std::vector<std::string>* warnings) {
  if (out_) {
    CX_RETURN_IF_ERROR(out_->Commit());
    *written = path_;
    return Status::Ok();
  }
  if (!exists_) return Status::Ok();
  // An earlier run's rejected rows beside the file would read as this run's; a file the hub
  // did not write stays unless --force.
  std::error_code ec;
  if (!ours_ && !force_) {
    warnings->push_back(path_ +
                        " was not written by cxhub, so it is left as it is (this run rejected "
                        "nothing)");
  } else if (std::filesystem::is_regular_file(path_, ec) && std::filesystem::remove(path_, ec)) {
    *removed = path_;
  } else {
    warnings->push_back(path_ + " is not this run's (it rejected nothing), but it " +
                        "could not be removed" + (ec ? ": " + ec.message() : std::string()));
  }
  return Status::Ok();
}

}  // namespace cx
