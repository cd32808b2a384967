// The bearer token of an HTTP service (`--auth-token-file FILE`), read the one way both
// ecs-mcp-server and ecs-agent serve read it.
//
// Thread-safety: reads the file system only.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp {

// The first line of the file, trimmed. Errors ("UsageError"): unreadable or empty. A file
// readable by other users adds a warning (chmod 600 it).
Result<std::string> read_token_file(const std::string& path, std::vector<std::string>& warnings);

}  // namespace ecs_mcp
