// ClientSession: the client side of one MCP connection, over any ClientTransport.
//
// It performs the initialize handshake, numbers outgoing requests and matches each response
// to its caller by id, delivers notifications to a callback, and answers requests that the
// server sends to the client (ping always; elicitation/create and others through handlers the
// owner registers, which run on a thread of their own so that a person taking a minute to
// answer a question blocks nothing else). A request waits at most its timeout; when the
// caller's `cancelled` predicate turns true the wait ends and the server is told with
// notifications/cancelled. When the transport closes, every waiting request fails with the
// transport's reason and later requests fail at once with the same reason.
//
// Thread-safety: every method may be called from any thread, concurrently; handlers must be
// registered before initialize().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "mcp/client_transport.h"
#include "mcp/jsonrpc.h"

namespace ecs_mcp::mcp {

struct ClientInfo {
  std::string name = "ecs-mcp-client";
  std::string version = "0.0.0";
};

struct ClientSessionOptions {
  ClientInfo info;
  std::string protocol_version = "2025-11-25";
  std::chrono::milliseconds initialize_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};
};

struct RequestOptions {
  std::chrono::milliseconds timeout{0};  // 0: the session's request_timeout
  std::function<bool()> cancelled;       // polled while waiting
};

struct ServerDescription {
  std::string protocol_version;
  json server_info;   // {name, version, ...}
  json capabilities;  // as the server declared them
  std::string instructions;
};

// Answers one server-to-client request; an Error becomes a JSON-RPC error response
// (InvalidArgument as -32602 invalid params, anything else as -32603).
using ServerRequestHandler = std::function<Result<json>(const json& params)>;
using NotificationHandler = std::function<void(const std::string& method, const json& params)>;

class ClientSession {
 public:
  ClientSession(std::unique_ptr<ClientTransport> transport, ClientSessionOptions options = {});
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // Before initialize(): `method` ("elicitation/create", "sampling/createMessage", ...) is
  // answered by `handler`; `capability` is what initialize declares for it ({"elicitation":{}}).
  void on_request(const std::string& method, json capability, ServerRequestHandler handler);
  void on_notification(NotificationHandler handler);

  // Starts the transport, sends initialize, waits for the answer and sends
  // notifications/initialized. Errors: the transport's, "RpcError" for a JSON-RPC error,
  // "UnsupportedProtocolVersion", "Timeout".
  Result<ServerDescription> initialize();

  // One request; the result object, or an Error: "RpcError" (the server's message followed
  // by its JSON-RPC code), "Timeout", "Cancelled", or the transport's closing reason
  // ("ServerExited", ...).
  Result<json> request(const std::string& method, json params, const RequestOptions& options = {});
  Status notify(const std::string& method, json params);

  // tools/list, following nextCursor to the end.
  Result<std::vector<json>> list_tools(const RequestOptions& options = {});
  // tools/call: the CallToolResult ({content, structuredContent?, isError?}).
  Result<json> call_tool(const std::string& name, const json& arguments,
                         const RequestOptions& options = {});

  // False once the transport has closed.
  bool connected() const;
  // Why it closed (empty code while connected).
  Error closed_reason() const;
  const ServerDescription& server() const { return server_; }
  std::string describe() const { return transport_->describe(); }
  // Closes the transport; waiting requests fail with "TransportClosed".
  void close();

 private:
  struct Pending {
    bool done = false;
    json result;
    std::optional<RpcError> error;
  };

  void on_message(const json& message);
  void on_closed(const Error& reason);
  void answer_server_request(const json& id, const std::string& method, const json& params);

  std::unique_ptr<ClientTransport> transport_;
  ClientSessionOptions options_;
  ServerDescription server_;
  std::map<std::string, std::pair<json, ServerRequestHandler>> request_handlers_;
  NotificationHandler notification_handler_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Pending>> pending_;  // by id_key
  int64_t next_id_ = 1;
  bool closed_ = false;
  Error closed_reason_;
  std::vector<std::thread> handler_threads_;
  std::atomic<bool> started_{false};
};

}  // namespace ecs_mcp::mcp
