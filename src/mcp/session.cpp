// A session's lifecycle and its dispatch: the table of request handlers, notifications, and
// requests the server sends to the client. Running tools/call is in tool_call.cpp.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "mcp/server.h"
#include "mcp/session_call.h"

namespace ecs_mcp::mcp {

// How a session answers one method. `answer` replies at once with its outcome; `start`
// replies later by itself (tools/call runs on the worker pool).
struct Session::MethodEntry {
  bool needs_initialize = true;
  RpcOutcome (Session::*answer)(const json& params) = nullptr;
  void (Session::*start)(const Message& m, const std::shared_ptr<Outbound>& reply) = nullptr;
};

const std::map<std::string, Session::MethodEntry, std::less<>>& Session::methods() {
  static const std::map<std::string, MethodEntry, std::less<>> table{
      {"initialize", {false, &Session::on_initialize}},
      {"ping", {false, &Session::on_ping}},
      {"tools/call", {true, nullptr, &Session::start_tool_call}},
      {"tools/list", {true, &Session::on_tools_list}},
      {"logging/setLevel", {true, &Session::on_set_level}},
      {"resources/list", {true, &Session::on_resources_list}},
      {"resources/templates/list", {true, &Session::on_resource_templates_list}},
      {"resources/read", {true, &Session::on_resources_read}},
      {"resources/subscribe", {true, &Session::on_resources_subscribe}},
      {"resources/unsubscribe", {true, &Session::on_resources_unsubscribe}},
      {"prompts/list", {true, &Session::on_prompts_list}},
      {"prompts/get", {true, &Session::on_prompts_get}},
      {"completion/complete", {true, &Session::on_complete}},
  };
  return table;
}

std::shared_ptr<Session> Session::create(Server& server, std::shared_ptr<Outbound> outbound) {
  return std::shared_ptr<Session>(new Session(server, std::move(outbound)));
}

Session::Session(Server& server, std::shared_ptr<Outbound> outbound)
    : server_(server),
      outbound_(std::move(outbound)),
      log_level_(static_cast<int>(server.options().initial_client_log_level)) {}

std::string Session::protocol_version() const {
  std::lock_guard lock(mu_);
  return protocol_version_;
}

json Session::client_capabilities() const {
  std::lock_guard lock(mu_);
  return client_capabilities_;
}

size_t Session::in_flight() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

void Session::cancel_all() {
  std::lock_guard lock(mu_);
  for (auto& [key, call] : calls_) {
    call->cancelled = true;
    call->stop.request_stop();
  }
}

bool Session::wait_until_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return calls_.empty(); });
}

void Session::handle_text(std::string_view text, std::shared_ptr<Outbound> reply) {
  handle(parse_message(text), std::move(reply));
}

void Session::handle(const Message& m, std::shared_ptr<Outbound> reply) {
  if (!reply) reply = outbound_;
  switch (m.kind) {
    case MessageKind::kInvalid:
      spdlog::debug("rejecting invalid message: {}", m.error->message);
      reply->send(make_error_response(m.id, *m.error));
      return;
    case MessageKind::kNotification:
    case MessageKind::kResponse:
      try {
        if (m.kind == MessageKind::kNotification) {
          handle_notification(m);
        } else {
          on_client_response(m);
        }
      } catch (const std::exception& e) {
        spdlog::error("internal error handling a {}: {}",
                      m.kind == MessageKind::kNotification ? m.method : "response", e.what());
      }
      return;
    case MessageKind::kRequest:
      // A defect in a handler must cost one request an error, never the session or process.
      try {
        handle_request(m, reply);
      } catch (const std::exception& e) {
        spdlog::error("internal error handling {}: {}", m.method, e.what());
        reply->send(make_error_response(
            m.id,
            RpcError{rpc_error::kInternalError, "Internal error handling " + m.method, nullptr}));
      }
      return;
  }
}

