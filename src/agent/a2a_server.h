// A2aServer: ecs-agent as an A2A service (JSON-RPC over HTTP, SSE for streams), on the
// project's HTTP server (mcp/http_server.h) with the MCP transport's protections.
//
//   GET  /.well-known/agent-card.json   the agent card (A2A 0.3)
//   GET  /.well-known/agent.json        the same, where A2A 0.2 clients look
//   POST /                              JSON-RPC: message/send, message/stream (SSE),
//                                       tasks/get, tasks/cancel, tasks/resubscribe (SSE)
//   GET  /healthz                       200 while serving
//
// Safe by default, like `ecs-mcp-server --transport http`: loopback only unless a token is
// set (or explicitly allowed without one), the Host header checked on loopback (DNS
// rebinding), browser Origins refused unless they are the server's own or listed, an optional
// bearer token compared in constant time before any JSON-RPC processing (the card stays
// public: it declares the scheme), and bounded bodies and connections. The handler never
// blocks the event loop: tasks run on their own threads (A2aTasks) and answer through the
// exchange when they finish, or stream into it.
//
// Thread-safety: start() and run() from one thread; request_stop() from anywhere, including a
// signal handler.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/a2a_tasks.h"
#include "common/result.h"

namespace ecs_mcp::agent {

struct A2aServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;  // 0: any free port
  std::string auth_token;
  std::vector<std::string> allowed_origins;
  bool allow_remote_without_token = false;
  std::string public_url;  // the card's url; empty: http://<Host header>/
  size_t max_body_bytes = 1u << 20;
  size_t max_connections = 256;
  size_t max_connections_per_peer = 32;
};

class A2aServer {
 public:
  // `card` makes the agent card for the endpoint URL it is given.
  A2aServer(A2aTasks& tasks, std::function<json(const std::string& url)> card,
            A2aServerOptions options);
  ~A2aServer();
  A2aServer(const A2aServer&) = delete;
  A2aServer& operator=(const A2aServer&) = delete;

  // Checks the security settings and binds; an Error says what to change.
  Status start();
  uint16_t port() const;
  std::string url() const;  // http://host:port/
  // Serves until request_stop(); running tasks are canceled on the way out.
  void run();
  void request_stop();
  static void install_signal_handlers(A2aServer& server);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecs_mcp::agent
