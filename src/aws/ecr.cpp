#include "aws/ecr.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "ECR";
  service.endpoint = {"api.ecr", "ECR", /*global=*/false};
  service.signing_name = "ecr";
  service.protocol = Protocol::kJson11;
  service.api_version = "2015-09-21";
  service.target_prefix = "AmazonEC2ContainerRegistry_V20150921";
  return service;
}

}  // namespace

const ServiceDescriptor& ecr_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> ecr_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeRepositories", {"nextToken", "nextToken", {"repositories"}, {}}},
      {"DescribeImages", {"nextToken", "nextToken", {"imageDetails"}, {}}},
      {"ListImages", {"nextToken", "nextToken", {"imageIds"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
