#include "ecs/deployment/detection/toolchains.h"

#include <cassert>
#include <nlohmann/json.hpp>

#include "ecs/deployment/embedded_templates.h"

namespace ecs_mcp::ecs::detection {

using nlohmann::json;

namespace {

Error data_error(const std::string& message) {
  return make_error(ErrorCode::kToolchainData, "templates/toolchains.json: " + message);
}

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

Result<Toolchain> parse_toolchain(const std::string& name, const json& j) {
  Toolchain t;
  t.name = name;
  if (!j.is_object() || !j.contains("default") || !j["default"].is_string() ||
      !j.contains("lines") || !j["lines"].is_object()) {
    return data_error(name + " needs \"default\" (a string) and \"lines\" (an object)");
  }
  t.default_line = j["default"].get<std::string>();
  for (const auto& [line, entry] : j["lines"].items()) {
    if (!entry.is_object() || !entry.contains("version") || !entry["version"].is_string() ||
        !entry.contains("eol") || !(entry["eol"].is_null() || entry["eol"].is_string())) {
      return data_error(name + " " + line +
                        " needs \"version\" (a string) and \"eol\" (a date or null)");
    }
    ToolchainLine l;
    l.line = line;
    l.version = entry["version"].get<std::string>();
    if (entry.contains("sdk") && entry["sdk"].is_string()) l.sdk = entry["sdk"].get<std::string>();
    if (entry["eol"].is_string()) {
      l.eol = entry["eol"].get<std::string>();
      if (!is_date(*l.eol)) return data_error(name + " " + line + ": eol must be YYYY-MM-DD");
    }
    t.lines.emplace(line, std::move(l));
  }
  if (!t.lines.count(t.default_line)) {
    return data_error(name + ": the default line " + t.default_line + " is not listed");
  }
  if (j.contains("aliases")) {
    if (!j["aliases"].is_object()) return data_error(name + ": aliases must be an object");
    for (const auto& [from, to] : j["aliases"].items()) {
      if (!to.is_string() || !t.lines.count(to.get<std::string>())) {
        return data_error(name + ": alias " + from + " must name a listed line");
      }
      t.aliases.emplace(from, to.get<std::string>());
    }
  }
  return t;
}

}  // namespace

const ToolchainLine& Toolchain::pick(const std::string& wanted) const {
  if (auto a = aliases.find(wanted); a != aliases.end()) return lines.at(a->second);
  if (auto l = lines.find(wanted); l != lines.end()) return l->second;
  return lines.at(default_line);
}

bool Toolchain::has_line(const std::string& wanted) const { return lines.count(wanted) > 0; }

const std::vector<std::string_view>& Toolchains::required() {
  static const std::vector<std::string_view> names{
      "node",  "python", "go", "java",   "ruby",     "dotnet", "alpine", "nginx-unprivileged",
      "maven", "gradle", "uv", "poetry", "gunicorn", "uvicorn"};
  return names;
}

Result<Toolchains> Toolchains::parse(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("toolchains") ||
      !doc["toolchains"].is_object()) {
    return data_error("not a JSON object with a \"toolchains\" object");
  }
  Toolchains out;
  for (const auto& [name, entry] : doc["toolchains"].items()) {
    ECS_MCP_ASSIGN_OR_RETURN(auto t, parse_toolchain(name, entry));
    out.toolchains_.push_back(std::move(t));
  }
  for (auto name : required()) {
    if (!out.find(name)) return data_error("no toolchain " + std::string(name));
  }
  return out;
}

const Toolchain* Toolchains::find(std::string_view name) const {
  for (const auto& t : toolchains_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const Toolchain& Toolchains::get(std::string_view name) const {
  const Toolchain* t = find(name);
  assert(t && "a toolchain parse() requires");
  return *t;
}

const Result<Toolchains>& load_toolchains() {
  static const Result<Toolchains> table = [] {
    auto text = find_template("toolchains.json");
    if (!text) return Result<Toolchains>(data_error("not built in"));
    return Toolchains::parse(*text);
  }();
  return table;
}

}  // namespace ecs_mcp::ecs::detection
