#include "ecs/resource_management/resource_management.h"

#include <algorithm>

#include "ecs/deployment/stacks.h"
#include "ecs/resource_management/operations.h"
#include "ecs/response_shaping.h"

namespace ecs_mcp::ecs {

using mcp::AccessClass;
using mcp::json;

namespace {

json input_schema() {
  auto str = [](const char* d) { return json{{"type", "string"}, {"description", d}}; };
  auto strs = [](const char* d) {
    return json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", d}};
  };
  json params{
      {"type", "object"},
      {"description",
       "The request body, as the API reference of the operation gives it; common members are "
       "listed, any other is passed through"},
      {"additionalProperties", true},
      {"properties",
       {{"cluster", str("Cluster name or ARN")},
        {"clusters", strs("Cluster names or ARNs")},
        {"service", str("Service name or ARN")},
        {"services", strs("Service names or ARNs (at most 10)")},
        {"serviceName", str("Service name")},
        {"tasks", strs("Task IDs or ARNs (at most 100)")},
        {"taskDefinition", str("family, family:revision or ARN")},
        {"desiredStatus", {{"type", "string"}, {"enum", {"RUNNING", "PENDING", "STOPPED"}}}},
        {"include", strs("Extra fields, e.g. [\"TAGS\"]")},
        {"repositoryName", str("ECR repository name")},
        {"maxResults", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}},
        {"nextToken", str("From the previous page")}}}};
  return json{{"type", "object"},
              {"properties",
               {{"api_operation",
                 {{"type", "string"},
                  {"minLength", 1},
                  {"description",
                   "ECS operation (ListClusters, DescribeServices, UpdateService, ...) "
                   "or ECR one prefixed ecr: (ecr:DescribeRepositories)"}}},
                {"api_params", std::move(params)}}},
              {"required", {"api_operation"}},
              {"additionalProperties", false}};
}

json output_schema() {
  return json{{"type", "object"},
              {"properties",
               {{"operation", {{"type", "string"}}},
                {"region", {{"type", "string"}}},
                {"result",
                 {{"type", "object"},
                  {"properties", {{"nextToken", {{"type", "string"}}}}},
                  {"description", "The API response"}}},
                {"nextToken",
                 {{"type", "string"}, {"description", "api_params.nextToken for the next page"}}},
                {"redactedValues", {{"type", "integer"}}},
                {"truncated", {{"type", "boolean"}}}}},
              {"required", {"operation", "region", "result"}}};
}

std::string description(const AccessPolicy& policy) {
  std::string d =
      "Calls one Amazon ECS API operation, or an ECR one prefixed ecr:, with api_params as its "
      "request body: clusters, services, tasks, task definitions, capacity providers, ECR "
      "repositories and images.\n"
      "Example: {\"api_operation\":\"DescribeServices\",\"api_params\":{\"cluster\":\"prod\","
      "\"services\":[\"web\"]}}.\n"
      "Lists return a page; pass nextToken for the next. Large answers are cut and say so.\n"
      "Describe/List/Get read. Create, Register, Update, Put, Tag, Run, Start, Stop, Delete and "
      "Deregister need ALLOW_WRITE=true; ExecuteCommand also ALLOW_SENSITIVE_DATA=true. ";
  d += policy.allow_sensitive_data ? "Environment values and secrets are shown."
                                   : "Environment values and secrets are redacted unless "
                                     "ALLOW_SENSITIVE_DATA=true.";
  if (policy.require_human_confirmation) {
    d += " Delete, Deregister and StopServiceDeployment operations first ask the person to "
         "confirm (elicitation); clients without elicitation are refused them.";
  }
  return d;
}

std::string unknown_operation_message(const std::string& name) {
  std::string m = "unknown api_operation \"" + name + "\"";
  auto close = closest_resource_operations(name);
  if (!close.empty()) {
    m += "; did you mean ";
    for (size_t i = 0; i < close.size(); ++i) m += (i ? ", " : "") + std::string(close[i]);
    m += "?";
  }
  return m +
         " Use an ECS operation name such as ListClusters or an ECR one such as "
         "ecr:DescribeRepositories";
}

// The question for a destructive call: the operation, the region and the request, in full
// unless it is long.
mcp::ConfirmationRequest destructive_call_question(const std::string& operation,
                                                   const std::string& region, const json& params) {
  constexpr size_t kShown = 1500;
  std::string request = params.dump();
  if (request.size() > kShown) request = request.substr(0, kShown) + "…";
  mcp::ConfirmationRequest q;
  q.message = "Run " + operation + " in " + region + " with " + request +
              "? It deletes or stops resources and cannot be undone.";
  q.field_title = "Run " + operation;
  q.field_description = "Run " + operation + " in " + region + " as shown";
  return q;
}

std::string how_to_get_more(const OperationSpec& op) {
  if (op.default_page_size > 0) {
    return "Ask for a smaller page with api_params.maxResults and follow nextToken.";
  }
  return "Ask about fewer resources per call (for example fewer names in the list parameter).";
}

}  // namespace

