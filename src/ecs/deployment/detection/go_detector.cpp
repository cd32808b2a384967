// Go: go.mod; a main package at the root or under cmd/<name>.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

Result<AppProfile> detect_go(const AppFiles& f, const Toolchains& toolchains, int override_port) {
  AppProfile p;
  p.runtime = "go";
  p.package_manager = "go-modules";
  std::string gomod = f.read("go.mod");
  p.evidence.push_back("runtime Go: go.mod");
  std::string wanted = first_match(gomod, "\ngo", [](Cursor& c, size_t) {
    if (c.spaces().empty() || !c.literal("1.")) return std::string();
    auto minor = c.digits();
    return minor.empty() ? std::string() : "1." + std::string(minor);
  });
  if (!wanted.empty()) p.evidence.push_back("Go " + wanted + ": the go directive in go.mod");
  std::string version = toolchains.get("go").pick(wanted).version;
  std::string target, main_file;
  if (f.has("main.go")) {
    target = ".";
    main_file = "main.go";
  } else {
    auto mains = f.files("cmd", 1, [](const std::string& r) { return r.ends_with("/main.go"); });
    if (!mains.empty()) {
      main_file = mains.front();
      target = "./" + main_file.substr(0, main_file.rfind('/'));
    }
  }
  if (target.empty())
    return make_error(ErrorCode::kUnknownApplication,
                      "a Go module without main.go or cmd/<name>/main.go");
  p.entry_point = target;
  p.evidence.push_back("entry point " + target + ": " + main_file);
  p.framework = "net/http";
  for (const auto& [mod, name] :
       std::vector<std::pair<std::string, std::string>>{{"github.com/gin-gonic/gin", "gin"},
                                                        {"github.com/labstack/echo", "echo"},
                                                        {"github.com/gofiber/fiber", "fiber"},
                                                        {"github.com/go-chi/chi", "chi"}}) {
    if (gomod.find(mod) != std::string::npos) {
      p.framework = name;
      p.evidence.push_back("framework " + name + ": " + mod + " in go.mod");
      break;
    }
  }
  if (auto port = port_in_source(f.read(main_file))) {
    set_port(p, *port, "found in " + main_file, override_port);
  } else {
    set_port(p, 8080, "the conventional port (nothing found in " + main_file + ")", override_port);
  }
  p.dockerfile_template = "dockerfile/go.Dockerfile";
  p.template_values = {{"GO_VERSION", version},
                       {"MANIFESTS", f.has("go.sum") ? "go.mod go.sum" : "go.mod"},
                       {"BUILD_TARGET", target},
                       {"ALPINE_VERSION", toolchains.get("alpine").version()}};
  p.extra_ignores = {"bin", "*.test", "coverage.out"};
  return p;
}

class GoDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override { return f.has("go.mod"); }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    return detect_go(f, toolchains, override_port);
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_go_detector() { return std::make_unique<GoDetector>(); }

}  // namespace ecs_mcp::ecs::detection
