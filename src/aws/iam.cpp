#include "aws/iam.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

protocols::XmlShapeHints response_hints() {
  // Generated from botocore's model by tests/unit/aws/xml_hints_oracle.py, which the unit
  // tests run to catch drift.
  protocols::XmlShapeHints hints;
  hints.lists = {"AttachedPolicies",
                 "EvaluationResults",
                 "MatchedStatements",
                 "MissingContextValues",
                 "PolicyNames",
                 "ResourceSpecificResults",
                 "Roles",
                 "Tags"};
  hints.maps = {"EvalDecisionDetails"};
  hints.integers = {"Column", "Line", "MaxSessionDuration"};
  hints.booleans = {"AllowedByOrganizations", "AllowedByPermissionsBoundary", "IsTruncated"};
  return hints;
}

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "IAM";
  service.endpoint = {"iam", "IAM", /*global=*/true};
  service.signing_name = "iam";
  service.protocol = Protocol::kQuery;
  service.api_version = "2010-05-08";
  service.response_hints = response_hints();
  return service;
}

}  // namespace

const ServiceDescriptor& iam_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> iam_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"ListAttachedRolePolicies", {"Marker", "Marker", {"AttachedPolicies"}, "IsTruncated"}},
      {"ListRolePolicies", {"Marker", "Marker", {"PolicyNames"}, "IsTruncated"}},
      {"ListRoles", {"Marker", "Marker", {"Roles"}, "IsTruncated"}},
      {"SimulatePrincipalPolicy", {"Marker", "Marker", {"EvaluationResults"}, "IsTruncated"}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
