#include "ecs/deployment/status_workflow.h"

#include "ecs/deployment/stacks.h"

namespace ecs_mcp::ecs {

using nlohmann::json;

namespace {

bool stack_failed(const std::string& s) {
  return s.find("FAILED") != std::string::npos || s.find("ROLLBACK") != std::string::npos ||
         s == "DELETE_COMPLETE";
}

DeploymentStatus finish(DeploymentStatus status, Verdict verdict, std::string reason,
                        std::string next_step) {
  status.verdict = verdict;
  status.reason = std::move(reason);
  status.next_step = std::move(next_step);
  return status;
}

std::string short_name(const std::string& arn) { return arn.substr(arn.rfind('/') + 1); }

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kComplete:
      return "COMPLETE";
    case Verdict::kInProgress:
      return "IN_PROGRESS";
    case Verdict::kFailed:
      return "FAILED";
    case Verdict::kNotFound:
      return "NOT_FOUND";
  }
  return "NOT_FOUND";
}

Result<DeploymentStatus> deployment_status(const StatusQuery& query, const StatusDeps& deps) {
  const std::string& app = query.app_name;
  const std::string& stack_name = query.stack_name;
  const aws::CallOptions call = deps.cancellation.call_options();
  auto cfn = deps.aws->client(AwsService::kCloudFormation);
  if (!cfn.ok())
    return make_error(ErrorCode::kAwsError, describe_aws_failure("CloudFormation", cfn.error()));

  DeploymentStatus out;
  auto stack = describe_stack(**cfn, stack_name, call);
  if (!stack.ok())
    return make_error(ErrorCode::kAwsError,
                      describe_aws_failure("DescribeStacks " + stack_name, stack.error()));
  json outputs = json::object();
  if (!stack->has_value()) {
    if (!query.cluster_name && !query.service_name) {
      return finish(std::move(out), Verdict::kNotFound,
                    "there is no stack " + stack_name + " in " + deps.aws->region(),
                    "Deploy it with create_ecs_infrastructure (force_deploy=true), or pass "
                    "stack_name if it has another name.");
    }
    StackState missing;
    missing.name = stack_name;
    missing.status = "NOT_FOUND";
    out.stack = missing;
  } else {
    const json& s = **stack;
    const std::string status = s.value("StackStatus", "");
    outputs = stack_outputs(s);
    StackState found;
    found.name = stack_name;
    found.exists = true;
    found.status = status;
    found.status_reason = s.value("StackStatusReason", "");
    found.managed_by_ecs_mcp = stack_is_ours(s, app);
    found.outputs = outputs;
    out.stack = found;
    if (outputs.contains("LoadBalancerUrl"))
      out.load_balancer_url = outputs["LoadBalancerUrl"].get<std::string>();
    if (stack_status_in_progress(status)) {
      if (status.find("ROLLBACK") != std::string::npos ||
          status.find("DELETE") != std::string::npos) {
        auto reasons = stack_failure_reasons(**cfn, stack_name, call);
        out.stack->failures = reasons;
        return finish(std::move(out), Verdict::kFailed,
                      "stack " + stack_name + " is " + status +
                          (reasons.empty() ? "" : ": " + reasons.front()),
                      "Wait for the rollback to finish, fix the cause, then deploy again with "
                      "create_ecs_infrastructure.");
      }
      return finish(std::move(out), Verdict::kInProgress, "stack " + stack_name + " is " + status,
                    "Wait a minute and call get_deployment_status again.");
    }
    if (stack_failed(status)) {
      auto reasons = stack_failure_reasons(**cfn, stack_name, call);
      out.stack->failures = reasons;
      std::string next = status == "UPDATE_ROLLBACK_COMPLETE"
                             ? "The previous version is still running. Fix the cause and call "
                               "create_ecs_infrastructure "
                               "with force_deploy=true again."
                             : "Delete the failed stack with delete_ecs_infrastructure, fix the "
                               "cause, and deploy again.";
      return finish(
          std::move(out), Verdict::kFailed,
          "stack " + stack_name + " is " + status + (reasons.empty() ? "" : ": " + reasons.front()),
          next);
    }
  }

  // The service.
  const std::string cluster =
      query.cluster_name.value_or(outputs.value("ClusterName", app + "-cluster"));
  const std::string service_name =
      query.service_name.value_or(outputs.value("ServiceName", app + "-service"));
  auto ecs = deps.aws->client(AwsService::kEcs);
  if (!ecs.ok()) return make_error(ErrorCode::kAwsError, describe_aws_failure("ECS", ecs.error()));
  auto described =
      (*ecs)->call("DescribeServices", {{"cluster", cluster}, {"services", {service_name}}}, call);
  if (!described.ok()) {
    if (described.error().is_service_error("ClusterNotFoundException")) {
      return finish(std::move(out), Verdict::kFailed, "cluster " + cluster + " does not exist",
                    "Deploy with create_ecs_infrastructure (force_deploy=true).");
    }
    return make_error(ErrorCode::kAwsError,
                      describe_aws_failure("DescribeServices", described.error()));
  }
  const json services = described->value("services", json::array());
  if (services.empty() || services[0].value("status", "") == "INACTIVE") {
    return finish(std::move(out), Verdict::kFailed,
                  "service " + service_name + " is not active in cluster " + cluster,
                  "Deploy with create_ecs_infrastructure (force_deploy=true).");
  }
  const json& svc = services[0];
  ServiceState service;
  service.name = svc.value("serviceName", service_name);
  service.cluster = cluster;
  service.status = svc.value("status", "");
  service.desired = svc.value("desiredCount", 0);
  service.running = svc.value("runningCount", 0);
  service.pending = svc.value("pendingCount", 0);
  std::string primary_task_definition;
  // A deployment the circuit breaker stopped while a newer PRIMARY one rolls the service back.
  std::optional<RolloutState> rolled_back;
  for (const auto& d : svc.value("deployments", json::array())) {
    RolloutState r{d.value("status", ""),
                   d.value("rolloutState", ""),
                   d.value("rolloutStateReason", ""),
                   d.value("taskDefinition", ""),
                   d.value("desiredCount", 0),
                   d.value("runningCount", 0),
                   d.value("failedTasks", 0)};
    if (r.status == "PRIMARY") {
      service.rollout_state = r.rollout_state;
      service.rollout_state_reason = r.rollout_state_reason;
      primary_task_definition = r.task_definition;
    } else if (r.rollout_state == "FAILED" && !rolled_back) {
      rolled_back = r;
    }
    service.deployments.push_back(std::move(r));
  }
  for (const auto& e : svc.value("events", json::array())) {
    if (service.recent_events.size() >= 5) break;
    service.recent_events.push_back(e.value("message", ""));
  }
  out.service = service;

  // Target health.
  std::map<std::string, int> states;
  std::string unhealthy_reason;
  if (std::string tg = outputs.value("TargetGroupArn", ""); !tg.empty()) {
    if (auto elb = deps.aws->client(AwsService::kElbv2); elb.ok()) {
      auto health = (*elb)->call("DescribeTargetHealth", {{"TargetGroupArn", tg}}, call);
      TargetHealthState targets;
      targets.target_group_arn = tg;
      if (health.ok()) {
        for (const auto& t : health->value("TargetHealthDescriptions", json::array())) {
          const json th = t.value("TargetHealth", json::object());
          std::string st = th.value("State", "unknown");
          states[st]++;
          if (st == "unhealthy" && unhealthy_reason.empty()) {
            unhealthy_reason = th.value("Reason", "") + ": " + th.value("Description", "");
          }
        }
        states["healthy"] += 0;  // always reported, even as 0
        targets.states = states;
        targets.unhealthy_reason = unhealthy_reason;
      } else {
        targets.states["healthy"] = 0;
        targets.error = health.error().describe();
      }
      out.targets = std::move(targets);
    }
  }

  const int running = service.running, desired = service.desired;
  const std::string& rollout = service.rollout_state;
  const std::string where =
      " (" + std::to_string(running) + "/" + std::to_string(desired) + " tasks running)";
  const std::string troubleshoot =
      "Look at the service events and the stopped tasks' reasons (the troubleshooting tools, "
      "or ecs_resource_management DescribeServices/ListTasks) and the logs in " +
      outputs.value("LogGroupName", "/ecs/" + app) + ".";
  if (rollout == "FAILED") {
    return finish(
        std::move(out), Verdict::kFailed,
        "the service's deployment failed" + where +
            (service.rollout_state_reason.empty() ? "" : ": " + service.rollout_state_reason) +
            "; the circuit breaker rolls it back",
        troubleshoot + " Then fix the app and deploy again.");
  }
  if (rolled_back) {
    const std::string& why = rolled_back->rollout_state_reason;
    return finish(std::move(out), Verdict::kFailed,
                  "the latest deployment (" + short_name(rolled_back->task_definition) +
                      ") failed" + (why.empty() ? "" : ": " + why) +
                      "; the circuit breaker is rolling the service back to " +
                      short_name(primary_task_definition) + where,
                  troubleshoot + " Then fix the app and deploy again.");
  }
  if (rollout == "IN_PROGRESS" || service.deployments.size() > 1 || running < desired ||
      service.pending > 0) {
    std::string reason = "the service is rolling out" + where;
    std::string next = "Wait a minute and call get_deployment_status again.";
    if (!unhealthy_reason.empty()) {
      reason += "; targets are unhealthy (" + unhealthy_reason + ")";
      next = "If this persists, check the health check path and port. " + troubleshoot;
    }
    return finish(std::move(out), Verdict::kInProgress, reason, next);
  }
  if (desired > 0 && states["unhealthy"] > 0 && states["healthy"] == 0) {
    return finish(std::move(out), Verdict::kInProgress,
                  "tasks run but the load balancer finds them unhealthy (" + unhealthy_reason + ")",
                  "Check that the app answers on the container port and the health check path. " +
                      troubleshoot);
  }
  const std::string url = out.load_balancer_url.value_or("");
  return finish(std::move(out), Verdict::kComplete, "the deployment is complete" + where,
                url.empty() ? "The service is running." : "Open " + url + " to reach the app.");
}

}  // namespace ecs_mcp::ecs
