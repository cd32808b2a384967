// ecs_resource_management: every ECS and ECR API operation the table in operations.h offers,
// called with the caller's parameters, gated by access class, answered redacted and bounded.
// With ECS_MCP_REQUIRE_HUMAN_CONFIRMATION a destructive operation runs only after the person
// confirmed exactly that call (human_confirmation.h).
//
// Thread-safety: the tool's handler may run concurrently; it shares only the AwsContext.
#pragma once

#include <chrono>
#include <memory>

#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "ecs/human_confirmation.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct ResourceManagementOptions {
  size_t response_budget_bytes = 60000;
  // How long the person has to answer under ECS_MCP_REQUIRE_HUMAN_CONFIRMATION.
  std::chrono::milliseconds confirmation_timeout{kHumanConfirmationTimeout};
};

mcp::Tool make_resource_management_tool(std::shared_ptr<AwsContext> aws, const AccessPolicy& policy,
                                        ResourceManagementOptions options = {});

}  // namespace ecs_mcp::ecs
