#include "mcp/http_transport.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>

#include "common/strings.h"
#include "mcp/http_security.h"
#include "mcp/http_server.h"
#include "mcp/pending_budget.h"

namespace ecs_mcp::mcp {

using http::Headers;
using http::HttpExchange;
using http::HttpRequest;
using http::HttpResponse;
using Clock = std::chrono::steady_clock;

namespace {

// JSON-RPC's "server error" range, as the reference SDKs use it for transport refusals.
constexpr int kTransportError = -32000;

std::string sse_event(const json& message) {
  return "event: message\ndata: " + serialize(message) + "\n\n";
}

Headers sse_headers() {
  return {{"Content-Type", "text/event-stream"},
          {"Cache-Control", "no-cache, no-transform"},
          {"X-Accel-Buffering", "no"}};
}

HttpResponse json_response(int status, const json& body, Headers headers = {}) {
  headers.emplace_back("Content-Type", "application/json");
  return {status, std::move(headers), serialize(body)};
}

HttpResponse error_response(int status, std::string message, Headers headers = {},
                            int code = kTransportError, const json& id = nullptr) {
  return json_response(status, make_error_response(id, RpcError{code, std::move(message), nullptr}),
                       std::move(headers));
}

struct Accept {
  bool json = false;
  bool sse = false;
};

Accept parse_accept(const std::string* header) {
  if (!header) return {true, true};
  std::string v = ascii_lower(*header);
  Accept a;
  a.json = v.find("application/json") != std::string::npos ||
           v.find("application/*") != std::string::npos || v.find("*/*") != std::string::npos;
  a.sse = v.find("text/event-stream") != std::string::npos ||
          v.find("text/*") != std::string::npos || v.find("*/*") != std::string::npos;
  return a;
}

// Counters shared with replies that may outlive the transport (worker threads finish late).
struct Counters {
  std::atomic<size_t> pending{0};
};

// The answer channel of one POSTed request: JSON when the result is the first thing to say,
// otherwise an event stream carrying notifications and requests up to the result.
class PostReply : public Outbound {
 public:
  PostReply(std::shared_ptr<HttpExchange> exchange, json request_id, bool sse_allowed,
            Headers headers, std::shared_ptr<Counters> counters, PendingBudget::Lease lease)
      : exchange_(std::move(exchange)),
        request_id_(std::move(request_id)),
        sse_allowed_(sse_allowed),
        headers_(std::move(headers)),
        counters_(std::move(counters)),
        lease_(std::move(lease)) {
    counters_->pending.fetch_add(1);
  }

  ~PostReply() override {
    std::lock_guard lock(mu_);
    if (!done_) {
      // No result will come (a cancelled call): end the exchange without one.
      if (streaming_) {
        exchange_->end();
      } else if (sse_allowed_) {
        exchange_->start_stream(200, with(sse_headers()));
        exchange_->end();
      } else {
        exchange_->respond({202, headers_, ""});
      }
    }
    counters_->pending.fetch_sub(1);
  }

  void send(const json& message) override {
    std::lock_guard lock(mu_);
    if (done_) return;
    bool is_result = message.contains("id") && message["id"] == request_id_ &&
                     (message.contains("result") || message.contains("error")) &&
                     !message.contains("method");
    if (is_result) {
      done_ = true;
      succeeded_ = message.contains("result");
      if (streaming_) {
        exchange_->write(sse_event(message));
        exchange_->end();
      } else {
        Headers headers = headers_;
        if (!succeeded_) {
          // A failed initialize leaves no session behind: name none.
          std::erase_if(headers,
                        [](const auto& h) { return ascii_lower(h.first) == "mcp-session-id"; });
        }
        exchange_->respond(json_response(200, message, std::move(headers)));
      }
      return;
    }
    if (!sse_allowed_) {
      spdlog::debug("dropping a message for a client that accepts no event stream");
      return;
    }
    if (!streaming_) {
      streaming_ = true;
      exchange_->start_stream(200, with(sse_headers()));
    }
    exchange_->write(sse_event(message));
  }

  bool carries_requests() const override { return sse_allowed_; }

  // True once the request's answer went out and was a result, not an error.
  bool succeeded() {
    std::lock_guard lock(mu_);
    return succeeded_;
  }

 private:
  Headers with(Headers base) const {
    base.insert(base.end(), headers_.begin(), headers_.end());
    return base;
  }

