#include "aws/elbv2.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

protocols::XmlShapeHints response_hints() {
  // Generated from botocore's model by tests/unit/aws/xml_hints_oracle.py, which the unit
  // tests run to catch drift.
  protocols::XmlShapeHints hints;
  hints.lists = {"Actions",
                 "AdditionalClaims",
                 "AlpnPolicy",
                 "AvailabilityZones",
                 "Certificates",
                 "Conditions",
                 "DefaultActions",
                 "Listeners",
                 "LoadBalancerAddresses",
                 "LoadBalancerArns",
                 "LoadBalancers",
                 "RegexValues",
                 "Rewrites",
                 "Rules",
                 "SecurityGroups",
                 "SourceNatIpv6Prefixes",
                 "TagDescriptions",
                 "Tags",
                 "TargetGroups",
                 "TargetHealthDescriptions",
                 "Transforms",
                 "Values"};
  hints.maps = {"AuthenticationRequestExtraParams"};
  hints.integers = {"DurationSeconds",
                    "HealthCheckIntervalSeconds",
                    "HealthCheckTimeoutSeconds",
                    "HealthyThresholdCount",
                    "Order",
                    "Port",
                    "SessionTimeout",
                    "TargetControlPort",
                    "UnhealthyThresholdCount",
                    "Weight"};
  hints.booleans = {"Enabled", "HealthCheckEnabled", "IgnoreClientCertificateExpiry", "IsDefault",
                    "UseExistingClientSecret"};
  return hints;
}

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "Elastic Load Balancing v2";
  service.endpoint = {"elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2", /*global=*/false};
  service.signing_name = "elasticloadbalancing";
  service.protocol = Protocol::kQuery;
  service.api_version = "2015-12-01";
  service.response_hints = response_hints();
  return service;
}

}  // namespace

const ServiceDescriptor& elbv2_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> elbv2_paginator(const std::string& operation) {
  static const std::map<std::string, PageSpec> paginators = {
      {"DescribeLoadBalancers", {"Marker", "NextMarker", {"LoadBalancers"}, {}}},
      {"DescribeTargetGroups", {"Marker", "NextMarker", {"TargetGroups"}, {}}},
      {"DescribeListeners", {"Marker", "NextMarker", {"Listeners"}, {}}},
      {"DescribeRules", {"Marker", "NextMarker", {"Rules"}, {}}},
  };
  auto it = paginators.find(operation);
  if (it == paginators.end()) return std::nullopt;
  return it->second;
}

}  // namespace ecs_mcp::aws
