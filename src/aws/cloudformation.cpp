#include "aws/cloudformation.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

protocols::XmlShapeHints response_hints() {
  // Generated from botocore's model by tests/unit/aws/xml_hints_oracle.py, which the unit
  // tests run to catch drift.
  protocols::XmlShapeHints hints;
  hints.lists = {"Capabilities",
                 "Changes",
                 "DeclaredTransforms",
                 "Details",
                 "LastOperations",
                 "NotificationARNs",
                 "Outputs",
                 "Parameters",
                 "ResourceDriftIgnoredAttributes",
                 "RollbackTriggers",
                 "Scope",
                 "StackEvents",
                 "StackResourceSummaries",
                 "StackResources",
                 "StackSummaries",
                 "Stacks",
                 "StagesAvailable",
                 "Tags"};
  hints.integers = {"HookInvocationCount", "MonitoringTimeInMinutes", "TimeoutInMinutes"};
  hints.booleans = {"DisableRollback",
                    "EnableTerminationProtection",
                    "ImportExistingResources",
                    "IncludeNestedStacks",
                    "NoEcho",
                    "RetainExceptOnCreate",
                    "UsePreviousValue"};
  return hints;
}

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "CloudFormation";
  service.endpoint = {"cloudformation", "CLOUDFORMATION", /*global=*/false};
  service.signing_name = "cloudformation";
  service.protocol = Protocol::kQuery;
  service.api_version = "2010-05-15";
  service.response_hints = response_hints();
  return service;
}

}  // namespace

const ServiceDescriptor& cloudformation_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> cloudformation_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeStacks", {"NextToken", "NextToken", {"Stacks"}, {}}},
      {"DescribeStackEvents", {"NextToken", "NextToken", {"StackEvents"}, {}}},
      {"ListStackResources", {"NextToken", "NextToken", {"StackResourceSummaries"}, {}}},
      {"ListStacks", {"NextToken", "NextToken", {"StackSummaries"}, {}}},
      {"DescribeChangeSet", {"NextToken", "NextToken", {"Changes"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
