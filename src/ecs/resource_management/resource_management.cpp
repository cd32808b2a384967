#include "ecs/resource_management/resource_management.h"

#include <algorithm>

#include "ecs/deployment/stacks.h"
#include "ecs/resource_management/operations.h"
#include "ecs/response_shaping.h"

namespace ecs_mcp::ecs {

using mcp::AccessClass;
using mcp::json;

namespace {

json operation_enum() {
  json names = json::array();
  for (const auto& op : resource_operations()) names.push_back(op.name);
  return names;
}

json input_schema() {
  auto str = [](const char* d) { return json{{"type", "string"}, {"description", d}}; };
  auto strs = [](const char* d) {
    return json{{"type", "array"}, {"items", {{"type", "string"}}}, {"description", d}};
  };
  json params{
      {"type", "object"},
      {"description",
       "The API request body, exactly as the ECS or ECR API takes it (see the AWS API reference "
       "for the operation). Common keys are listed; any other request member is passed through."},
      {"additionalProperties", true},
      {"properties",
       {{"cluster", str("Cluster name or ARN (default cluster when omitted)")},
        {"clusters", strs("Cluster names or ARNs (DescribeClusters)")},
        {"service", str("Service name or ARN")},
        {"services", strs("Service names or ARNs (DescribeServices, at most 10)")},
        {"serviceName", str("Service name (ListTasks filter, CreateService)")},
        {"tasks", strs("Task IDs or ARNs (DescribeTasks, at most 100)")},
        {"task", str("Task ID or ARN (StopTask)")},
        {"taskDefinition", str("family, family:revision or full ARN")},
        {"family", str("Task definition family (ListTasks filter)")},
        {"familyPrefix", str("Task definition family prefix (ListTaskDefinitions)")},
        {"containerInstances", strs("Container instance IDs or ARNs")},
        {"capacityProviders", strs("Capacity provider names or ARNs")},
        {"desiredStatus", {{"type", "string"}, {"enum", {"RUNNING", "PENDING", "STOPPED"}},
                           {"description", "ListTasks filter"}}},
        {"launchType", {{"type", "string"}, {"enum", {"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"}}}},
        {"status", str("Status filter (e.g. ACTIVE, INACTIVE for ListTaskDefinitions)")},
        {"include", strs("Extra fields to include, e.g. [\"TAGS\"]")},
        {"resourceArn", str("Resource ARN (ListTagsForResource, TagResource)")},
        {"clusterName", str("Cluster name (CreateCluster)")},
        {"repositoryName", str("ECR repository name")},
        {"repositoryNames", strs("ECR repository names (ecr:DescribeRepositories)")},
        {"registryId", str("ECR registry (AWS account) ID; defaults to the caller's")},
        {"imageIds", {{"type", "array"},
                      {"items", {{"type", "object"},
                                 {"properties", {{"imageTag", {{"type", "string"}}},
                                                 {"imageDigest", {{"type", "string"}}}}}}},
                      {"description", "ECR image identifiers"}}},
        {"imageId", {{"type", "object"},
                     {"properties", {{"imageTag", {{"type", "string"}}}, {"imageDigest", {{"type", "string"}}}}},
                     {"description", "One ECR image (ecr:DescribeImageScanFindings)"}}},
        {"maxResults", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000},
                        {"description", "Page size; a small default applies to list operations"}}},
        {"nextToken", str("The nextToken from the previous page")}}}};
  return json{{"type", "object"},
              {"properties",
               {{"api_operation",
                 {{"type", "string"},
                  {"enum", operation_enum()},
                  {"description", "ECS API operation name (e.g. ListClusters, DescribeServices) or "
                                  "an ECR one prefixed with ecr: (e.g. ecr:DescribeImages)"}}},
                {"api_params", std::move(params)}}},
              {"required", {"api_operation"}},
              {"additionalProperties", false}};
}

