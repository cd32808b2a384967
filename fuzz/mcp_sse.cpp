// A Server-Sent Events body as an MCP server streams it to the client: parsed whole, and again
// split at the points the input's first bytes choose; both must yield the same events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/sse_parser.h"

using ecs_mcp::mcp::SseEvent;
using ecs_mcp::mcp::SseParser;

namespace {
std::vector<std::string> events(std::string_view body, std::string_view splits) {
  std::vector<std::string> out;
  SseParser parser([&](const SseEvent& e) {
    out.push_back(e.type + '\x01' + e.data + '\x01' + e.id);
    return out.size() < 1000;
  });
  size_t i = 0;
  while (i < body.size()) {
    size_t n = splits.empty() ? body.size() : 1 + static_cast<unsigned char>(splits[0]) % 7;
    if (!splits.empty()) splits.remove_prefix(1);
    if (!parser.feed(body.substr(i, n))) break;
    i += n;
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t nsplits = data[0] % 32;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string_view splits = text.substr(0, nsplits);
  std::string_view body = text.substr(splits.size());
  if (events(body, {}) != events(body, splits)) __builtin_trap();
  return 0;
}
