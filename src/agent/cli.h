// ecs-agent's command line: `ask "..."`, `chat`, --help, --version.
//
// run_cli() reads flags and the environment, starts the MCP servers (the ECS server only
// when ENABLE_ECS_MCP is on), picks the model provider, and runs the loop, printing the
// answer on stdout and tool calls with their durations on stderr. Ctrl-C cancels the turn
// in progress (a second one at the chat prompt leaves).
//
// Thread-safety: runs once per process; installs a SIGINT handler.
#pragma once

namespace ecs_mcp::agent {

int run_cli(int argc, char** argv);

}  // namespace ecs_mcp::agent
