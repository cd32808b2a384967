// AWS CloudFormation (Query). Parameters use botocore member names (Parameters, Capabilities,
// Tags are lists); responses are shaped like boto3's, timestamps kept as ISO 8601 strings.
//
// CloudFormationClient is an AwsClient bound to the service's descriptor;
// cloudformation_paginator() gives botocore's paging fields for the operations this project pages
// through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& cloudformation_service();
std::optional<PageSpec> cloudformation_paginator(const std::string& operation);

class CloudFormationClient : public AwsClient {
 public:
  explicit CloudFormationClient(ClientConfig config)
      : AwsClient(cloudformation_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
