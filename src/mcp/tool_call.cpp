// Running tools/call: the call is registered with its session, runs on the worker pool
// (validated, gated, then handed to the tool's handler), its answer passes the server's answer
// filter, and it answers through the Outbound it came from, unless it was cancelled.
#include <spdlog/spdlog.h>

#include "mcp/argument_coercion.h"
#include "mcp/json_schema.h"
#include "mcp/server.h"
#include "mcp/session_call.h"

namespace ecs_mcp::mcp {

class Session::CallContext : public ToolContext {
 public:
  CallContext(Session& session, std::shared_ptr<Call> call)
      : session_(session), call_(std::move(call)) {}

  bool cancelled() const override { return call_->cancelled.load(); }
  std::stop_token stop_token() const override { return call_->stop.get_token(); }

  void progress(double progress, std::optional<double> total, const std::string& message) override {
    if (call_->progress_token.is_null() || cancelled()) return;
    {
      std::lock_guard lock(call_->progress_mu);
      if (call_->last_progress && progress <= *call_->last_progress) return;
      call_->last_progress = progress;
    }
    json params{{"progressToken", call_->progress_token}, {"progress", progress}};
    if (total) params["total"] = *total;
    if (!message.empty()) params["message"] = message;
    call_->reply->send(make_notification("notifications/progress", std::move(params)));
  }

  void log(LogLevel level, const std::string& logger, const json& data) override {
    // Like the reply itself, nothing more about a cancelled call reaches the client.
    if (cancelled()) return;
    if (static_cast<int>(level) < static_cast<int>(session_.log_level())) return;
    json params{{"level", to_string(level)}, {"data", data}};
    if (!logger.empty()) params["logger"] = logger;
    call_->reply->send(make_notification("notifications/message", std::move(params)));
  }

  json client_capabilities() const override { return session_.client_capabilities(); }

  Result<json> request_client(const std::string& method, json params,
                              std::chrono::milliseconds timeout) override {
    return session_.request_client(method, std::move(params), call_->reply, timeout,
                                   [this] { return cancelled(); });
  }

 private:
  Session& session_;
  std::shared_ptr<Call> call_;
};

void Session::start_tool_call(const Message& m, const std::shared_ptr<Outbound>& reply) {
  auto fail = [&](int code, std::string message) {
    reply->send(make_error_response(m.id, RpcError{code, std::move(message), nullptr}));
  };
  const json& params = m.params;
  auto name = params.is_object() ? params.find("name") : json::const_iterator();
  if (!params.is_object() || name == params.end() || !name->is_string()) {
    return fail(rpc_error::kInvalidParams, "tools/call needs params.name (the tool's name)");
  }
  const Tool* tool = server_.tools().find(name->get<std::string>());
  if (!tool) {
    return fail(rpc_error::kInvalidParams, "Unknown tool: " + name->get<std::string>());
  }
  json arguments = json::object();
  if (auto a = params.find("arguments"); a != params.end() && !a->is_null()) arguments = *a;

  auto call = std::make_shared<Call>();
  call->id = m.id;
  call->reply = reply;
  if (auto meta = params.find("_meta"); meta != params.end() && meta->is_object()) {
    if (auto token = meta->find("progressToken");
        token != meta->end() && (token->is_string() || token->is_number_integer())) {
      call->progress_token = *token;
    }
  }
  {
    std::lock_guard lock(mu_);
    if (calls_.count(id_key(m.id))) {
      return fail(rpc_error::kInvalidRequest,
                  "request id " + m.id.dump() + " is already in use by a running call");
    }
    if (calls_.size() >= server_.options().max_in_flight_per_session) {
      return fail(rpc_error::kInternalError, "too many tool calls in progress (" +
                                                 std::to_string(calls_.size()) +
                                                 "); retry when some have finished");
    }
    calls_.emplace(id_key(m.id), call);
  }
  auto self = shared_from_this();
  auto& pool = tool->long_running ? server_.long_running_workers() : server_.workers();
  pool.submit([self, tool, call, arguments = std::move(arguments)] {
    CallContext context(*self, call);
    ToolResult result;
    if (call->cancelled) {
      // Cancelled while it waited for a worker: do none of its work (the reply is suppressed).
      result = ToolResult::error("cancelled before it started");
    } else {
      try {
        result = self->run_tool(*tool, arguments, context);
      } catch (const std::exception& e) {
        spdlog::error("tool {} failed before its handler ran: {}", tool->name, e.what());
        result = ToolResult::error(tool->name + " failed unexpectedly: " + e.what());
      }
    }
    self->filter_answer(*tool, result);
    self->finish_call(call, make_response(call->id, result.to_json()));
  });
}

ToolResult Session::run_tool(const Tool& tool, const json& sent, CallContext& context) {
  if (!sent.is_object()) {
    return ToolResult::error("Invalid arguments for " + tool.name +
                             ": arguments must be a JSON object");
  }
  const json arguments = coerce_arguments(tool.input_schema, sent);
  if (auto problem = validate_against_schema(tool.input_schema, arguments)) {
    return ToolResult::error("Invalid arguments for " + tool.name + ": " + *problem);
  }
  auto needed = tool.access_needed(arguments);
  if (!needed.ok()) {
    return ToolResult::error("Invalid arguments for " + tool.name + ": " + needed.error().message);
  }
  if (server_.guard()) {
    if (auto refusal = server_.guard()(tool, arguments, *needed)) {
      spdlog::warn("refused {} ({}): {}", tool.name, to_string(*needed), *refusal);
      return ToolResult::error(*refusal);
    }
  }
  ToolResult result;
  try {
    result = tool.handler(arguments, context);
  } catch (const std::exception& e) {
    spdlog::error("tool {} failed with an exception: {}", tool.name, e.what());
    return ToolResult::error(tool.name + " failed unexpectedly: " + e.what());
  } catch (...) {
    spdlog::error("tool {} failed with an unknown exception", tool.name);
    return ToolResult::error(tool.name + " failed unexpectedly");
  }
  if (!result.is_error && !tool.output_schema.is_null()) {
    if (!result.structured) {
      spdlog::error("tool {} returned no structured content despite its output schema", tool.name);
      return ToolResult::error(tool.name + " produced no structured result (a server defect)");
    }
    if (auto problem = validate_against_schema(tool.output_schema, *result.structured)) {
      spdlog::error("tool {} output breaks its schema: {}", tool.name, *problem);
      return ToolResult::error(tool.name + " produced a result that breaks its output schema (" +
                               *problem + "; a server defect)");
    }
  }
  return result;
}

void Session::filter_answer(const Tool& tool, ToolResult& result) {
  const AnswerFilter& filter = server_.options().answer_filter;
  if (!filter) return;
  try {
    filter(tool, result);
  } catch (const std::exception& e) {
    spdlog::error("the answer filter failed on a {} answer: {}", tool.name, e.what());
    result = ToolResult::error(tool.name +
                               " produced an answer that could not be checked before sending; it "
                               "was withheld (a server defect)");
  }
}

void Session::finish_call(const std::shared_ptr<Call>& call, const json& response) {
  // Send before deregistering, so that a client which sees the session idle has its answer.
  if (!call->cancelled) {
    call->reply->send(response);
  } else {
    spdlog::debug("suppressing the reply to cancelled request {}", call->id.dump());
  }
  std::lock_guard lock(mu_);
  calls_.erase(id_key(call->id));
  if (calls_.empty()) idle_cv_.notify_all();
}

}  // namespace ecs_mcp::mcp
