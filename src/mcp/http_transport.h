// The Streamable HTTP transport (MCP 2025-11-25): one endpoint, by default /mcp.
//
//   POST    one JSON-RPC message. A request is answered with application/json, or with a
//           text/event-stream when the request emits progress, log messages or requests of
//           its own before its result; notifications and responses get 202.
//   GET     the session's stream for messages not tied to a request (one per session).
//   HEAD    answered as GET would be, without a body: the stream's head, then the end.
//   DELETE  ends the session: its running calls are cancelled.
//   /healthz  200 while serving, 503 while shutting down; no authentication, no MCP.
//
// Sessions are named by Mcp-Session-Id (128 random bits) handed out with a successful
// initialize (one that fails, however, leaves no session behind); a request without one is
// refused with 400, with an unknown or expired one with 404. A
// MCP-Protocol-Version header naming a revision this server does not speak gets 400.
//
// Safe by default: every request's Host (when listening on loopback) and Origin are checked
// against DNS rebinding (403); a browser Origin is accepted only when it is the server's own
// (a loopback host with this server's port) or listed in allowed_origins; an optional bearer
// token is compared in constant time before any MCP processing (401 with WWW-Authenticate);
// start() refuses a non-loopback address without a token unless explicitly allowed. Body and
// head sizes, connections (per client address too), pending requests and the memory they may
// hold (PendingBudget) are bounded; idle sessions expire, sooner when they never made a request
// after initialize, and at the session limit the least recently used idle session makes room
// for a new one (most clients never send DELETE).
//
// One epoll thread serves every connection (see http_server.h); tool calls run on the
// Server's worker pool and answer through the loop, so an open stream never holds a thread.
//
// Thread-safety: start() and run() from one thread; request_stop() from anywhere, including
// a signal handler.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "mcp/server.h"

namespace ecs_mcp::mcp {

struct HttpTransportOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpTransport::port())
  std::string path = "/mcp";
  std::string auth_token;                    // empty: no authentication
  std::vector<std::string> allowed_origins;  // beyond the server's own; "*" allows any
  bool allow_remote_without_token = false;

  size_t max_body_bytes = 4u << 20;
  size_t max_head_bytes = 16 * 1024;
  size_t max_connections = 1024;
  size_t max_connections_per_peer = 64;
  size_t max_sessions = 256;
  size_t max_pending_requests = 512;  // POSTed requests not yet answered, all sessions
  // Estimated memory of those requests once parsed, and of request bodies being read.
  size_t max_pending_bytes = 64u << 20;
  std::chrono::milliseconds session_idle_timeout{std::chrono::minutes(30)};
  // For a session that made no request after initialize (a one-shot client that left).
  std::chrono::milliseconds unused_session_idle_timeout{std::chrono::minutes(2)};
  std::chrono::milliseconds head_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds request_read_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds stream_keep_alive{std::chrono::seconds(15)};
  std::chrono::milliseconds drain_on_stop{std::chrono::seconds(3)};
};

class HttpTransport {
 public:
  HttpTransport(Server& server, HttpTransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Checks the security settings and binds. An Error says what to change.
  Status start();
  uint16_t port() const;
  std::string url() const;  // http://host:port/path

  // Serves until request_stop(); then cancels running calls, drains and returns 0.
  int run();
  void request_stop();

  // Installs SIGTERM/SIGINT handlers that stop the transport running in this process.
  static void install_signal_handlers(HttpTransport& transport);

  size_t session_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecs_mcp::mcp
