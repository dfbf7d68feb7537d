// The steps of a merge as one text, the form every backend keeps them in: a JSON array of
// {"table", "id", "column"} objects, which merges recorded by earlier versions also use.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "domain/merge.h"

namespace cx {

// The steps as stored text.
std::string MergeStepsToText(const std::vector<MergeStep>& steps);

// The steps of stored text. Errors: kInternal naming `merge_id` when the text is not steps.
Result<std::vector<MergeStep>> MergeStepsFromText(const std::string& text,
                                                  const std::string& merge_id);

}  // namespace cx
