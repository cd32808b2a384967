// Arguments as language models send them, made into what the tool's input schema declares,
// before the schema is checked.
//
// Models fill optional parameters with null, write numbers and booleans as strings ("7200",
// "true") and sometimes send an object or array as its JSON text. The reference Python server
// (pydantic) accepts all of these, so prompts and agents written for it rely on them. This one
// step, run for every tool call, turns:
// - null where the schema does not allow null into an absent member (required ones then fail
//   validation as missing, with the usual message);
// - a string holding a whole number into an integer, a string holding a finite number into a
//   number, "true"/"false" (any case) into a boolean, where the schema wants that type;
// - a string holding a JSON object or array into that value, where the schema wants it.
// Anything else is left as it is, so the validator reports it exactly as before. Coercion
// follows properties, additionalProperties and items; it never guesses between several types.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

namespace ecs_mcp::mcp {

// Returns `value` with the coercions above applied along `schema`.
nlohmann::json coerce_arguments(const nlohmann::json& schema, nlohmann::json value);

}  // namespace ecs_mcp::mcp
