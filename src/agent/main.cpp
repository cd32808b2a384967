// ecs-agent: the command line (see agent/cli.h); nothing else.
#include "agent/cli.h"

int main(int argc, char** argv) { return ecs_mcp::agent::run_cli(argc, argv); }
