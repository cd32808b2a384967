// Small string helpers every layer needs: ASCII case folding and comparison.
//
// ASCII only on purpose: they serve protocol tokens (header names, URL schemes, switches,
// AWS codes), where locale-dependent folding would be wrong.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ecs_mcp {

// `text` with A-Z folded to a-z; other bytes unchanged.
std::string ascii_lower(std::string_view text);

// Equal ignoring ASCII case.
bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace ecs_mcp
