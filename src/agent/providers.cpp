#include "agent/providers.h"

#include "agent/anthropic_codec.h"
#include "agent/azure_openai_codec.h"
#include "agent/bedrock_codec.h"
#include "agent/openai_codec.h"
#include "aws/credentials.h"
#include "aws/sigv4.h"

namespace ecs_mcp::agent {
namespace {

const aws::EndpointSpec kBedrockRuntime{"bedrock-runtime", "BEDROCK_RUNTIME", false};

}  // namespace

std::shared_ptr<const ProviderCodec> make_codec(const AgentConfig& config, const Os& os) {
  const ProviderSettings& p = config.provider;
  if (p.provider == "openai") {
    auto endpoint = openai_endpoint(p.endpoint, p.api_key, p.model);
    endpoint.stream = p.stream;
    return std::make_shared<OpenAiCodec>(endpoint);
  }
  if (p.provider == "azure-openai") {
    auto endpoint = azure_openai_endpoint(p.endpoint, p.model, p.api_version, p.api_key);
    endpoint.stream = p.stream;
    return std::make_shared<OpenAiCodec>(endpoint);
  }
  if (p.provider == "anthropic-claude") {
    return std::make_shared<AnthropicCodec>(
        AnthropicEndpoint{p.endpoint, p.api_key, p.model, p.stream});
  }
  BedrockEndpoint endpoint;
  endpoint.region = config.region;
  endpoint.model_id = p.model;
  endpoint.stream = p.stream;
  auto resolved = aws::resolve_endpoint(kBedrockRuntime, config.region, os);
  endpoint.base =
      resolved.ok() ? resolved->url : "https://bedrock-runtime." + config.region + ".amazonaws.com";
  if (resolved.ok() && !resolved->signing_region.empty())
    endpoint.region = resolved->signing_region;
  return std::make_shared<BedrockCodec>(endpoint);
}

Result<std::unique_ptr<ModelClient>> make_model_client(const AgentConfig& config, const Os& os,
                                                       std::shared_ptr<aws::HttpClient> http) {
  auto codec = make_codec(config, os);
  ModelClientOptions options;
  options.http = http;
  options.retry = aws::RetryOptions::from_environment(os);
  if (config.provider.provider == "aws-bedrock") {
    auto credentials = aws::make_default_credentials_chain(real_os(), http);
    const std::string region = static_cast<const BedrockCodec&>(*codec).endpoint().region;
    options.sign = [credentials, region](aws::HttpRequest& request) -> Status {
      auto creds = credentials->get();
      if (!creds.ok()) return creds.error();
      return aws::sign_v4(request, *creds, aws::SigningParams{region, "bedrock"});
    };
  }
  return std::make_unique<ModelClient>(codec, std::move(options));
}

}  // namespace ecs_mcp::agent
