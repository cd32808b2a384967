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

// What a call without an action runs, as in the reference server.
constexpr const char* kDefaultAction = "get_ecs_troubleshooting_guidance";

struct ActionSpec {
  const char* name;
  AccessClass access;
  const char* needs;  // for the description
  ActionHandler run;
};

// Access classes follow the rule in access.h: service events, stack status and image checks are
// plain reads (DescribeServices shows the same events); logs, the stopped tasks' details and
// network configuration are sensitive reads.
const std::vector<ActionSpec>& actions() {
  static const std::vector<ActionSpec> table{
      {"get_ecs_troubleshooting_guidance", AccessClass::kRead,
       "ecs_cluster_name [ecs_service_name, symptoms_description]", run_guidance},
      {"fetch_cloudformation_status", AccessClass::kRead, "cfn_stack_name",
       run_cloudformation_status},
      {"fetch_service_events", AccessClass::kRead, "ecs_cluster_name, ecs_service_name",
       run_service_events},
      {"fetch_task_failures", AccessClass::kSensitiveRead,
       "ecs_cluster_name [ecs_service_name, family_prefix]", run_task_failures},
      {"fetch_task_logs", AccessClass::kSensitiveRead,
       "ecs_cluster_name [ecs_task_id/ecs_service_name, filter_pattern], or family_prefix",
       run_task_logs},
      {"detect_image_pull_failures", AccessClass::kRead,
       "ecs_cluster_name + ecs_service_name/ecs_task_id, or cfn_stack_name, or family_prefix",
       run_image_pull_check},
      {"fetch_network_configuration", AccessClass::kSensitiveRead,
       "ecs_cluster_name [ecs_service_name/ecs_task_id], or vpc_id", run_network_configuration},
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
  json params{{"type", "object"},
              {"additionalProperties", false},
              {"properties",
               {{"ecs_cluster_name", str("ECS cluster name or ARN")},
                {"ecs_service_name", str("ECS service name or ARN")},
                {"ecs_task_id", str("ECS task ID or ARN")},
                {"cfn_stack_name", str("CloudFormation stack name or ID")},
                {"family_prefix", str("Task definition family prefix")},
                {"vpc_id", str("VPC ID")},
                {"symptoms_description", str("What the user sees, in their words")},
                {"time_window",
                 {{"type", "integer"},
                  {"minimum", 60},
                  {"maximum", 1209600},
                  {"description", "Seconds before end_time; default 3600"}}},
                {"start_time", str("ISO-8601, e.g. 2025-01-31T12:00:00Z")},
                {"end_time", str("ISO-8601; default now")},
                {"filter_pattern", str("CloudWatch Logs filter pattern, e.g. ERROR")},
                {"limit",
                 {{"type", "integer"},
                  {"minimum", 1},
                  {"maximum", 500},
                  {"description", "Most tasks, events or log lines; default 50"}}}}}};
  return json{{"type", "object"},
              {"properties",
               {{"action",
                 {{"type", "string"},
                  {"enum", names},
                  {"description",
                   "Tasks failing: fetch_task_failures; ALB health check: fetch_service_events; "
                   "unreachable: fetch_network_configuration"}}},
                {"parameters", std::move(params)}}},
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
        {"verdict", {{"type", "string"}, {"description", "The most likely cause, or none found"}}},
        {"findings",
         {{"type", "array"},
          {"items", finding},
          {"description", "Most severe and frequent first"}}},
        {"data",
         {{"type", "object"},
          {"properties",
           {{"cluster",
             {{"type", {"string", "object"}}, {"properties", {{"name", {{"type", "string"}}}}}}},
            {"service",
             {{"type", {"string", "object"}},
              {"properties", {{"serviceName", {{"type", "string"}}}}}}},
            {"stack",
             {{"type", "object"}, {"properties", {{"StackStatus", {{"type", "string"}}}}}}}}},
          {"description", "The AWS data behind the findings, redacted and bounded"}}},
        {"window",
         {{"type", "object"},
          {"properties", {{"start", {{"type", "string"}}}, {"end", {{"type", "string"}}}}}}},
        {"redactedValues", {{"type", "integer"}}},
        {"truncated", {{"type", "boolean"}}}}},
      {"required", {"action", "region", "verdict", "findings", "data"}}};
}

