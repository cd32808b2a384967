// Amazon EC2 (EC2 protocol), for the VPC side of ECS networking. Parameters use botocore
// member names (Filters, VpcIds, ...), mapped to EC2's wire names here.
//
// Ec2Client is an AwsClient bound to the service's descriptor; ec2_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& ec2_service();
std::optional<PageSpec> ec2_paginator(const std::string& operation);

class Ec2Client : public AwsClient {
 public:
  explicit Ec2Client(ClientConfig config) : AwsClient(ec2_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
