// The status workflow behind get_deployment_status, as a plain function: where an app's
// deployment stands, from its ECS stack (status and the failure reasons in its events), the
// service's rollout and tasks, and the load balancer's target health, summed up in a verdict
// with the reason and the next step.
//
// Thread-safety: shares only the AwsContext; runs may overlap.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/aws_context.h"
#include "ecs/deployment/workflow.h"

namespace ecs_mcp::ecs {

struct StatusQuery {
  std::string app_name;
  std::string stack_name;                   // the app's ECS stack
  std::optional<std::string> cluster_name;  // default: the stack's output, else <app>-cluster
  std::optional<std::string> service_name;  // default: the stack's output, else <app>-service
};

struct StatusDeps {
  std::shared_ptr<AwsContext> aws;
  Cancellation cancellation;
};

enum class Verdict { kComplete, kInProgress, kFailed, kNotFound };
std::string_view to_string(Verdict verdict);

struct StackState {
  std::string name;
  bool exists = false;  // false: only the name is known
  std::string status;   // "NOT_FOUND" when it does not exist
  std::string status_reason;
  bool managed_by_ecs_mcp = false;
  nlohmann::json outputs = nlohmann::json::object();
  std::optional<std::vector<std::string>> failures;  // looked up when the stack failed
};

struct RolloutState {
  std::string status, rollout_state, rollout_state_reason, task_definition;
  int desired = 0, running = 0, failed_tasks = 0;
};

struct ServiceState {
  std::string name, cluster, status;
  int desired = 0, running = 0, pending = 0;
  std::string rollout_state, rollout_state_reason;  // of the PRIMARY deployment
  std::vector<RolloutState> deployments;
  std::vector<std::string> recent_events;  // the newest five messages
};

struct TargetHealthState {
  std::string target_group_arn;
  std::map<std::string, int> states;  // state -> count, "healthy" always present
  std::string unhealthy_reason;       // the first unhealthy target's
  std::string error;                  // DescribeTargetHealth failed
};

struct DeploymentStatus {
  Verdict verdict = Verdict::kNotFound;
  std::string reason, next_step;
  std::optional<StackState> stack;
  std::optional<ServiceState> service;
  std::optional<TargetHealthState> targets;
  std::optional<std::string> load_balancer_url;  // the stack's LoadBalancerUrl output
};

// An Error only when AWS cannot be asked (a missing cluster is a FAILED verdict, not an error).
Result<DeploymentStatus> deployment_status(const StatusQuery& query, const StatusDeps& deps);

}  // namespace ecs_mcp::ecs
