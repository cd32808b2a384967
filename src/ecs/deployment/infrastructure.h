// create_ecs_infrastructure: the CloudFormation templates that run an app on ECS Fargate behind
// an Application Load Balancer (templates/cloudformation/ecr.json and ecs.json), written into
// the app, and with force_deploy the deployment itself: the ECR stack, the image built and
// pushed with the local container tool (unless image_uri is given), then the ECS stack,
// waiting with progress notifications, cancellable.
//
// Access: without force_deploy a read (nothing is created in AWS; the templates and their
// parameters are written under <app_path>/cloudformation-templates/); with force_deploy a
// write. Every name is checked against AWS's rules before any call; the stacks carry the
// ownership tags of stacks.h, which the stack resources inherit.
//
// The tool turns its arguments into a DeployPlan and the workflow's outcome into its answer; the
// workflow itself is in deploy_workflow.h.
//
// Thread-safety: the handler may run concurrently; it shares only the AwsContext.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "ecs/deployment/deploy_workflow.h"
#include "ecs/deployment/path_safety.h"
#include "ecs/deployment/stacks.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct InfrastructureOptions {
  PathPolicy paths;
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::chrono::milliseconds stack_timeout{std::chrono::minutes(45)};
  std::vector<std::string> container_tools;  // empty: docker, finch, podman, buildah
};

mcp::Tool make_create_infrastructure_tool(std::shared_ptr<AwsContext> aws,
                                          const AccessPolicy& policy,
                                          InfrastructureOptions options = {});

}  // namespace ecs_mcp::ecs
