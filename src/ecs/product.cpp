#include "ecs/product.h"

#include "aws/shared_config.h"
#include "ecs/deployment/containerize.h"
#include "ecs/deployment/delete_infrastructure.h"
#include "ecs/deployment/deployment_status.h"
#include "ecs/deployment/infrastructure.h"
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
  s += std::string("- Logs and data that may contain secrets need ALLOW_SENSITIVE_DATA=true; it is ") +
       (policy.allow_sensitive_data ? "ENABLED" : "disabled") +
       " now. Without it, environment values and secrets are redacted.\n";
  s += "A refused call says which variable to set; tell the user rather than retrying.\n";
  return s;
}

std::optional<std::string> region_of_profile(const std::string& profile) {
  auto env = aws::Environment::process();
  auto shared = aws::SharedConfig::load(env);
  if (!shared.ok()) return std::nullopt;
  auto p = shared->profile(profile);
  if (!p) return std::nullopt;
  return p->get("region");
}

Result<std::unique_ptr<mcp::Server>> make_product_server(const Config& config,
                                                         AwsContextOptions aws_options) {
  AccessPolicy policy{config.allow_write, config.allow_sensitive_data};
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
  tools.push_back(make_delete_infrastructure_tool(aws));
  tools.push_back(make_troubleshooting_tool(aws, policy));
  for (auto& tool : tools) {
    gate.annotate_listing(tool);
    if (auto st = registry.add(std::move(tool)); !st.ok()) return st.error();
  }
  mcp::ServerInfo info{"ecs-mcp-server", "Amazon ECS MCP Server", ECS_MCP_VERSION,
                       make_instructions(registry, policy)};
  return std::make_unique<mcp::Server>(std::move(info), std::move(registry), gate.guard());
}

}  // namespace ecs_mcp::ecs
