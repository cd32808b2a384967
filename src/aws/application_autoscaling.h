// Application Auto Scaling (JSON 1.1), for ECS service scaling. Bodies pass through.
//
// ApplicationAutoScalingClient is an AwsClient bound to the service's descriptor;
// application_autoscaling_paginator() gives botocore's paging fields for the operations this
// project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& application_autoscaling_service();
std::optional<PageSpec> application_autoscaling_paginator(const std::string& operation);

class ApplicationAutoScalingClient : public AwsClient {
 public:
  explicit ApplicationAutoScalingClient(ClientConfig config)
      : AwsClient(application_autoscaling_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