mcp::Tool make_resource_management_tool(std::shared_ptr<AwsContext> aws, const AccessPolicy& policy,
                                        ResourceManagementOptions options) {
  mcp::Tool tool;
  tool.name = "ecs_resource_management";
  tool.title = "ECS and ECR resources";
  tool.description = description(policy);
  tool.input_schema = input_schema();
  tool.output_schema = output_schema();
  // Truthful for this configuration: with writes off every call that can run only reads.
  tool.annotations = {.read_only = !policy.allow_write,
                      .destructive = policy.allow_write,
                      .idempotent = !policy.allow_write,
                      .open_world = true};
  // The classes the table uses, read from the table itself.
  tool.access_classes.clear();
  for (const auto& op : resource_operations()) {
    if (std::find(tool.access_classes.begin(), tool.access_classes.end(), op.access) ==
        tool.access_classes.end()) {
      tool.access_classes.push_back(op.access);
    }
  }
  tool.operation_argument = "api_operation";
  tool.access_for = [](const json& args) -> Result<AccessClass> {
    const std::string name = args.value("api_operation", "");
    if (const auto* op = find_resource_operation(name)) return op->access;
    if (const auto* ex = find_excluded_operation(name)) {
      return make_error(ErrorCode::kUnsupportedOperation,
                        "api_operation " + name + " is not offered: " + std::string(ex->reason));
    }
    return make_error(ErrorCode::kUnknownOperation, unknown_operation_message(name));
  };
  tool.handler = [aws, policy, options](const json& args,
                                        mcp::ToolContext& ctx) -> mcp::ToolResult {
    const OperationSpec* op = find_resource_operation(args.at("api_operation").get<std::string>());
    if (!op)
      return mcp::ToolResult::error(
          unknown_operation_message(args.at("api_operation").get<std::string>()));
    const std::string name(op->name);
    json params = args.value("api_params", json::object());
    if (op->default_page_size > 0 && !params.contains("maxResults")) {
      params["maxResults"] = op->default_page_size;
    }
    // RunTask's idempotency token (the only one in the ECS and ECR models), filled as the SDKs
    // do: every retry of this call carries it, so a retried timeout cannot start tasks twice.
    if (name == "RunTask" && params.is_object() && !params.contains("clientToken")) {
      params["clientToken"] = new_client_request_token();
    }
    if (policy.require_human_confirmation && op->access == AccessClass::kDestructive) {
      auto confirmed =
          confirm_with_person(ask_person_through(ctx, options.confirmation_timeout), name,
                              destructive_call_question(name, aws->region(), params));
      if (!confirmed.ok()) return mcp::ToolResult::error(confirmed.error().message);
    }
    auto client =
        aws->client(op->service == ApiService::kEcs ? AwsService::kEcs : AwsService::kEcr);
    if (!client.ok()) return mcp::ToolResult::error(describe_aws_failure(name, client.error()));
    aws::CallOptions call_options;
    call_options.cancelled = ctx.cancel_predicate();
    auto response = (*client)->call(std::string(op->api_name()), params, call_options);
    if (!response.ok()) return mcp::ToolResult::error(describe_aws_failure(name, response.error()));

    json result = std::move(*response);
    if (!result.is_object()) result = json{{"value", std::move(result)}};
    format_timestamps(result);
    bool truncated = enforce_budget(result, options.response_budget_bytes, how_to_get_more(*op));
    json out{{"operation", name}, {"region", aws->region()}, {"result", result}};
    if (auto t = result.find("nextToken"); t != result.end() && t->is_string())
      out["nextToken"] = *t;
    if (truncated) out["truncated"] = true;
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
