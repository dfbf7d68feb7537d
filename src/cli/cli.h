// The command line (docs/interfaces.md): parses arguments, calls services, maps errors to exit
// codes.
#pragma once

namespace cx {

// Runs one command. Returns the process exit status: 0 success, 2 invalid input
// (nothing written, every problem on stderr), 1 any other failure.
int RunCli(int argc, char** argv);

}  // namespace cx
