// ClientTransport: how an MCP client session reaches one server.
//
// A transport carries serialized JSON-RPC messages both ways and knows nothing of their
// meaning. The session calls start() once with two callbacks: `on_message` receives every
// message the server sends (responses, notifications, server-to-client requests), one at a
// time, in arrival order, on a thread the transport owns; `on_closed` is called exactly once
// when the connection is gone for good (the child exited, the pipe broke, close() was
// called), with the reason. send() may be called from any thread.
//
// Implementations: StdioClientTransport (a child process on pipes) and HttpClientTransport
// (Streamable HTTP: send() POSTs the message and feeds the JSON or SSE answer to
// `on_message`).
//
// Thread-safety: send() and close() may be called concurrently from many threads; start()
// once, before any send().
#pragma once

#include <functional>
#include <string>

#include "common/result.h"
#include "mcp/jsonrpc.h"

namespace ecs_mcp::mcp {

class ClientTransport {
 public:
  using MessageHandler = std::function<void(const json& message)>;
  using ClosedHandler = std::function<void(const Error& reason)>;

  virtual ~ClientTransport() = default;

  virtual Status start(MessageHandler on_message, ClosedHandler on_closed) = 0;
  // Fails once the connection is closed.
  virtual Status send(const json& message) = 0;
  // Ends the connection and waits for the reader to stop; on_closed has run when it returns.
  virtual void close() = 0;
  // For messages: "stdio: /usr/bin/ecs-mcp-server", "http: https://host/mcp".
  virtual std::string describe() const = 0;
};

}  // namespace ecs_mcp::mcp
