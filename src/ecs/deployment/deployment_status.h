// get_deployment_status: where an app's deployment stands: the ECS stack's status (with the
// failure reasons from its events), the service's rollout state, running/desired tasks, the
// load balancer's target health, the URL, and an overall verdict (COMPLETE, IN_PROGRESS,
// FAILED, or NOT_FOUND) with the reason and the next step.
//
// Access: a read.
// Thread-safety: the handler may run concurrently; it shares only the AwsContext.
#pragma once

#include <memory>

#include "ecs/aws_context.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

mcp::Tool make_deployment_status_tool(std::shared_ptr<AwsContext> aws);

}  // namespace ecs_mcp::ecs
