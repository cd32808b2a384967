// The files of the application being detected, as the detectors may see them: only regular
// files inside the app directory (never through a symlink), read up to 256 KB each, listed a
// few levels deep without descending into dependency or build folders.
//
// Thread-safety: immutable after construction; reads the file system on every call.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ecs_mcp::ecs::detection {

class AppFiles {
 public:
  explicit AppFiles(std::filesystem::path root) : root_(std::move(root)) {}

  // `rel` exists and is not a symlink.
  bool has(const std::string& rel) const;
  // The text of `rel`, or "" when it is missing, a symlink or unreadable.
  std::string read(const std::string& rel) const;
  // Regular files (no symlinks) up to `depth` levels below `dir`, skipping dependency and
  // build folders; paths relative to the root, sorted for stable answers.
  std::vector<std::string> files(const std::string& dir, int depth,
                                 const std::function<bool(const std::string&)>& want) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  void walk(const std::filesystem::path& dir, int depth,
            const std::function<bool(const std::string&)>& want,
            std::vector<std::string>& out) const;

  std::filesystem::path root_;
};

}  // namespace ecs_mcp::ecs::detection
