// ecs_resource_management: every ECS and ECR API operation the table in operations.h offers,
// called with the caller's parameters, gated by access class, answered redacted and bounded.
//
// Thread-safety: the tool's handler may run concurrently; it shares only the AwsContext.
#pragma once

#include <memory>

#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct ResourceManagementOptions {
  size_t response_budget_bytes = 60000;
};

mcp::Tool make_resource_management_tool(std::shared_ptr<AwsContext> aws, const AccessPolicy& policy,
                                        ResourceManagementOptions options = {});

}  // namespace ecs_mcp::ecs
