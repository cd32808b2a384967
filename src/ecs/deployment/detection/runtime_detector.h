// One detector per runtime (Node.js, Python, Go, Java, Ruby, .NET, static site): whether the
// app's files are its kind of project, and if so the AppProfile for it, with the toolchain
// versions taken from the pinned table.
//
// detect_application() asks the detectors in a fixed order and uses the first that claims the
// app; a detector may still fail (UnknownApplication) when the project is its kind but lacks
// what is needed to run it.
//
// Thread-safety: detectors are stateless; any number of threads may use one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/deployment/app_detection.h"
#include "ecs/deployment/detection/app_files.h"
#include "ecs/deployment/detection/toolchains.h"

namespace ecs_mcp::ecs::detection {

class RuntimeDetector {
 public:
  virtual ~RuntimeDetector() = default;
  // Whether the app is this runtime's kind of project (its manifest is there).
  virtual bool claims(const AppFiles& files) const = 0;
  // The profile; `port_override` > 0 replaces the detected port where the runtime allows it.
  virtual Result<AppProfile> detect(const AppFiles& files, const Toolchains& toolchains,
                                    int port_override) const = 0;
};

std::unique_ptr<RuntimeDetector> make_node_detector();
std::unique_ptr<RuntimeDetector> make_python_detector();
std::unique_ptr<RuntimeDetector> make_go_detector();
std::unique_ptr<RuntimeDetector> make_java_detector();
std::unique_ptr<RuntimeDetector> make_ruby_detector();
std::unique_ptr<RuntimeDetector> make_dotnet_detector();
std::unique_ptr<RuntimeDetector> make_static_detector();

// What the detectors share.

// Records the port: `override_port` when positive, else `detected` because of `source`.
void set_port(AppProfile& p, int detected, const std::string& source, int override_port);

// A JSON array of strings written as a Dockerfile exec form: ["node", "server.js"].
std::string exec_form(const std::vector<std::string>& argv);

// A static site served by nginx-unprivileged on 8080: the port, its evidence, and a warning
// when the port argument asked for another.
void serve_with_nginx(AppProfile& p, const Toolchains& toolchains, int override_port);

}  // namespace ecs_mcp::ecs::detection
