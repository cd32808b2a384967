// AWS STS (Query), regional endpoint.
//
// StsClient is an AwsClient bound to the service's descriptor; sts_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& sts_service();
std::optional<PageSpec> sts_paginator(const std::string& operation);

class StsClient : public AwsClient {
 public:
  explicit StsClient(ClientConfig config) : AwsClient(sts_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
