#include "agent/azure_openai_codec.h"

#include "common/percent_encoding.h"

namespace ecs_mcp::agent {

OpenAiEndpoint azure_openai_endpoint(const std::string& endpoint, const std::string& deployment,
                                     const std::string& api_version, const std::string& api_key) {
  std::string base = endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  OpenAiEndpoint out;
  out.provider_name = "azure-openai";
  out.url = base + "/openai/deployments/" + uri_encode(deployment) +
            "/chat/completions?api-version=" +
            uri_encode(api_version.empty() ? kDefaultAzureApiVersion : api_version);
  out.headers = {{"api-key", api_key}};
  out.model = "";
  return out;
}

}  // namespace ecs_mcp::agent
