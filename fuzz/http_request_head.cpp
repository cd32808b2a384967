// The head of an HTTP request as a network peer sends it (everything before the blank line).
#include "mcp/http_request_head.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace ecs_mcp::mcp::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // The server hands over the bytes before the first "\r\n\r\n".
  std::string_view head = text.substr(0, text.find("\r\n\r\n"));
  RequestHead parsed = parse_request_head(head);
  if (parsed.refusal_status != 0) {
    if (parsed.refusal.empty() || reason_phrase(parsed.refusal_status).empty()) __builtin_trap();
    return 0;
  }
  const HttpRequest& r = parsed.request;
  // What reaches a handler never holds a byte that ends a line for another parser.
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || name.find_first_of("\r\n:", 0) != std::string::npos) __builtin_trap();
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) __builtin_trap();
  }
  if (r.method.empty() || r.target.empty() || r.path.size() > r.target.size()) __builtin_trap();
  if (r.header("host") == nullptr && head.find("HTTP/1.1") != std::string_view::npos &&
      head.substr(0, head.find("\r\n")).ends_with("HTTP/1.1")) {
    __builtin_trap();
  }
  return 0;
}
