// Azure OpenAI: the Chat Completions format at a deployment's URL,
// {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=V, authenticated
// with an `api-key` header. The model is the deployment, so the body names none.
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "agent/openai_codec.h"

namespace ecs_mcp::agent {

inline constexpr const char* kDefaultAzureApiVersion = "2024-10-21";

OpenAiEndpoint azure_openai_endpoint(const std::string& endpoint, const std::string& deployment,
                                     const std::string& api_version, const std::string& api_key);

}  // namespace ecs_mcp::agent
