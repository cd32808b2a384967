// Small string helpers every layer needs: ASCII case folding and comparison, and escaping for
// logs.
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

// `text` safe to write as one line of a log: C0 controls and DEL become \n, \r, \t or \xNN,
// C1 controls, line and paragraph separators and bidirectional overrides become \u{NNNN}, and
// bytes that are not UTF-8 become \xNN; a backslash stays as it is. So no logged string can
// end a line, start a forged one, or move a terminal's cursor.
std::string escape_control_characters(std::string_view text);

}  // namespace ecs_mcp
