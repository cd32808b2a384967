// HttpClient: the one seam through which aws/ reaches the network.
//
// The real implementation (CurlHttpClient) wraps libcurl; tests substitute their own. A
// transport failure (DNS, connect, TLS, timeout, reset) is an Error value with one of the Http
// codes (e.g. kHttpTimeout, kHttpConnectError) or kCancelled; an HTTP response of any status,
// including 4xx/5xx, is a successful Result carrying that status.
//
// Thread-safety: implementations must allow concurrent send() calls from many threads.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::aws {

struct HttpRequest {
  std::string method = "POST";  // GET, POST, PUT, DELETE
  std::string url;              // full URL: scheme://host[:port]/path[?query]
  std::vector<std::pair<std::string, std::string>> headers;  // in order; names as given
  std::string body;
  // Zero means the client's default.
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds timeout{0};  // whole request
  // Polled while the request is in flight; returning true aborts it with Cancelled.
  std::function<bool()> cancelled;
  // When set, the body of a 2xx response is handed over piece by piece as it arrives (and
  // not kept in HttpResponse::body); returning false aborts with Cancelled. Bodies of
  // other statuses are collected as usual, so errors keep their details.
  std::function<bool(std::string_view chunk)> on_body_chunk;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace ecs_mcp::aws
