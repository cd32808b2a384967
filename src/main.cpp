// ecs-mcp-server: flags and environment -> Config; wires the parts; nothing else.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ecs/config.h"
#include "ecs/logging.h"
#include "ecs/product.h"
#include "mcp/http_transport.h"
#include "mcp/stdio_transport.h"

int main(int argc, char** argv) {
  using namespace ecs_mcp;
  std::vector<std::string> args(argv + 1, argv + argc);
  const Os& os = *real_os();
  auto config = ecs::load_config(
      args, os, [&os](const std::string& profile) { return ecs::region_of_profile(os, profile); });
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
  int rc = 0;
  if (config->transport == ecs::Config::Transport::kHttp) {
    spdlog::info("{}", config->transport_summary());
    mcp::HttpTransportOptions http;
    http.host = config->http_host;
    http.port = config->http_port;
    http.auth_token = config->auth_token;
    http.allowed_origins = config->allowed_origins;
    http.allow_remote_without_token = config->allow_remote_without_token;
    mcp::HttpTransport transport(**server, http);
    if (auto st = transport.start(); !st.ok()) {
      spdlog::critical("cannot start: {}", st.error().message);
      spdlog::shutdown();
      return 2;
    }
    mcp::HttpTransport::install_signal_handlers(transport);
    rc = transport.run();
  } else {
    mcp::StdioTransport transport(**server, STDIN_FILENO, STDOUT_FILENO);
    mcp::StdioTransport::install_signal_handlers(transport);
    rc = transport.run();
  }
  spdlog::info("exiting");
  spdlog::shutdown();
  // Calls that ignored cancellation must not hold the process open; everything worth
  // writing has been written.
  std::_Exit(rc);
}
