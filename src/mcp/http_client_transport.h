// HttpClientTransport: a ClientTransport over MCP's Streamable HTTP transport, so that a
// ClientSession (and everything built on it) can talk to a remote MCP server the way it talks
// to a child process.
//
// Every message is one POST to the endpoint (`Accept: application/json, text/event-stream`).
// A request's POST runs on a thread of its own: the answer, a JSON body or an SSE stream, is
// fed to `on_message` message by message, server-to-client requests and notifications on
// the way included (an elicitation during a tool call arrives this way, and the session's
// answer is POSTed back while the stream stays open). Notifications and responses are POSTed
// at once and must be accepted (202). The `Mcp-Session-Id` handed out with the answer to
// `initialize` is sent on every later message, with `MCP-Protocol-Version` once the version is
// agreed. A request that fails on the way (refused connection, HTTP 401, a non-MCP answer)
// is answered to the session as a JSON-RPC error for that request, carrying the reason. When
// the server has forgotten the session (404), the transport closes with "SessionExpired" so
// that its owner starts a new one. close() aborts running exchanges and ends the session with
// DELETE (best effort). The optional GET stream for messages unrelated to any request is not
// opened: nothing the agent needs arrives there.
//
// mcp/ knows nothing of AWS: the network is reached through ClientHttp (client_http.h).
//
// Thread-safety: as ClientTransport.
#pragma once

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mcp/client_http.h"
#include "mcp/client_transport.h"

namespace ecs_mcp::mcp {

struct HttpClientTransportOptions {
  std::string url;                                           // the server's MCP endpoint
  std::vector<std::pair<std::string, std::string>> headers;  // sent on every request
  std::chrono::milliseconds connect_timeout{5000};
  // The longest one request's exchange may take (a tool call's stream included).
  std::chrono::milliseconds request_timeout{std::chrono::minutes(15)};
  // Notifications, responses and the closing DELETE.
  std::chrono::milliseconds short_timeout{std::chrono::seconds(10)};
  size_t max_body_bytes = 16u << 20;  // a larger JSON answer fails the request
};

class HttpClientTransport final : public ClientTransport {
 public:
  HttpClientTransport(HttpClientTransportOptions options, std::shared_ptr<ClientHttp> http);
  ~HttpClientTransport() override;
  HttpClientTransport(const HttpClientTransport&) = delete;
  HttpClientTransport& operator=(const HttpClientTransport&) = delete;

  Status start(MessageHandler on_message, ClosedHandler on_closed) override;
  Status send(const json& message) override;
  void close() override;
  std::string describe() const override;

  std::string session_id() const;

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  };

  void exchange(const json& request);
  ClientHttpRequest make_post(const json& message, std::chrono::milliseconds timeout) const;
  void deliver(const json& message);
  void fail_request(const json& id, const std::string& reason);
  void shut(const Error& reason);
  void reap_finished();

  HttpClientTransportOptions options_;
  std::shared_ptr<ClientHttp> http_;
  MessageHandler on_message_;
  ClosedHandler on_closed_;

  mutable std::mutex mu_;  // session_id_, protocol_version_, workers_
  std::string session_id_;
  std::string protocol_version_;
  std::list<Worker> workers_;
  std::mutex deliver_mu_;  // on_message_ one message at a time
  std::atomic<bool> closed_{false};
  std::once_flag closed_once_;
};

}  // namespace ecs_mcp::mcp
