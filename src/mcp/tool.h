// What a tool is: its declaration (name, title, description, schemas, annotations, the access
// its calls need) and its handler, declared once and read by tools/list, the access gate and
// the documentation alike.
//
// A handler runs on a worker thread. It receives the validated arguments and a ToolContext
// through which it reports progress, sends log messages to the client and learns that the
// call was cancelled. Handlers return a ToolResult; they never throw (an exception that
// escapes anyway becomes an isError result, not a crash).
//
// Thread-safety: Tool declarations are immutable after registration; a ToolContext belongs
// to one call and may be used from the thread running it.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::mcp {

using json = nlohmann::json;

// What a call may do, from least to most dangerous. The product's access gate decides which
// classes the configuration allows; the protocol layer only carries the declaration.
enum class AccessClass {
  kRead,           // reads configuration and state
  kSensitiveRead,  // reads logs or data that may carry secrets
  kWrite,          // creates or changes resources
  kDestructive,    // deletes or stops resources
  kExec,           // runs commands inside containers: needs write and sensitive access
};

std::string_view to_string(AccessClass access);

// MCP tool annotations; every tool states all four explicitly.
struct ToolAnnotations {
  bool read_only = true;
  bool destructive = false;
  bool idempotent = true;
  bool open_world = true;
};

enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError, kCritical, kAlert, kEmergency };
std::string_view to_string(LogLevel level);
std::optional<LogLevel> parse_log_level(std::string_view name);

// The per-call view of the session a handler gets.
class ToolContext {
 public:
  virtual ~ToolContext() = default;
  // True once the client cancelled the call (or the server is shutting down). Handlers poll
  // it between steps and pass cancel_predicate() to blocking work.
  virtual bool cancelled() const = 0;
  // Stopped when the call is cancelled: waits that take it (a condition variable's wait, or
  // sleep_unless_stopped) wake at once instead of noticing at their next poll.
  virtual std::stop_token stop_token() const { return {}; }
  std::function<bool()> cancel_predicate() const {
    return [this] { return cancelled(); };
  }
  // Sends notifications/progress when the caller asked for progress; otherwise nothing.
  // Values that do not increase are dropped, as the protocol requires progress to grow.
  virtual void progress(double progress, std::optional<double> total = std::nullopt,
                        const std::string& message = {}) = 0;
  // Sends notifications/message when `level` is at or above the session's log level.
  virtual void log(LogLevel level, const std::string& logger, const json& data) = 0;

  // What the client declared in initialize (e.g. {"sampling":{}, "elicitation":{}}).
  virtual json client_capabilities() const { return json::object(); }
  // Sends a request to the client (sampling/createMessage, elicitation/create, ...) on the
  // call's own channel and waits for its answer: the result, or an Error for a JSON-RPC
  // error, a timeout or the call's cancellation. Contexts without a client say so.
  virtual Result<json> request_client(const std::string& method, json params,
                                      std::chrono::milliseconds timeout) {
    (void)method;
    (void)params;
    (void)timeout;
    return make_error(ErrorCode::kUnsupported, "this context cannot send requests to the client");
  }
};

struct ToolResult {
  json content = json::array();    // MCP content blocks
  std::optional<json> structured;  // structuredContent, for tools with an outputSchema
  bool is_error = false;

  static ToolResult text(std::string text);
  static ToolResult error(std::string text);
  // A structured result, mirrored as compact JSON text for clients that read content.
  static ToolResult structured_result(json value);
  json to_json() const;
};

struct Tool {
  std::string name;         // the stable interface name
  std::string title;        // for people
  std::string description;  // for the model: what it does, when to use it, what it needs
  json input_schema;        // an object schema
  json output_schema;       // null when the tool's output has no stable shape
  ToolAnnotations annotations;

  // Every access class this tool's calls may need (one entry for single-purpose tools).
  std::vector<AccessClass> access_classes{AccessClass::kRead};
  // The access one call needs, from its (schema-valid) arguments. Unset means
  // access_classes.front(). An Error (e.g. an unknown operation) is reported to the caller
  // as a bad-arguments result and the handler is not run.
  std::function<Result<AccessClass>(const json& arguments)> access_for;
  // For multi-operation tools: the argument naming the operation ("api_operation", "action"),
  // so refusals can name the operation rather than the whole tool.
  std::string operation_argument;
  // Calls may run for minutes (a deployment waiting for its stacks): they run on the server's
  // separate, smaller pool, so they cannot take every worker from quick calls.
  bool long_running = false;

  // The name of what one call does: the operation argument's value, or the tool's name.
  std::string operation_name(const json& arguments) const;

  std::function<ToolResult(const json& arguments, ToolContext& context)> handler;

  Result<AccessClass> access_needed(const json& arguments) const;
  // The tools/list entry.
  json to_json() const;
};

}  // namespace ecs_mcp::mcp
