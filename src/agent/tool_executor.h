// ToolExecutor: what the agent loop needs from the tools, whatever serves them.
//
// The loop only lists tools and runs calls; ToolBox serves them from MCP servers, tests
// serve them from a table. A call never fails as such: failures are results the model reads
// (is_error), and a call the server refused by policy is marked `refused` so the loop can
// tell the model not to try again.
//
// Thread-safety: call() must allow concurrent calls (the loop runs one turn's calls at once).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "agent/conversation.h"

namespace ecs_mcp::agent {

struct ToolRunResult {
  std::string text;
  bool is_error = false;
  bool refused = false;  // refused by the server's access settings (ALLOW_WRITE, ...)
};

class ToolExecutor {
 public:
  virtual ~ToolExecutor() = default;
  virtual std::vector<ToolSpec> tools() const = 0;
  virtual ToolRunResult call(const std::string& name, const json& arguments,
                             const std::function<bool()>& cancelled) = 0;
};

}  // namespace ecs_mcp::agent
