// Process logging: spdlog to stderr or a file, never to stdout (which carries the protocol).
#pragma once

#include "common/result.h"
#include "ecs/config.h"

namespace ecs_mcp::ecs {

Status setup_logging(const Config& config);

}  // namespace ecs_mcp::ecs
