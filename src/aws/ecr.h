// Amazon ECR (JSON 1.1, host api.ecr.<region>). Bodies pass through.
//
// EcrClient is an AwsClient bound to the service's descriptor; ecr_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& ecr_service();
std::optional<PageSpec> ecr_paginator(const std::string& operation);

class EcrClient : public AwsClient {
 public:
  explicit EcrClient(ClientConfig config) : AwsClient(ecr_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
