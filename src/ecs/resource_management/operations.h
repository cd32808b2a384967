// The explicit table of every ECS and ECR API operation ecs_resource_management offers, with
// the access class each needs, and the operations deliberately not offered (with why).
//
// Classification is by this table alone, never by name prefix: `GetAuthorizationToken` reads
// but returns a registry password, `StopServiceDeployment` stops a rollout, `ExecuteCommand`
// opens a shell. A unit test checks that every operation in botocore's current ECS and ECR
// models is either here or in the excluded list.
//
// Thread-safety: immutable data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/tool.h"

namespace ecs_mcp::ecs {

enum class ApiService { kEcs, kEcr };

struct OperationSpec {
  std::string_view name;  // as the tool accepts it: "ListClusters", "ecr:DescribeImages"
  ApiService service;
  mcp::AccessClass access;
  int default_page_size = 0;  // maxResults applied when the caller gives none (0 = none)

  // The API operation name without the service prefix.
  std::string_view api_name() const;
};

struct ExcludedOperation {
  std::string_view name;
  std::string_view reason;
};

const std::vector<OperationSpec>& resource_operations();
const std::vector<ExcludedOperation>& excluded_resource_operations();
// Finds an operation by its name as the tool lists it or as models also write it:
// "list_clusters", "listClusters", "ecs:ListClusters" and "ECR:describe_images" all match.
const OperationSpec* find_resource_operation(std::string_view name);
// Up to `count` offered operations whose names are closest to `name`, best first; empty when
// nothing is close.
std::vector<std::string_view> closest_resource_operations(std::string_view name, size_t count = 3);
const ExcludedOperation* find_excluded_operation(std::string_view name);

}  // namespace ecs_mcp::ecs
