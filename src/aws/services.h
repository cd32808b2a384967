// The AWS services this project calls, as one table generated from botocore's data.
//
// service_descriptor() says how to reach and speak to a service (endpoint, signing name,
// protocol, API version, JSON target prefix, XML shape hints); service_paginator() gives
// botocore's paging fields for the operations this project pages through. Both read
// service_table.inc, which scripts/generate-service-table writes from the installed botocore
// and a unit test regenerates to catch drift; nothing here is written by hand per service.
//
// Thread-safety: both functions may be called concurrently; descriptors are built once.
#pragma once

#include <optional>
#include <string_view>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

enum class Service {
  kEcs,
  kEcr,
  kLogs,
  kCloudFormation,
  kElbv2,
  kEc2,
  kIam,
  kSts,
  kApplicationAutoScaling,
};

const ServiceDescriptor& service_descriptor(Service service);

// Nullopt for an operation that does not page (or that callers page themselves, such as
// CloudWatch Logs' GetLogEvents, whose token never runs out).
std::optional<PageSpec> service_paginator(Service service, std::string_view operation);

// An AwsClient bound to one service's descriptor.
template <Service kService>
class ServiceClient : public AwsClient {
 public:
  explicit ServiceClient(ClientConfig config)
      : AwsClient(service_descriptor(kService), std::move(config)) {}
};

using EcsClient = ServiceClient<Service::kEcs>;
using EcrClient = ServiceClient<Service::kEcr>;
using LogsClient = ServiceClient<Service::kLogs>;
using CloudFormationClient = ServiceClient<Service::kCloudFormation>;
using Elbv2Client = ServiceClient<Service::kElbv2>;
using Ec2Client = ServiceClient<Service::kEc2>;
using IamClient = ServiceClient<Service::kIam>;
using StsClient = ServiceClient<Service::kSts>;
using ApplicationAutoScalingClient = ServiceClient<Service::kApplicationAutoScaling>;

}  // namespace ecs_mcp::aws
