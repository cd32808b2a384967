// The MCP prompts: the workflows people ask for (deploy an app, troubleshoot a service, find
// why an app cannot be reached, inspect clusters, clean up an app), each a message that tells
// the model which tools to call in which order, with the user's arguments filled in and what
// the ALLOW_* switches allow right now. Clients such as Claude Code offer them as slash
// commands.
//
// Thread-safety: the prompts are immutable after construction; their handlers are pure.
#pragma once

#include <vector>

#include "ecs/access.h"
#include "mcp/server.h"

namespace ecs_mcp::ecs {

std::vector<mcp::Prompt> make_prompts(const AccessPolicy& policy);

}  // namespace ecs_mcp::ecs
