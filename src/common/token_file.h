// The bearer token of an HTTP service (`--auth-token-file FILE`), read the one way both
// ecs-mcp-server and ecs-agent serve read it.
//
// Thread-safety: reads the file system only (through the Os).
#pragma once

#include <string>
#include <vector>

#include "common/os.h"
#include "common/result.h"

namespace ecs_mcp {

// The first line of the file, trimmed. Errors ("UsageError"): unreadable, larger than a token
// file can be (64 KiB), or empty. A file readable by other users adds a warning (chmod 600 it).
Result<std::string> read_token_file(const Os& os, const std::string& path,
                                    std::vector<std::string>& warnings);

}  // namespace ecs_mcp
