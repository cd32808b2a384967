#include "aws/ecs.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "ECS";
  service.endpoint = {"ecs", "ECS", /*global=*/false};
  service.signing_name = "ecs";
  service.protocol = Protocol::kJson11;
  service.api_version = "2014-11-13";
  service.target_prefix = "AmazonEC2ContainerServiceV20141113";
  return service;
}

}  // namespace

const ServiceDescriptor& ecs_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> ecs_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"ListClusters", {"nextToken", "nextToken", {"clusterArns"}, {}}},
      {"ListServices", {"nextToken", "nextToken", {"serviceArns"}, {}}},
      {"ListTasks", {"nextToken", "nextToken", {"taskArns"}, {}}},
      {"ListTaskDefinitions", {"nextToken", "nextToken", {"taskDefinitionArns"}, {}}},
      {"ListTaskDefinitionFamilies", {"nextToken", "nextToken", {"families"}, {}}},
      {"ListContainerInstances", {"nextToken", "nextToken", {"containerInstanceArns"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
