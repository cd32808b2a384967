#include "ecs/product.h"

#include "aws/shared_config.h"
#include "ecs/deployment/containerize.h"
#include "ecs/deployment/delete_infrastructure.h"
#include "ecs/deployment/deployment_status.h"
#include "ecs/deployment/infrastructure.h"
#include "ecs/docs/docs_tools.h"
#include "ecs/prompts.h"
#include "ecs/redaction.h"
#include "ecs/resource_management/resource_management.h"
#include "ecs/troubleshooting/troubleshooting_tool.h"

namespace ecs_mcp::ecs {

#ifndef ECS_MCP_VERSION
#define ECS_MCP_VERSION "0.0.0"
#endif

std::string make_instructions(const mcp::ToolRegistry& tools, const AccessPolicy& policy) {
  std::string s =
      "ecs-mcp helps you containerize applications, deploy them to Amazon ECS on Fargate "
      "behind a load balancer, follow deployments, troubleshoot failing services and tasks, "
      "and inspect or manage ECS resources.\n";
  if (!tools.tools().empty()) {
    s += "\nTools:\n";
    for (const auto& t : tools.tools()) s += "- " + t.name + ": " + t.title + "\n";
  }
  s += "\nAccess control (set by whoever launches the server, not by the assistant):\n";
  s += "- Reads of configuration and state are always allowed.\n";
  s += std::string("- Creating, changing and deleting resources needs ALLOW_WRITE=true; it is ") +
       (policy.allow_write ? "ENABLED" : "disabled") + " now.\n";
  s += std::string(
           "- Logs and data that may contain secrets need ALLOW_SENSITIVE_DATA=true; it is ") +
       (policy.allow_sensitive_data ? "ENABLED" : "disabled") +
       " now. Without it, environment values and secrets are redacted.\n";
  if (policy.require_human_confirmation) {
    s += "- Deleting resources needs the user's own confirmation, which the server asks for "
         "through the client (ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true); you cannot confirm it "
         "for them.\n";
  }
  s += "A refused call says which variable to set; tell the user rather than retrying.\n";
  s += "\nWorkflows (also offered as prompts):\n"
       "- Deploy: containerize_app (write_files=true), create_ecs_infrastructure (templates; then "
       "force_deploy=true, or deployment_step 1, 2, 3 one call each), get_deployment_status until "
       "COMPLETE, which gives the load balancer URL.\n"
       "- Troubleshoot: ecs_troubleshooting_tool with get_ecs_troubleshooting_guidance first, then "
       "the "
       "actions its findings name. Tasks keep failing: fetch_task_failures, fetch_task_logs. ALB "
       "health "
       "check failing: fetch_service_events, fetch_network_configuration. App unreachable: "
       "fetch_network_configuration. Image pull errors: detect_image_pull_failures. Failed stack: "
       "fetch_cloudformation_status.\n"
       "- Inspect: ecs_resource_management with ListClusters, DescribeServices, ListTasks "
       "(desiredStatus RUNNING), DescribeTasks, DescribeTaskDefinition; follow nextToken.\n"
       "- Clean up: delete_ecs_infrastructure, show its preview, and confirm with the user before "
       "passing confirmation_token.\n"
       "Unknown names: list first (ListClusters, ListServices) rather than guessing.\n";
  return s;
}

std::optional<std::string> region_of_profile(const Os& os, const std::string& profile) {
  auto shared = aws::SharedConfig::load(os);
  if (!shared.ok()) return std::nullopt;
  auto p = shared->profile(profile);
  if (!p) return std::nullopt;
  return p->get("region");
}

Result<std::unique_ptr<mcp::Server>> make_product_server(const Config& config,
                                                         AwsContextOptions aws_options) {
  AccessPolicy policy{config.allow_write, config.allow_sensitive_data,
                      config.require_human_confirmation};
  AccessGate gate(policy);
  mcp::ToolRegistry registry;
  // Product tools are registered here as they are built; each declares its own schema,
  // annotations and access classes next to its handler.
  auto aws = std::make_shared<AwsContext>(config, std::move(aws_options));
  std::vector<mcp::Tool> tools;
  tools.push_back(make_resource_management_tool(aws, policy));
  tools.push_back(make_containerize_tool());
  tools.push_back(make_create_infrastructure_tool(aws, policy));
  tools.push_back(make_deployment_status_tool(aws));
  DeleteInfrastructureOptions delete_options;
  delete_options.require_human_confirmation = policy.require_human_confirmation;
  tools.push_back(make_delete_infrastructure_tool(aws, delete_options));
  tools.push_back(make_troubleshooting_tool(aws, policy));
  if (config.docs.enabled) {
    for (auto& tool : make_docs_tools(config.docs)) tools.push_back(std::move(tool));
  }
  for (auto& tool : tools) {
    gate.annotate_listing(tool);
    if (auto st = registry.add(std::move(tool)); !st.ok()) return st.error();
  }
  mcp::ServerInfo info{"ecs-mcp-server", "Amazon ECS MCP Server", ECS_MCP_VERSION,
                       make_instructions(registry, policy)};
  mcp::ServerCatalog catalog;
  catalog.prompts = make_prompts(policy);
  // Every answer, whichever tool gives it, is redacted in one place on its way out.
  mcp::ServerOptions options;
  options.answer_filter = Redactor(policy.allow_sensitive_data).answer_filter();
  return std::make_unique<mcp::Server>(std::move(info), std::move(registry), gate.guard(),
                                       std::move(options), std::move(catalog));
}

}  // namespace ecs_mcp::ecs
