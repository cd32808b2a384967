// Validation of the names and identifiers the deployment tools pass to AWS, against AWS's own
// rules, before any call is made, so a bad value fails fast with a message saying what is
// allowed instead of half-way through a CloudFormation deployment.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ecs_mcp::ecs {

// The app name becomes the ECR repository, the stack names (<app>-ecr-infrastructure,
// <app>-ecs-infrastructure), the cluster (<app>-cluster), the service (<app>-service), the
// log group (/ecs/<app>) and the task family: lowercase letters, digits and single hyphens,
// starting with a letter, at most 40 characters. Returns the problem, or nullopt when valid.
std::optional<std::string> check_app_name(const std::string& name);

std::optional<std::string> check_vpc_id(const std::string& id);
std::optional<std::string> check_subnet_ids(const std::vector<std::string>& ids);
std::optional<std::string> check_route_table_ids(const std::vector<std::string>& ids);
std::optional<std::string> check_certificate_arn(const std::string& arn);
std::optional<std::string> check_image_uri(const std::string& uri);
std::optional<std::string> check_health_check_path(const std::string& path);
// A valid Fargate CPU/memory pair (cpu units, memory MiB).
std::optional<std::string> check_fargate_size(int cpu, int memory);
std::optional<std::string> check_stack_name(const std::string& name);
std::optional<std::string> check_cluster_or_service_name(const std::string& name);

// The ECR repository name of an image URI in ECR
// (<acct>.dkr.ecr.<region>.amazonaws.com/<repo>:tag), or empty when the image is elsewhere.
std::string ecr_repository_of(const std::string& image_uri);

}  // namespace ecs_mcp::ecs
