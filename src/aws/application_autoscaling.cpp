#include "aws/application_autoscaling.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "Application Auto Scaling";
  service.endpoint = {"application-autoscaling", "APPLICATION_AUTO_SCALING", /*global=*/false};
  service.signing_name = "application-autoscaling";
  service.protocol = Protocol::kJson11;
  service.api_version = "2016-02-06";
  service.target_prefix = "AnyScaleFrontendService";
  return service;
}

}  // namespace

const ServiceDescriptor& application_autoscaling_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> application_autoscaling_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeScalableTargets", {"NextToken", "NextToken", {"ScalableTargets"}, {}}},
      {"DescribeScalingPolicies", {"NextToken", "NextToken", {"ScalingPolicies"}, {}}},
      {"DescribeScalingActivities", {"NextToken", "NextToken", {"ScalingActivities"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
