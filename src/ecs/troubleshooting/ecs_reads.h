// The ECS, ELBv2 and CloudFormation reads several troubleshooting actions share: a cluster's
// services (all pages, DescribeServices ten at a time), stopped tasks (all pages,
// DescribeTasks a hundred at a time), the task definitions behind a service, task, stack or
// family, and a service's target groups with their health.
//
// Thread-safety: stateless functions over an AwsReader.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/troubleshooting/action.h"

namespace ecs_mcp::ecs::troubleshooting {

// An epoch-seconds value from an ECS timestamp (number) or an ISO-8601 string; 0 when absent.
double epoch_seconds(const json& value);
// Parses "2025-01-31T12:00:00Z" (fraction and +hh:mm offsets allowed); nullopt when malformed.
std::optional<double> parse_iso8601(const std::string& text);
// The last path element of an ARN ("arn:...:task/cluster/abc" -> "abc").
std::string arn_tail(const std::string& arn);

// One service (DescribeServices), or ServiceNotFound naming it.
Result<json> describe_service(const AwsReader& aws, const std::string& cluster,
                              const std::string& service);
// Every service of the cluster, described with tags, in ListServices order.
Result<json> describe_all_services(const AwsReader& aws, const std::string& cluster);
// ListTasks (all pages, up to `max`) then DescribeTasks in batches of 100.
Result<json> list_and_describe_tasks(const AwsReader& aws, const std::string& cluster,
                                     const std::string& service, const std::string& family,
                                     const std::string& desired_status, size_t max);
Result<json> describe_tasks(const AwsReader& aws, const std::string& cluster,
                            const std::vector<std::string>& task_ids);
Result<json> describe_task_definition(const AwsReader& aws, const std::string& arn);

// The task definitions named by the request: the service's deployments, the task's, the
// stack's AWS::ECS::TaskDefinition resources or the newest revision of each family matching
// family_prefix. Errors when none of those parameters is present.
struct TaskDefinitionSource {
  json task_definition;
  std::string why;  // "service web (PRIMARY deployment)", "task abc", ...
};
Result<std::vector<TaskDefinitionSource>> task_definitions_for(const ActionRequest& request);

// A service's target groups (DescribeTargetGroups) with DescribeTargetHealth results, and
// the container port the service registers with each.
struct TargetGroupHealth {
  json target_group;
  json health = json::array();
  int container_port = 0;
  std::string container_name;
};
Result<std::vector<TargetGroupHealth>> target_groups_of(const AwsReader& aws, const json& service);

}  // namespace ecs_mcp::ecs::troubleshooting
