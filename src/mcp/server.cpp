#include "mcp/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "mcp/argument_coercion.h"
#include "mcp/json_schema.h"

namespace ecs_mcp::mcp {

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> versions{"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

// ---------------------------------------------------------------------------------------------
// ToolRegistry

namespace {

bool valid_tool_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

}  // namespace

Status ToolRegistry::add(Tool tool) {
  if (!valid_tool_name(tool.name)) {
    return make_error("InvalidTool", "tool name \"" + tool.name +
                                         "\" must be 1-64 characters of A-Z a-z 0-9 _ - .");
  }
  if (find(tool.name)) return make_error("InvalidTool", "duplicate tool name " + tool.name);
  if (!tool.handler) return make_error("InvalidTool", tool.name + " has no handler");
  if (tool.access_classes.empty()) {
    return make_error("InvalidTool", tool.name + " declares no access class");
  }
  if (!tool.input_schema.is_object() || tool.input_schema.value("type", "") != "object") {
    return make_error("InvalidTool", tool.name + ": inputSchema must be an object schema");
  }
  for (const auto* schema : {&tool.input_schema, &tool.output_schema}) {
    if (schema->is_null()) continue;
    if (auto where = find_object_without_properties(*schema)) {
      return make_error("InvalidTool", tool.name + ": object schema at " + *where +
                                           " declares no properties");
    }
  }
  tools_.push_back(std::move(tool));
  return Status::Ok();
}

const Tool* ToolRegistry::find(std::string_view name) const {
  for (const auto& t : tools_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Server

Server::Server(ServerInfo info, ToolRegistry tools, CallGuard guard, ServerOptions options,
               ServerCatalog catalog)
    : info_(std::move(info)),
      tools_(std::move(tools)),
      guard_(std::move(guard)),
      options_(options),
      catalog_(std::move(catalog)),
      workers_(options.max_workers),
      long_running_workers_(options.max_long_running_workers) {}

bool match_uri_template(std::string_view uri_template, std::string_view uri,
                        std::map<std::string, std::string>& vars) {
  std::map<std::string, std::string> found;
  size_t t = 0, u = 0;
  while (t < uri_template.size()) {
    if (uri_template[t] != '{') {
      if (u >= uri.size() || uri[u] != uri_template[t]) return false;
      ++t;
      ++u;
      continue;
    }
    size_t close = uri_template.find('}', t);
    if (close == std::string_view::npos) return false;
    std::string name(uri_template.substr(t + 1, close - t - 1));
    t = close + 1;
    // A variable runs to the next literal character of the template (or the end); it never
    // spans a '/', and it is never empty.
    char stop = t < uri_template.size() ? uri_template[t] : '\0';
    size_t end = u;
    while (end < uri.size() && uri[end] != '/' && (stop == '\0' || uri[end] != stop)) ++end;
    if (end == u) return false;
    found[name] = std::string(uri.substr(u, end - u));
    u = end;
  }
  if (u != uri.size()) return false;
  vars = std::move(found);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Session: one running tools/call

struct Session::Call {
  json id;
  std::shared_ptr<Outbound> reply;
  json progress_token;  // null when the caller did not ask for progress
  std::atomic<bool> cancelled{false};
  std::stop_source stop;  // requested together with `cancelled`: wakes the call's waits
  std::mutex progress_mu;
  std::optional<double> last_progress;
};

class Session::CallContext : public ToolContext {
 public:
  CallContext(Session& session, std::shared_ptr<Call> call)
      : session_(session), call_(std::move(call)) {}

  bool cancelled() const override { return call_->cancelled.load(); }
  std::stop_token stop_token() const override { return call_->stop.get_token(); }

  void progress(double progress, std::optional<double> total,
                const std::string& message) override {
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

// ---------------------------------------------------------------------------------------------
// Session

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
            m.id, RpcError{rpc_error::kInternalError, "Internal error handling " + m.method, nullptr}));
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
      spdlog::info("request {} cancelled by the client{}{}", id->dump(),
                   reason.empty() ? "" : ": ", reason);
    }
  } else {
    spdlog::debug("ignoring notification {}", m.method);
  }
}

void Session::handle_request(const Message& m, const std::shared_ptr<Outbound>& reply) {
  std::optional<RpcError> error;
  json result;
  if (m.method == "initialize") {
    result = on_initialize(m.params, error);
  } else if (m.method == "ping") {
    result = json::object();
  } else if (!initialized_) {
    error = RpcError{rpc_error::kInvalidRequest,
                     "the session is not initialized: send \"initialize\" before \"" + m.method + "\"",
                     nullptr};
  } else if (m.method == "tools/call") {
    start_tool_call(m, reply);
    return;
  } else if (m.method == "tools/list") {
    result = on_tools_list(m.params, error);
  } else if (m.method == "logging/setLevel") {
    result = on_set_level(m.params, error);
  } else if (m.method == "resources/list") {
    result = on_resources_list(error);
  } else if (m.method == "resources/templates/list") {
    result = on_resource_templates_list(error);
  } else if (m.method == "resources/read") {
    result = on_resources_read(m.params, error);
  } else if (m.method == "resources/subscribe" || m.method == "resources/unsubscribe") {
    result = on_resources_subscription(m.params, m.method == "resources/subscribe", error);
  } else if (m.method == "prompts/list") {
    result = on_prompts_list(error);
  } else if (m.method == "prompts/get") {
    result = on_prompts_get(m.params, error);
  } else if (m.method == "completion/complete") {
    result = on_complete(m.params, error);
  } else {
    error = RpcError{rpc_error::kMethodNotFound, "Method not found: " + m.method, nullptr};
  }
  reply->send(error ? make_error_response(m.id, *error) : make_response(m.id, std::move(result)));
}

json Session::on_initialize(const json& params, std::optional<RpcError>& error) {
  auto requested = params.is_object() ? params.find("protocolVersion") : json::const_iterator();
  if (!params.is_object() || requested == params.end() || !requested->is_string()) {
    error = RpcError{rpc_error::kInvalidParams,
                     "initialize needs params.protocolVersion (a string such as \"" +
                         std::string(kLatestProtocolVersion) + "\")",
                     nullptr};
    return nullptr;
  }
  const auto& versions = supported_protocol_versions();
  std::string agreed = std::find(versions.begin(), versions.end(), requested->get<std::string>()) !=
                               versions.end()
                           ? requested->get<std::string>()
                           : std::string(kLatestProtocolVersion);
  {
    std::lock_guard lock(mu_);
    if (initialized_) {
      error = RpcError{rpc_error::kInvalidRequest, "the session is already initialized", nullptr};
      return nullptr;
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
  const auto& catalog = server_.catalog();
  json capabilities{{"tools", {{"listChanged", false}}}, {"logging", json::object()}};
  if (!catalog.resources.empty() || !catalog.resource_templates.empty()) {
    capabilities["resources"] = {{"subscribe", true}, {"listChanged", false}};
  }
  if (!catalog.prompts.empty()) capabilities["prompts"] = {{"listChanged", false}};
  if (catalog.complete) capabilities["completions"] = json::object();
  json result{
      {"protocolVersion", agreed},
      {"capabilities", std::move(capabilities)},
      {"serverInfo", {{"name", info.name}, {"title", info.title}, {"version", info.version}}}};
  if (!info.instructions.empty()) result["instructions"] = info.instructions;
  return result;
}

json Session::on_tools_list(const json& params, std::optional<RpcError>& error) {
  const auto& tools = server_.tools().tools();
  size_t page = std::max<size_t>(1, server_.options().tools_page_size);
  size_t start = 0;
  if (params.is_object()) {
    if (auto c = params.find("cursor"); c != params.end() && !c->is_null()) {
      // Cursors are opaque to clients; ours is "t" followed by the index of the next tool.
      std::string cursor = c->is_string() ? c->get<std::string>() : "";
      bool ok = cursor.size() > 1 && cursor[0] == 't' && cursor.size() < 12 &&
                std::all_of(cursor.begin() + 1, cursor.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (ok) start = std::stoul(cursor.substr(1));
      if (!ok || start == 0 || start >= tools.size()) {
        error = RpcError{rpc_error::kInvalidParams, "invalid cursor", nullptr};
        return nullptr;
      }
    }
  }
  json list = json::array();
  size_t end = std::min(tools.size(), start + page);
  for (size_t i = start; i < end; ++i) list.push_back(tools[i].to_json());
  json result{{"tools", std::move(list)}};
  if (end < tools.size()) result["nextCursor"] = "t" + std::to_string(end);
  return result;
}

json Session::on_set_level(const json& params, std::optional<RpcError>& error) {
  std::optional<LogLevel> level;
  if (params.is_object()) {
    if (auto l = params.find("level"); l != params.end() && l->is_string()) {
      level = parse_log_level(l->get<std::string>());
    }
  }
  if (!level) {
    error = RpcError{rpc_error::kInvalidParams,
                     "params.level must be one of debug, info, notice, warning, error, critical, "
                     "alert, emergency",
                     nullptr};
    return nullptr;
  }
  log_level_ = static_cast<int>(*level);
  return json::object();
}

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
      return fail(rpc_error::kInternalError,
                  "too many tool calls in progress (" + std::to_string(calls_.size()) +
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

// ---------------------------------------------------------------------------------------------
// Resources, prompts, completions

namespace {

RpcError method_not_found(const std::string& method) {
  return RpcError{rpc_error::kMethodNotFound, "Method not found: " + method, nullptr};
}

std::optional<std::string> string_param(const json& params, const char* name) {
  if (!params.is_object()) return std::nullopt;
  auto it = params.find(name);
  if (it == params.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void put_if(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

bool has_resources(const ServerCatalog& c) { return !c.resources.empty() || !c.resource_templates.empty(); }

}  // namespace

json Session::on_resources_list(std::optional<RpcError>& error) {
  const auto& catalog = server_.catalog();
  if (!has_resources(catalog)) {
    error = method_not_found("resources/list");
    return nullptr;
  }
  json list = json::array();
  for (const auto& r : catalog.resources) {
    json j{{"uri", r.uri}, {"name", r.name}};
    put_if(j, "title", r.title);
    put_if(j, "description", r.description);
    put_if(j, "mimeType", r.mime_type);
    list.push_back(std::move(j));
  }
  return {{"resources", std::move(list)}};
}

json Session::on_resource_templates_list(std::optional<RpcError>& error) {
  const auto& catalog = server_.catalog();
  if (!has_resources(catalog)) {
    error = method_not_found("resources/templates/list");
    return nullptr;
  }
  json list = json::array();
  for (const auto& r : catalog.resource_templates) {
    json j{{"uriTemplate", r.uri_template}, {"name", r.name}};
    put_if(j, "title", r.title);
    put_if(j, "description", r.description);
    put_if(j, "mimeType", r.mime_type);
    list.push_back(std::move(j));
  }
  return {{"resourceTemplates", std::move(list)}};
}

json Session::on_resources_read(const json& params, std::optional<RpcError>& error) {
  const auto& catalog = server_.catalog();
  if (!has_resources(catalog)) {
    error = method_not_found("resources/read");
    return nullptr;
  }
  auto uri = string_param(params, "uri");
  if (!uri) {
    error = RpcError{rpc_error::kInvalidParams, "resources/read needs params.uri (a string)", nullptr};
    return nullptr;
  }
  std::optional<Result<json>> contents;
  for (const auto& r : catalog.resources) {
    if (r.uri == *uri && r.read) {
      contents = r.read(*uri);
      break;
    }
  }
  for (size_t i = 0; !contents && i < catalog.resource_templates.size(); ++i) {
    const auto& t = catalog.resource_templates[i];
    std::map<std::string, std::string> vars;
    if (t.read && match_uri_template(t.uri_template, *uri, vars)) contents = t.read(*uri, vars);
  }
  if (!contents) {
    // -32002 is MCP's "resource not found".
    error = RpcError{-32002, "Resource not found: " + *uri, json{{"uri", *uri}}};
    return nullptr;
  }
  if (!contents->ok()) {
    error = RpcError{rpc_error::kInternalError, contents->error().describe(), nullptr};
    return nullptr;
  }
  return {{"contents", **contents}};
}

json Session::on_resources_subscription(const json& params, bool subscribe, std::optional<RpcError>& error) {
  if (!has_resources(server_.catalog())) {
    error = method_not_found(subscribe ? "resources/subscribe" : "resources/unsubscribe");
    return nullptr;
  }
  auto uri = string_param(params, "uri");
  if (!uri) {
    error = RpcError{rpc_error::kInvalidParams, "params.uri (a string) is required", nullptr};
    return nullptr;
  }
  std::lock_guard lock(mu_);
  if (subscribe) {
    subscriptions_.insert(*uri);
  } else {
    subscriptions_.erase(*uri);
  }
  return json::object();
}

json Session::on_prompts_list(std::optional<RpcError>& error) {
  const auto& prompts = server_.catalog().prompts;
  if (prompts.empty()) {
    error = method_not_found("prompts/list");
    return nullptr;
  }
  json list = json::array();
  for (const auto& p : prompts) {
    json j{{"name", p.name}};
    put_if(j, "title", p.title);
    put_if(j, "description", p.description);
    if (!p.arguments.empty()) {
      json args = json::array();
      for (const auto& a : p.arguments) {
        json aj{{"name", a.name}, {"required", a.required}};
        put_if(aj, "description", a.description);
        args.push_back(std::move(aj));
      }
      j["arguments"] = std::move(args);
    }
    list.push_back(std::move(j));
  }
  return {{"prompts", std::move(list)}};
}

json Session::on_prompts_get(const json& params, std::optional<RpcError>& error) {
  const auto& prompts = server_.catalog().prompts;
  if (prompts.empty()) {
    error = method_not_found("prompts/get");
    return nullptr;
  }
  auto name = string_param(params, "name");
  const Prompt* prompt = nullptr;
  for (const auto& p : prompts) {
    if (name && p.name == *name) prompt = &p;
  }
  if (!prompt || !prompt->get) {
    error = RpcError{rpc_error::kInvalidParams, "Unknown prompt: " + name.value_or("(none)"), nullptr};
    return nullptr;
  }
  std::map<std::string, std::string> args;
  if (auto a = params.find("arguments"); a != params.end() && a->is_object()) {
    for (const auto& [k, v] : a->items()) args[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  for (const auto& a : prompt->arguments) {
    if (a.required && !args.count(a.name)) {
      error = RpcError{rpc_error::kInvalidParams, "prompt " + prompt->name + " needs argument \"" + a.name + "\"",
                       nullptr};
      return nullptr;
    }
  }
  auto result = prompt->get(args);
  if (!result.ok()) {
    error = RpcError{rpc_error::kInternalError, result.error().describe(), nullptr};
    return nullptr;
  }
  return *result;
}

json Session::on_complete(const json& params, std::optional<RpcError>& error) {
  const auto& complete = server_.catalog().complete;
  if (!complete) {
    error = method_not_found("completion/complete");
    return nullptr;
  }
  if (!params.is_object() || !params.contains("ref") || !params["ref"].is_object() ||
      !params.contains("argument") || !params["argument"].is_object()) {
    error = RpcError{rpc_error::kInvalidParams, "completion/complete needs params.ref and params.argument", nullptr};
    return nullptr;
  }
  json completion = complete(params["ref"], params["argument"]);
  if (!completion.is_object()) completion = json::object();
  if (!completion.contains("values")) completion["values"] = json::array();
  return {{"completion", std::move(completion)}};
}

// ---------------------------------------------------------------------------------------------
// Requests from the server to the client

struct Session::ClientRequest {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  json result;
  std::optional<RpcError> error;
};

Result<json> Session::request_client(const std::string& method, json params, const std::shared_ptr<Outbound>& reply,
                                     std::chrono::milliseconds timeout, const std::function<bool()>& cancelled) {
  const std::shared_ptr<Outbound>& out = reply ? reply : outbound_;
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
        failure = make_error("Cancelled", method + " was abandoned: the call was cancelled");
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        failure = make_error("Timeout", "the client did not answer " + method + " in time");
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
    out->send(make_notification("notifications/cancelled", {{"requestId", id}, {"reason", failure->message}}));
    return *failure;
  }
  if (pending->error) return make_error("RpcError", pending->error->message);
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
