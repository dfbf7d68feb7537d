// Feedback from everywhere (docs/feedback.md): one row logged by staff, a survey tool's export
// imported, and the checks every way in shares.
#pragma once

#include <string>
#include <vector>

#include "domain/journey.h"
#include "service/context.h"

namespace cx {

// Completes and checks one feedback row against the hub inside `tx`: the contact and account
// exist and belong together (the account is taken from the contact when not given), the
// touchpoint exists (its division and stage are taken when not given), the stage is one of the
// division's journey, then ValidateFeedback (score range per kind, a review's platform).
// Errors: kInvalid with one detail per problem.
Status CheckFeedback(Tx& tx, const JourneyConfig& journeys, Feedback* f);

// Logs one feedback row (date now unless given; source "staff" unless given; id F-NNNNNN).
// Errors: kInvalid (every problem), kForbidden; nothing written on error.
Result<Feedback> AddFeedback(const Context& ctx, Feedback f);

struct FeedbackImportOptions {
  std::string file;      // CSV (the ERP sync's encodings) or .xlsx
  std::string map_file;  // TOML naming the columns (docs/feedback.md); empty = the defaults
  bool partial = false;  // apply the good rows, write the bad ones to FILE.rejected.csv
  bool dry_run = false;
  bool force = false;  // replace or remove a FILE.rejected.csv that cxhub did not write
};

struct FeedbackImportSummary {
  std::string file, encoding;
  int64_t rows = 0, created = 0, unchanged = 0;
  struct Rejected {
    int64_t line = 0;
    std::string reason;
  };
  std::vector<Rejected> rejected;
  std::string rejected_file;  // written with --partial when rows were rejected
  // An earlier run's FILE.rejected.csv removed because this run rejected nothing.
  std::string removed_rejected_file;
  std::vector<std::string> warnings;  // e.g. a FILE.rejected.csv of someone else's left alone
  bool applied = false;
};

// Imports a survey export. Every row is checked like AddFeedback's (source "import" unless the
// file says); a row with a Feedback ID already stored unchanged counts as unchanged (re-running
// a file changes nothing). A file with a bad row is refused whole (kInvalid, one detail
// "line N: reason" per bad row, nothing written) unless opt.partial. The rejected rows go to
// FILE.rejected.csv beside the file, written before the commit; as the ERP sync does, an
// existing FILE.rejected.csv that cxhub did not write (IsOurRejectedFile) is never replaced nor
// removed without opt.force: with rows to reject the import is refused (kInvalid, nothing
// written), without it is left alone with a warning. Errors: kInvalid, kForbidden, kInternal.
Status ImportFeedback(const Context& ctx, const FeedbackImportOptions& opt,
                      FeedbackImportSummary* out);

}  // namespace cx
