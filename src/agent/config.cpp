#include "agent/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace ecs_mcp::agent {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string get(const Os& os, const std::string& name, const std::string& fallback = "") {
  return os.env(name).value_or(fallback);
}

}  // namespace

bool env_flag(const Os& os, const std::string& name) {
  auto value = os.env(name);
  if (!value) return false;
  const std::string v = lower(*value);
  return v == "true" || v == "1" || v == "yes";
}

std::string provider_help() {
  return "no model provider is configured. Set LLM_PROVIDER and its variables:\n"
         "  LLM_PROVIDER=openai            OPENAI_API_KEY, OPENAI_MODEL_NAME, OPENAI_ENDPOINT "
         "(default "
         "https://api.openai.com/v1)\n"
         "  LLM_PROVIDER=azure-openai      AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, "
         "AZURE_OPENAI_DEPLOYMENT,\n"
         "                                 AZURE_OPENAI_API_VERSION (default 2024-10-21)\n"
         "  LLM_PROVIDER=anthropic-claude  ANTHROPIC_API_KEY, ANTHROPIC_MODEL_NAME, "
         "ANTHROPIC_BASE_URL (default "
         "https://api.anthropic.com)\n"
         "  LLM_PROVIDER=aws-bedrock       AWS_BEDROCK_MODEL_ID, AWS_BEDROCK_PROVIDER, AWS "
         "credentials "
         "(AWS_PROFILE or keys), AWS_REGION";
}

Result<AgentConfig> load_agent_config(const Os& os, const std::string& self_path) {
  AgentConfig config;
  config.enable_ecs = env_flag(os, "ENABLE_ECS_MCP");
  config.allow_write = env_flag(os, "ECS_MCP_ALLOW_WRITE");
  config.allow_sensitive_data = env_flag(os, "ECS_MCP_ALLOW_SENSITIVE_DATA");
  config.region = get(os, "AWS_REGION", kDefaultRegion);
  if (auto path = os.env("ECS_MCP_SERVER_PATH")) {
    config.server_path = *path;
  } else {
    std::error_code ec;
    auto self = std::filesystem::weakly_canonical(self_path, ec);
    config.server_path =
        ((ec ? std::filesystem::path(self_path) : self).parent_path() / "ecs-mcp-server").string();
  }
  if (auto steps = os.env("ECS_AGENT_MAX_STEPS")) {
    try {
      config.max_steps = std::max(1, std::stoi(*steps));
    } catch (...) {
      config.warnings.push_back("ECS_AGENT_MAX_STEPS=" + *steps + " is not a number; using 25");
    }
  }

  ProviderSettings& p = config.provider;
  p.provider = lower(get(os, "LLM_PROVIDER"));
  p.stream = !(os.env("LLM_STREAM") && !env_flag(os, "LLM_STREAM"));
  std::vector<std::string> missing;
  auto need = [&](const std::string& name, std::string& into) {
    into = get(os, name);
    if (into.empty()) missing.push_back(name);
  };
  if (p.provider.empty()) return make_error(ErrorCode::kNoProvider, provider_help());
  if (p.provider == "openai") {
    need("OPENAI_API_KEY", p.api_key);
    need("OPENAI_MODEL_NAME", p.model);
    p.endpoint =
        get(os, "OPENAI_ENDPOINT", get(os, "OPENAI_BASE_URL", "https://api.openai.com/v1"));
  } else if (p.provider == "azure-openai" || p.provider == "azure") {
    p.provider = "azure-openai";
    need("AZURE_OPENAI_API_KEY", p.api_key);
    need("AZURE_OPENAI_ENDPOINT", p.endpoint);
    need("AZURE_OPENAI_DEPLOYMENT", p.model);
    p.api_version = get(os, "AZURE_OPENAI_API_VERSION", "2024-10-21");
  } else if (p.provider == "anthropic-claude" || p.provider == "anthropic") {
    p.provider = "anthropic-claude";
    need("ANTHROPIC_API_KEY", p.api_key);
    need("ANTHROPIC_MODEL_NAME", p.model);
    p.endpoint = get(os, "ANTHROPIC_BASE_URL", "https://api.anthropic.com");
  } else if (p.provider == "aws-bedrock" || p.provider == "bedrock") {
    p.provider = "aws-bedrock";
    need("AWS_BEDROCK_MODEL_ID", p.model);
    p.bedrock_provider = get(os, "AWS_BEDROCK_PROVIDER");
    p.endpoint = get(os, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", get(os, "AWS_ENDPOINT_URL"));
  } else {
    return make_error(ErrorCode::kNoProvider, "LLM_PROVIDER=" + p.provider +
                                                  " is not a known provider; " + provider_help());
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return make_error(ErrorCode::kNoProvider,
                      "LLM_PROVIDER=" + p.provider + " needs " + list + ". " + provider_help());
  }
  return config;
}

ServerSpec ecs_server_spec(const AgentConfig& config, const Os& os) {
  ServerSpec spec;
  spec.key = "ecs";
  spec.command = config.server_path;
  spec.environment = base_child_environment(os);
  spec.environment.emplace_back("AWS_REGION", config.region);
  if (auto profile = os.env("AWS_PROFILE")) {
    spec.environment.emplace_back("AWS_PROFILE", *profile);
  } else {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
      if (auto value = os.env(name)) spec.environment.emplace_back(name, *value);
    }
  }
  // Where the shared files and endpoints are, when they are not the defaults.
  for (const char* name :
       {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CA_BUNDLE", "FASTMCP_LOG_LEVEL",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
        "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
        "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_IAM",
        "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING"}) {
    if (auto value = os.env(name)) spec.environment.emplace_back(name, *value);
  }
  spec.environment.emplace_back("ALLOW_WRITE", config.allow_write ? "true" : "false");
  spec.environment.emplace_back("ALLOW_SENSITIVE_DATA",
                                config.allow_sensitive_data ? "true" : "false");
  return spec;
}

}  // namespace ecs_mcp::agent
