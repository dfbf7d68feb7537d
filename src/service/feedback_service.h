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
  bool applied = false;
};

// Imports a survey export. Every row is checked like AddFeedback's (source "import" unless the
// file says); a row with a Feedback ID already stored unchanged counts as unchanged (re-running
// a file changes nothing). A file with a bad row is refused whole (kInvalid, one detail
// "line N: reason" per bad row, nothing written) unless opt.partial. Errors: kInvalid,
// kForbidden, kInternal.
Status ImportFeedback(const Context& ctx, const FeedbackImportOptions& opt,
                      FeedbackImportSummary* out);

}  // namespace cx
