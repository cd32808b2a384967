#include "ecs/troubleshooting/ecs_reads.h"

#include <ctime>
#include <set>

#include "common/json_fields.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {}  // namespace

std::optional<double> parse_iso8601(const std::string& text) {
  std::tm tm{};
  int y, mo, d, h = 0, mi = 0;
  double s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
  std::string rest = text.substr(static_cast<size_t>(consumed));
  double offset = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    int n = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d:%lf%n", &h, &mi, &s, &n) < 3) {
      if (std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &h, &mi, &n) < 2) return std::nullopt;
    }
    std::string zone = rest.substr(1 + static_cast<size_t>(n));
    if (!zone.empty() && zone != "Z" && zone != "z") {
      int zh = 0, zm = 0;
      char sign = zone[0];
      if ((sign != '+' && sign != '-') || std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) < 1) {
        return std::nullopt;
      }
      offset = (sign == '+' ? 1 : -1) * (zh * 3600.0 + zm * 60.0);
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s >= 61) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = 0;
  return static_cast<double>(timegm(&tm)) + s - offset;
}

double epoch_seconds(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return parse_iso8601(value.get<std::string>()).value_or(0);
  return 0;
}

std::string arn_tail(const std::string& arn) {
  auto slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

Result<json> describe_service(const AwsReader& aws, const std::string& cluster,
                              const std::string& service) {
  auto r = aws.call(AwsService::kEcs, "DescribeServices",
                    {{"cluster", cluster}, {"services", {service}}, {"include", {"TAGS"}}});
  if (!r.ok()) return r;
  const json services = r->value("services", json::array());
  if (services.empty()) {
    std::string reason;
    for (const auto& f : r->value("failures", json::array())) reason = string_field(f, "reason");
    return make_service_error("ServiceNotFoundException",
                              "service " + service + " was not found in cluster " + cluster +
                                  (reason.empty() ? "" : " (" + reason + ")") +
                                  "; check the name with ecs_resource_management ListServices");
  }
  return services.front();
}

Result<json> describe_all_services(const AwsReader& aws, const std::string& cluster) {
  auto arns = aws.all_pages(AwsService::kEcs, "ListServices", {{"cluster", cluster}});
  if (!arns.ok()) return arns;
  json all = json::array();
  const json list = arns->value("serviceArns", json::array());
  for (size_t i = 0; i < list.size(); i += 10) {
    if (aws.cancelled()) return make_error(ErrorCode::kCancelled, "the call was cancelled");
    json batch = json::array();
    for (size_t j = i; j < list.size() && j < i + 10; ++j) batch.push_back(list[j]);
    ECS_MCP_ASSIGN_OR_RETURN(
        auto r, aws.call(AwsService::kEcs, "DescribeServices",
                         {{"cluster", cluster}, {"services", batch}, {"include", {"TAGS"}}}));
    for (auto& s : r["services"]) all.push_back(std::move(s));
  }
  return all;
}

Result<json> describe_tasks(const AwsReader& aws, const std::string& cluster,
                            const std::vector<std::string>& task_ids) {
  json all = json::array();
  for (size_t i = 0; i < task_ids.size(); i += 100) {
    if (aws.cancelled()) return make_error(ErrorCode::kCancelled, "the call was cancelled");
    json batch = json::array();
    for (size_t j = i; j < task_ids.size() && j < i + 100; ++j) batch.push_back(task_ids[j]);
    ECS_MCP_ASSIGN_OR_RETURN(auto r, aws.call(AwsService::kEcs, "DescribeTasks",
                                              {{"cluster", cluster}, {"tasks", batch}}));
    for (auto& t : r["tasks"]) all.push_back(std::move(t));
  }
  return all;
}

Result<json> list_and_describe_tasks(const AwsReader& aws, const std::string& cluster,
                                     const std::string& service, const std::string& family,
                                     const std::string& desired_status, size_t max) {
  json params{{"cluster", cluster}, {"desiredStatus", desired_status}};
  if (!service.empty()) params["serviceName"] = service;
  if (!family.empty()) params["family"] = family;
  auto arns = aws.all_pages(AwsService::kEcs, "ListTasks", params, max);
  if (!arns.ok()) return arns;
  std::vector<std::string> ids;
  for (const auto& a : arns->value("taskArns", json::array())) ids.push_back(a.get<std::string>());
  return describe_tasks(aws, cluster, ids);
}

Result<json> describe_task_definition(const AwsReader& aws, const std::string& arn) {
  auto r = aws.call(AwsService::kEcs, "DescribeTaskDefinition", {{"taskDefinition", arn}});
  if (!r.ok()) return r;
  return r->value("taskDefinition", json::object());
}

Result<std::vector<TaskDefinitionSource>> task_definitions_for(const ActionRequest& request) {
  const AwsReader& aws = request.aws;
  const std::string cluster = request.text("ecs_cluster_name");
  std::vector<std::pair<std::string, std::string>> arns;  // arn, why
  if (!request.text("ecs_task_id").empty()) {
    ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
    auto tasks = describe_tasks(aws, cluster, {request.text("ecs_task_id")});
    if (!tasks.ok()) return tasks.error();
    if (tasks->empty()) {
      return make_error(ErrorCode::kTaskNotFound, "task " + request.text("ecs_task_id") +
                                                      " was not found in cluster " + cluster +
                                                      " (stopped tasks are kept about an hour)");
    }
    arns.emplace_back(string_field((*tasks)[0], "taskDefinitionArn"),
                      "task " + request.text("ecs_task_id"));
  }
  if (!request.text("ecs_service_name").empty()) {
    ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
    auto svc = describe_service(aws, cluster, request.text("ecs_service_name"));
    if (!svc.ok()) return svc.error();
    for (const auto& d : svc->value("deployments", json::array())) {
      arns.emplace_back(string_field(d, "taskDefinition"),
                        "service " + request.text("ecs_service_name") + " (" +
                            string_field(d, "status") + " deployment)");
    }
    if (svc->value("deployments", json::array()).empty()) {
      arns.emplace_back(string_field(*svc, "taskDefinition"),
                        "service " + request.text("ecs_service_name"));
    }
  }
  if (!request.text("cfn_stack_name").empty()) {
    auto res = aws.all_pages(AwsService::kCloudFormation, "ListStackResources",
                             {{"StackName", request.text("cfn_stack_name")}});
    if (!res.ok()) return res.error();
    for (const auto& r : res->value("StackResourceSummaries", json::array())) {
      if (string_field(r, "ResourceType") == "AWS::ECS::TaskDefinition" &&
          !string_field(r, "PhysicalResourceId").empty()) {
        arns.emplace_back(string_field(r, "PhysicalResourceId"),
                          "stack " + request.text("cfn_stack_name") + " resource " +
                              string_field(r, "LogicalResourceId"));
      }
    }
  }
  if (!request.text("family_prefix").empty()) {
    auto fams = aws.all_pages(
        AwsService::kEcs, "ListTaskDefinitionFamilies",
        {{"familyPrefix", request.text("family_prefix")}, {"status", "ACTIVE"}}, request.limit);
    if (!fams.ok()) return fams.error();
    for (const auto& f : fams->value("families", json::array())) {
      arns.emplace_back(f.get<std::string>(),
                        "family " + f.get<std::string>() + " (latest revision)");
    }
  }
  if (arns.empty() && request.text("ecs_task_id").empty() &&
      request.text("ecs_service_name").empty() && request.text("cfn_stack_name").empty() &&
      request.text("family_prefix").empty()) {
    return request
        .require_one_of({"ecs_service_name", "ecs_task_id", "cfn_stack_name", "family_prefix"})
        .error();
  }
  std::vector<TaskDefinitionSource> out;
  std::set<std::string> seen;
  for (const auto& [arn, why] : arns) {
    if (arn.empty() || !seen.insert(arn).second) continue;
    if (out.size() >= request.limit) break;
    ECS_MCP_ASSIGN_OR_RETURN(auto td, describe_task_definition(aws, arn));
    out.push_back({std::move(td), why});
  }
  return out;
}

Result<std::vector<TargetGroupHealth>> target_groups_of(const AwsReader& aws, const json& service) {
  std::vector<TargetGroupHealth> out;
  std::vector<std::pair<std::string, std::pair<int, std::string>>> wanted;
  for (const auto& lb : service.value("loadBalancers", json::array())) {
    std::string arn = string_field(lb, "targetGroupArn");
    if (arn.empty()) continue;
    wanted.push_back({arn, {lb.value("containerPort", 0), string_field(lb, "containerName")}});
  }
  if (wanted.empty()) return out;
  json arns = json::array();
  for (const auto& w : wanted) arns.push_back(w.first);
  auto tgs = aws.call(AwsService::kElbv2, "DescribeTargetGroups", {{"TargetGroupArns", arns}});
  if (!tgs.ok()) return tgs.error();
  for (const auto& tg : tgs->value("TargetGroups", json::array())) {
    TargetGroupHealth h;
    h.target_group = tg;
    for (const auto& w : wanted) {
      if (w.first == string_field(tg, "TargetGroupArn")) {
        h.container_port = w.second.first;
        h.container_name = w.second.second;
      }
    }
    auto health = aws.call(AwsService::kElbv2, "DescribeTargetHealth",
                           {{"TargetGroupArn", string_field(tg, "TargetGroupArn")}});
    if (!health.ok()) return health.error();
    h.health = health->value("TargetHealthDescriptions", json::array());
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
