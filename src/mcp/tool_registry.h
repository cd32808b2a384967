// The tool registry: every tool the server offers, in registration order, checked once when
// added (name, handler, access class, schemas) and listed page by page for tools/list.
//
// Thread-safety: built on one thread before the server starts; read-only afterwards, when any
// number of threads may read it.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "mcp/rpc_outcome.h"
#include "mcp/tool.h"

namespace ecs_mcp::mcp {

class ToolRegistry {
 public:
  // Refuses a tool with a bad name, a duplicate name, no handler, or a schema with an object
  // that declares no properties.
  Status add(Tool tool);
  const Tool* find(std::string_view name) const;
  const std::vector<Tool>& tools() const { return tools_; }

  // The tools/list result for `params` (which may carry the cursor of the previous page),
  // at most `page_size` tools a page.
  RpcOutcome list(const json& params, size_t page_size) const;

 private:
  std::vector<Tool> tools_;
};

}  // namespace ecs_mcp::mcp
