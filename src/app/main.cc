// cxhub's entry point: hands the command line to cli/.
#include "cli/cli.h"

int main(int argc, char** argv) { return cx::RunCli(argc, argv); }
