// The agent's configuration, read from its environment.
//
// ENABLE_ECS_MCP (true/1/yes, default false) decides whether the ECS server is started at
// all. ECS_MCP_ALLOW_WRITE and ECS_MCP_ALLOW_SENSITIVE_DATA become the child's ALLOW_WRITE
// and ALLOW_SENSITIVE_DATA, always the literal "true" or "false". The child otherwise gets
// the stripped environment platform agents give it: HOME, LOGNAME, PATH, SHELL, TERM, USER,
// AWS_REGION (default us-west-2), AWS_PROFILE or the key variables when set, endpoint
// overrides and FASTMCP_LOG_LEVEL. LLM_PROVIDER picks the model provider and names the
// variables it needs; when they are missing the error lists them.
//
// Thread-safety: pure functions of their inputs.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/mcp_config.h"
#include "aws/endpoints.h"
#include "common/result.h"

namespace ecs_mcp::agent {

inline constexpr const char* kDefaultRegion = "us-west-2";

struct ProviderSettings {
  std::string provider;  // openai | azure-openai | anthropic-claude | aws-bedrock
  std::string api_key;
  std::string endpoint;  // OpenAI base, Azure resource endpoint, Anthropic base, Bedrock override
  std::string model;     // model name, Azure deployment, or Bedrock model id
  std::string api_version;       // Azure
  std::string bedrock_provider;  // AWS_BEDROCK_PROVIDER, informational
  bool stream = true;            // LLM_STREAM=false turns streaming off
};

struct AgentConfig {
  bool enable_ecs = false;
  bool allow_write = false;
  bool allow_sensitive_data = false;
  std::string server_path;  // ecs-mcp-server
  std::string region = kDefaultRegion;
  ProviderSettings provider;
  int max_steps = 25;
  size_t tool_result_budget = 20000;  // characters per tool result
  std::vector<std::string> warnings;
};

// True for "true", "1", "yes" in any case; false otherwise (and when unset).
bool env_flag(const Os& os, const std::string& name);

// `self_path` is this program's path, for finding ecs-mcp-server next to it.
Result<AgentConfig> load_agent_config(const Os& os, const std::string& self_path);

// The ECS server as a stdio server spec, with the environment described above.
ServerSpec ecs_server_spec(const AgentConfig& config, const Os& os);

// The text of the error shown when no provider is configured.
std::string provider_help();

}  // namespace ecs_mcp::agent
