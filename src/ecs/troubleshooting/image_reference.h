// Container image references as task definitions write them, split into registry,
// repository, tag and digest, with ECR's account and region recognised.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace ecs_mcp::ecs::troubleshooting {

struct ImageReference {
  std::string original;
  std::string registry;    // "docker.io" when the reference names none
  std::string repository;  // "library/nginx", "team/web"
  std::string tag;         // "latest" when neither tag nor digest is given
  std::string digest;      // "sha256:..." or ""
  bool is_ecr = false;     // <account>.dkr.ecr.<region>.amazonaws.com[.cn]
  std::string ecr_account;
  std::string ecr_region;
  bool is_ecr_public = false;  // public.ecr.aws
  bool is_docker_hub = false;
};

ImageReference parse_image_reference(const std::string& image);

}  // namespace ecs_mcp::ecs::troubleshooting
