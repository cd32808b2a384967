// An application directory as a user's repository holds it. The input is a sequence of files:
// one byte choosing a well-known name (a manifest, lock file or entry point the detectors
// read), then the content up to the next "\n@@\n". Detection must never throw, and what it
// reports must be usable to build a Dockerfile.
#include "ecs/deployment/app_detection.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;
using namespace ecs_mcp::ecs;

namespace {

constexpr const char* kNames[] = {"package.json",
                                  "package-lock.json",
                                  "yarn.lock",
                                  "pnpm-lock.yaml",
                                  ".yarnrc.yml",
                                  "index.js",
                                  "server.js",
                                  "app.js",
                                  "index.mjs",
                                  "server.mjs",
                                  "src/index.js",
                                  "src/server.js",
                                  "src/app.js",
                                  "src/main.ts",
                                  "dist/main.js",
                                  "requirements.txt",
                                  "pyproject.toml",
                                  "Pipfile",
                                  "poetry.lock",
                                  "uv.lock",
                                  ".python-version",
                                  "app.py",
                                  "main.py",
                                  "server.py",
                                  "wsgi.py",
                                  "manage.py",
                                  "myproj/wsgi.py",
                                  "go.mod",
                                  "main.go",
                                  "cmd/server/main.go",
                                  "pom.xml",
                                  "build.gradle",
                                  "build.gradle.kts",
                                  "src/main/resources/application.properties",
                                  "src/main/resources/application.yml",
                                  "src/main/resources/application.yaml",
                                  "Gemfile",
                                  "Gemfile.lock",
                                  "config.ru",
                                  "config/application.rb",
                                  "config/routes.rb",
                                  "App.csproj",
                                  "Program.cs",
                                  "appsettings.json",
                                  "index.html",
                                  "public/index.html",
                                  "Dockerfile",
                                  ".nvmrc",
                                  "node_modules/x/package.json",
                                  "toolchains.json"};
constexpr size_t kNameCount = sizeof(kNames) / sizeof(kNames[0]);

fs::path app_root() {
  static fs::path root = [] {
    const char* shm = "/dev/shm";
    char tmpl[64];
    std::snprintf(tmpl, sizeof tmpl, "%s/fuzz-app-XXXXXX", fs::is_directory(shm) ? shm : "/tmp");
    return fs::path(::mkdtemp(tmpl));
  }();
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fs::path root = app_root();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec)) fs::remove_all(e.path(), ec);

  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const char* name = kNames[static_cast<unsigned char>(text.front()) % kNameCount];
    text.remove_prefix(1);
    size_t end = text.find("\n@@\n");
    std::string_view content = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 4);
    fs::path file = root / name;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream(file, std::ios::binary | std::ios::app).write(content.data(), content.size());
  }

  auto profile = detect_application(root);
  if (!profile.ok()) {
    if (profile.error().message.empty()) __builtin_trap();
    return 0;
  }
  if (profile->runtime.empty() || profile->dockerfile_template.empty()) __builtin_trap();
  if (profile->port <= 0 || profile->port > 65535) __builtin_trap();
  // Values go into a Dockerfile: a line break would start a new instruction.
  for (const auto& [key, value] : profile->template_values) {
    if (value.find_first_of("\r\n") != std::string::npos) __builtin_trap();
  }
  return 0;
}
