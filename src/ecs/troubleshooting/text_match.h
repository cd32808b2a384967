// Case-insensitive keyword matching shared by the classifiers that read AWS's free-text
// reasons and log lines.
#pragma once

#include <cctype>
#include <initializer_list>
#include <string>

namespace ecs_mcp::ecs::troubleshooting {

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// True when the (already lower-cased) text contains any of the words.
inline bool has(const std::string& text_lower, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (text_lower.find(w) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ecs_mcp::ecs::troubleshooting
