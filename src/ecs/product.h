// Assembles the product: the tools this server offers, their listing notes from the access
// gate, the instructions sent at initialize, and the mcp::Server that serves them.
//
// Thread-safety: called once from main().
#pragma once

#include <memory>

#include "common/result.h"
#include "ecs/access.h"
#include "ecs/aws_context.h"
#include "ecs/config.h"
#include "mcp/server.h"

namespace ecs_mcp::ecs {

// The instructions sent in the initialize result: what the tools are for and how the
// ALLOW_* switches govern them, derived from the registered tools themselves.
std::string make_instructions(const mcp::ToolRegistry& tools, const AccessPolicy& policy);

// `aws_options` lets tests substitute the HTTP client or credentials of every AWS call.
Result<std::unique_ptr<mcp::Server>> make_product_server(const Config& config,
                                                         AwsContextOptions aws_options = {});

// The region of a profile in the shared config files of `os`, for Config's region fallback.
std::optional<std::string> region_of_profile(const Os& os, const std::string& profile);

}  // namespace ecs_mcp::ecs