void Session::handle_notification(const Message& m) {
  if (m.method == "notifications/initialized") {
    spdlog::debug("client reports initialized");
  } else if (m.method == "notifications/cancelled") {
    if (!m.params.is_object()) return;
    auto id = m.params.find("requestId");
    if (id == m.params.end()) return;
    std::lock_guard lock(mu_);
    auto it = calls_.find(id_key(*id));
    if (it != calls_.end()) {
      it->second->cancelled = true;
      it->second->stop.request_stop();
      std::string reason;
      if (auto r = m.params.find("reason"); r != m.params.end() && r->is_string()) reason = *r;
      spdlog::info("request {} cancelled by the client{}{}", id->dump(), reason.empty() ? "" : ": ",
                   reason);
    }
  } else {
    spdlog::debug("ignoring notification {}", m.method);
  }
}

void Session::handle_request(const Message& m, const std::shared_ptr<Outbound>& reply) {
  const auto& table = methods();
  auto entry = table.find(m.method);
  bool known = entry != table.end();
  // Before initialize, every method but the lifecycle ones is refused, known or not.
  if ((!known || entry->second.needs_initialize) && !initialized_) {
    reply->send(make_error_response(
        m.id,
        RpcError{rpc_error::kInvalidRequest,
                 "the session is not initialized: send \"initialize\" before \"" + m.method + "\"",
                 nullptr}));
    return;
  }
  if (!known) {
    reply->send(make_error_response(m.id, method_not_found(m.method)));
    return;
  }
  if (entry->second.start) {
    (this->*entry->second.start)(m, reply);
    return;
  }
  reply->send(make_outcome_response(m.id, (this->*entry->second.answer)(m.params)));
}

RpcOutcome Session::on_initialize(const json& params) {
  auto requested = params.is_object() ? params.find("protocolVersion") : json::const_iterator();
  if (!params.is_object() || requested == params.end() || !requested->is_string()) {
    return invalid_params("initialize needs params.protocolVersion (a string such as \"" +
                          std::string(kLatestProtocolVersion) + "\")");
  }
  const auto& versions = supported_protocol_versions();
  std::string agreed =
      std::find(versions.begin(), versions.end(), requested->get<std::string>()) != versions.end()
          ? requested->get<std::string>()
          : std::string(kLatestProtocolVersion);
  {
    std::lock_guard lock(mu_);
    if (initialized_) {
      return RpcError{rpc_error::kInvalidRequest, "the session is already initialized", nullptr};
    }
    protocol_version_ = agreed;
    if (auto caps = params.find("capabilities"); caps != params.end() && caps->is_object()) {
      client_capabilities_ = *caps;
    }
    initialized_ = true;
  }
  if (auto ci = params.find("clientInfo"); ci != params.end() && ci->is_object()) {
    // Any JSON may stand where a string belongs: read only strings.
    auto text = [&](const char* key) {
      auto it = ci->find(key);
      return it != ci->end() && it->is_string() ? it->get<std::string>() : std::string("?");
    };
    spdlog::info("client {} {} connected, protocol {}", text("name"), text("version"), agreed);
  }
  const auto& info = server_.info();
  json capabilities{{"tools", {{"listChanged", false}}}, {"logging", json::object()}};
  capabilities.update(server_.catalog().capabilities());
  json result{
      {"protocolVersion", agreed},
      {"capabilities", std::move(capabilities)},
      {"serverInfo", {{"name", info.name}, {"title", info.title}, {"version", info.version}}}};
  if (!info.instructions.empty()) result["instructions"] = info.instructions;
  return result;
}

RpcOutcome Session::on_ping(const json&) { return json::object(); }

RpcOutcome Session::on_tools_list(const json& params) {
  return server_.tools().list(params, server_.options().tools_page_size);
}

