#include "ecs/deployment/dockerfile.h"

#include <sstream>

#include "ecs/deployment/embedded_templates.h"

namespace ecs_mcp::ecs {

namespace {

Result<std::string> substitute(const std::string& line,
                               const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = line.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = line.find("}}", open);
    if (close == std::string::npos) break;
    out.append(line, pos, open - pos);
    std::string name = line.substr(open + 2, close - open - 2);
    auto it = values.find(name);
    if (it == values.end())
      return make_error(ErrorCode::kTemplateError, "no value for placeholder {{" + name + "}}");
    out += it->second;
    pos = close + 2;
  }
  out.append(line, pos, std::string::npos);
  return out;
}

}  // namespace

Result<std::string> render_template(std::string_view text,
                                    const std::map<std::string, std::string>& values) {
  std::istringstream in{std::string(text)};
  std::string line, out;
  auto value_of = [&](const std::string& name) {
    auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  };
  while (std::getline(in, line)) {
    if (line.rfind("{{?", 0) == 0 || line.rfind("{{!", 0) == 0) {
      size_t close = line.find("}}");
      if (close == std::string::npos)
        return make_error(ErrorCode::kTemplateError, "unclosed marker in: " + line);
      bool want_value = line[2] == '?';
      bool has = !value_of(line.substr(3, close - 3)).empty();
      if (has != want_value) continue;
      line = line.substr(close + 2);
    }
    ECS_MCP_ASSIGN_OR_RETURN(auto s, substitute(line, values));
    out += s;
    out += '\n';
  }
  return out;
}

Result<ContainerFiles> generate_container_files(const AppProfile& profile) {
  auto dockerfile_text = find_template(profile.dockerfile_template);
  auto ignore_text = find_template("dockerfile/dockerignore");
  if (!dockerfile_text || !ignore_text) {
    return make_error(ErrorCode::kTemplateError,
                      "template " + profile.dockerfile_template + " is not built in");
  }
  ContainerFiles files;
  ECS_MCP_ASSIGN_OR_RETURN(auto d, render_template(*dockerfile_text, profile.template_values));
  files.dockerfile = std::move(d);
  std::string extra;
  for (const auto& e : profile.extra_ignores) extra += e + "\n";
  if (!extra.empty()) extra.pop_back();
  ECS_MCP_ASSIGN_OR_RETURN(auto i, render_template(*ignore_text, {{"EXTRA_IGNORES", extra}}));
  files.dockerignore = std::move(i);
  return files;
}

}  // namespace ecs_mcp::ecs
