#include "common/json_fields.h"

namespace ecs_mcp {

std::string string_field(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace ecs_mcp
