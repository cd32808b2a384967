#include "mcp/client_session.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace ecs_mcp::mcp {

ClientSession::ClientSession(std::unique_ptr<ClientTransport> transport,
                             ClientSessionOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {}

ClientSession::~ClientSession() {
  close();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(handler_threads_);
  }
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

void ClientSession::on_request(const std::string& method, json capability,
                               ServerRequestHandler handler) {
  request_handlers_[method] = {std::move(capability), std::move(handler)};
}

void ClientSession::on_notification(NotificationHandler handler) {
  notification_handler_ = std::move(handler);
}

bool ClientSession::connected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return started_.load() && !closed_;
}

Error ClientSession::closed_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_reason_;
}

void ClientSession::close() {
  if (started_.load()) transport_->close();
}

Result<ServerDescription> ClientSession::initialize() {
  if (started_.exchange(true))
    return make_error(ErrorCode::kInvalidState, "initialize() called twice");
  auto started = transport_->start([this](const json& m) { on_message(m); },
                                   [this](const Error& reason) { on_closed(reason); });
  if (!started.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    closed_reason_ = started.error();
    return started.error();
  }
  json capabilities = json::object();
  for (const auto& [method, entry] : request_handlers_) {
    if (entry.first.is_object()) capabilities.update(entry.first);
  }
  json params{{"protocolVersion", options_.protocol_version},
              {"capabilities", capabilities},
              {"clientInfo", {{"name", options_.info.name}, {"version", options_.info.version}}}};
  RequestOptions request_options;
  request_options.timeout = options_.initialize_timeout;
  auto result = request("initialize", std::move(params), request_options);
  if (!result.ok()) return result.error();
  ServerDescription description;
  description.protocol_version = result->value("protocolVersion", "");
  description.server_info = result->value("serverInfo", json::object());
  description.capabilities = result->value("capabilities", json::object());
  description.instructions = result->value("instructions", "");
  if (description.protocol_version.empty()) {
    return make_error(ErrorCode::kUnsupportedProtocolVersion,
                      "the server's initialize answer names no protocol version");
  }
  server_ = description;
  ECS_MCP_RETURN_IF_ERROR(notify("notifications/initialized", json::object()));
  return description;
}

Result<json> ClientSession::request(const std::string& method, json params,
                                    const RequestOptions& options) {
  auto pending = std::make_shared<Pending>();
  json id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return closed_reason_;
    id = next_id_++;
    pending_[id_key(id)] = pending;
  }
  const std::string key = id_key(id);
  auto forget = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(key);
  };
  if (auto st = transport_->send(make_request(id, method, std::move(params))); !st.ok()) {
    forget();
    return st.error();
  }
  const auto timeout = options.timeout.count() > 0 ? options.timeout : options_.request_timeout;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  while (!pending->done && !closed_) {
    if (options.cancelled && options.cancelled()) {
      pending_.erase(key);
      lock.unlock();
      (void)notify("notifications/cancelled",
                   {{"requestId", id}, {"reason", "cancelled by the user"}});
      return make_error(ErrorCode::kCancelled, method + " was cancelled");
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      pending_.erase(key);
      lock.unlock();
      (void)notify("notifications/cancelled", {{"requestId", id}, {"reason", "timed out"}});
      return make_error(ErrorCode::kTimeout, method + " got no answer within " +
                                                 std::to_string(timeout.count()) + " ms from " +
                                                 transport_->describe());
    }
    // Short slices only when there is a cancel predicate to poll.
    auto slice = options.cancelled ? std::chrono::milliseconds(50) : timeout;
    cv_.wait_until(lock, std::min(deadline, now + slice));
  }
  pending_.erase(key);
  if (!pending->done) return closed_reason_;
  if (pending->error) {
    std::string message =
        pending->error->message + " (JSON-RPC error " + std::to_string(pending->error->code) + ")";
    return make_error(ErrorCode::kRpcError, message);
  }
  return std::move(pending->result);
}

Status ClientSession::notify(const std::string& method, json params) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return closed_reason_;
  }
  return transport_->send(make_notification(method, std::move(params)));
}

Result<std::vector<json>> ClientSession::list_tools(const RequestOptions& options) {
  std::vector<json> tools;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    json params = json::object();
    if (!cursor.empty()) params["cursor"] = cursor;
    auto result = request("tools/list", std::move(params), options);
    if (!result.ok()) return result.error();
    if (result->contains("tools") && (*result)["tools"].is_array()) {
      for (auto& t : (*result)["tools"]) tools.push_back(std::move(t));
    }
    cursor = result->value("nextCursor", std::string());
    if (cursor.empty()) return tools;
  }
  return make_error(ErrorCode::kInvalidResponse, "tools/list kept returning a next cursor");
}

Result<json> ClientSession::call_tool(const std::string& name, const json& arguments,
                                      const RequestOptions& options) {
  return request("tools/call",
                 {{"name", name}, {"arguments", arguments.is_null() ? json::object() : arguments}},
                 options);
}

void ClientSession::on_message(const json& value) {
  Message m = classify_message(value);
  switch (m.kind) {
    case MessageKind::kResponse: {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = pending_.find(id_key(m.id));
      if (it == pending_.end()) return;  // late answer to a timed-out or cancelled request
      it->second->done = true;
      it->second->result = std::move(m.result);
      it->second->error = std::move(m.error);
      cv_.notify_all();
      return;
    }
    case MessageKind::kNotification:
      if (notification_handler_) notification_handler_(m.method, m.params);
      return;
    case MessageKind::kRequest:
      if (m.method == "ping") {
        (void)transport_->send(make_response(m.id, json::object()));
        return;
      }
      if (request_handlers_.count(m.method) == 0) {
        (void)transport_->send(make_error_response(
            m.id, RpcError{rpc_error::kMethodNotFound, "Method not found: " + m.method, json()}));
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        handler_threads_.emplace_back([this, id = m.id, method = m.method, params = m.params] {
          answer_server_request(id, method, params);
        });
      }
      return;
    case MessageKind::kInvalid:
      spdlog::debug("{}: ignoring an invalid message", transport_->describe());
      return;
  }
}

void ClientSession::answer_server_request(const json& id, const std::string& method,
                                          const json& params) {
  auto answer = request_handlers_.at(method).second(params);
  if (answer.ok()) {
    (void)transport_->send(make_response(id, std::move(*answer)));
    return;
  }
  const int code = answer.error().code == ErrorCode::kInvalidArgument ? rpc_error::kInvalidParams
                                                                      : rpc_error::kInternalError;
  (void)transport_->send(make_error_response(id, RpcError{code, answer.error().message, json()}));
}

void ClientSession::on_closed(const Error& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  closed_reason_ = reason;
  cv_.notify_all();
}

}  // namespace ecs_mcp::mcp
