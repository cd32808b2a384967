// The A2A agent card: what a supervisor reads at /.well-known/agent-card.json (protocol 0.3;
// 0.2 clients ask for /.well-known/agent.json) before delegating work to ecs-agent serve.
//
// It says truthfully what this agent can do as configured: the ECS skills (deploy,
// troubleshoot, inspect and manage resources, documentation), each with example prompts,
// appear only when ENABLE_ECS_MCP is on, and the description states what the access switches
// allow now. A bearer token, when one is required, is declared as an HTTP bearer scheme.
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ecs_mcp::agent {

inline constexpr const char* kA2aProtocolVersion = "0.3.0";

struct CardFacts {
  std::string url;  // the JSON-RPC endpoint, e.g. http://127.0.0.1:8000/
  std::string version;
  bool ecs_enabled = false;
  bool allow_write = false;
  bool allow_sensitive_data = false;
  bool bearer_token = false;
  size_t other_tools = 0;  // tools from servers other than the ECS server
};

nlohmann::json agent_card(const CardFacts& facts);

}  // namespace ecs_mcp::agent
