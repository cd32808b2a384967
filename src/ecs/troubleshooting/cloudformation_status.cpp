// fetch_cloudformation_status: a stack's status, the root cause of its latest failed
// operation separated from the cascade (following one level into a nested stack), and its
// resources in failed states.
#include <map>

#include "common/json_fields.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/cloudformation_root_cause.h"
#include "ecs/troubleshooting/ecs_reads.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

// "arn:aws:cloudformation:r:a:stack/<name>/<id>" -> name.
std::string stack_name_from_arn(const std::string& arn) {
  auto start = arn.find(":stack/");
  if (start == std::string::npos) return arn;
  start += 7;
  auto end = arn.find('/', start);
  return arn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

json event_view(const json& e) {
  json out = json::object();
  for (const char* k : {"Timestamp", "LogicalResourceId", "ResourceType", "ResourceStatus",
                        "ResourceStatusReason", "PhysicalResourceId"}) {
    if (e.contains(k)) out[k] = e[k];
  }
  return out;
}

Result<ActionReport> missing_stack(const ActionRequest& request, const std::string& name,
                                   const Error& error) {
  ActionReport report;
  auto listed =
      request.aws.all_pages(AwsService::kCloudFormation, "ListStacks", json::object(), 1000);
  json previous = json::array();
  if (listed.ok()) {
    for (const auto& s : listed->value("StackSummaries", json::array())) {
      if (string_field(s, "StackName") == name) previous.push_back(s);
    }
  }
  std::vector<std::string> evidence{error.describe()};
  std::string cause = "Stack " + name + " does not exist in " + request.aws.region() + ".";
  if (!previous.empty()) {
    const json& last = previous.front();
    evidence.push_back("an earlier stack of that name is " + string_field(last, "StackStatus") +
                       (string_field(last, "DeletionTime").empty()
                            ? ""
                            : " since " + string_field(last, "DeletionTime")) +
                       (string_field(last, "StackStatusReason").empty()
                            ? ""
                            : ": " + string_field(last, "StackStatusReason")));
    cause = "Stack " + name + " no longer exists: it was deleted (status " +
            string_field(last, "StackStatus") + ").";
  }
  report.findings.push_back({Severity::kCritical, "stack_not_found", cause, std::move(evidence),
                             "Check the stack name and region (AWS_REGION); recreate the stack "
                             "if it was deleted after a failed creation.",
                             1});
  report.data = {{"stack_name", name}, {"exists", false}, {"previous_stacks", previous}};
  return report;
}

}  // namespace

Result<ActionReport> run_cloudformation_status(const ActionRequest& request) {
  ECS_MCP_RETURN_IF_ERROR(request.require({"cfn_stack_name"}));
  const std::string name = request.text("cfn_stack_name");
  request.progress(0, 3, "describing the stack");
  auto stacks =
      request.aws.call(AwsService::kCloudFormation, "DescribeStacks", {{"StackName", name}});
  if (!stacks.ok()) {
    if (stacks.error().is_service_error("ValidationError"))
      return missing_stack(request, name, stacks.error());
    return stacks.error();
  }
  const json stack =
      stacks->value("Stacks", json::array()).empty() ? json::object() : (*stacks)["Stacks"][0];
  request.progress(1, 3, "reading stack events");
  auto events = request.aws.all_pages(AwsService::kCloudFormation, "DescribeStackEvents",
                                      {{"StackName", name}}, 1000);
  if (!events.ok()) return events.error();
  auto resources = request.aws.all_pages(AwsService::kCloudFormation, "ListStackResources",
                                         {{"StackName", name}});
  if (!resources.ok()) return resources.error();
  const json summaries = resources->value("StackResourceSummaries", json::array());

  StackFailureAnalysis analysis = analyze_stack_events((*events)["StackEvents"], name);
  ActionReport report;
  report.findings = diagnose_stack(stack, analysis, summaries);

  // A nested stack's failure is explained inside it.
  json nested_root;
  if (analysis.root_cause &&
      string_field(*analysis.root_cause, "ResourceType") == "AWS::CloudFormation::Stack" &&
      !string_field(*analysis.root_cause, "PhysicalResourceId").empty()) {
    request.progress(2, 3, "reading the nested stack's events");
    const std::string nested_arn = string_field(*analysis.root_cause, "PhysicalResourceId");
    auto nested = request.aws.all_pages(AwsService::kCloudFormation, "DescribeStackEvents",
                                        {{"StackName", nested_arn}}, 1000);
    if (nested.ok()) {
      auto inner = analyze_stack_events((*nested)["StackEvents"], stack_name_from_arn(nested_arn));
      if (inner.root_cause) {
        nested_root = event_view(*inner.root_cause);
        const json& e = *inner.root_cause;
        report.findings.insert(
            report.findings.begin(),
            {Severity::kCritical,
             "cloudformation_root_cause",
             "Nested stack " + stack_name_from_arn(nested_arn) + " failed because " +
                 string_field(e, "LogicalResourceId") + " (" + string_field(e, "ResourceType") +
                 ") " + string_field(e, "ResourceStatus") + ": " +
                 string_field(e, "ResourceStatusReason"),
             {string_field(e, "LogicalResourceId") + " " + string_field(e, "ResourceStatus") +
              ": " + string_field(e, "ResourceStatusReason")},
             "Fix that resource in the nested stack's template; the parent's failure follows "
             "from it.",
             2});
      }
    }
  }

  std::map<std::string, size_t> by_status;
  for (const auto& r : summaries) ++by_status[string_field(r, "ResourceStatus")];
  json cascade = json::array();
  for (const auto& e : analysis.cascade) {
    if (cascade.size() < request.limit) cascade.push_back(event_view(e));
  }
  json failed = json::array();
  for (const auto& r : summaries) {
    if (string_field(r, "ResourceStatus").find("FAILED") != std::string::npos) failed.push_back(r);
  }
  json recent = json::array();
  const auto& ops = analysis.operation_events;
  size_t first = ops.size() > request.limit ? ops.size() - request.limit : 0;
  for (size_t i = first; i < ops.size(); ++i) recent.push_back(event_view(ops[i]));
  json stack_view = json::object();
  for (const char* k : {"StackName", "StackId", "StackStatus", "StackStatusReason", "CreationTime",
                        "LastUpdatedTime", "DeletionTime", "Outputs", "Parameters"}) {
    if (stack.contains(k)) stack_view[k] = stack[k];
  }
  report.data = {{"stack", std::move(stack_view)},
                 {"exists", true},
                 {"rolled_back", analysis.rolled_back},
                 {"root_cause", analysis.root_cause ? event_view(*analysis.root_cause) : json()},
                 {"cascade", std::move(cascade)},
                 {"failed_resources", std::move(failed)},
                 {"resources_by_status", by_status},
                 {"latest_operation_events", std::move(recent)}};
  if (!nested_root.is_null()) report.data["nested_root_cause"] = nested_root;
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
