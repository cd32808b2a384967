#include "mcp/tool_registry.h"

#include <algorithm>
#include <string>

#include "mcp/json_schema.h"

namespace ecs_mcp::mcp {

namespace {

bool valid_tool_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

}  // namespace

Status ToolRegistry::add(Tool tool) {
  if (!valid_tool_name(tool.name)) {
    return make_error(
        ErrorCode::kInvalidTool,
        "tool name \"" + tool.name + "\" must be 1-64 characters of A-Z a-z 0-9 _ - .");
  }
  if (find(tool.name))
    return make_error(ErrorCode::kInvalidTool, "duplicate tool name " + tool.name);
  if (!tool.handler) return make_error(ErrorCode::kInvalidTool, tool.name + " has no handler");
  if (tool.access_classes.empty()) {
    return make_error(ErrorCode::kInvalidTool, tool.name + " declares no access class");
  }
  if (!tool.input_schema.is_object() || tool.input_schema.value("type", "") != "object") {
    return make_error(ErrorCode::kInvalidTool,
                      tool.name + ": inputSchema must be an object schema");
  }
  for (const auto* schema : {&tool.input_schema, &tool.output_schema}) {
    if (schema->is_null()) continue;
    if (auto where = find_object_without_properties(*schema)) {
      return make_error(ErrorCode::kInvalidTool,
                        tool.name + ": object schema at " + *where + " declares no properties");
    }
  }
  tools_.push_back(std::move(tool));
  return Status::Ok();
}

const Tool* ToolRegistry::find(std::string_view name) const {
  for (const auto& t : tools_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

RpcOutcome ToolRegistry::list(const json& params, size_t page_size) const {
  size_t page = std::max<size_t>(1, page_size);
  size_t start = 0;
  if (params.is_object()) {
    if (auto c = params.find("cursor"); c != params.end() && !c->is_null()) {
      // Cursors are opaque to clients; ours is "t" followed by the index of the next tool.
      std::string cursor = c->is_string() ? c->get<std::string>() : "";
      bool ok = cursor.size() > 1 && cursor[0] == 't' && cursor.size() < 12 &&
                std::all_of(cursor.begin() + 1, cursor.end(),
                            [](char ch) { return ch >= '0' && ch <= '9'; });
      if (ok) start = std::stoul(cursor.substr(1));
      if (!ok || start == 0 || start >= tools_.size()) return invalid_params("invalid cursor");
    }
  }
  json list = json::array();
  size_t end = std::min(tools_.size(), start + page);
  for (size_t i = start; i < end; ++i) list.push_back(tools_[i].to_json());
  json result{{"tools", std::move(list)}};
  if (end < tools_.size()) result["nextCursor"] = "t" + std::to_string(end);
  return result;
}

}  // namespace ecs_mcp::mcp
