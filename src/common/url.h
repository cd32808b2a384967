// URLs and host names, parsed one way everywhere: by libcurl's URL API (curl_url), the same
// parser that later connects, so a check made on a parsed URL holds for the request sent.
//
// libcurl is loaded on first use (see curl_library.h); parsing a URL is what loads it in a
// process that has not made a request yet, and fails with that loader's Error when libcurl
// is missing.
//
// Thread-safety: pure functions (the loader is once-only and thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace ecs_mcp {

// A URL split the way signing and transport need it.
struct Url {
  std::string scheme;    // "https", lower case
  std::string user;      // user info before '@', still percent-encoded; empty when absent
  std::string password;  // after "user:"; empty when absent
  std::string host;      // "ecs.us-east-1.amazonaws.com" (IPv6 literals keep their brackets)
  std::string port;      // empty when not given
  std::string path;      // "/" when not given; still percent-encoded
  std::string query;     // after '?', without it; still percent-encoded
  std::string fragment;  // after '#', without it

  // The Host header value: host plus the port unless it is the scheme's default.
  std::string host_header() const;
  // The host without IPv6 brackets, lower case: what address checks compare.
  std::string bare_host() const;
};

// Fails with "InvalidUrl" unless `text` is an absolute URL with a host (e.g. "localhost:5000"
// is not: its scheme would be "localhost").
Result<Url> parse_url(std::string_view text);

// `reference` (absolute, scheme-relative "//host/x", absolute-path "/x", relative "x" or
// "#frag") resolved against the absolute URL `base` as RFC 3986 §5.2 says. Fails with
// "InvalidUrl" when `base` is not an absolute URL or the result is not one.
Result<std::string> resolve_url(std::string_view base, std::string_view reference);

// localhost, 127.0.0.0/8 (dotted quads) and ::1, case-insensitive, with or without IPv6
// brackets.
bool is_loopback_host(std::string_view host);

}  // namespace ecs_mcp
