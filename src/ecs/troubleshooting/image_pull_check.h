// Whether a task definition's images can be pulled: the ECR repository and tag (or digest)
// exist in the account and region the image URI names, the task execution role exists, is
// trusted by ecs-tasks.amazonaws.com and may pull from ECR, private registries have
// credentials, and the tasks have a network path to the registry (public IP or NAT for the
// internet; those or VPC endpoints for ECR).
//
// Thread-safety: stateless functions over an AwsReader.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/image_reference.h"

namespace ecs_mcp::ecs::troubleshooting {

// Checks one ECR image with DescribeImages. Returns a finding when it is missing (or cannot
// be checked), nullopt when it exists; `status` receives "exists", "missing_repository",
// "missing_image" or "unverified". Images in another region are checked in that region.
std::optional<Finding> check_ecr_image(const AwsReader& aws, const ImageReference& ref,
                                       std::string& status);

// Does an IAM policy document (JSON text, URL-encoded or not) allow `action`?
bool policy_allows(const std::string& document, const std::string& action);

// Findings about a task execution role's ability to pull from ECR (empty when it can).
std::vector<Finding> check_execution_role(const AwsReader& aws, const std::string& role_arn,
                                          nlohmann::json& evidence_out);

}  // namespace ecs_mcp::ecs::troubleshooting
