// The root cause of a failed CloudFormation operation, told apart from its cascade.
//
// When one resource fails, CloudFormation cancels the resources being created alongside it
// ("Resource creation cancelled"), marks the stack failed with a summary ("The following
// resource(s) failed to create: [...]") and rolls back. Only the first real failure of the
// latest operation explains anything; the rest is its echo. DescribeStackEvents lists events
// newest first, across every operation the stack has had.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ecs/troubleshooting/findings.h"

namespace ecs_mcp::ecs::troubleshooting {

struct StackFailureAnalysis {
  std::optional<nlohmann::json> root_cause;      // the StackEvent that started it
  std::vector<nlohmann::json> cascade;           // failures that followed from it
  std::vector<nlohmann::json> operation_events;  // the latest operation, oldest first
  bool rolled_back = false;
};

// True for failure reasons that only echo another failure (cancellations, stack summaries).
bool is_cascade_reason(const std::string& reason);

// `events` is DescribeStackEvents' StackEvents (newest first); `stack_name` the stack's name.
StackFailureAnalysis analyze_stack_events(const nlohmann::json& events,
                                          const std::string& stack_name);

// Findings for a stack: its status, the root cause with a next step fitted to its reason, and
// the resources (ListStackResources' summaries) left in failed states.
std::vector<Finding> diagnose_stack(const nlohmann::json& stack,
                                    const StackFailureAnalysis& analysis,
                                    const nlohmann::json& resource_summaries);

}  // namespace ecs_mcp::ecs::troubleshooting
