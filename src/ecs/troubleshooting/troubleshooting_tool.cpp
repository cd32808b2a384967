#include "ecs/troubleshooting/troubleshooting_tool.h"

#include <chrono>

#include "ecs/response_shaping.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/ecs_reads.h"

namespace ecs_mcp::ecs {

using mcp::AccessClass;
using mcp::json;
using namespace troubleshooting;

namespace {

struct ActionSpec {
  const char* name;
  AccessClass access;
  const char* needs;  // for the description
  ActionHandler run;
};

const std::vector<ActionSpec>& actions() {
  static const std::vector<ActionSpec> table{
      {"get_ecs_troubleshooting_guidance", AccessClass::kRead,
       "ecs_cluster_name; optional ecs_service_name, symptoms_description", run_guidance},
      {"fetch_cloudformation_status", AccessClass::kRead, "cfn_stack_name",
       run_cloudformation_status},
      {"fetch_service_events", AccessClass::kSensitiveRead,
       "ecs_cluster_name, ecs_service_name; optional time window", run_service_events},
      {"fetch_task_failures", AccessClass::kSensitiveRead,
       "ecs_cluster_name; optional ecs_service_name, family_prefix, time window",
       run_task_failures},
      {"fetch_task_logs", AccessClass::kSensitiveRead,
       "one of ecs_task_id / ecs_service_name (with ecs_cluster_name) / family_prefix; optional "
       "filter_pattern, time window",
       run_task_logs},
      {"detect_image_pull_failures", AccessClass::kRead,
       "one of ecs_service_name / ecs_task_id (with ecs_cluster_name) / cfn_stack_name / "
       "family_prefix",
       run_image_pull_check},
      {"fetch_network_configuration", AccessClass::kSensitiveRead,
       "one of ecs_service_name / ecs_task_id (with ecs_cluster_name) / vpc_id",
       run_network_configuration},
  };
  return table;
}

const ActionSpec* find_action(const std::string& name) {
  for (const auto& a : actions()) {
    if (name == a.name) return &a;
  }
  return nullptr;
}

std::string action_list() {
  std::string out;
  for (const auto& a : actions()) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

json input_schema() {
  auto str = [](const char* d) { return json{{"type", "string"}, {"description", d}}; };
  json names = json::array();
  for (const auto& a : actions()) names.push_back(a.name);
  json params{
      {"type", "object"},
      {"description", "The action's parameters; each action says which it needs."},
      {"additionalProperties", false},
      {"properties",
       {{"ecs_cluster_name", str("ECS cluster name or ARN")},
        {"ecs_service_name", str("ECS service name or ARN")},
        {"ecs_task_id", str("ECS task ID or ARN")},
        {"cfn_stack_name", str("CloudFormation stack name or ID")},
        {"family_prefix", str("Task definition family (prefix for detect_image_pull_failures "
                              "and fetch_task_logs)")},
        {"vpc_id", str("VPC ID (fetch_network_configuration without a service or task)")},
        {"symptoms_description", str("What the user sees, in their words (guidance uses it to "
                                     "suggest the next actions)")},
        {"time_window",
         {{"type", "integer"},
          {"minimum", 60},
          {"maximum", 1209600},
          {"description", "Seconds back from end_time (or now); default 3600"}}},
        {"start_time", str("ISO-8601 start of the window, e.g. 2025-01-31T12:00:00Z")},
        {"end_time", str("ISO-8601 end of the window (default now)")},
        {"filter_pattern", str("CloudWatch Logs filter pattern for fetch_task_logs, e.g. ERROR")},
        {"limit",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", 500},
          {"description", "Most items (tasks, events, log lines) returned; default 50"}}}}}};
  return json{
      {"type", "object"},
      {"properties",
       {{"action", {{"type", "string"}, {"enum", names}, {"description", "The diagnosis to run"}}},
        {"parameters", std::move(params)}}},
      {"required", {"action"}},
      {"additionalProperties", false}};
}

json output_schema() {
  json finding{
      {"type", "object"},
      {"properties",
       {{"severity", {{"type", "string"}, {"enum", {"critical", "error", "warning", "info"}}}},
        {"category", {{"type", "string"}}},
        {"cause", {{"type", "string"}}},
        {"evidence", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"next_step", {{"type", "string"}}},
        {"occurrences", {{"type", "integer"}}}}},
      {"required", {"severity", "category", "cause", "evidence", "next_step"}}};
  return json{
      {"type", "object"},
      {"properties",
       {{"action", {{"type", "string"}}},
        {"region", {{"type", "string"}}},
        {"verdict",
         {{"type", "string"}, {"description", "The most likely cause, or that none was found"}}},
        {"findings",
         {{"type", "array"},
          {"items", finding},
          {"description", "Ranked: most severe and most frequent first"}}},
        {"data",
         {{"type", "object"},
          {"properties",
           {{"cluster", {{"description", "The cluster looked at (most actions)"}}},
            {"service", {{"description", "The service looked at, when one is"}}},
            {"stack",
             {{"description", "The CloudFormation stack (fetch_cloudformation_status)"}}}}},
          {"description",
           "The AWS data the findings rest on (shape depends on "
           "the action; redacted and bounded)"}}},
        {"window",
         {{"type", "object"},
          {"properties", {{"start", {{"type", "string"}}}, {"end", {{"type", "string"}}}}}}},
        {"redactedValues", {{"type", "integer"}}},
        {"truncated", {{"type", "boolean"}}}}},
      {"required", {"action", "region", "verdict", "findings", "data"}}};
}

std::string description(const AccessPolicy& policy) {
  std::string d =
      "Diagnoses Amazon ECS problems and names the likely cause with its evidence and the next "
      "step (ranked findings plus the supporting data). Start with "
      "get_ecs_troubleshooting_guidance for a cluster, then go deeper:\n";
  for (const auto& a : actions()) {
    d += std::string("- ") + a.name + " (" + std::string(mcp::to_string(a.access)) + "): needs " +
         a.needs + "\n";
  }
  d += "Use it for: \"my ECS tasks keep failing\" (fetch_task_failures, fetch_task_logs), "
       "\"the ALB health check is failing\" (fetch_service_events, fetch_network_configuration), "
       "\"why can't I reach my app\" (fetch_network_configuration), image pull errors "
       "(detect_image_pull_failures), failed stacks (fetch_cloudformation_status).\n"
       "Time window: time_window seconds (default 3600) before end_time (default now), or "
       "start_time/end_time in ISO-8601. Nothing here changes resources.\n";
  d += policy.allow_sensitive_data
           ? "Sensitive data is allowed: all actions are available."
           : "fetch_task_logs, fetch_service_events, fetch_task_failures and "
             "fetch_network_configuration need ALLOW_SENSITIVE_DATA=true; other answers redact "
             "environment values and secrets.";
  return d;
}

Result<TimeWindow> window_of(const json& params, double now) {
  double span = params.value("time_window", 3600);
  TimeWindow w;
  w.end = now;
  if (auto e = params.find("end_time"); e != params.end() && e->is_string()) {
    auto t = parse_iso8601(e->get<std::string>());
    if (!t)
      return make_error("InvalidArgument", "parameters.end_time is not ISO-8601: " + e->dump());
    w.end = *t;
  }
  w.start = w.end - span;
  if (auto s = params.find("start_time"); s != params.end() && s->is_string()) {
    auto t = parse_iso8601(s->get<std::string>());
    if (!t)
      return make_error("InvalidArgument", "parameters.start_time is not ISO-8601: " + s->dump());
    w.start = *t;
  }
  if (w.start > w.end) {
    return make_error("InvalidArgument", "parameters.start_time is after end_time");
  }
  return w;
}

}  // namespace

mcp::Tool make_troubleshooting_tool(std::shared_ptr<AwsContext> aws, const AccessPolicy& policy,
                                    TroubleshootingOptions options) {
  mcp::Tool tool;
  tool.name = "ecs_troubleshooting_tool";
  tool.title = "ECS troubleshooting";
  tool.description = description(policy);
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  tool.annotations = {
      .read_only = true, .destructive = false, .idempotent = true, .open_world = true};
  tool.access_classes = {AccessClass::kRead, AccessClass::kSensitiveRead};
  tool.operation_argument = "action";
  tool.access_for = [](const json& args) -> Result<AccessClass> {
    const std::string name = args.value("action", "");
    if (const auto* a = find_action(name)) return a->access;
    return make_error("UnknownOperation",
                      "unknown action \"" + name + "\"; valid actions: " + action_list());
  };
  tool.handler = [aws, policy, options](const json& args,
                                        mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string name = args.value("action", "");
    const ActionSpec* spec = find_action(name);
    if (!spec)
      return mcp::ToolResult::error("unknown action " + name + "; valid actions: " + action_list());
    const json params = args.value("parameters", json::object());
    double now =
        options.now
            ? options.now()
            : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
    auto window = window_of(params, now);
    if (!window.ok()) return mcp::ToolResult::error(window.error().message);
    AwsReader reader(aws, ctx.cancel_predicate());
    ActionRequest request{
        name, params, reader, ctx, policy, *window, static_cast<size_t>(params.value("limit", 50))};
    auto report = spec->run(request);
    if (!report.ok()) return mcp::ToolResult::error(report.error().message);

    rank(report->findings);
    json findings = to_json(report->findings);
    if (findings.size() > 25) findings.erase(findings.begin() + 25, findings.end());
    json data = std::move(report->data);
    format_timestamps(data);
    size_t redacted = policy.allow_sensitive_data ? 0 : redact_sensitive(data);
    const size_t fixed = findings.dump().size() + 1000;
    const size_t budget =
        options.response_budget_bytes > fixed ? options.response_budget_bytes - fixed : 1000;
    bool truncated = enforce_budget(data, budget,
                                    "Narrow the question: a shorter time_window, a smaller limit, "
                                    "or one service/task.");
    json out{
        {"action", name},
        {"region", reader.region()},
        {"verdict", verdict(report->findings)},
        {"findings", std::move(findings)},
        {"data", std::move(data)},
        {"window",
         {{"start", iso8601_from_epoch(window->start)}, {"end", iso8601_from_epoch(window->end)}}}};
    if (redacted > 0) out["redactedValues"] = redacted;
    if (truncated) out["truncated"] = true;
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
