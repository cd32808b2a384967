#include "ecs/deployment/detection/app_files.h"

#include <algorithm>
#include <system_error>

#include "ecs/deployment/path_safety.h"

namespace ecs_mcp::ecs::detection {

namespace fs = std::filesystem;

bool AppFiles::has(const std::string& rel) const {
  std::error_code ec;
  auto st = fs::symlink_status(root_ / rel, ec);
  return !ec && fs::exists(st) && !fs::is_symlink(st);
}

std::string AppFiles::read(const std::string& rel) const {
  if (!has(rel)) return "";
  return read_text_file(root_ / rel, 256 * 1024).value_or("");
}

std::vector<std::string> AppFiles::files(
    const std::string& dir, int depth, const std::function<bool(const std::string&)>& want) const {
  std::vector<std::string> out;
  walk(dir.empty() ? root_ : root_ / dir, depth, want, out);
  std::sort(out.begin(), out.end());
  return out;
}

void AppFiles::walk(const fs::path& dir, int depth,
                    const std::function<bool(const std::string&)>& want,
                    std::vector<std::string>& out) const {
  static const std::vector<std::string> kSkip = {
      "node_modules", ".git", "venv", "__pycache__", ".venv", "target", "build",
      "dist",         "bin",  "obj",  "vendor",      ".next", "tmp",    "log"};
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto st = it->symlink_status(ec);
    if (ec || fs::is_symlink(st)) continue;
    std::string name = it->path().filename().string();
    if (fs::is_directory(st)) {
      if (depth > 0 && std::find(kSkip.begin(), kSkip.end(), name) == kSkip.end() &&
          name[0] != '.') {
        walk(it->path(), depth - 1, want, out);
      }
    } else if (fs::is_regular_file(st)) {
      std::string rel = it->path().lexically_relative(root_).generic_string();
      if (want(rel)) out.push_back(rel);
    }
  }
}

}  // namespace ecs_mcp::ecs::detection
