// The HTTP transport's security checks, as pure functions so each can be tested alone:
// Origin and Host validation against DNS rebinding, bearer-token comparison in constant
// time, loopback detection for the bind address, and session identifiers.
//
// Thread-safety: pure functions, except random_session_id() which reads the CSPRNG.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecs_mcp::mcp::http {

// The host part of "host", "host:port", "[v6]" or "[v6]:port", lower-cased, brackets kept.
std::string host_of(std::string_view authority);

// True when binding to `address` exposes the server only to this machine (is_loopback_host of
// common/url.h).
bool is_loopback_bind_address(std::string_view address);

// Browser origins the transport accepts, by explicit consent only: the server's own origin
// (http, a loopback host, the server's port: a page the server itself could have served), plus
// the exact origins in `allowed` ("scheme://host[:port]"; "*" allows every origin). Any other
// page, a local dev server on another port included, is refused.
class OriginPolicy {
 public:
  explicit OriginPolicy(std::vector<std::string> allowed = {});
  // The port the server listens on; until it is set, no origin is the server's own.
  void set_server_port(uint16_t port) { server_port_ = port; }
  // An absent Origin (not a browser) is allowed; "null" and malformed origins are not.
  bool allows(const std::string* origin) const;
  // The Host header must name a loopback host or a host of an allowed origin. Only checked
  // when the server listens on loopback: that is where DNS rebinding attacks aim.
  bool allows_host(const std::string* host) const;

 private:
  std::vector<std::string> allowed_;  // normalised: lower-case, no trailing slash
  bool any_ = false;
  uint16_t server_port_ = 0;
};

// Compares in time that depends only on the lengths, never on where the inputs differ.
bool constant_time_equals(std::string_view a, std::string_view b);

// The token of an "Authorization: Bearer <token>" header, or nullopt.
std::optional<std::string_view> bearer_token(const std::string* authorization);

// 128 random bits (common/random.h), as 32 lower-case hex characters (visible ASCII, as MCP
// asks).
std::string random_session_id();

}  // namespace ecs_mcp::mcp::http
