// URLs from configuration and the environment (endpoint overrides, provider base URLs,
// container credential URIs): parsed, and the parts the transport and signer use derived.
#include "common/url.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ecs_mcp::is_loopback_host(text);
  auto url = ecs_mcp::parse_url(text);
  if (!url.ok()) return 0;
  if (url->scheme.empty() || url->host.empty() || url->path.empty()) __builtin_trap();
  (void)url->host_header();
  std::string bare = url->bare_host();
  (void)ecs_mcp::is_loopback_host(bare);
  (void)ecs_mcp::is_loopback_host(url->host);
  return 0;
}
