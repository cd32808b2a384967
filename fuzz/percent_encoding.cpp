// Percent-encoding of paths, query strings and form bodies: decoding what was encoded gives
// the input back, encoded text holds only unreserved characters and escapes, and decoding
// arbitrary text never fails.
#include "common/percent_encoding.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool keep_slash : {false, true}) {
    std::string encoded = ecs_mcp::uri_encode(text, keep_slash);
    if (ecs_mcp::uri_decode(encoded) != text) __builtin_trap();
    for (char c : encoded) {
      bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' ||
                        c == '%' || (keep_slash && c == '/');
      if (!unreserved) __builtin_trap();
    }
  }
  std::string decoded = ecs_mcp::uri_decode(text);
  if (decoded.size() > text.size()) __builtin_trap();
  return 0;
}
