// HttpClientSession: the client side of MCP's Streamable HTTP transport, talking to one
// remote server endpoint.
//
// A request is one POST of a JSON-RPC message with `Accept: application/json,
// text/event-stream`; the answer may be a JSON body or an SSE stream, read until the
// response with the request's id arrives (the stream is then closed, even if the server
// would keep it open). Many public servers answer a bare request without a session, and
// some allow very few requests per client, so by default a request is first sent bare; only
// when the server demands a session (HTTP 400 naming the session or initialization) does
// the client run `initialize` + `notifications/initialized` once, keep the `Mcp-Session-Id`,
// send it (with `MCP-Protocol-Version`) on every later request, and initialize again when the
// server answers 404 (session expired). A cancelled request is abandoned (its connection
// dropped) rather than followed by notifications/cancelled, which would cost the rate-limited
// server another request.
//
// Errors, as values:
//   RateLimited    HTTP 429 or JSON-RPC error -32004; `http_status` 429; the message says
//                  when to retry (Retry-After, else `default_retry_after`).
//   RpcError       a JSON-RPC error answer; the message carries its code.
//   HttpStatus     another unexpected HTTP status; InvalidResponse an answer that is not MCP.
//   Http..., Cancelled   transport failures from ClientHttp (timeouts, refused connections, ...).
//
// Thread-safety: request() may be called concurrently; initialization is serialized.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "mcp/client_http.h"

namespace ecs_mcp::mcp {

struct HttpClientSessionOptions {
  std::string url;  // the server's MCP endpoint
  std::string client_name = "ecs-mcp";
  std::string client_version = "0";
  std::string protocol_version = "2025-06-18";  // offered at initialize
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // per request, unless the call says otherwise
  std::chrono::seconds default_retry_after{15};
  bool bare_first = true;  // false: initialize a session before the first request
  std::vector<std::pair<std::string, std::string>> headers;  // sent on every request
};

struct CallControl {
  std::function<bool()> cancelled;
  std::chrono::milliseconds timeout{0};  // zero: the session's
};

class HttpClientSession {
 public:
  HttpClientSession(HttpClientSessionOptions options, std::shared_ptr<ClientHttp> http);

  // Sends `method` with `params` and returns the JSON-RPC result.
  Result<nlohmann::json> request(const std::string& method, nlohmann::json params,
                                 const CallControl& control = {});
  // tools/call; the result as the server sent it (content, structuredContent, isError).
  Result<nlohmann::json> call_tool(const std::string& name, nlohmann::json arguments,
                                   const CallControl& control = {});

  bool has_session() const;
  const HttpClientSessionOptions& options() const { return options_; }

 private:
  struct Exchange {
    int status = 0;
    std::string retry_after;
    std::string session_id;
    std::string body_text;  // a non-JSON-RPC body, kept for error messages
    bool answered = false;
    nlohmann::json message;  // the JSON-RPC response
  };
  struct SessionState {
    bool initialized = false;
    std::string id;
    std::string protocol_version;
  };

  Result<Exchange> post(const nlohmann::json& message, const SessionState& session,
                        const CallControl& control);
  Result<nlohmann::json> finish(const Exchange& exchange) const;
  Status ensure_session(const CallControl& control);
  SessionState snapshot() const;
  static bool demands_session(const Exchange& exchange);

  HttpClientSessionOptions options_;
  std::shared_ptr<ClientHttp> http_;
  std::atomic<long long> next_id_{1};
  mutable std::mutex mutex_;  // guards session_required_ and session_
  std::mutex init_mutex_;     // one initialize at a time
  bool session_required_ = false;
  SessionState session_;
};

}  // namespace ecs_mcp::mcp
