// Renders the Dockerfile and .dockerignore for a detected application from the embedded
// templates (templates/dockerfile/*). Placeholders: `{{NAME}}` is replaced; a line starting
// with `{{?NAME}}` is kept only when NAME has a value, one starting with `{{!NAME}}` only when
// it has none.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "ecs/deployment/app_detection.h"

namespace ecs_mcp::ecs {

// Fills `text`'s placeholders from `values`; an unknown placeholder is an error, so a template
// and its detector cannot silently drift apart.
Result<std::string> render_template(std::string_view text,
                                    const std::map<std::string, std::string>& values);

struct ContainerFiles {
  std::string dockerfile;
  std::string dockerignore;
};

Result<ContainerFiles> generate_container_files(const AppProfile& profile);

}  // namespace ecs_mcp::ecs
