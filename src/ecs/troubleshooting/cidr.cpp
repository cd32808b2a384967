#include "ecs/troubleshooting/cidr.h"

#include <arpa/inet.h>

#include <string>

namespace ecs_mcp::ecs::troubleshooting {

std::optional<Cidr> Cidr::parse(std::string_view text) {
  size_t slash = text.find('/');
  std::string address(text.substr(0, slash));
  Cidr out;
  if (inet_pton(AF_INET, address.c_str(), out.bytes_.data()) == 1) {
    out.family_ = Family::kIpv4;
  } else if (inet_pton(AF_INET6, address.c_str(), out.bytes_.data()) == 1) {
    out.family_ = Family::kIpv6;
  } else {
    return std::nullopt;
  }
  const int max_prefix = out.family_ == Family::kIpv4 ? 32 : 128;
  out.prefix_ = max_prefix;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    int prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > max_prefix) return std::nullopt;
    out.prefix_ = prefix;
  }
  return out;
}

bool Cidr::contains(const Cidr& inner) const {
  if (family_ != inner.family_ || prefix_ > inner.prefix_) return false;
  const int whole_bytes = prefix_ / 8;
  for (int i = 0; i < whole_bytes; ++i) {
    if (bytes_[i] != inner.bytes_[i]) return false;
  }
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (bytes_[whole_bytes] & mask) == (inner.bytes_[whole_bytes] & mask);
}

}  // namespace ecs_mcp::ecs::troubleshooting
