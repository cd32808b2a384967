// The MCP servers the agent connects to: parsed from an `mcpServers` file (the shape Claude
// Desktop and most agent platforms use) and described as ServerSpec values.
//
//   {"mcpServers": {"name": {"command": "...", "args": [...], "env": {...}},
//                   "docs": {"url": "https://...", "headers": {...}}}}
//
// A stdio entry's `env` is added to the stripped base environment (HOME, LOGNAME, PATH,
// SHELL, TERM, USER), as platform agents do; nothing else of the agent's environment leaks.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/os.h"
#include "common/result.h"

namespace ecs_mcp::agent {

struct ServerSpec {
  enum class Kind { kStdio, kHttp };
  std::string key;  // the name in mcpServers; "ecs" for the ECS server
  Kind kind = Kind::kStdio;
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> environment;  // the child's whole environment
  std::string url;
  std::map<std::string, std::string> headers;
};

// The variables every stdio child gets from the agent's own environment, when set.
std::vector<std::pair<std::string, std::string>> base_child_environment(const Os& os);

// Parses the file's text. Errors: "InvalidMcpConfig" naming the entry at fault.
Result<std::vector<ServerSpec>> parse_mcp_config(const std::string& text, const Os& os);

}  // namespace ecs_mcp::agent
