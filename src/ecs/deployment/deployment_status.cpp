#include "ecs/deployment/deployment_status.h"

#include "ecs/deployment/names.h"
#include "ecs/deployment/stacks.h"
#include "ecs/deployment/status_workflow.h"

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

json stack_json(const StackState& s) {
  if (!s.exists) return {{"name", s.name}, {"status", s.status}};
  json out{{"name", s.name},
           {"status", s.status},
           {"status_reason", s.status_reason},
           {"managed_by_ecs_mcp", s.managed_by_ecs_mcp},
           {"outputs", s.outputs}};
  if (s.failures) out["failures"] = *s.failures;
  return out;
}

json service_json(const ServiceState& s) {
  json deployments = json::array();
  for (const auto& d : s.deployments) {
    deployments.push_back({{"status", d.status},
                           {"rollout_state", d.rollout_state},
                           {"rollout_state_reason", d.rollout_state_reason},
                           {"task_definition", d.task_definition},
                           {"desired", d.desired},
                           {"running", d.running},
                           {"failed_tasks", d.failed_tasks}});
  }
  return {{"name", s.name},
          {"cluster", s.cluster},
          {"status", s.status},
          {"desired_count", s.desired},
          {"running_count", s.running},
          {"pending_count", s.pending},
          {"rollout_state", s.rollout_state},
          {"rollout_state_reason", s.rollout_state_reason},
          {"deployments", deployments},
          {"recent_events", s.recent_events}};
}

json targets_json(const TargetHealthState& t) {
  if (!t.error.empty()) {
    return {{"target_group_arn", t.target_group_arn}, {"healthy", 0}, {"error", t.error}};
  }
  auto healthy = t.states.find("healthy");
  json out{{"target_group_arn", t.target_group_arn},
           {"healthy", healthy == t.states.end() ? 0 : healthy->second},
           {"states", t.states}};
  if (!t.unhealthy_reason.empty()) out["unhealthy_reason"] = t.unhealthy_reason;
  return out;
}

json status_json(const std::string& app, const DeploymentStatus& s) {
  json out{{"app_name", app},
           {"verdict", std::string(to_string(s.verdict))},
           {"reason", s.reason},
           {"next_step", s.next_step}};
  if (s.stack) out["stack"] = stack_json(*s.stack);
  if (s.load_balancer_url) out["load_balancer_url"] = *s.load_balancer_url;
  if (s.service) out["service"] = service_json(*s.service);
  if (s.targets) out["targets"] = targets_json(*s.targets);
  return out;
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
    StatusQuery query{app, stack_name, std::nullopt, std::nullopt};
    if (args.contains("cluster_name")) query.cluster_name = args["cluster_name"].get<std::string>();
    if (args.contains("service_name")) query.service_name = args["service_name"].get<std::string>();
    auto status = deployment_status(query, StatusDeps{aws, cancellation_of(ctx)});
    if (!status.ok()) return mcp::ToolResult::error(status.error().message);
    return mcp::ToolResult::structured_result(status_json(app, *status));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
