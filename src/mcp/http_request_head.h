// The head of an HTTP/1.1 request (RFC 9112): request line and header fields, parsed from the
// bytes before the blank line, with the checks that keep smuggled requests out.
//
// Kept apart from HttpServer's event loop so that the one part of the server that reads
// untrusted bytes can be tested and fuzzed without sockets. A head with a bare CR, LF or NUL,
// a folded header line, a header name that is not a token, a malformed or conflicting
// Content-Length, two Host headers, or none in HTTP/1.1 is refused with 400; a version other
// than HTTP/1.0 or 1.1 with 505; Transfer-Encoding (chunked bodies) with 411.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#include "mcp/http_server.h"

namespace ecs_mcp::mcp::http {

struct RequestHead {
  // 0 when the head is acceptable; otherwise the status to refuse it with, and why.
  int refusal_status = 0;
  std::string_view refusal;
  HttpRequest request;  // method, target, path and headers; peer and body are left empty
  size_t content_length = 0;
  bool keep_alive = true;  // HTTP/1.1 without "Connection: close", or 1.0 with keep-alive
  bool expect_continue = false;
};

// `head` is everything before the "\r\n\r\n" that ends it.
RequestHead parse_request_head(std::string_view head);

}  // namespace ecs_mcp::mcp::http
