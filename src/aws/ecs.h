// Amazon ECS (JSON 1.1). Bodies pass through; timestamps stay epoch-second floats.
//
// EcsClient is an AwsClient bound to the service's descriptor; ecs_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& ecs_service();
std::optional<PageSpec> ecs_paginator(const std::string& operation);

class EcsClient : public AwsClient {
 public:
  explicit EcsClient(ClientConfig config) : AwsClient(ecs_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
