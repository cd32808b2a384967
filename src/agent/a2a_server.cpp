#include "agent/a2a_server.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "common/strings.h"
#include "mcp/http_security.h"
#include "mcp/http_server.h"
#include "mcp/jsonrpc.h"
#include "mcp/rpc_outcome.h"

namespace ecs_mcp::agent {
namespace {

using mcp::http::Headers;
using mcp::http::HttpExchange;
using mcp::http::HttpRequest;
using mcp::http::HttpResponse;

std::atomic<A2aServer*> g_signal_server{nullptr};

void on_stop_signal(int) {
  if (auto* s = g_signal_server.load()) s->request_stop();
}

HttpResponse json_response(int status, const json& body, Headers headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return {status, std::move(headers), mcp::serialize(body)};
}

HttpResponse rpc_error_response(int status, const json& id, int code, std::string message,
                                Headers headers = {}) {
  return json_response(
      status, mcp::make_error_response(id, mcp::RpcError{code, std::move(message), nullptr}),
      std::move(headers));
}

std::string sse_event(const json& message) { return "data: " + mcp::serialize(message) + "\n\n"; }

bool is_card_path(const std::string& path) {
  return path == "/.well-known/agent-card.json" || path == "/.well-known/agent.json";
}

}  // namespace

struct A2aServer::Impl {
  A2aTasks& tasks;
  std::function<json(const std::string&)> card;
  A2aServerOptions options;
  mcp::http::OriginPolicy origins;
  bool loopback = true;
  std::unique_ptr<mcp::http::HttpServer> http;

  Impl(A2aTasks& t, std::function<json(const std::string&)> c, A2aServerOptions o)
      : tasks(t),
        card(std::move(c)),
        options(std::move(o)),
        origins(options.allowed_origins),
        loopback(mcp::http::is_loopback_bind_address(options.host)) {}

  std::string endpoint_url(const HttpRequest& req) const {
    if (!options.public_url.empty()) return options.public_url;
    const std::string* host = req.header("host");
    if (host && !host->empty()) return "http://" + *host + "/";
    return "http://" + options.host + ":" + std::to_string(http ? http->port() : 0) + "/";
  }

  void handle(HttpRequest&& req, const std::shared_ptr<HttpExchange>& ex);
  void handle_rpc(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex, Headers cors);
  void start_stream(const json& id, const std::shared_ptr<HttpExchange>& ex, Headers cors,
                    bool resubscribe, const json& params);
};

A2aServer::A2aServer(A2aTasks& tasks, std::function<json(const std::string&)> card,
                     A2aServerOptions options)
    : impl_(std::make_unique<Impl>(tasks, std::move(card), std::move(options))) {}

A2aServer::~A2aServer() {
  A2aServer* self = this;
  g_signal_server.compare_exchange_strong(self, nullptr);
  impl_->http.reset();
}

Status A2aServer::start() {
  auto& o = impl_->options;
  if (!impl_->loopback && o.auth_token.empty() && !o.allow_remote_without_token) {
    return make_error(ErrorCode::kInsecureBind,
                      "refusing to listen on " + o.host +
                          " without an authentication token: anyone who can reach it could "
                          "make the agent act in your AWS account. Set a token "
                          "(--auth-token-file or ECS_MCP_AUTH_TOKEN), listen on 127.0.0.1, or "
                          "pass --allow-remote-without-token if something in front of the agent "
                          "authenticates callers.");
  }
  mcp::http::HttpServerOptions so;
  so.max_body_bytes = o.max_body_bytes;
  so.max_connections = o.max_connections;
  so.max_connections_per_peer = o.max_connections_per_peer;
  Impl* impl = impl_.get();
  impl_->http = std::make_unique<mcp::http::HttpServer>(
      so, [impl](HttpRequest&& req, std::shared_ptr<HttpExchange> ex) {
        impl->handle(std::move(req), ex);
      });
  impl_->http->set_tick([impl] { impl->tasks.expire(); });
  impl_->http->set_on_stop([impl] { impl->tasks.cancel_all(); });
  if (auto st = impl_->http->listen(o.host, o.port); !st.ok()) return st;
  impl_->origins.set_server_port(impl_->http->port());
  if (!impl_->loopback && o.auth_token.empty())
    spdlog::warn("serving A2A on {} WITHOUT authentication (--allow-remote-without-token)", o.host);
  return Status::Ok();
}

uint16_t A2aServer::port() const { return impl_->http ? impl_->http->port() : 0; }

std::string A2aServer::url() const {
  const auto& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port()) + "/";
}

