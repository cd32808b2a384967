// containerize_app: looks at an application directory and produces a working container setup
// for it: a multi-stage, non-root Dockerfile on pinned base images with a health check, and a
// .dockerignore, plus what was detected and why.
//
// Access: a read. It calls no AWS API; with write_files it writes only those two files inside
// the app directory the user named (never elsewhere, never over an existing file unless
// overwrite is set), as the AWS Labs server's containerize_app runs without ALLOW_WRITE.
//
// Thread-safety: the handler may run concurrently; it keeps no state.
#pragma once

#include "ecs/deployment/path_safety.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

struct ContainerizeOptions {
  PathPolicy paths;
};

mcp::Tool make_containerize_tool(ContainerizeOptions options = {});

}  // namespace ecs_mcp::ecs
