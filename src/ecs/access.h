// The access gate: the one place where ALLOW_WRITE and ALLOW_SENSITIVE_DATA are enforced.
//
// The rule every tool's declarations follow. A plain read (kRead) returns configuration and
// state as ECS, CloudFormation and ELB report it: descriptions and lists, deployment and stack
// status, and service events, which are safe in production and which DescribeServices,
// get_deployment_status and the troubleshooting guidance show anyway. A sensitive read
// (kSensitiveRead) returns logs or detailed resource information: log events, the stopped
// tasks' container details (fetch_task_failures) and network configuration (security group
// rules, routes, ACLs). Secrets inside any answer are masked by the redaction (redaction.h),
// not by the access class.
//
// Every tool declares the access class of each of its operations (mcp::Tool::access_for);
// the server asks this gate, at call time and before any handler runs, whether the class is
// allowed. A refusal names the variable to set. Nothing here trusts the client to hide
// tools: they stay listed, and a tool whose every operation is refused says so in its
// description.
//
// Thread-safety: immutable after construction.
#pragma once

#include <optional>
#include <string>

#include "mcp/server.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct AccessPolicy {
  bool allow_write = false;
  bool allow_sensitive_data = false;
  // ECS_MCP_REQUIRE_HUMAN_CONFIRMATION: destructive operations also need the person's yes,
  // asked by the tool itself through elicitation (human_confirmation.h), never a token.
  bool require_human_confirmation = false;
};

class AccessGate {
 public:
  explicit AccessGate(AccessPolicy policy) : policy_(policy) {}

  bool allows(mcp::AccessClass access) const;
  // The refusal text for `operation` needing `access`, or nullopt when allowed.
  std::optional<std::string> refusal(const std::string& operation, mcp::AccessClass access) const;
  // The guard the MCP server calls before running any tool.
  mcp::CallGuard guard() const;
  // Appends an availability note to the description of a tool none of whose operations the
  // policy allows, and notes the refused classes of a tool only some of whose operations are.
  void annotate_listing(mcp::Tool& tool) const;

  const AccessPolicy& policy() const { return policy_; }

 private:
  AccessPolicy policy_;
};

}  // namespace ecs_mcp::ecs