json output_schema() {
  return json{
      {"type", "object"},
      {"properties",
       {{"operation", {{"type", "string"}}},
        {"region", {{"type", "string"}}},
        {"result", {{"type", "object"}, {"properties", {{"nextToken", {{"type", "string"}}}}},
                    {"description", "The API response (timestamps ISO-8601, secrets redacted "
                                    "unless sensitive data is allowed)"}}},
        {"nextToken", {{"type", "string"}, {"description", "Pass as api_params.nextToken for the next page"}}},
        {"redactedValues", {{"type", "integer"}}},
        {"truncated", {{"type", "boolean"}}}}},
      {"required", {"operation", "region", "result"}}};
}

std::string description(const AccessPolicy& policy) {
  std::string d =
      "Lists, describes, creates, updates and deletes Amazon ECS resources (clusters, services, "
      "tasks, task definitions, container instances, capacity providers, ...) and ECR "
      "repositories and images, by calling the named API operation with api_params as its "
      "request body.\n"
      "Examples: {\"api_operation\":\"ListClusters\"}; {\"api_operation\":\"DescribeServices\","
      "\"api_params\":{\"cluster\":\"prod\",\"services\":[\"web\"]}}; {\"api_operation\":"
      "\"ecr:DescribeImages\",\"api_params\":{\"repositoryName\":\"web\"}}.\n"
      "List operations return one page (a small default maxResults); pass the returned nextToken "
      "for the next. Large answers are cut to a size budget and say so.\n"
      "Reads are always allowed. Create/register/update/put/tag/run/stop operations need "
      "ALLOW_WRITE=true; delete/deregister operations are destructive and need it too; "
      "ExecuteCommand needs ALLOW_WRITE=true and ALLOW_SENSITIVE_DATA=true. ";
  d += policy.allow_sensitive_data
           ? "Sensitive data is allowed: environment values and secret references are shown."
           : "Container environment values, secret references and registry credentials are "
             "redacted unless ALLOW_SENSITIVE_DATA=true.";
  return d;
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
      return make_error("UnsupportedOperation",
                        "api_operation " + name + " is not offered: " + std::string(ex->reason));
    }
    return make_error("UnknownOperation", "unknown api_operation \"" + name +
                                              "\"; use an ECS operation name such as ListClusters "
                                              "or an ECR one such as ecr:DescribeRepositories");
  };
  tool.handler = [aws, policy, options](const json& args, mcp::ToolContext& ctx) -> mcp::ToolResult {
    const std::string name = args.at("api_operation").get<std::string>();
    const OperationSpec* op = find_resource_operation(name);
    if (!op) return mcp::ToolResult::error("unknown api_operation " + name);
    json params = args.value("api_params", json::object());
    if (op->default_page_size > 0 && !params.contains("maxResults")) {
      params["maxResults"] = op->default_page_size;
    }
    // RunTask's idempotency token (the only one in the ECS and ECR models), filled as the SDKs
    // do: every retry of this call carries it, so a retried timeout cannot start tasks twice.
    if (name == "RunTask" && params.is_object() && !params.contains("clientToken")) {
      params["clientToken"] = new_client_request_token();
    }
    auto client = aws->client(op->service == ApiService::kEcs ? AwsService::kEcs : AwsService::kEcr);
    if (!client.ok()) return mcp::ToolResult::error(describe_aws_failure(name, client.error()));
    aws::CallOptions call_options;
    call_options.cancelled = ctx.cancel_predicate();
    auto response = (*client)->call(std::string(op->api_name()), params, call_options);
    if (!response.ok()) return mcp::ToolResult::error(describe_aws_failure(name, response.error()));

    json result = std::move(*response);
    if (!result.is_object()) result = json{{"value", std::move(result)}};
    format_timestamps(result);
    size_t redacted = policy.allow_sensitive_data ? 0 : redact_sensitive(result);
    bool truncated = enforce_budget(result, options.response_budget_bytes, how_to_get_more(*op));
    json out{{"operation", name}, {"region", aws->region()}, {"result", result}};
    if (auto t = result.find("nextToken"); t != result.end() && t->is_string()) out["nextToken"] = *t;
    if (redacted > 0) out["redactedValues"] = redacted;
    if (truncated) out["truncated"] = true;
    return mcp::ToolResult::structured_result(std::move(out));
  };
  return tool;
}

}  // namespace ecs_mcp::ecs
