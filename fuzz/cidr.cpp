// CIDR blocks as AWS (or a tampered response) reports them for VPCs, subnets and security-group
// rules: two blocks separated by a newline, and containment between them.
#include "ecs/troubleshooting/cidr.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using ecs_mcp::ecs::troubleshooting::Cidr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  auto a = Cidr::parse(text.substr(0, nl));
  auto b = Cidr::parse(nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1));
  for (const auto& c : {a, b}) {
    if (!c) continue;
    int max = c->family() == Cidr::Family::kIpv4 ? 32 : 128;
    if (c->prefix() < 0 || c->prefix() > max) __builtin_trap();
    if (!c->contains(*c)) __builtin_trap();  // every block contains itself
  }
  if (a && b && a->contains(*b) && b->contains(*a) && a->prefix() != b->prefix()) {
    __builtin_trap();  // mutual containment means the same block
  }
  return 0;
}
