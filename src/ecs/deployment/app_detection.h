// What kind of application a directory holds, read from its files: runtime, framework,
// package manager, entry point and listening port, each with the evidence that decided it,
// plus what the Dockerfile generator needs to build and start it.
//
// Detection reads only small manifest and source files near the top of the app (never
// follows symlinks out of it) and runs nothing.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::ecs {

struct AppProfile {
  std::string runtime;          // node, python, go, java, ruby, dotnet, static
  std::string framework;        // express, nextjs, nestjs, flask, django, fastapi, spring-boot,
                                // rails, rack, aspnet-core, none
  std::string package_manager;  // npm, yarn, pnpm, pip, poetry, uv, go-modules, maven, gradle,
                                // bundler, dotnet, none
  std::string entry_point;      // a file, module:object, main package or project file
  int port = 8080;
  std::string port_source;              // why this port
  std::string health_check_path = "/";  // what the load balancer should probe
  std::vector<std::string> evidence;    // one line per decision, for the user
  std::vector<std::string> warnings;    // guesses the user should check
  // Values for the Dockerfile template (placeholder name -> value).
  std::map<std::string, std::string> template_values;
  std::string dockerfile_template;         // templates/dockerfile/<name>
  std::vector<std::string> extra_ignores;  // .dockerignore lines for this runtime
};

// Detects the app in `app_dir` (an existing, already vetted directory). `port_override` > 0
// replaces the detected port. Fails with "UnknownApplication" naming what was looked for.
Result<AppProfile> detect_application(const std::filesystem::path& app_dir, int port_override = 0);

}  // namespace ecs_mcp::ecs
