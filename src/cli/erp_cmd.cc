// Command group placeholder: filled in by its own issue.
#include "cli/cli_common.h"

namespace cx {
void RegisterErpCommands(CLI::App&, CliEnv&) {}
}  // namespace cx
