// ecs-mcp-server: flags and environment -> Config; wires the parts; nothing else.
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ecs/config.h"
#include "ecs/logging.h"
#include "ecs/product.h"
#include "mcp/stdio_transport.h"

int main(int argc, char** argv) {
  using namespace ecs_mcp;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = ecs::load_config(args, ecs::process_environment(), ecs::region_of_profile);
  if (!config.ok()) {
    std::fprintf(stderr, "ecs-mcp-server: %s\n", config.error().message.c_str());
    return 2;
  }
  if (config->exit_now) {
    std::fputs(config->exit_text.c_str(), stdout);
    return config->exit_code;
  }
  if (auto st = ecs::setup_logging(*config); !st.ok()) {
    std::fprintf(stderr, "ecs-mcp-server: %s\n", st.error().message.c_str());
    return 2;
  }
  for (const auto& w : config->warnings) spdlog::warn("{}", w);
  spdlog::info("{}", config->security_summary());

  auto server = ecs::make_product_server(*config);
  if (!server.ok()) {
    spdlog::critical("cannot start: {}", server.error().describe());
    return 1;
  }
  mcp::StdioTransport transport(**server, STDIN_FILENO, STDOUT_FILENO);
  mcp::StdioTransport::install_signal_handlers(transport);
  int rc = transport.run();
  spdlog::info("exiting");
  spdlog::shutdown();
  // Calls that ignored cancellation must not hold the process open; everything worth
  // writing has been written.
  std::_Exit(rc);
}
