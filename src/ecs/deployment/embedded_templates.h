// The files under templates/ (Dockerfiles, .dockerignore, CloudFormation), compiled into the
// binary by a CMake step (src/ecs/CMakeLists.txt), looked up by their path below templates/.
//
// Thread-safety: immutable data; safe to read from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecs_mcp::ecs {

struct EmbeddedTemplate {
  std::string_view name;  // "cloudformation/ecs.json", "dockerfile/node.Dockerfile"
  std::string_view text;
};

const std::vector<EmbeddedTemplate>& embedded_templates();

// The text of templates/<name>, or nullopt when there is no such template.
inline std::optional<std::string_view> find_template(std::string_view name) {
  for (const auto& t : embedded_templates()) {
    if (t.name == name) return t.text;
  }
  return std::nullopt;
}

}  // namespace ecs_mcp::ecs
