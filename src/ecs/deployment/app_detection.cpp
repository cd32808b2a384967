#include "ecs/deployment/app_detection.h"

#include <memory>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"

namespace ecs_mcp::ecs {

namespace {

// In order of precedence: a project with a server-side manifest is never taken for a static
// site because it also has an index.html.
const std::vector<std::unique_ptr<detection::RuntimeDetector>>& detectors() {
  static const auto all = [] {
    std::vector<std::unique_ptr<detection::RuntimeDetector>> d;
    d.push_back(detection::make_node_detector());
    d.push_back(detection::make_python_detector());
    d.push_back(detection::make_go_detector());
    d.push_back(detection::make_java_detector());
    d.push_back(detection::make_ruby_detector());
    d.push_back(detection::make_dotnet_detector());
    d.push_back(detection::make_static_detector());
    return d;
  }();
  return all;
}

}  // namespace

Result<AppProfile> detect_application(const std::filesystem::path& app_dir, int port_override) {
  ECS_MCP_ASSIGN_OR_RETURN(const auto& toolchains, detection::load_toolchains());
  detection::AppFiles files(app_dir);
  for (const auto& detector : detectors()) {
    if (!detector->claims(files)) continue;
    auto r = detector->detect(files, toolchains, port_override);
    if (r.ok()) {
      r->template_values["PORT"] = std::to_string(r->port);
      r->template_values["HEALTH_CHECK_PATH"] = r->health_check_path;
      if (!r->template_values.count("PACKAGE_MANAGER")) {
        r->template_values["PACKAGE_MANAGER"] = r->package_manager;
      }
    }
    return r;
  }
  return make_error(
      ErrorCode::kUnknownApplication,
      "could not recognise the application in " + app_dir.string() +
          ": looked for package.json (Node.js), pyproject.toml/requirements.txt (Python), go.mod "
          "(Go), pom.xml/build.gradle (Java), Gemfile (Ruby), *.csproj (.NET) and index.html "
          "(static site)");
}

}  // namespace ecs_mcp::ecs
