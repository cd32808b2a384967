// Building an app's image and pushing it to ECR with whichever container tool is present:
// docker, finch, podman or buildah (in that order of preference; docker and finch only when
// their engine answers). Registry credentials go to the tool through a temporary auth file,
// never on a command line and never into the user's own Docker configuration.
//
// Thread-safety: free functions; each call uses its own temporary directory.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/deployment/process.h"

namespace ecs_mcp::ecs {

struct ContainerTool {
  std::string name;  // docker, finch, podman, buildah
  std::string path;
};

// The first usable tool, or NotFound listing what was tried and why each was unusable.
// `candidates` defaults to docker, finch, podman, buildah.
Result<ContainerTool> find_container_tool(const std::vector<std::string>& candidates = {});

struct RegistryAuth {
  std::string registry;     // host[:port], e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com
  std::string basic_token;  // base64("user:password"), as ECR's GetAuthorizationToken returns it
};

struct ImageBuildOptions {
  std::string platform = "linux/amd64";  // what the task definition runs
  std::function<bool()> cancelled;
  std::function<void(const std::string& line)> on_line;
  std::chrono::milliseconds build_timeout{std::chrono::minutes(30)};
  // Added to the container tool's environment for this build and push only: the tools' own
  // configuration, e.g. CONTAINERS_STORAGE_CONF (storage driver and location),
  // CONTAINERS_REGISTRIES_CONF (a plain-HTTP registry marked insecure), BUILDAH_ISOLATION,
  // DOCKER_HOST. Empty: the user's configuration as it is.
  std::map<std::string, std::string> tool_environment;
};

// Builds `app_dir` (its Dockerfile) as `image_ref` and pushes it with `auth`.
Status build_and_push_image(const ContainerTool& tool, const std::string& app_dir,
                            const std::string& image_ref, const RegistryAuth& auth,
                            const ImageBuildOptions& options);

}  // namespace ecs_mcp::ecs
