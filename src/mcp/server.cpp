#include "mcp/server.h"

namespace ecs_mcp::mcp {

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> versions{"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

Server::Server(ServerInfo info, ToolRegistry tools, CallGuard guard, ServerOptions options,
               ServerCatalog catalog)
    : info_(std::move(info)),
      tools_(std::move(tools)),
      guard_(std::move(guard)),
      options_(options),
      catalog_(std::move(catalog)),
      workers_(options.max_workers),
      long_running_workers_(options.max_long_running_workers) {}

}  // namespace ecs_mcp::mcp
