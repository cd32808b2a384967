// The system prompt: today's UTC date, the agent's role, and, only when the ECS server is
// enabled, a block that says truthfully what its switches allow now.
//
// Thread-safety: pure function.
#pragma once

#include <chrono>
#include <string>

namespace ecs_mcp::agent {

struct PromptFacts {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::string region;
  bool ecs_enabled = false;
  bool allow_write = false;
  bool allow_sensitive_data = false;
};

std::string system_prompt(const PromptFacts& facts);

}  // namespace ecs_mcp::agent
