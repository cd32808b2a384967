// ecs_troubleshooting_tool: diagnoses that name the likely cause, its evidence and the next
// step, for failing tasks, unhealthy load balancer targets, unreachable applications, image
// pulls, CloudFormation failures and logs.
//
// One tool, seven actions (the `action` argument; names compatible with the AWS Labs
// server); each action lives in its own file and checks its own required parameters. Logs,
// task failures and network configuration are sensitive reads; the other actions, service
// events among them, are plain reads (the rule is in access.h). Every answer is redacted on its
// way out (redaction.h).
//
// Thread-safety: the handler may run concurrently; it shares only the AwsContext.
#pragma once

#include <functional>
#include <memory>

#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct TroubleshootingOptions {
  size_t response_budget_bytes = 60000;
  // Epoch seconds now; tests fix it so recorded timestamps fall in the window.
  std::function<double()> now;
};

mcp::Tool make_troubleshooting_tool(std::shared_ptr<AwsContext> aws, const AccessPolicy& policy,
                                    TroubleshootingOptions options = {});

}  // namespace ecs_mcp::ecs
