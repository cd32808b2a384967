#include "ecs/troubleshooting/image_reference.h"

#include <regex>

namespace ecs_mcp::ecs::troubleshooting {

ImageReference parse_image_reference(const std::string& image) {
  ImageReference ref;
  ref.original = image;
  std::string rest = image;
  if (auto at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  size_t slash = rest.find('/');
  std::string first = slash == std::string::npos ? "" : rest.substr(0, slash);
  if (!first.empty() && (first.find('.') != std::string::npos ||
                         first.find(':') != std::string::npos || first == "localhost")) {
    ref.registry = first;
    rest = rest.substr(slash + 1);
  } else {
    ref.registry = "docker.io";
  }
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && (last_slash == std::string::npos || colon > last_slash)) {
    ref.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  ref.repository = rest;
  if (ref.registry == "docker.io" || ref.registry == "index.docker.io" ||
      ref.registry == "registry-1.docker.io") {
    ref.is_docker_hub = true;
    if (ref.repository.find('/') == std::string::npos) ref.repository = "library/" + ref.repository;
  }
  static const std::regex ecr(
      R"(^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$)");
  std::smatch m;
  if (std::regex_match(ref.registry, m, ecr)) {
    ref.is_ecr = true;
    ref.ecr_account = m[1];
    ref.ecr_region = m[2];
  }
  ref.is_ecr_public = ref.registry == "public.ecr.aws";
  return ref;
}

}  // namespace ecs_mcp::ecs::troubleshooting
