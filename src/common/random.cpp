#include "common/random.h"

#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstdint>
#include <cstdio>

namespace ecs_mcp {

Status random_bytes(std::span<unsigned char> out) {
  // RAND_bytes takes an int length; ask in chunks so any span size works.
  while (!out.empty()) {
    const size_t n = out.size() < static_cast<size_t>(INT_MAX) ? out.size() : INT_MAX;
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
      return make_error(ErrorCode::kRandomUnavailable,
                        "the system's random number generator failed");
    }
    out = out.subspan(n);
  }
  return Status::Ok();
}

Result<std::string> random_bytes(size_t n) {
  std::string out(n, '\0');
  ECS_MCP_RETURN_IF_ERROR(random_bytes({reinterpret_cast<unsigned char*>(out.data()), out.size()}));
  return out;
}

Result<std::string> random_hex(size_t bytes) {
  ECS_MCP_ASSIGN_OR_RETURN(auto raw, random_bytes(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Result<std::string> random_uuid() {
  std::array<unsigned char, 16> b{};
  ECS_MCP_RETURN_IF_ERROR(random_bytes(b));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string(text);
}

Result<double> random_fraction() {
  std::array<unsigned char, 8> b{};
  ECS_MCP_RETURN_IF_ERROR(random_bytes(b));
  uint64_t bits = 0;
  for (unsigned char byte : b) bits = (bits << 8) | byte;
  // The top 53 bits fill a double's mantissa exactly: uniform over [0, 1).
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

}  // namespace ecs_mcp
