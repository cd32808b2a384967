// The machine-readable transcript `ecs-agent ask --json` prints: the conversation in the
// agent's neutral form, the tool calls with durations, and the timings of the run.
//
// Thread-safety: pure functions.
#pragma once

#include "agent/agent_loop.h"
#include "agent/conversation.h"

namespace ecs_mcp::agent {

json conversation_to_json(const Conversation& conversation);
json outcome_to_json(const LoopOutcome& outcome);

}  // namespace ecs_mcp::agent
