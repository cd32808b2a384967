#include "aws/sts.h"

#include <map>

namespace ecs_mcp::aws {
namespace {

protocols::XmlShapeHints response_hints() {
  // Generated from botocore's model by tests/unit/aws/xml_hints_oracle.py, which the unit
  // tests run to catch drift.
  protocols::XmlShapeHints hints;
  hints.integers = {"PackedPolicySize"};
  return hints;
}

ServiceDescriptor make_descriptor() {
  ServiceDescriptor service;
  service.name = "STS";
  service.endpoint = {"sts", "STS", /*global=*/false};
  service.signing_name = "sts";
  service.protocol = Protocol::kQuery;
  service.api_version = "2011-06-15";
  service.response_hints = response_hints();
  return service;
}

}  // namespace

const ServiceDescriptor& sts_service() {
  static const ServiceDescriptor service = make_descriptor();
  return service;
}

std::optional<PageSpec> sts_paginator(const std::string& operation) {
  (void)operation;  // STS has nothing to page
  return std::nullopt;
}

}  // namespace ecs_mcp::aws