RpcOutcome Session::on_set_level(const json& params) {
  std::optional<LogLevel> level;
  if (params.is_object()) {
    if (auto l = params.find("level"); l != params.end() && l->is_string()) {
      level = parse_log_level(l->get<std::string>());
    }
  }
  if (!level) {
    return invalid_params(
        "params.level must be one of debug, info, notice, warning, error, critical, "
        "alert, emergency");
  }
  log_level_ = static_cast<int>(*level);
  return json::object();
}

RpcOutcome Session::on_resources_list(const json&) { return list_resources(server_.catalog()); }

RpcOutcome Session::on_resource_templates_list(const json&) {
  return list_resource_templates(server_.catalog());
}

RpcOutcome Session::on_resources_read(const json& params) {
  return read_resource(server_.catalog(), params);
}

RpcOutcome Session::on_resources_subscribe(const json& params) {
  ECS_MCP_ASSIGN_OR_RETURN(auto uri,
                           subscription_uri(server_.catalog(), params, "resources/subscribe"));
  std::lock_guard lock(mu_);
  subscriptions_.insert(uri);
  return json::object();
}

RpcOutcome Session::on_resources_unsubscribe(const json& params) {
  ECS_MCP_ASSIGN_OR_RETURN(auto uri,
                           subscription_uri(server_.catalog(), params, "resources/unsubscribe"));
  std::lock_guard lock(mu_);
  subscriptions_.erase(uri);
  return json::object();
}

RpcOutcome Session::on_prompts_list(const json&) { return list_prompts(server_.catalog()); }

RpcOutcome Session::on_prompts_get(const json& params) {
  return get_prompt(server_.catalog(), params);
}

RpcOutcome Session::on_complete(const json& params) { return complete(server_.catalog(), params); }

// ---------------------------------------------------------------------------------------------
// Requests from the server to the client

struct Session::ClientRequest {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  json result;
  std::optional<RpcError> error;
};

Result<json> Session::request_client(const std::string& method, json params,
                                     const std::shared_ptr<Outbound>& reply,
                                     std::chrono::milliseconds timeout,
                                     const std::function<bool()>& cancelled) {
  const std::shared_ptr<Outbound>& out = reply ? reply : outbound_;
  if (!out->carries_requests()) {
    return make_error(
        ErrorCode::kUnsupported,
        "cannot send " + method + ": the client accepts no event stream for this request");
  }
  auto pending = std::make_shared<ClientRequest>();
  json id;
  {
    std::lock_guard lock(mu_);
    id = "srv-" + std::to_string(next_client_request_++);
    client_requests_[id_key(id)] = pending;
  }
  out->send(make_request(id, method, std::move(params)));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<Error> failure;
  {
    std::unique_lock lock(pending->mu);
    while (!pending->done) {
      if (cancelled && cancelled()) {
        failure =
            make_error(ErrorCode::kCancelled, method + " was abandoned: the call was cancelled");
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        failure =
            make_error(ErrorCode::kTimeout, "the client did not answer " + method + " in time");
        break;
      }
      pending->cv.wait_for(lock, std::chrono::milliseconds(50));
    }
  }
  {
    std::lock_guard lock(mu_);
    client_requests_.erase(id_key(id));
  }
  if (failure) {
    out->send(make_notification("notifications/cancelled",
                                {{"requestId", id}, {"reason", failure->message}}));
    return *failure;
  }
  if (pending->error) return make_error(ErrorCode::kRpcError, pending->error->message);
  return pending->result;
}

void Session::on_client_response(const Message& m) {
  std::shared_ptr<ClientRequest> pending;
  {
    std::lock_guard lock(mu_);
    auto it = client_requests_.find(id_key(m.id));
    if (it != client_requests_.end()) pending = it->second;
  }
  if (!pending) {
    spdlog::debug("ignoring a response to unknown request {}", m.id.dump());
    return;
  }
  std::lock_guard lock(pending->mu);
  pending->done = true;
  pending->result = m.result;
  pending->error = m.error;
  pending->cv.notify_all();
}

}  // namespace ecs_mcp::mcp
