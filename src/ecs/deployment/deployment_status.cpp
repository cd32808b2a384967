#include "ecs/deployment/deployment_status.h"

#include <map>
#include <optional>

#include "ecs/deployment/names.h"
#include "ecs/deployment/stacks.h"
#include "ecs/response_shaping.h"

namespace ecs_mcp::ecs {

using mcp::json;

namespace {

json input_schema() {
  return json{{"type", "object"},
              {"properties",
               {{"app_name",
                 {{"type", "string"},
                  {"minLength", 1},
                  {"description", "The app_name given to create_ecs_infrastructure"}}},
                {"cluster_name", {{"type", "string"}, {"description", "Default: the stack's"}}},
                {"stack_name",
                 {{"type", "string"}, {"description", "Default <app_name>-ecs-infrastructure"}}},
                {"service_name", {{"type", "string"}, {"description", "Default: the stack's"}}}}},
              {"required", {"app_name"}},
              {"additionalProperties", false}};
}

json output_schema() {
  return json{
      {"type", "object"},
      {"properties",
       {{"app_name", {{"type", "string"}}},
        {"verdict",
         {{"type", "string"}, {"enum", {"COMPLETE", "IN_PROGRESS", "FAILED", "NOT_FOUND"}}}},
        {"reason", {{"type", "string"}}},
        {"next_step", {{"type", "string"}}},
        {"load_balancer_url", {{"type", "string"}}},
        {"stack",
         {{"type", "object"},
          {"properties", {{"name", {{"type", "string"}}}, {"status", {{"type", "string"}}}}}}},
        {"service",
         {{"type", "object"},
          {"properties",
           {{"name", {{"type", "string"}}}, {"rollout_state", {{"type", "string"}}}}}}},
        {"targets", {{"type", "object"}, {"properties", {{"healthy", {{"type", "integer"}}}}}}}}},
      {"required", {"app_name", "verdict", "reason", "next_step"}}};
}

bool stack_failed(const std::string& s) {
  return s.find("FAILED") != std::string::npos || s.find("ROLLBACK") != std::string::npos ||
         s == "DELETE_COMPLETE";
}

}  // namespace

mcp::Tool make_deployment_status_tool(std::shared_ptr<AwsContext> aws) {
  mcp::Tool tool;
  tool.name = "get_deployment_status";
  tool.title = "Deployment status of an app";
  tool.description =
      "Where an app deployed by create_ecs_infrastructure stands: stack status and failure "
      "reasons, "
      "the service's rollout and tasks, target health, the load balancer URL, and a verdict "
      "(COMPLETE, IN_PROGRESS, FAILED, NOT_FOUND) with the next step. Poll while IN_PROGRESS.";
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  tool.annotations = {
      .read_only = true, .destructive = false, .idempotent = true, .open_world = true};
  tool.access_classes = {mcp::AccessClass::kRead};
  tool.handler = [aws](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string app = args.at("app_name").get<std::string>();
    const std::string stack_name = args.value("stack_name", stack_names_for(app).ecs);
    if (auto e = check_stack_name(stack_name)) return mcp::ToolResult::error(*e);
    for (const char* k : {"cluster_name", "service_name"}) {
      if (args.contains(k)) {
        if (auto e = check_cluster_or_service_name(args[k].get<std::string>()))
          return mcp::ToolResult::error(*e);
      }
    }
    aws::CallOptions call;
    call.cancelled = ctx.cancel_predicate();
    auto cfn = aws->client(AwsService::kCloudFormation);
    if (!cfn.ok())
      return mcp::ToolResult::error(describe_aws_failure("CloudFormation", cfn.error()));

    json out{{"app_name", app}};
    auto finish = [&](const std::string& verdict, const std::string& reason,
                      const std::string& next) {
      out["verdict"] = verdict;
      out["reason"] = reason;
      out["next_step"] = next;
      return mcp::ToolResult::structured_result(out);
    };

    auto stack = describe_stack(**cfn, stack_name, call);
    if (!stack.ok())
      return mcp::ToolResult::error(
          describe_aws_failure("DescribeStacks " + stack_name, stack.error()));
    json outputs = json::object();
    if (!stack->has_value()) {
      if (!args.contains("cluster_name") && !args.contains("service_name")) {
        return finish("NOT_FOUND", "there is no stack " + stack_name + " in " + aws->region(),
                      "Deploy it with create_ecs_infrastructure (force_deploy=true), or pass "
                      "stack_name if it has another name.");
      }
      out["stack"] = {{"name", stack_name}, {"status", "NOT_FOUND"}};
    } else {
      const json& s = **stack;
      std::string status = s.value("StackStatus", "");
      outputs = stack_outputs(s);
      out["stack"] = {{"name", stack_name},
                      {"status", status},
                      {"status_reason", s.value("StackStatusReason", "")},
                      {"managed_by_ecs_mcp", stack_is_ours(s, app)},
                      {"outputs", outputs}};
      if (outputs.contains("LoadBalancerUrl"))
        out["load_balancer_url"] = outputs["LoadBalancerUrl"];
      if (stack_status_in_progress(status)) {
        if (status.find("ROLLBACK") != std::string::npos ||
            status.find("DELETE") != std::string::npos) {
          auto reasons = stack_failure_reasons(**cfn, stack_name, call);
          out["stack"]["failures"] = reasons;
          return finish("FAILED",
                        "stack " + stack_name + " is " + status +
                            (reasons.empty() ? "" : ": " + reasons.front()),
                        "Wait for the rollback to finish, fix the cause, then deploy again with "
                        "create_ecs_infrastructure.");
        }
        return finish("IN_PROGRESS", "stack " + stack_name + " is " + status,
                      "Wait a minute and call get_deployment_status again.");
      }
      if (stack_failed(status)) {
        auto reasons = stack_failure_reasons(**cfn, stack_name, call);
        out["stack"]["failures"] = reasons;
        std::string next = status == "UPDATE_ROLLBACK_COMPLETE"
                               ? "The previous version is still running. Fix the cause and call "
                                 "create_ecs_infrastructure "
                                 "with force_deploy=true again."
                               : "Delete the failed stack with delete_ecs_infrastructure, fix the "
                                 "cause, and deploy again.";
        return finish("FAILED",
                      "stack " + stack_name + " is " + status +
                          (reasons.empty() ? "" : ": " + reasons.front()),
                      next);
      }
    }

    // The service.
    std::string cluster =
        args.value("cluster_name", outputs.value("ClusterName", app + "-cluster"));
    std::string service_name =
        args.value("service_name", outputs.value("ServiceName", app + "-service"));
    auto ecs = aws->client(AwsService::kEcs);
    if (!ecs.ok()) return mcp::ToolResult::error(describe_aws_failure("ECS", ecs.error()));
    auto described = (*ecs)->call("DescribeServices",
                                  {{"cluster", cluster}, {"services", {service_name}}}, call);
    if (!described.ok()) {
      if (described.error().is_service_error("ClusterNotFoundException")) {
        return finish("FAILED", "cluster " + cluster + " does not exist",
                      "Deploy with create_ecs_infrastructure (force_deploy=true).");
      }
      return mcp::ToolResult::error(describe_aws_failure("DescribeServices", described.error()));
    }
    const json services = described->value("services", json::array());
    if (services.empty() || services[0].value("status", "") == "INACTIVE") {
      return finish("FAILED", "service " + service_name + " is not active in cluster " + cluster,
                    "Deploy with create_ecs_infrastructure (force_deploy=true).");
    }
    const json& svc = services[0];
    int desired = svc.value("desiredCount", 0), running = svc.value("runningCount", 0),
        pending = svc.value("pendingCount", 0);
    json deployments = json::array();
    std::string rollout = "", rollout_reason, primary_task_definition;
    // A deployment the circuit breaker stopped while a newer PRIMARY one rolls the service back.
    std::optional<json> rolled_back;
    for (const auto& d : svc.value("deployments", json::array())) {
      json entry{{"status", d.value("status", "")},
                 {"rollout_state", d.value("rolloutState", "")},
                 {"rollout_state_reason", d.value("rolloutStateReason", "")},
                 {"task_definition", d.value("taskDefinition", "")},
                 {"desired", d.value("desiredCount", 0)},
                 {"running", d.value("runningCount", 0)},
                 {"failed_tasks", d.value("failedTasks", 0)}};
      if (d.value("status", "") == "PRIMARY") {
        rollout = d.value("rolloutState", "");
        rollout_reason = d.value("rolloutStateReason", "");
        primary_task_definition = d.value("taskDefinition", "");
      } else if (d.value("rolloutState", "") == "FAILED" && !rolled_back) {
        rolled_back = d;
      }
      deployments.push_back(std::move(entry));
    }
    json events = json::array();
    for (const auto& e : svc.value("events", json::array())) {
      if (events.size() >= 5) break;
      events.push_back(e.value("message", ""));
    }
    out["service"] = {{"name", svc.value("serviceName", service_name)},
                      {"cluster", cluster},
                      {"status", svc.value("status", "")},
                      {"desired_count", desired},
                      {"running_count", running},
                      {"pending_count", pending},
                      {"rollout_state", rollout},
                      {"rollout_state_reason", rollout_reason},
                      {"deployments", deployments},
                      {"recent_events", events}};

    // Target health.
    std::map<std::string, int> states;
    std::string unhealthy_reason;
    if (std::string tg = outputs.value("TargetGroupArn", ""); !tg.empty()) {
      if (auto elb = aws->client(AwsService::kElbv2); elb.ok()) {
        auto health = (*elb)->call("DescribeTargetHealth", {{"TargetGroupArn", tg}}, call);
        if (health.ok()) {
          for (const auto& t : health->value("TargetHealthDescriptions", json::array())) {
            const json th = t.value("TargetHealth", json::object());
            std::string st = th.value("State", "unknown");
            states[st]++;
            if (st == "unhealthy" && unhealthy_reason.empty()) {
              unhealthy_reason = th.value("Reason", "") + ": " + th.value("Description", "");
            }
          }
          out["targets"] = {
              {"target_group_arn", tg}, {"healthy", states["healthy"]}, {"states", states}};
          if (!unhealthy_reason.empty()) out["targets"]["unhealthy_reason"] = unhealthy_reason;
        } else {
          out["targets"] = {
              {"target_group_arn", tg}, {"healthy", 0}, {"error", health.error().describe()}};
        }
      }
    }

    const std::string where =
        " (" + std::to_string(running) + "/" + std::to_string(desired) + " tasks running)";
    const std::string troubleshoot =
        "Look at the service events and the stopped tasks' reasons (the troubleshooting tools, "
        "or ecs_resource_management DescribeServices/ListTasks) and the logs in " +
        outputs.value("LogGroupName", "/ecs/" + app) + ".";
    if (rollout == "FAILED") {
      return finish("FAILED",
                    "the service's deployment failed" + where +
                        (rollout_reason.empty() ? "" : ": " + rollout_reason) +
                        "; the circuit breaker rolls it back",
                    troubleshoot + " Then fix the app and deploy again.");
    }
    if (rolled_back) {
      auto short_name = [](const std::string& arn) { return arn.substr(arn.rfind('/') + 1); };
      const std::string why = rolled_back->value("rolloutStateReason", "");
      return finish("FAILED",
                    "the latest deployment (" +
                        short_name(rolled_back->value("taskDefinition", "")) + ") failed" +
                        (why.empty() ? "" : ": " + why) +
                        "; the circuit breaker is rolling the service back to " +
                        short_name(primary_task_definition) + where,
                    troubleshoot + " Then fix the app and deploy again.");
    }
    if (rollout == "IN_PROGRESS" || deployments.size() > 1 || running < desired || pending > 0) {
      std::string reason = "the service is rolling out" + where;
      std::string next = "Wait a minute and call get_deployment_status again.";
      if (!unhealthy_reason.empty()) {
        reason += "; targets are unhealthy (" + unhealthy_reason + ")";
        next = "If this persists, check the health check path and port. " + troubleshoot;
      }
      return finish("IN_PROGRESS", reason, next);
    }
    if (desired > 0 && states["unhealthy"] > 0 && states["healthy"] == 0) {
      return finish(
          "IN_PROGRESS",
          "tasks run but the load balancer finds them unhealthy (" + unhealthy_reason + ")",
          "Check that the app answers on the container port and the health check path. " +
              troubleshoot);
    }
    std::string url = out.value("load_balancer_url", "");
    return finish("COMPLETE", "the deployment is complete" + where,
                  url.empty() ? "The service is running." : "Open " + url + " to reach the app.");
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