std::string description(const AccessPolicy& policy) {
  std::string d =
      "Diagnoses ECS problems, read-only: ranked findings (cause, evidence, next step) with the "
      "data behind them. action defaults to get_ecs_troubleshooting_guidance; its parameters go "
      "in parameters, [optional]:\n";
  for (const auto& a : actions()) {
    d += std::string("- ") + a.name + (a.access == AccessClass::kSensitiveRead ? "*" : "") + ": " +
         a.needs + "\n";
  }
  d += policy.allow_sensitive_data
           ? "* reads logs, stopped tasks' details or network configuration."
           : "* needs ALLOW_SENSITIVE_DATA=true; other answers redact secrets.";
  return d;
}

// The reference server takes fetch_task_logs and fetch_network_configuration with only a
// cluster. Given just that, the subject is the cluster's one service; with several, the caller
// is told which to choose from rather than shown a guess.
Result<json> with_subject(const std::string& action, json params, const AwsReader& reader) {
  if (action != "fetch_task_logs" && action != "fetch_network_configuration") return params;
  for (const char* subject : {"ecs_task_id", "ecs_service_name", "family_prefix", "vpc_id"}) {
    if (params.contains(subject)) return params;
  }
  auto cluster = params.find("ecs_cluster_name");
  if (cluster == params.end() || !cluster->is_string() || cluster->get<std::string>().empty()) {
    return params;  // the action names what it needs
  }
  auto listed = reader.all_pages(AwsService::kEcs, "ListServices", {{"cluster", *cluster}}, 20);
  if (!listed.ok()) return listed.error();
  std::vector<std::string> names;
  for (const auto& arn : listed->value("serviceArns", json::array())) {
    if (arn.is_string()) names.push_back(arn_tail(arn.get<std::string>()));
  }
  if (names.size() == 1) {
    params["ecs_service_name"] = names.front();
    return params;
  }
  const std::string what = action == "fetch_task_logs"
                               ? "ecs_service_name, ecs_task_id or family_prefix"
                               : "ecs_service_name, ecs_task_id or vpc_id";
  if (names.empty()) {
    return make_error(ErrorCode::kInvalidArgument,
                      "cluster " + cluster->get<std::string>() + " has no services; pass " + what);
  }
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return make_error(
      ErrorCode::kInvalidArgument,
      "cluster " + cluster->get<std::string>() + " has " + std::to_string(names.size()) +
          " services; pass parameters.ecs_service_name (one of: " + list + ") or " + what);
}

Result<TimeWindow> window_of(const json& params, double now) {
  double span = params.value("time_window", 3600);
  TimeWindow w;
  w.end = now;
  if (auto e = params.find("end_time"); e != params.end() && e->is_string()) {
    auto t = parse_iso8601(e->get<std::string>());
    if (!t)
      return make_error(ErrorCode::kInvalidArgument,
                        "parameters.end_time is not ISO-8601: " + e->dump());
    w.end = *t;
  }
  w.start = w.end - span;
  if (auto s = params.find("start_time"); s != params.end() && s->is_string()) {
    auto t = parse_iso8601(s->get<std::string>());
    if (!t)
      return make_error(ErrorCode::kInvalidArgument,
                        "parameters.start_time is not ISO-8601: " + s->dump());
    w.start = *t;
  }
  if (w.start > w.end) {
    return make_error(ErrorCode::kInvalidArgument, "parameters.start_time is after end_time");
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
    const std::string name = args.value("action", kDefaultAction);
    if (const auto* a = find_action(name)) return a->access;
    return make_error(ErrorCode::kUnknownOperation,
                      "unknown action \"" + name + "\"; valid actions: " + action_list());
  };
  tool.handler = [aws, policy, options](const json& args,
                                        mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string name = args.value("action", kDefaultAction);
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
    auto resolved = with_subject(name, params, reader);
    if (!resolved.ok()) return mcp::ToolResult::error(resolved.error().message);
    ActionRequest request{name,
                          *resolved,
                          reader,
                          ctx,
                          policy,
                          *window,
                          static_cast<size_t>(params.value("limit", 50))};
    auto report = spec->run(request);
    if (!report.ok()) return mcp::ToolResult::error(report.error().message);

    rank(report->findings);
    json findings = to_json(report->findings);
    if (findings.size() > 25) findings.erase(findings.begin() + 25, findings.end());
    json data = std::move(report->data);
    format_timestamps(data);
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
    if (truncated) out["truncated"] = true;
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
