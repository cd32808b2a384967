#include "agent/mcp_config.h"

#include <nlohmann/json.hpp>

namespace ecs_mcp::agent {

using json = nlohmann::json;

std::vector<std::pair<std::string, std::string>> base_child_environment(const Os& os) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : {"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"}) {
    if (auto value = os.env(name)) out.emplace_back(name, *value);
  }
  return out;
}

Result<std::vector<ServerSpec>> parse_mcp_config(const std::string& text, const Os& os) {
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("mcpServers") || !doc["mcpServers"].is_object()) {
    return make_error(ErrorCode::kInvalidMcpConfig,
                      "the file is not JSON with an \"mcpServers\" object");
  }
  std::vector<ServerSpec> servers;
  for (const auto& [key, entry] : doc["mcpServers"].items()) {
    auto bad = [&](const std::string& why) {
      return make_error(ErrorCode::kInvalidMcpConfig, "mcpServers." + key + ": " + why);
    };
    if (!entry.is_object()) return bad("not an object");
    ServerSpec spec;
    spec.key = key;
    if (entry.contains("command")) {
      if (!entry["command"].is_string() || entry["command"].get<std::string>().empty()) {
        return bad("\"command\" must be a non-empty string");
      }
      spec.kind = ServerSpec::Kind::kStdio;
      spec.command = entry["command"].get<std::string>();
      if (entry.contains("args")) {
        if (!entry["args"].is_array()) return bad("\"args\" must be an array of strings");
        for (const auto& a : entry["args"]) {
          if (!a.is_string()) return bad("\"args\" must be an array of strings");
          spec.args.push_back(a.get<std::string>());
        }
      }
      spec.environment = base_child_environment(os);
      if (entry.contains("env")) {
        if (!entry["env"].is_object()) return bad("\"env\" must be an object of strings");
        for (const auto& [name, value] : entry["env"].items()) {
          if (!value.is_string()) return bad("env." + name + " must be a string");
          std::erase_if(spec.environment, [&](const auto& kv) { return kv.first == name; });
          spec.environment.emplace_back(name, value.get<std::string>());
        }
      }
    } else if (entry.contains("url")) {
      if (!entry["url"].is_string()) return bad("\"url\" must be a string");
      spec.kind = ServerSpec::Kind::kHttp;
      spec.url = entry["url"].get<std::string>();
      if (entry.contains("headers")) {
        if (!entry["headers"].is_object()) return bad("\"headers\" must be an object of strings");
        for (const auto& [name, value] : entry["headers"].items()) {
          if (!value.is_string()) return bad("headers." + name + " must be a string");
          spec.headers[name] = value.get<std::string>();
        }
      }
    } else {
      return bad("needs \"command\" (stdio) or \"url\" (Streamable HTTP)");
    }
    servers.push_back(std::move(spec));
  }
  return servers;
}

}  // namespace ecs_mcp::agent
