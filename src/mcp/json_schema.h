// A validator for the subset of JSON Schema (2020-12) that tool schemas here use.
//
// Supported keywords: type (string or list), properties, required, additionalProperties
// (boolean or schema), enum, const, items, minItems, maxItems, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, pattern, anyOf, oneOf. Unknown
// keywords (description, title, default, examples, format, ...) are ignored, as the
// specification allows. Errors name the failing location, e.g. `api_params.maxResults`.
//
// Also checks the structural rule this server holds its own schemas to: every object schema
// declares at least one property (some MCP clients silently drop tools that break it).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ecs_mcp::mcp {

// Returns nullopt when `value` satisfies `schema`, otherwise the first violation found.
std::optional<std::string> validate_against_schema(const nlohmann::json& schema,
                                                   const nlohmann::json& value);

// Returns nullopt when every object schema inside `schema` lists at least one property,
// otherwise the JSON pointer of the first one that does not.
std::optional<std::string> find_object_without_properties(const nlohmann::json& schema);

}  // namespace ecs_mcp::mcp
