// AWS IAM (Query), global endpoint signed for the partition's home region. Policy documents
// come back URL-encoded, as from AWS; callers decode them.
//
// IamClient is an AwsClient bound to the service's descriptor; iam_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& iam_service();
std::optional<PageSpec> iam_paginator(const std::string& operation);

class IamClient : public AwsClient {
 public:
  explicit IamClient(ClientConfig config) : AwsClient(iam_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