  std::mutex mu_;
  std::shared_ptr<HttpExchange> exchange_;
  json request_id_;
  bool sse_allowed_;
  Headers headers_;
  std::shared_ptr<Counters> counters_;
  PendingBudget::Lease lease_;  // the memory the request holds until it is answered
  bool streaming_ = false;
  bool done_ = false;
  bool succeeded_ = false;
};

// A session's channel for messages not tied to a request: its GET stream, when one is open.
class StandaloneStream : public Outbound {
 public:
  void send(const json& message) override {
    std::lock_guard lock(mu_);
    if (exchange_ && !exchange_->closed()) {
      exchange_->write(sse_event(message));
    } else {
      spdlog::debug("no open GET stream; dropping {}", message.value("method", "a message"));
    }
  }
  bool open() {
    std::lock_guard lock(mu_);
    return exchange_ && !exchange_->closed();
  }
  void attach(std::shared_ptr<HttpExchange> exchange) {
    std::lock_guard lock(mu_);
    exchange_ = std::move(exchange);
  }
  void detach(const HttpExchange* which) {
    std::lock_guard lock(mu_);
    if (exchange_.get() == which) exchange_.reset();
  }
  void end() {
    std::lock_guard lock(mu_);
    if (exchange_) exchange_->end();
    exchange_.reset();
  }

 private:
  std::mutex mu_;
  std::shared_ptr<HttpExchange> exchange_;
};

struct SessionEntry {
  std::shared_ptr<Session> session;
  std::shared_ptr<StandaloneStream> stream;
  Clock::time_point last_used;
  size_t requests = 0;  // requests after initialize

  bool idle() const { return session->in_flight() == 0 && !stream->open(); }
};

std::atomic<HttpTransport*> g_signal_transport{nullptr};

void on_stop_signal(int) {
  if (auto* t = g_signal_transport.load()) t->request_stop();
}

}  // namespace

struct HttpTransport::Impl {
  Server& server;
  HttpTransportOptions options;
  http::OriginPolicy origins;
  bool loopback;
  std::shared_ptr<Counters> counters = std::make_shared<Counters>();
  PendingBudget budget;
  std::unique_ptr<http::HttpServer> http;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  std::map<std::string, SessionEntry> sessions;

  Impl(Server& s, HttpTransportOptions o)
      : server(s),
        options(std::move(o)),
        origins(options.allowed_origins),
        loopback(http::is_loopback_bind_address(options.host)),
        budget(options.max_pending_bytes) {}

  void handle(HttpRequest&& req, const std::shared_ptr<HttpExchange>& ex);
  void handle_post(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex, Headers cors);
  void handle_get(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex, Headers cors);
  void handle_delete(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex, Headers cors);
  bool check_protocol_version(const HttpRequest& req, const std::shared_ptr<HttpExchange>& ex,
                              const Headers& cors);
  // The session named by the request, or an answer (400/404) already sent.
  std::shared_ptr<SessionEntry> find_session(const HttpRequest& req,
                                             const std::shared_ptr<HttpExchange>& ex,
                                             const Headers& cors, std::string* id_out);
  void expire_idle_sessions();
  // At the session limit: forgets the least recently used idle session; false when none is.
  bool evict_idle_session();
  void on_stop();
};

HttpTransport::HttpTransport(Server& server, HttpTransportOptions options)
    : impl_(std::make_unique<Impl>(server, std::move(options))) {}

HttpTransport::~HttpTransport() {
  HttpTransport* self = this;
  g_signal_transport.compare_exchange_strong(self, nullptr);
  if (impl_->http) impl_->http.reset();  // closes connections while the sessions still exist
}

Status HttpTransport::start() {
  auto& o = impl_->options;
  if (!impl_->loopback && o.auth_token.empty() && !o.allow_remote_without_token) {
    return make_error(ErrorCode::kInsecureBind,
                      "refusing to listen on " + o.host +
                          " without an authentication token: anyone who can reach it could use "
                          "the server. Set a token (--auth-token-file or ECS_MCP_AUTH_TOKEN), "
                          "listen on 127.0.0.1, or pass --allow-remote-without-token if something "
                          "in front of the server authenticates clients.");
  }
  http::HttpServerOptions so;
  so.max_head_bytes = o.max_head_bytes;
  so.max_body_bytes = o.max_body_bytes;
  so.max_connections = o.max_connections;
  so.max_connections_per_peer = o.max_connections_per_peer;
  so.max_pending_body_bytes = o.max_pending_bytes;
  so.head_timeout = o.head_timeout;
  so.request_read_timeout = o.request_read_timeout;
  so.write_timeout = o.write_timeout;
  so.stream_keep_alive = o.stream_keep_alive;
  so.drain_timeout = o.drain_on_stop;
  Impl* impl = impl_.get();
  impl_->http = std::make_unique<http::HttpServer>(
      so, [impl](HttpRequest&& req, std::shared_ptr<HttpExchange> ex) {
        impl->handle(std::move(req), ex);
      });
  impl_->http->set_tick([impl] { impl->expire_idle_sessions(); });
  impl_->http->set_on_stop([impl] { impl->on_stop(); });
  ECS_MCP_RETURN_IF_ERROR(impl_->http->listen(o.host, o.port));
  impl_->origins.set_server_port(impl_->http->port());
  if (!impl_->loopback && o.auth_token.empty()) {
    spdlog::warn("listening on {} WITHOUT authentication (--allow-remote-without-token)", o.host);
  }
  return Status::Ok();
}

uint16_t HttpTransport::port() const { return impl_->http ? impl_->http->port() : 0; }

std::string HttpTransport::url() const {
  const auto& host = impl_->options.host;
  bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port()) +
         impl_->options.path;
}

