// NullToolContext: a ToolContext for calling a tool handler directly. Never cancelled; drops
// progress and log messages; declares no client capabilities. Tests that need more derive
// from it.
#pragma once

#include <optional>
#include <string>

#include "mcp/tool.h"

namespace ecs_mcp::testing {

class NullToolContext : public mcp::ToolContext {
 public:
  bool cancelled() const override { return false; }
  void progress(double, std::optional<double>, const std::string&) override {}
  void log(mcp::LogLevel, const std::string&, const mcp::json&) override {}
};

}  // namespace ecs_mcp::testing