void A2aServer::run() {
  if (!impl_->http) return;
  spdlog::info("serving A2A at {} (agent card at {}.well-known/agent-card.json){}", url(), url(),
               impl_->options.auth_token.empty() ? "" : " (bearer token required)");
  impl_->http->run();
}

void A2aServer::request_stop() {
  if (impl_->http) impl_->http->request_stop();
}

void A2aServer::install_signal_handlers(A2aServer& server) {
  g_signal_server = &server;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

void A2aServer::Impl::handle(HttpRequest&& req, const std::shared_ptr<HttpExchange>& ex) {
  if (loopback && !origins.allows_host(req.header("host"))) {
    spdlog::warn("refused a request from {} with Host {}", req.peer, *req.header("host"));
    ex->respond(rpc_error_response(403, nullptr, -32000,
                                   "Forbidden: the Host header must name this machine"));
    return;
  }
  const std::string* origin = req.header("origin");
  if (!origins.allows(origin)) {
    spdlog::warn("refused a request from {} with Origin {}", req.peer, *origin);
    ex->respond(rpc_error_response(
        403, nullptr, -32000,
        "Forbidden: origin " + *origin + " is not allowed (allow it with --allow-origin)"));
    return;
  }
  Headers cors;
  if (origin) {
    cors = {{"Access-Control-Allow-Origin", *origin},
            {"Access-Control-Expose-Headers", "WWW-Authenticate"},
            {"Vary", "Origin"}};
  }
  if (req.method == "OPTIONS") {
    Headers h = cors;
    h.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    h.emplace_back("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization");
    h.emplace_back("Access-Control-Max-Age", "600");
    ex->respond({204, std::move(h), ""});
    return;
  }
  if (req.path == "/healthz") {
    ex->respond(json_response(200, {{"status", "ok"}}, cors));
    return;
  }
  if (is_card_path(req.path)) {
    if (req.method != "GET" && req.method != "HEAD") {
      cors.emplace_back("Allow", "GET, HEAD");
      ex->respond({405, std::move(cors), ""});
      return;
    }
    ex->respond(json_response(200, card(endpoint_url(req)), cors));
    return;
  }
  if (req.path != "/") {
    ex->respond(rpc_error_response(
        404, nullptr, -32000,
        "not found: JSON-RPC is served at /, the agent card at /.well-known/agent-card.json",
        cors));
    return;
  }
  if (req.method != "POST") {
    cors.emplace_back("Allow", "POST, OPTIONS");
    ex->respond(rpc_error_response(405, nullptr, -32000, "Method not allowed: POST JSON-RPC to /",
                                   std::move(cors)));
    return;
  }
  if (!options.auth_token.empty()) {
    auto token = mcp::http::bearer_token(req.header("authorization"));
    if (!token || !mcp::http::constant_time_equals(*token, options.auth_token)) {
      Headers h = cors;
      h.emplace_back("WWW-Authenticate", token
                                             ? "Bearer realm=\"ecs-agent\", error=\"invalid_token\""
                                             : "Bearer realm=\"ecs-agent\"");
      spdlog::warn("refused a request from {}: {} bearer token", req.peer, token ? "wrong" : "no");
      ex->respond(rpc_error_response(
          401, nullptr, -32000, "Unauthorized: a valid bearer token is required", std::move(h)));
      return;
    }
  }
  handle_rpc(req, ex, std::move(cors));
}

void A2aServer::Impl::handle_rpc(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex,
                                 Headers cors) {
  const std::string* content_type = req.header("content-type");
  if (!content_type || ascii_lower(*content_type).find("application/json") == std::string::npos) {
    ex->respond(rpc_error_response(415, nullptr, -32000,
                                   "Unsupported Media Type: send Content-Type: application/json",
                                   std::move(cors)));
    return;
  }
  mcp::Message m = mcp::parse_message(req.body);
  if (m.kind == mcp::MessageKind::kInvalid) {
    ex->respond(json_response(200, mcp::make_error_response(m.id, *m.error), std::move(cors)));
    return;
  }
  if (m.kind != mcp::MessageKind::kRequest) {
    ex->respond(rpc_error_response(200, nullptr, mcp::rpc_error::kInvalidRequest,
                                   "Invalid Request: send a JSON-RPC request with an id",
                                   std::move(cors)));
    return;
  }
  const json id = m.id;
  const json params = m.params.is_null() ? json::object() : m.params;
  auto answer = [&](mcp::RpcOutcome outcome) {
    ex->respond(
        json_response(200, mcp::make_outcome_response(id, std::move(outcome)), std::move(cors)));
  };
  if (m.method == "message/send") {
    const bool blocking =
        !(params.contains("configuration") && params["configuration"].is_object() &&
          params["configuration"].value("blocking", true) == false);
    // Blocking: the answer is the task once it is finished or waits for input. Otherwise the
    // task as first seen. Either way the response is sent once.
    auto sent = std::make_shared<std::atomic<bool>>(false);
    auto reply = [ex, id, cors, sent](const json& task) {
      if (sent->exchange(true)) return;
      ex->respond(json_response(200, mcp::make_response(id, task), cors));
    };
    auto started = tasks.submit(params, [reply, blocking](const A2aEvent& event) {
      if (!blocking && event.result.value("kind", "") == "task") reply(event.result);
      if (event.final) reply(event.task);
    });
    if (!started.ok()) answer(started.error());
    return;
  }
  if (m.method == "message/stream" || m.method == "tasks/resubscribe") {
    start_stream(id, ex, std::move(cors), m.method == "tasks/resubscribe", params);
    return;
  }
  if (m.method == "tasks/get") return answer(tasks.get(params));
  if (m.method == "tasks/cancel") return answer(tasks.cancel(params));
  if (m.method.rfind("tasks/pushNotificationConfig/", 0) == 0) {
    return answer(mcp::RpcError{a2a_error::kPushNotificationNotSupported,
                                "Push Notification is not supported", nullptr});
  }
  if (m.method == "agent/getAuthenticatedExtendedCard") {
    return answer(mcp::RpcError{a2a_error::kAuthenticatedExtendedCardNotConfigured,
                                "Authenticated Extended Card is not configured", nullptr});
  }
  answer(mcp::method_not_found(m.method));
}

void A2aServer::Impl::start_stream(const json& id, const std::shared_ptr<HttpExchange>& ex,
                                   Headers cors, bool resubscribe, const json& params) {
  // The stream's head goes out with the first event, so that a refused request can still be
  // answered as a plain JSON-RPC error.
  auto started = std::make_shared<std::atomic<bool>>(false);
  auto sink = [ex, id, cors, started](const A2aEvent& event) {
    if (!started->exchange(true)) {
      Headers h = cors;
      h.emplace_back("Content-Type", "text/event-stream");
      h.emplace_back("Cache-Control", "no-cache, no-transform");
      h.emplace_back("X-Accel-Buffering", "no");
      ex->start_stream(200, std::move(h));
    }
    ex->write(sse_event(mcp::make_response(id, event.result)));
    if (event.final) ex->end();
  };
  auto outcome = resubscribe ? tasks.resubscribe(params, sink) : tasks.submit(params, sink);
  if (!outcome.ok() && !started->load()) {
    ex->respond(json_response(200, mcp::make_error_response(id, outcome.error()), std::move(cors)));
  }
}

}  // namespace ecs_mcp::agent
