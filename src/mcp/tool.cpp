#include "mcp/tool.h"

#include <array>

namespace ecs_mcp::mcp {

std::string_view to_string(AccessClass access) {
  switch (access) {
    case AccessClass::kRead:
      return "read";
    case AccessClass::kSensitiveRead:
      return "sensitive-read";
    case AccessClass::kWrite:
      return "write";
    case AccessClass::kDestructive:
      return "destructive";
    case AccessClass::kExec:
      return "exec";
  }
  return "unknown";
}

namespace {
constexpr std::array<std::string_view, 8> kLevelNames = {
    "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};
}

std::string_view to_string(LogLevel level) { return kLevelNames[static_cast<size_t>(level)]; }

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

ToolResult ToolResult::text(std::string text) {
  ToolResult r;
  r.content.push_back({{"type", "text"}, {"text", std::move(text)}});
  return r;
}

ToolResult ToolResult::error(std::string text) {
  ToolResult r = ToolResult::text(std::move(text));
  r.is_error = true;
  return r;
}

ToolResult ToolResult::structured_result(json value) {
  ToolResult r = ToolResult::text(value.dump(-1, ' ', false, json::error_handler_t::replace));
  r.structured = std::move(value);
  return r;
}

json ToolResult::to_json() const {
  json out{{"content", content}};
  if (structured) out["structuredContent"] = *structured;
  if (is_error) out["isError"] = true;
  return out;
}

Result<AccessClass> Tool::access_needed(const json& arguments) const {
  if (access_for) return access_for(arguments);
  if (access_classes.empty()) return AccessClass::kRead;
  return access_classes.front();
}

std::string Tool::operation_name(const json& arguments) const {
  if (!operation_argument.empty() && arguments.is_object()) {
    auto it = arguments.find(operation_argument);
    if (it != arguments.end() && it->is_string()) return it->get<std::string>();
  }
  return name;
}

json Tool::to_json() const {
  json out{{"name", name},
           {"title", title},
           {"description", description},
           {"inputSchema", input_schema},
           {"annotations",
            {{"title", title},
             {"readOnlyHint", annotations.read_only},
             {"destructiveHint", annotations.destructive},
             {"idempotentHint", annotations.idempotent},
             {"openWorldHint", annotations.open_world}}}};
  if (!output_schema.is_null()) out["outputSchema"] = output_schema;
  return out;
}

}  // namespace ecs_mcp::mcp
