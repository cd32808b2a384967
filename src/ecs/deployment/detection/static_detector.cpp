// A static site: index.html at the root or in public/, served by nginx.
#include <string>

#include "ecs/deployment/detection/runtime_detector.h"

namespace ecs_mcp::ecs::detection {

namespace {

AppProfile detect_static(const std::string& site_dir, const Toolchains& toolchains,
                         int override_port) {
  AppProfile p;
  p.runtime = "static";
  p.framework = "none";
  p.package_manager = "none";
  p.entry_point = (site_dir == "." ? "" : site_dir + "/") + "index.html";
  p.evidence.push_back("a static site: " + p.entry_point + " and no server-side project files");
  p.dockerfile_template = "dockerfile/static.Dockerfile";
  p.template_values = {{"SITE_DIR", site_dir}, {"PACKAGE_MANAGER", "none"}};
  serve_with_nginx(p, toolchains, override_port);
  return p;
}

class StaticDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override {
    return f.has("index.html") || f.has("public/index.html");
  }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_static(f.has("index.html") ? "." : "public", toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_static_detector() {
  return std::make_unique<StaticDetector>();
}

}  // namespace ecs_mcp::ecs::detection
