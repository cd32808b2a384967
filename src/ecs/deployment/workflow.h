// What the deployment workflows (deploy_workflow.h, delete_workflow.h, status_workflow.h) share:
// how they report progress and learn that they should stop. The workflows are plain functions
// of a plan and their dependencies; the MCP tools adapt a call's ToolContext to these.
//
// Thread-safety: a Progress and a Cancellation belong to one workflow run.
#pragma once

#include <functional>
#include <stop_token>
#include <string>

#include "aws/client.h"
#include "ecs/deployment/stacks.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

// Where a workflow stands: `progress` of `total`, with a line for people.
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void report(double progress, double total, const std::string& message) = 0;
};

// Drops every report.
class NoProgress : public Progress {
 public:
  void report(double, double, const std::string&) override {}
};

// Reports as MCP progress notifications and, with a `logger`, also as info log messages.
class ToolProgress : public Progress {
 public:
  explicit ToolProgress(mcp::ToolContext& context, std::string logger = {})
      : context_(context), logger_(std::move(logger)) {}
  void report(double progress, double total, const std::string& message) override;

 private:
  mcp::ToolContext& context_;
  std::string logger_;
};

// How a workflow learns it should stop: a predicate polled between steps and a stop token that
// wakes waits at once. Empty: never.
struct Cancellation {
  std::function<bool()> cancelled;
  std::stop_token stop;

  bool requested() const { return cancelled && cancelled(); }
  aws::CallOptions call_options() const;
  // Stack waits with this cancellation and the given pacing.
  StackWaitOptions stack_wait(std::chrono::milliseconds poll_interval,
                              std::chrono::milliseconds timeout) const;
};

// The cancellation of a tool call.
Cancellation cancellation_of(const mcp::ToolContext& context);

}  // namespace ecs_mcp::ecs
