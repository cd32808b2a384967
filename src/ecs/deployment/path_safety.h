// Where the deployment tools may read and write on the local disk.
//
// An app path from the assistant is resolved (made absolute, `..` and symlinks followed) and
// refused when it is, is inside, or contains a directory holding credentials or system
// configuration (~/.aws, ~/.ssh, ~/.kube, ~/.gnupg, ~/.docker, ~/.config/gcloud, /etc, /root,
// /proc, /sys, /dev, /boot, /var/run, ...) or is the home or root directory itself. Files are
// written only below the resolved app directory, never through a symlink.
//
// Thread-safety: pure functions over the file system; no shared state.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::ecs {

struct PathPolicy {
  // The home directory whose credential folders are protected; empty: $HOME.
  std::filesystem::path home;
};

// The canonical app directory for `path`, or an Error saying why it is refused
// ("InvalidPath", "SensitivePath", "NotFound").
Result<std::filesystem::path> resolve_app_directory(const std::string& path,
                                                    const PathPolicy& policy = {});

// The canonical path of an existing file the caller names (a template to compare, say),
// refused on the same grounds as an app directory.
Result<std::filesystem::path> resolve_input_file(const std::string& path,
                                                 const PathPolicy& policy = {});

// The sensitive locations for `policy`, for messages and tests.
std::vector<std::filesystem::path> sensitive_locations(const PathPolicy& policy = {});

// Writes `content` to `app_dir/relative` (creating directories below app_dir). app_dir is
// resolved and vetted again against `policy` (it may have been swapped for a link since it was
// vetted), then opened, and every directory below it, without following any symlink. Refuses a
// relative path that is absolute, climbs out or names no file, and a symlink anywhere on the
// way or at the target, even one pointing inside the app ("InvalidPath"). The content goes to a
// new file under a random name (O_EXCL, never through a planted link), is synced, then renamed
// over the target. With `overwrite` false an existing file is left alone and "AlreadyExists"
// returned.
Status write_file_in_app(const std::filesystem::path& app_dir, const std::string& relative,
                         const std::string& content, bool overwrite, const PathPolicy& policy = {});

// Reads a regular file, at most its first `max_bytes` (read_regular_file: never blocks on a
// FIFO or device); nullopt when it cannot be read or is not a regular file.
std::optional<std::string> read_text_file(const std::filesystem::path& file,
                                          size_t max_bytes = 1 << 20);

}  // namespace ecs_mcp::ecs
