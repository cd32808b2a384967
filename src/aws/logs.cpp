#include "aws/logs.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "CloudWatch Logs";
  service.endpoint = {"logs", "CLOUDWATCH_LOGS", /*global=*/false};
  service.signing_name = "logs";
  service.protocol = Protocol::kJson11;
  service.api_version = "2014-03-28";
  service.target_prefix = "Logs_20140328";
  return service;
}

}  // namespace

const ServiceDescriptor& logs_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> logs_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeLogGroups", {"nextToken", "nextToken", {"logGroups"}, {}}},
      {"DescribeLogStreams", {"nextToken", "nextToken", {"logStreams"}, {}}},
      {"FilterLogEvents", {"nextToken", "nextToken", {"events", "searchedLogStreams"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
