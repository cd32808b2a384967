// delete_ecs_infrastructure: removes an app's two stacks, and nothing else. A stack is deleted
// only when it carries this server's ownership tags for the app and its deployed template is
// the one in the template file the caller names. The first call previews what would go and
// returns a confirmation token bound to those stacks (their IDs) and valid for ten minutes;
// only a second call with that token deletes. When the client supports elicitation, the first
// call instead asks the user (elicitation/create) to confirm exactly those stacks and deletes
// on an explicit yes; a refusal deletes nothing, and a client that fails to answer gets the
// preview and token as above. Either way the deletion goes the ECS stack first, then the ECR
// repository's stack (whose images go with it), waiting with progress. With
// ECS_MCP_REQUIRE_HUMAN_CONFIRMATION only the person can confirm (human_confirmation.h).
// The tool turns its arguments into a DeletePlan; the workflow is in delete_workflow.h.
//
// Access: destructive (needs ALLOW_WRITE=true), the preview included.
// Thread-safety: the handler may run concurrently; tokens are issued by a shared, thread-safe
// ConfirmationTokens.
#pragma once

#include <memory>

#include "ecs/aws_context.h"
#include "ecs/deployment/confirmation.h"
#include "ecs/deployment/path_safety.h"
#include "ecs/human_confirmation.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct DeleteInfrastructureOptions {
  PathPolicy paths;
  std::shared_ptr<ConfirmationTokens> tokens;  // null: the default key file, ten minutes
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::chrono::milliseconds stack_timeout{std::chrono::minutes(45)};
  // How long the user has to answer the elicitation before the call falls back to the token.
  std::chrono::milliseconds elicitation_timeout{kHumanConfirmationTimeout};
  // ECS_MCP_REQUIRE_HUMAN_CONFIRMATION: only the person, through elicitation, can confirm.
  bool require_human_confirmation = false;
};

mcp::Tool make_delete_infrastructure_tool(std::shared_ptr<AwsContext> aws,
                                          DeleteInfrastructureOptions options = {});

}  // namespace ecs_mcp::ecs
