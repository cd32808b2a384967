// Process logging: spdlog to stderr or a file, never to stdout (which carries the protocol).
//
// The one logging path: every message, from any layer, is sanitized on its way to the sink
// (control characters escaped, credentials masked), so text a client or a remote server
// supplied cannot forge log lines or leak secrets into the log.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "ecs/config.h"

namespace ecs_mcp::ecs {

Status setup_logging(const Config& config);

// What the log keeps of `text`: known secret formats masked, then control characters escaped.
std::string sanitize_log_text(std::string_view text);

}  // namespace ecs_mcp::ecs
