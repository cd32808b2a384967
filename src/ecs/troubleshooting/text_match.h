// Case-insensitive keyword matching shared by the classifiers that read AWS's free-text
// reasons and log lines (fold the text with ascii_lower first).
//
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string>

#include "common/strings.h"

namespace ecs_mcp::ecs::troubleshooting {

// True when the (already lower-cased) text contains any of the words.
inline bool has(const std::string& text_lower, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (text_lower.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ecs_mcp::ecs::troubleshooting
