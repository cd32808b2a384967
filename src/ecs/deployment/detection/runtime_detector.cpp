#include "ecs/deployment/detection/runtime_detector.h"

#include <nlohmann/json.hpp>

namespace ecs_mcp::ecs::detection {

void set_port(AppProfile& p, int detected, const std::string& source, int override_port) {
  if (override_port > 0) {
    p.port = override_port;
    p.port_source = "the port argument";
  } else {
    p.port = detected;
    p.port_source = source;
  }
  p.evidence.push_back("port " + std::to_string(p.port) + ": " + p.port_source);
}

std::string exec_form(const std::vector<std::string>& argv) { return nlohmann::json(argv).dump(); }

void serve_with_nginx(AppProfile& p, const Toolchains& toolchains, int override_port) {
  p.port = 8080;
  p.port_source = "nginx-unprivileged serves on 8080";
  p.evidence.push_back("port 8080: " + p.port_source);
  if (override_port > 0 && override_port != 8080) {
    p.warnings.push_back("the site is served by nginx on 8080; the port argument was not applied");
  }
  p.template_values["NGINX_VERSION"] = toolchains.get("nginx-unprivileged").version();
}

}  // namespace ecs_mcp::ecs::detection
