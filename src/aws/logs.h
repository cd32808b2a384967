// Amazon CloudWatch Logs (JSON 1.1). Bodies pass through; timestamps are epoch milliseconds.
// GetLogEvents is not in the table: its token never runs out (the same token comes back at
// the end of the stream), so callers page it themselves.
//
// LogsClient is an AwsClient bound to the service's descriptor; logs_paginator() gives botocore's
// paging fields for the operations this project pages through.
//
// Thread-safety: as AwsClient (calls may run concurrently).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "aws/client.h"

namespace ecs_mcp::aws {

const ServiceDescriptor& logs_service();
std::optional<PageSpec> logs_paginator(const std::string& operation);

class LogsClient : public AwsClient {
 public:
  explicit LogsClient(ClientConfig config) : AwsClient(logs_service(), std::move(config)) {}
};

}  // namespace ecs_mcp::aws
