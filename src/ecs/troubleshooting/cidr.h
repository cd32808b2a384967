// An IPv4 or IPv6 address block in CIDR notation ("10.0.0.0/16", "2600:1f18::/56"), parsed
// with inet_pton, and whether one block lies inside another.
//
// A block without "/prefix" is a single address (/32 or /128). Host bits below the prefix are
// kept as written and ignored by contains(). Blocks of different families never contain each
// other.
//
// Thread-safety: a plain value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ecs_mcp::ecs::troubleshooting {

class Cidr {
 public:
  enum class Family { kIpv4, kIpv6 };

  // nullopt unless `text` is an address of either family, optionally followed by /0-32
  // (IPv4) or /0-128 (IPv6).
  static std::optional<Cidr> parse(std::string_view text);

  Family family() const { return family_; }
  int prefix() const { return prefix_; }
  // Whether every address of `inner` is also in this block.
  bool contains(const Cidr& inner) const;

 private:
  Family family_ = Family::kIpv4;
  int prefix_ = 0;
  std::array<uint8_t, 16> bytes_{};  // network order; IPv4 uses the first four
};

}  // namespace ecs_mcp::ecs::troubleshooting
