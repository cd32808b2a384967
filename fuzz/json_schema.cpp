// Tool arguments as a model sends them, against a schema: the input is a JSON array
// [schema, arguments]; the arguments are coerced (coerce_arguments) and validated, and the
// schema's structure checked.
#include "mcp/json_schema.h"

#include <cstddef>
#include <cstdint>

#include "mcp/argument_coercion.h"

using namespace ecs_mcp::mcp;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json input = json::parse(data, data + size, nullptr, false);
  if (input.is_discarded() || !input.is_array() || input.size() != 2) return 0;
  const json& schema = input[0];
  json coerced = coerce_arguments(schema, input[1]);
  auto first = validate_against_schema(schema, coerced);
  // Coercion is idempotent: coercing what it produced changes nothing.
  if (coerce_arguments(schema, coerced) != coerced) __builtin_trap();
  if (validate_against_schema(schema, coerced) != first) __builtin_trap();
  (void)validate_against_schema(schema, input[1]);
  (void)find_object_without_properties(schema);
  return 0;
}