int HttpTransport::run() {
  if (!impl_->http) return 1;
  spdlog::info("serving MCP over Streamable HTTP at {}{}", url(),
               impl_->options.auth_token.empty() ? "" : " (bearer token required)");
  impl_->http->run();
  std::lock_guard lock(impl_->mu);
  impl_->sessions.clear();
  return 0;
}

void HttpTransport::request_stop() {
  if (impl_->http) impl_->http->request_stop();
}

void HttpTransport::install_signal_handlers(HttpTransport& transport) {
  g_signal_transport = &transport;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

size_t HttpTransport::session_count() const {
  std::lock_guard lock(impl_->mu);
  return impl_->sessions.size();
}

// ---------------------------------------------------------------------------------------------

void HttpTransport::Impl::on_stop() {
  stopping = true;
  std::lock_guard lock(mu);
  size_t running = 0;
  for (auto& [id, entry] : sessions) {
    running += entry.session->in_flight();
    entry.session->cancel_all();
    entry.stream->end();
  }
  spdlog::info("stop requested; cancelled {} running call(s) in {} session(s)", running,
               sessions.size());
}

void HttpTransport::Impl::expire_idle_sessions() {
  auto now = Clock::now();
  std::vector<std::shared_ptr<Session>> expired;
  {
    std::lock_guard lock(mu);
    for (auto it = sessions.begin(); it != sessions.end();) {
      auto& e = it->second;
      auto timeout = e.requests == 0 ? std::min(options.unused_session_idle_timeout,
                                                options.session_idle_timeout)
                                     : options.session_idle_timeout;
      if (now - e.last_used > timeout && e.idle()) {
        spdlog::info("session {}… expired after {} s idle", it->first.substr(0, 8),
                     std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
        expired.push_back(e.session);
        it = sessions.erase(it);
      } else {
        ++it;
      }
    }
  }
}

bool HttpTransport::Impl::evict_idle_session() {
  auto oldest = sessions.end();
  for (auto it = sessions.begin(); it != sessions.end(); ++it) {
    if (it->second.idle() &&
        (oldest == sessions.end() || it->second.last_used < oldest->second.last_used)) {
      oldest = it;
    }
  }
  if (oldest == sessions.end()) return false;
  spdlog::info(
      "session {}… forgotten to make room for a new one ({} open, the limit; idle {} s)",
      oldest->first.substr(0, 8), sessions.size(),
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - oldest->second.last_used)
          .count());
  sessions.erase(oldest);
  return true;
}

void HttpTransport::Impl::handle(HttpRequest&& req, const std::shared_ptr<HttpExchange>& ex) {
  if (req.path == "/healthz") {
    if (req.method != "GET" && req.method != "HEAD") {
      ex->respond({405, {{"Allow", "GET, HEAD"}}, ""});
    } else if (stopping) {
      ex->respond(json_response(503, {{"status", "stopping"}}));
    } else {
      ex->respond(json_response(200, {{"status", "ok"}}));
    }
    return;
  }
  if (req.path != options.path) {
    ex->respond(error_response(404, "not found: the MCP endpoint is " + options.path));
    return;
  }
  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host/Origin naming it.
  if (loopback && !origins.allows_host(req.header("host"))) {
    spdlog::warn("refused a request from {} with Host {}", req.peer, *req.header("host"));
    ex->respond(
        error_response(403, "Forbidden: the Host header must name this machine (localhost)"));
    return;
  }
  const std::string* origin = req.header("origin");
  if (!origins.allows(origin)) {
    spdlog::warn("refused a request from {} with Origin {}", req.peer, *origin);
    ex->respond(error_response(
        403, "Forbidden: origin " + *origin + " is not allowed (allow it with --allow-origin)"));
    return;
  }
  Headers cors;
  if (origin) {
    cors = {
        {"Access-Control-Allow-Origin", *origin},
        {"Access-Control-Expose-Headers", "Mcp-Session-Id, MCP-Protocol-Version, WWW-Authenticate"},
        {"Vary", "Origin"}};
  }
  if (req.method == "OPTIONS") {  // CORS preflight: browsers send no credentials with it
    Headers h = cors;
    h.emplace_back("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS");
    h.emplace_back(
        "Access-Control-Allow-Headers",
        "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID");
    h.emplace_back("Access-Control-Max-Age", "600");
    ex->respond({204, std::move(h), ""});
    return;
  }
  if (!options.auth_token.empty()) {
    auto token = http::bearer_token(req.header("authorization"));
    if (!token || !http::constant_time_equals(*token, options.auth_token)) {
      Headers h = cors;
      h.emplace_back("WWW-Authenticate", token ? "Bearer realm=\"ecs-mcp\", error=\"invalid_token\""
                                               : "Bearer realm=\"ecs-mcp\"");
      spdlog::warn("refused a request from {}: {} bearer token", req.peer, token ? "wrong" : "no");
      ex->respond(
          error_response(401, "Unauthorized: a valid bearer token is required", std::move(h)));
      return;
    }
  }
  if (req.method == "POST") return handle_post(req, ex, std::move(cors));
  if (req.method == "GET" || req.method == "HEAD") return handle_get(req, ex, std::move(cors));
  if (req.method == "DELETE") return handle_delete(req, ex, std::move(cors));
  cors.emplace_back("Allow", "GET, HEAD, POST, DELETE, OPTIONS");
  ex->respond(error_response(405, "Method not allowed", std::move(cors)));
}

bool HttpTransport::Impl::check_protocol_version(const HttpRequest& req,
                                                 const std::shared_ptr<HttpExchange>& ex,
                                                 const Headers& cors) {
  const std::string* v = req.header("mcp-protocol-version");
  if (!v) return true;  // the spec says to assume 2025-03-26, which we speak
  const auto& versions = supported_protocol_versions();
  if (std::find(versions.begin(), versions.end(), *v) != versions.end()) return true;
  std::string list;
  for (const auto& s : versions) list += (list.empty() ? "" : ", ") + s;
  ex->respond(error_response(
      400, "Bad Request: unsupported MCP-Protocol-Version " + *v + " (supported: " + list + ")",
      cors));
  return false;
}

std::shared_ptr<SessionEntry> HttpTransport::Impl::find_session(
    const HttpRequest& req, const std::shared_ptr<HttpExchange>& ex, const Headers& cors,
    std::string* id_out) {
  const std::string* id = req.header("mcp-session-id");
  if (!id || id->empty()) {
    ex->respond(error_response(400, "Bad Request: Mcp-Session-Id header is required", cors));
    return nullptr;
  }
  std::lock_guard lock(mu);
  auto it = sessions.find(*id);
  if (it == sessions.end()) {
    ex->respond(error_response(404, "Session not found: it ended or expired; initialize a new one",
                               cors, -32001));
    return nullptr;
  }
  it->second.last_used = Clock::now();
  if (id_out) *id_out = *id;
  // Entries are only touched under `mu`; hand out a copy that shares the session objects.
  return std::make_shared<SessionEntry>(it->second);
}

void HttpTransport::Impl::handle_post(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex,
                                      Headers cors) {
  const std::string* content_type = req.header("content-type");
  if (!content_type || ascii_lower(*content_type).find("application/json") == std::string::npos) {
    ex->respond(
        error_response(415, "Unsupported Media Type: send Content-Type: application/json", cors));
    return;
  }
  Accept accept = parse_accept(req.header("accept"));
  if (!accept.json && !accept.sse) {
    ex->respond(
        error_response(406, "Not Acceptable: accept application/json and text/event-stream", cors));
    return;
  }
  if (!check_protocol_version(req, ex, cors)) return;

  // Reserved before parsing: what the message will hold in memory until it is answered.
  auto lease = budget.try_reserve(estimated_message_bytes(req.body));
  if (!lease) {
    spdlog::warn("refused a request from {}: pending requests hold {} of {} bytes", req.peer,
                 budget.in_use(), budget.max_bytes());
    Headers h = cors;
    h.emplace_back("Retry-After", "1");
    ex->respond(
        error_response(503, "Service Unavailable: too much request data in progress; retry shortly",
                       std::move(h)));
    return;
  }
  Message m = parse_message(req.body);
  if (m.kind == MessageKind::kInvalid) {
    ex->respond(json_response(400, make_error_response(m.id, *m.error), cors));
    return;
  }

  std::shared_ptr<SessionEntry> entry;
  std::string session_id;
  bool created = false;
  if (m.kind == MessageKind::kRequest && m.method == "initialize" &&
      !req.header("mcp-session-id")) {
    std::lock_guard lock(mu);
    if (sessions.size() >= options.max_sessions && !evict_idle_session()) {
      spdlog::warn("refusing a new session: {} sessions open (the limit)", sessions.size());
      ex->respond(error_response(
          503, "Service Unavailable: too many sessions; retry later",
          [&] {
            Headers h = cors;
            h.emplace_back("Retry-After", "5");
            return h;
          }(),
          kTransportError, m.id));
      return;
    }
    session_id = http::random_session_id();
    auto stream = std::make_shared<StandaloneStream>();
    SessionEntry e{Session::create(server, stream), stream, Clock::now()};
    sessions.emplace(session_id, e);
    entry = std::make_shared<SessionEntry>(e);
    created = true;
  } else {
    entry = find_session(req, ex, cors, &session_id);
    if (!entry) return;
    if (m.kind == MessageKind::kRequest) {
      std::lock_guard lock(mu);
      if (auto it = sessions.find(session_id); it != sessions.end()) ++it->second.requests;
    }
  }

  if (m.kind != MessageKind::kRequest) {
    entry->session->handle(m);  // notifications and responses to our requests
    ex->respond({202, std::move(cors), ""});
    return;
  }
  // A session is only kept once its initialize was answered with a result; on every other
  // path it goes, so that failed initializes cannot fill max_sessions.
  auto forget_created = [&] {
    if (!created) return;
    std::lock_guard lock(mu);
    sessions.erase(session_id);
  };
  if (counters->pending.load() >= options.max_pending_requests) {
    forget_created();
    Headers h = cors;
    h.emplace_back("Retry-After", "1");
    ex->respond(error_response(503,
                               "Service Unavailable: too many requests in progress; retry shortly",
                               std::move(h), kTransportError, m.id));
    return;
  }
  Headers headers = cors;
  if (created) headers.emplace_back("Mcp-Session-Id", session_id);
  auto reply = std::make_shared<PostReply>(ex, m.id, accept.sse, std::move(headers), counters,
                                           std::move(*lease));
  try {
    entry->session->handle(m, reply);
  } catch (...) {
    // Session::handle answers its own failures; this is the last line, not the plan.
    spdlog::error("internal error handling {} over HTTP", m.method);
    reply->send(make_error_response(
        m.id, RpcError{rpc_error::kInternalError, "Internal error handling " + m.method, nullptr}));
  }
  if (!created) return;
  if (!reply->succeeded() || !entry->session->initialized()) {
    forget_created();  // initialize failed: the client must try again
    return;
  }
  std::lock_guard lock(mu);
  spdlog::info("session {}… started ({} open)", session_id.substr(0, 8), sessions.size());
}

void HttpTransport::Impl::handle_get(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex,
                                     Headers cors) {
  if (!parse_accept(req.header("accept")).sse || !req.header("accept")) {
    ex->respond(
        error_response(406, "Not Acceptable: a GET stream needs Accept: text/event-stream", cors));
    return;
  }
  if (!check_protocol_version(req, ex, cors)) return;
  auto entry = find_session(req, ex, cors, nullptr);
  if (!entry) return;
  if (entry->stream->open()) {
    ex->respond(error_response(409, "Conflict: this session already has an open GET stream", cors));
    return;
  }
  Headers h = sse_headers();
  h.insert(h.end(), cors.begin(), cors.end());
  ex->start_stream(200, std::move(h));
  entry->stream->attach(ex);
  std::weak_ptr<StandaloneStream> weak = entry->stream;
  const HttpExchange* which = ex.get();
  ex->on_close([weak, which] {
    if (auto s = weak.lock()) s->detach(which);
  });
}

void HttpTransport::Impl::handle_delete(HttpRequest& req, const std::shared_ptr<HttpExchange>& ex,
                                        Headers cors) {
  if (!check_protocol_version(req, ex, cors)) return;
  std::string id;
  auto entry = find_session(req, ex, cors, &id);
  if (!entry) return;
  entry->session->cancel_all();
  entry->stream->end();
  {
    std::lock_guard lock(mu);
    sessions.erase(id);
  }
  spdlog::info("session {}… ended by the client", id.substr(0, 8));
  ex->respond({200, std::move(cors), ""});
}

}  // namespace ecs_mcp::mcp
