// The MCP server: lifecycle, dispatch, tools, logging, progress and cancellation.
//
// A Server holds what every session shares: identity, instructions, the tool registry, the
// call guard and the worker pool. A Session is one client connection (stdio has exactly one;
// the HTTP transport has one per Mcp-Session-Id). The transport hands each incoming message
// to Session::handle_text together with an Outbound for messages that answer it; tool calls
// run on the pool so a slow call never blocks ping, other calls or a cancellation. Tools
// declared long_running (deployments that wait for minutes) have a pool of their own, so however
// many of them run, other calls still find workers.
//
// The parts live in their own files: the tool registry (tool_registry.h), resources, prompts
// and completions (catalog.h), a session's lifecycle and its table of request handlers
// (session.cpp) and the running of tools/call (tool_call.cpp).
//
// Thread-safety: Server is immutable after construction except for its pool; Session methods
// may be called from any thread. Outbound::send must be safe to call concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "mcp/catalog.h"
#include "mcp/jsonrpc.h"
#include "mcp/rpc_outcome.h"
#include "mcp/tool.h"
#include "mcp/tool_registry.h"
#include "mcp/worker_pool.h"

namespace ecs_mcp::mcp {

// Protocol revisions this server speaks, newest first.
inline constexpr std::string_view kLatestProtocolVersion = "2025-11-25";
const std::vector<std::string>& supported_protocol_versions();

struct ServerInfo {
  std::string name;
  std::string title;
  std::string version;
  std::string instructions;
};

// Rewrites every tools/call answer just before it is sent: results, errors and refusals alike
// (the product's redaction lives behind it; the protocol layer only applies it). Runs on the
// worker that ran the call. An exception from it withholds the answer: the client gets an error
// saying so instead.
using AnswerFilter = std::function<void(const Tool& tool, ToolResult& result)>;

struct ServerOptions {
  size_t tools_page_size = 100;
  size_t max_workers = 8;
  size_t max_long_running_workers = 4;  // for tools declared long_running
  size_t max_in_flight_per_session = 64;
  LogLevel initial_client_log_level = LogLevel::kInfo;
  AnswerFilter answer_filter = nullptr;  // none: answers go out as the handlers made them
};

// Decides at call time whether a call may run; returns the refusal text, or nullopt to allow.
using CallGuard = std::function<std::optional<std::string>(const Tool& tool, const json& arguments,
                                                           AccessClass needed)>;

class Outbound {
 public:
  virtual ~Outbound() = default;
  virtual void send(const json& message) = 0;
  // False when requests sent here cannot reach the client (an HTTP request whose client
  // accepts no event stream): a server-to-client request then fails at once instead of
  // waiting for an answer that cannot come.
  virtual bool carries_requests() const { return true; }
};

class Server {
 public:
  Server(ServerInfo info, ToolRegistry tools, CallGuard guard, ServerOptions options = {},
         ServerCatalog catalog = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const ServerInfo& info() const { return info_; }
  const ToolRegistry& tools() const { return tools_; }
  const ServerOptions& options() const { return options_; }
  const CallGuard& guard() const { return guard_; }
  const ServerCatalog& catalog() const { return catalog_; }
  WorkerPool& workers() { return workers_; }
  WorkerPool& long_running_workers() { return long_running_workers_; }

 private:
  ServerInfo info_;
  ToolRegistry tools_;
  CallGuard guard_;
  ServerOptions options_;
  ServerCatalog catalog_;
  WorkerPool workers_;
  WorkerPool long_running_workers_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  static std::shared_ptr<Session> create(Server& server, std::shared_ptr<Outbound> outbound);

  // Handles one serialized message; answers go to `reply` (the session's outbound when null).
  void handle_text(std::string_view text, std::shared_ptr<Outbound> reply = nullptr);
  void handle(const Message& message, std::shared_ptr<Outbound> reply = nullptr);

  // Marks every running call cancelled; their replies are suppressed.
  void cancel_all();
  // Blocks until no call is running, or the timeout passes; true when idle.
  bool wait_until_idle(std::chrono::milliseconds timeout);
  size_t in_flight() const;

  // Sends a request to the client through `reply` and waits for the answer (a JSON-RPC
  // error becomes an Error with code "RpcError"). Gives up with an Error on `timeout`, or
  // when `cancelled` turns true, telling the client with notifications/cancelled.
  Result<json> request_client(const std::string& method, json params,
                              const std::shared_ptr<Outbound>& reply,
                              std::chrono::milliseconds timeout,
                              const std::function<bool()>& cancelled);

  bool initialized() const { return initialized_.load(); }
  std::string protocol_version() const;
  json client_capabilities() const;
  LogLevel log_level() const { return static_cast<LogLevel>(log_level_.load()); }

 private:
  struct Call;
  class CallContext;
  struct ClientRequest;

  Session(Server& server, std::shared_ptr<Outbound> outbound);

  // The requests a session answers: a table from method name to handler (session.cpp).
  struct MethodEntry;
  static const std::map<std::string, MethodEntry, std::less<>>& methods();

  void handle_request(const Message& m, const std::shared_ptr<Outbound>& reply);
  void handle_notification(const Message& m);
  RpcOutcome on_initialize(const json& params);
  RpcOutcome on_ping(const json& params);
  RpcOutcome on_tools_list(const json& params);
  RpcOutcome on_set_level(const json& params);
  RpcOutcome on_resources_list(const json& params);
  RpcOutcome on_resource_templates_list(const json& params);
  RpcOutcome on_resources_read(const json& params);
  RpcOutcome on_resources_subscribe(const json& params);
  RpcOutcome on_resources_unsubscribe(const json& params);
  RpcOutcome on_prompts_list(const json& params);
  RpcOutcome on_prompts_get(const json& params);
  RpcOutcome on_complete(const json& params);
  void on_client_response(const Message& m);
  void start_tool_call(const Message& m, const std::shared_ptr<Outbound>& reply);
  ToolResult run_tool(const Tool& tool, const json& arguments, CallContext& context);
  void filter_answer(const Tool& tool, ToolResult& result);
  void finish_call(const std::shared_ptr<Call>& call, const json& response);

  Server& server_;
  std::shared_ptr<Outbound> outbound_;
  std::atomic<bool> initialized_{false};
  std::atomic<int> log_level_;

  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  std::string protocol_version_;
  json client_capabilities_ = json::object();
  std::map<std::string, std::shared_ptr<Call>> calls_;                     // by id_key
  std::map<std::string, std::shared_ptr<ClientRequest>> client_requests_;  // by id_key
  uint64_t next_client_request_ = 1;
  std::set<std::string> subscriptions_;  // resource URIs
};

}  // namespace ecs_mcp::mcp
