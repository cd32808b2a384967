// Assembles the product: the tools this server offers, their listing notes from the access
// gate, the instructions sent at initialize, and the mcp::Server that serves them.
//
// Thread-safety: called once from main().
#pragma once

#include <memory>

#include "common/result.h"
#include "ecs/access.h"
#include "ecs/config.h"
#include "mcp/server.h"

namespace ecs_mcp::ecs {

// The instructions sent in the initialize result: what the tools are for and how the
// ALLOW_* switches govern them, derived from the registered tools themselves.
std::string make_instructions(const mcp::ToolRegistry& tools, const AccessPolicy& policy);

Result<std::unique_ptr<mcp::Server>> make_product_server(const Config& config);

}  // namespace ecs_mcp::ecs
