// Paths as an assistant passes them to the deployment tools: the first line is resolved as an
// app directory and as an input file, the second is written below a prepared app directory.
// A sandbox home holds credential folders, and the app holds symlinks pointing at them.
#include "ecs/deployment/path_safety.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;
using namespace ecs_mcp::ecs;

namespace {

struct Sandbox {
  fs::path root;
  fs::path app;
  PathPolicy policy;
  std::set<std::string> seeded;  // what the app directory holds before each run

  Sandbox() {
    char tmpl[] = "/tmp/fuzz-path-safety-XXXXXX";
    root = fs::path(::mkdtemp(tmpl));
    policy.home = root / "home";
    app = policy.home / "app";
    fs::create_directories(policy.home / ".aws");
    fs::create_directories(policy.home / ".ssh");
    fs::create_directories(app / "src");
    fs::create_symlink(policy.home / ".aws", app / "aws-link");
    fs::create_symlink("../..", app / "src" / "up");
    fs::create_symlink("/etc/passwd", app / "passwd");
    for (const auto& e : fs::directory_iterator(app)) seeded.insert(e.path().filename());
    fs::current_path(app);  // relative inputs resolve from inside the app
  }

  void reset() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(app, ec)) {
      if (!seeded.count(e.path().filename())) fs::remove_all(e.path(), ec);
    }
  }
};

bool within(const fs::path& inner, const fs::path& outer) {
  auto rel = inner.lexically_relative(outer);
  return !rel.empty() && *rel.begin() != "..";
}

void check_resolved(const fs::path& resolved, const Sandbox& box) {
  if (!resolved.is_absolute() || resolved != resolved.lexically_normal()) __builtin_trap();
  for (const auto& s : sensitive_locations(box.policy)) {
    std::error_code ec;
    fs::path canon = fs::weakly_canonical(s, ec);
    if (!ec && within(resolved, canon)) __builtin_trap();  // a refused place was accepted
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Sandbox box;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string path(text.substr(0, nl));
  std::string relative(nl == std::string_view::npos ? "" : text.substr(nl + 1));

  if (auto dir = resolve_app_directory(path, box.policy); dir.ok()) check_resolved(*dir, box);
  if (auto file = resolve_input_file(path, box.policy); file.ok()) check_resolved(*file, box);

  if (!relative.empty()) {
    auto status = write_file_in_app(box.app, relative, "x", true, box.policy);
    if (status.ok()) {
      // Written below the app, never through a link.
      // A trailing separator is ignored: "dir/" names the file "dir".
      fs::path target = (box.app / relative).lexically_normal();
      if (!target.has_filename()) target = target.parent_path();
      std::error_code ec;
      if (fs::is_symlink(target, ec)) __builtin_trap();
      fs::path canon = fs::canonical(target, ec);
      if (ec || !within(canon, fs::canonical(box.app))) __builtin_trap();
    }
    box.reset();
  }
  return 0;
}
