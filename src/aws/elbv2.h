// Elastic Load Balancing v2 (Query): ALBs/NLBs, target groups, listeners, rules, health.
//
// Elbv2Client is an AwsClient bound to the service's descriptor; elbv2_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& elbv2_service();
std::optional<PageSpec> elbv2_paginator(const std::string& operation);

class Elbv2Client : public AwsClient {
 public:
  explicit Elbv2Client(ClientConfig config) : AwsClient(elbv2_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
