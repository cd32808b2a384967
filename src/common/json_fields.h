// Reading fields of JSON documents whose shape is not guaranteed (AWS responses, tool
// arguments): a missing or wrongly typed field reads as empty instead of throwing.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace ecs_mcp {

// The string at `object[key]`; empty when `object` is not an object, or the field is absent
// or not a string.
std::string string_field(const nlohmann::json& object, std::string_view key);

}  // namespace ecs_mcp
