#include "ecs/deployment/container_image.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace ecs_mcp::ecs {

namespace fs = std::filesystem;

namespace {

std::string last_lines(const std::string& text, size_t n) {
  size_t pos = text.size();
  for (size_t i = 0; i < n && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  return text.substr(pos == 0 ? 0 : pos + 1);
}

// A private temporary directory (mkdtemp: a fresh name, mode 0700 from the start), removed when
// this goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ecs-mcp-auth-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Creates `file` with mode 0600 (never an existing file or a link planted in its place) and
// writes `content` to it.
Status write_private_file(const fs::path& file, const std::string& content) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return make_error(ErrorCode::kBuildFailed,
                      "cannot create " + file.string() + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return make_error(ErrorCode::kBuildFailed,
                        "cannot write " + file.string() + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return make_error(ErrorCode::kBuildFailed, "cannot write " + file.string());
  return Status::Ok();
}

}  // namespace

Result<ContainerTool> find_container_tool(const std::vector<std::string>& candidates) {
  std::vector<std::string> names =
      candidates.empty() ? std::vector<std::string>{"docker", "finch", "podman", "buildah"}
                         : candidates;
  std::string why;
  for (const auto& name : names) {
    auto path = find_in_path(name);
    if (!path) {
      why += "\n  - " + name + ": not installed";
      continue;
    }
    if (name == "docker" || name == "finch") {
      ProcessOptions o;
      o.timeout = std::chrono::seconds(20);
      auto info = run_process({name, "info"}, o);
      if (!info.ok() || info->exit_code != 0) {
        std::string detail = info.ok() ? last_lines(info->output_tail, 2) : info.error().message;
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r'))
          detail.pop_back();
        why += "\n  - " + name + ": installed but its engine does not answer (`" + name +
               " info`: " + detail + ")";
        continue;
      }
    }
    return ContainerTool{name, *path};
  }
  return make_error(
      ErrorCode::kNotFound,
      "no usable container tool to build the image; tried:" + why +
          "\nInstall and start Docker, Finch or Podman (or install buildah), or build and push the "
          "image yourself and pass its URI as image_uri.");
}

Status build_and_push_image(const ContainerTool& tool, const std::string& app_dir,
                            const std::string& image_ref, const RegistryAuth& auth,
                            const ImageBuildOptions& options) {
  TempDir dir;
  if (dir.path().empty())
    return make_error(ErrorCode::kBuildFailed,
                      "cannot create a temporary directory for registry credentials");
  fs::path auth_file = dir.path() / "config.json";
  nlohmann::json config{{"auths", {{auth.registry, {{"auth", auth.basic_token}}}}}};
  ECS_MCP_RETURN_IF_ERROR(write_private_file(auth_file, config.dump()));

  ProcessOptions po;
  po.cancelled = options.cancelled;
  po.on_line = options.on_line;
  po.timeout = options.build_timeout;
  po.extra_env = options.tool_environment;
  std::vector<std::string> build, push;
  if (tool.name == "docker" || tool.name == "finch") {
    po.extra_env["DOCKER_CONFIG"] = dir.path().string();
    build = {tool.name, "build", "--platform", options.platform, "-t", image_ref, app_dir};
    push = {tool.name, "push", image_ref};
  } else if (tool.name == "podman") {
    build = {tool.name, "build", "--platform", options.platform, "-t", image_ref, app_dir};
    push = {tool.name, "push", "--authfile", auth_file.string(), image_ref};
  } else {
    build = {tool.name, "bud", "--platform", options.platform, "-t", image_ref, app_dir};
    push = {tool.name,          "push",    "--authfile",
            auth_file.string(), image_ref, "docker://" + image_ref};
  }
  auto b = run_process(build, po);
  if (!b.ok()) return b.error();
  if (b->exit_code != 0) {
    return make_error(ErrorCode::kBuildFailed, tool.name + " build failed (exit " +
                                                   std::to_string(b->exit_code) + "):\n" +
                                                   last_lines(b->output_tail, 25));
  }
  auto p = run_process(push, po);
  if (!p.ok()) return p.error();
  if (p->exit_code != 0) {
    return make_error(ErrorCode::kPushFailed, tool.name + " push to " + auth.registry +
                                                  " failed (exit " + std::to_string(p->exit_code) +
                                                  "):\n" + last_lines(p->output_tail, 15));
  }
  return Status::Ok();
}

}  // namespace ecs_mcp::ecs
