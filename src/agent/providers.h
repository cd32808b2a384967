// The model client for the configured provider: codec, HTTP client, retry policy and, for
// Bedrock, SigV4 signing with the AWS credential chain.
//
// Thread-safety: pure factory.
#pragma once

#include <memory>

#include "agent/config.h"
#include "agent/model_client.h"
#include "aws/http_client.h"

namespace ecs_mcp::agent {

std::shared_ptr<const ProviderCodec> make_codec(const AgentConfig& config, const Os& os);

Result<std::unique_ptr<ModelClient>> make_model_client(const AgentConfig& config, const Os& os,
                                                       std::shared_ptr<aws::HttpClient> http);

}  // namespace ecs_mcp::agent
