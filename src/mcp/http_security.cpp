#include "mcp/http_security.h"

#include <algorithm>
#include <stdexcept>

#include "common/random.h"
#include "common/strings.h"
#include "common/url.h"

namespace ecs_mcp::mcp::http {

namespace {

std::string normalise_origin(std::string_view origin) {
  std::string o = ascii_lower(origin);
  while (!o.empty() && o.back() == '/') o.pop_back();
  return o;
}

// "scheme://authority" -> authority; empty when the origin is not of that form.
std::string_view authority_of_origin(std::string_view origin) {
  size_t sep = origin.find("://");
  if (sep == std::string_view::npos || sep == 0) return {};
  std::string_view rest = origin.substr(sep + 3);
  if (rest.find_first_of("/?#@") != std::string_view::npos) return {};
  return rest;
}

// The port of an http origin's authority (80 when it names none); 0 when malformed.
uint32_t port_of(std::string_view authority) {
  size_t host_end = authority.front() == '[' ? authority.find(']') : authority.find(':');
  if (host_end == std::string_view::npos) return authority.front() == '[' ? 0 : 80;
  if (authority.front() == '[') ++host_end;
  if (host_end == authority.size()) return 80;
  if (authority[host_end] != ':') return 0;
  std::string_view digits = authority.substr(host_end + 1);
  if (digits.empty() || digits.size() > 5) return 0;
  uint32_t port = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  return port;
}

}  // namespace

std::string host_of(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return {};
    return ascii_lower(authority.substr(0, close + 1));
  }
  return ascii_lower(authority.substr(0, authority.find(':')));
}

bool is_loopback_bind_address(std::string_view address) { return is_loopback_host(address); }

OriginPolicy::OriginPolicy(std::vector<std::string> allowed) {
  for (auto& a : allowed) {
    if (a == "*") {
      any_ = true;
    } else {
      allowed_.push_back(normalise_origin(a));
    }
  }
}

bool OriginPolicy::allows(const std::string* origin) const {
  if (!origin) return true;
  if (any_) return true;
  std::string o = normalise_origin(*origin);
  std::string_view authority = authority_of_origin(o);
  if (authority.empty()) return false;
  if (o.compare(0, 7, "http://") == 0 && server_port_ != 0 &&
      is_loopback_host(host_of(authority)) && port_of(authority) == server_port_) {
    return true;
  }
  return std::find(allowed_.begin(), allowed_.end(), o) != allowed_.end();
}

bool OriginPolicy::allows_host(const std::string* host) const {
  if (!host) return true;  // HTTP/1.0 clients; Origin still applies
  if (any_) return true;
  std::string h = host_of(*host);
  if (h.empty()) return false;
  if (is_loopback_host(h)) return true;
  for (const auto& a : allowed_) {
    if (host_of(authority_of_origin(a)) == h) return true;
  }
  return false;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  // Walk the longer input fully, so the time depends on the lengths only.
  size_t n = std::max(a.size(), b.size());
  volatile unsigned char diff = static_cast<unsigned char>(a.size() != b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = diff | static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

std::optional<std::string_view> bearer_token(const std::string* authorization) {
  if (!authorization) return std::nullopt;
  std::string_view v = *authorization;
  if (v.size() < 7 || ascii_lower(v.substr(0, 7)) != "bearer ") return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  return v;
}

std::string random_session_id() {
  auto id = random_hex(16);
  if (!id) throw std::runtime_error(id.error().message);  // caught by the transport's handler
  return *id;
}

}  // namespace ecs_mcp::mcp::http
