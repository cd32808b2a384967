// .NET: a *.csproj or *.fsproj up to two levels down; ASP.NET Core or a console app.
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ecs/deployment/detection/runtime_detector.h"
#include "ecs/deployment/detection/text_scan.h"

namespace ecs_mcp::ecs::detection {

namespace {

using nlohmann::json;

Result<AppProfile> detect_dotnet(const AppFiles& f, const Toolchains& toolchains,
                                 const std::string& project, int override_port) {
  AppProfile p;
  p.runtime = "dotnet";
  p.package_manager = "dotnet";
  std::string text = f.read(project);
  p.evidence.push_back("runtime .NET: " + project);
  std::string tfm = first_match(text, "<TargetFramework>net", [](Cursor& c, size_t) {
    std::string v = c.major_minor();
    return c.literal("</TargetFramework>") ? v : std::string();
  });
  if (!tfm.empty()) p.evidence.push_back(".NET " + tfm + ": TargetFramework in " + project);
  const Toolchain& dotnet = toolchains.get("dotnet");
  const ToolchainLine& net = dotnet.pick(tfm);
  if (!tfm.empty() && !dotnet.has_line(tfm)) {
    p.warnings.push_back(".NET " + tfm + " requested; the Dockerfile uses .NET " +
                         dotnet.default_line.substr(0, dotnet.default_line.find('.')) +
                         " (LTS), rolling the app forward to it; retarget the project to net" +
                         dotnet.default_line + " when you can");
  }
  std::string assembly = first_match(text, "<AssemblyName>", [&](Cursor& c, size_t) {
    size_t close = text.find('<', c.at());
    if (close == std::string::npos || close == c.at()) return std::string();
    std::string name = text.substr(c.at(), close - c.at());
    return Cursor(text, close).literal("</AssemblyName>") ? name : std::string();
  });
  if (assembly.empty()) assembly = std::filesystem::path(project).stem().string();
  p.entry_point = assembly + ".dll";
  if (text.find("Microsoft.NET.Sdk.Web") != std::string::npos) {
    p.framework = "aspnet-core";
    p.evidence.push_back("framework ASP.NET Core: Sdk=\"Microsoft.NET.Sdk.Web\"");
  } else {
    p.framework = "none";
    p.warnings.push_back(
        "not an ASP.NET Core project: nothing may listen for the load balancer's health checks");
  }
  set_port(p, 8080, "the ASP.NET Core container default (ASPNETCORE_HTTP_PORTS)", override_port);
  p.dockerfile_template = "dockerfile/dotnet.Dockerfile";
  p.template_values = {{"DOTNET_SDK_VERSION", net.sdk},
                       {"DOTNET_RUNTIME_VERSION", net.version},
                       {"PROJECT_FILE", project},
                       {"ASSEMBLY_NAME", assembly},
                       {"FRAMEWORK_LABEL", p.framework == "aspnet-core" ? "ASP.NET Core" : ".NET"}};
  p.extra_ignores = {"bin", "obj", "*.user", "TestResults"};
  return p;
}

std::vector<std::string> project_files(const AppFiles& f) {
  return f.files(
      "", 2, [](const std::string& s) { return s.ends_with(".csproj") || s.ends_with(".fsproj"); });
}

class DotnetDetector : public RuntimeDetector {
 public:
  bool claims(const AppFiles& f) const override { return !project_files(f).empty(); }
  Result<AppProfile> detect(const AppFiles& f, const Toolchains& toolchains,
                            int override_port) const override {
    auto projects = project_files(f);
    if (projects.empty())
      return make_error(ErrorCode::kUnknownApplication, "no *.csproj or *.fsproj");
    // Prefer a web project; then the shallowest.
    std::string chosen = projects.front();
    for (const auto& pr : projects) {
      if (f.read(pr).find("Microsoft.NET.Sdk.Web") != std::string::npos) {
        chosen = pr;
        break;
      }
    }
    auto r = detect_dotnet(f, toolchains, chosen, override_port);
    if (r.ok() && projects.size() > 1)
      r->warnings.push_back("several projects found; using " + chosen);
    return r;
  }
};

}  // namespace

std::unique_ptr<RuntimeDetector> make_dotnet_detector() {
  return std::make_unique<DotnetDetector>();
}

}  // namespace ecs_mcp::ecs::detection
