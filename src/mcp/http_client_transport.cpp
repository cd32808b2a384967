#include "mcp/http_client_transport.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "mcp/sse_parser.h"

namespace ecs_mcp::mcp {
namespace {

// The JSON-RPC code of an answer the transport makes up for a request the server never
// answered (implementation-defined server errors are -32000 to -32099).
constexpr int kTransportFailure = -32000;

bool is_event_stream(const ClientHttpResponse& head) {
  return ascii_lower(head.header("content-type")).rfind("text/event-stream", 0) == 0;
}

std::string snippet(const std::string& text) {
  std::string out = text.substr(0, 300);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

HttpClientTransport::HttpClientTransport(HttpClientTransportOptions options,
                                         std::shared_ptr<ClientHttp> http)
    : options_(std::move(options)), http_(std::move(http)) {}

HttpClientTransport::~HttpClientTransport() { close(); }

std::string HttpClientTransport::describe() const { return "http: " + options_.url; }

std::string HttpClientTransport::session_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return session_id_;
}

Status HttpClientTransport::start(MessageHandler on_message, ClosedHandler on_closed) {
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  return Status::Ok();
}

ClientHttpRequest HttpClientTransport::make_post(const json& message,
                                                 std::chrono::milliseconds timeout) const {
  ClientHttpRequest req;
  req.method = "POST";
  req.url = options_.url;
  req.headers = {{"Content-Type", "application/json"},
                 {"Accept", "application/json, text/event-stream"}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!session_id_.empty()) req.headers.emplace_back("Mcp-Session-Id", session_id_);
    if (!protocol_version_.empty())
      req.headers.emplace_back("MCP-Protocol-Version", protocol_version_);
  }
  for (const auto& h : options_.headers) req.headers.push_back(h);
  req.body = serialize(message);
  req.connect_timeout = options_.connect_timeout;
  req.timeout = timeout;
  req.cancelled = [this] { return closed_.load(); };
  return req;
}

void HttpClientTransport::deliver(const json& message) {
  if (closed_.load()) return;
  std::lock_guard<std::mutex> lock(deliver_mu_);
  if (on_message_) on_message_(message);
}

void HttpClientTransport::fail_request(const json& id, const std::string& reason) {
  deliver(make_error_response(id, RpcError{kTransportFailure, reason, json()}));
}

Status HttpClientTransport::send(const json& message) {
  if (closed_.load())
    return make_error(ErrorCode::kTransportClosed,
                      "the connection to " + options_.url + " is closed");
  reap_finished();
  const bool is_request = message.contains("method") && message.contains("id");
  if (is_request) {
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back();
    Worker& worker = workers_.back();
    worker.thread = std::thread([this, message, done = worker.done] {
      exchange(message);
      done->store(true);
    });
    return Status::Ok();
  }
  // Notifications and responses: the server accepts them with 202 and nothing else.
  auto response = http_->send(make_post(message, options_.short_timeout));
  if (!response.ok()) return response.error();
  if (response->status == 404 && !session_id().empty()) {
    shut(make_error(ErrorCode::kSessionExpired, options_.url + " no longer knows this session"));
    return make_error(ErrorCode::kSessionExpired, options_.url + " no longer knows this session");
  }
  if (response->status / 100 != 2) {
    Error e =
        make_error(ErrorCode::kHttpStatus, "HTTP " + std::to_string(response->status) + " from " +
                                               options_.url + ": " + snippet(response->body));
    e.http_status = response->status;
    return e;
  }
  return Status::Ok();
}

void HttpClientTransport::exchange(const json& request) {
  const json id = request["id"];
  const bool initialize = request.value("method", "") == "initialize";
  bool answered = false;
  bool too_large = false;
  std::string body;
  SseParser sse([&](const SseEvent& event) {
    if (event.type != "message" || event.data.empty()) return true;
    json message = json::parse(event.data, nullptr, false);
    if (message.is_discarded()) return true;
    if (message.is_object() && message.contains("id") && message["id"] == id &&
        (message.contains("result") || message.contains("error"))) {
      answered = true;
    }
    deliver(message);
    return !answered;  // our answer came: the stream has nothing more for us
  });
  ClientHttpRequest req = make_post(request, options_.request_timeout);
  req.on_body = [&](const ClientHttpResponse& head, std::string_view chunk) {
    if (head.status / 100 == 2 && is_event_stream(head)) return sse.feed(chunk);
    if (body.size() + chunk.size() > options_.max_body_bytes) {
      too_large = true;
      return false;
    }
    body.append(chunk);
    return true;
  };
  auto response = http_->send(req);
  if (closed_.load()) return;
  if (!response.ok()) {
    fail_request(id, options_.url + ": " + response.error().describe());
    return;
  }
  const int status = response->status;
  if (initialize && status / 100 == 2) {
    std::lock_guard<std::mutex> lock(mu_);
    session_id_ = response->header("mcp-session-id");
  }
  if (status == 404 && !session_id().empty()) {
    shut(make_error(ErrorCode::kSessionExpired, options_.url + " no longer knows this session"));
    return;
  }
  if (too_large) {
    fail_request(id, "the answer from " + options_.url + " is larger than " +
                         std::to_string(options_.max_body_bytes) + " bytes");
    return;
  }
  if (!answered && !body.empty()) {
    json parsed = json::parse(body, nullptr, false);
    std::vector<json> messages;
    if (parsed.is_array()) {
      for (auto& m : parsed) messages.push_back(std::move(m));
    } else if (parsed.is_object()) {
      messages.push_back(std::move(parsed));
    }
    for (auto& m : messages) {
      if (!m.is_object()) continue;
      const bool is_answer = m.contains("result") || m.contains("error");
      // Servers put null in the id of an error about the request as a whole.
      if (is_answer && m.contains("id") && m["id"].is_null()) m["id"] = id;
      // A refusal by the HTTP layer (401, 403, 429, ...) says so, with its status.
      if (status / 100 != 2 && m.contains("error") && m["error"].is_object()) {
        m["error"]["message"] = "HTTP " + std::to_string(status) + " from " + options_.url + ": " +
                                m["error"].value("message", std::string());
      }
      if (is_answer && m.value("id", json()) == id) answered = true;
      if (initialize && m.value("id", json()) == id && m.contains("result") &&
          m["result"].is_object()) {
        std::lock_guard<std::mutex> lock(mu_);
        protocol_version_ = m["result"].value("protocolVersion", "");
      }
      deliver(m);
    }
  }
  if (answered) return;
  std::string why = "HTTP " + std::to_string(status) + " from " + options_.url;
  if (status / 100 == 2)
    why = "no answer from " + options_.url + " (HTTP " + std::to_string(status) + ")";
  if (!body.empty()) why += ": " + snippet(body);
  fail_request(id, why);
}

void HttpClientTransport::reap_finished() {
  std::list<Worker> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto next = std::next(it);
      if (it->done->load()) finished.splice(finished.end(), workers_, it);
      it = next;
    }
  }
  for (auto& w : finished) w.thread.join();
}

void HttpClientTransport::shut(const Error& reason) {
  std::call_once(closed_once_, [&] {
    closed_.store(true);
    if (on_closed_) on_closed_(reason);
  });
}

void HttpClientTransport::close() {
  const bool was_open = !closed_.load();
  shut(
      make_error(ErrorCode::kTransportClosed, "the connection to " + options_.url + " was closed"));
  std::list<Worker> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) {
    if (w.thread.joinable() && w.thread.get_id() != std::this_thread::get_id()) w.thread.join();
    // A worker closing its own transport (a 404) cannot join itself.
    if (w.thread.joinable()) w.thread.detach();
  }
  const std::string session = session_id();
  if (!was_open || session.empty()) return;
  ClientHttpRequest del;
  del.method = "DELETE";
  del.url = options_.url;
  del.headers.emplace_back("Mcp-Session-Id", session);
  for (const auto& h : options_.headers) del.headers.push_back(h);
  del.connect_timeout = options_.connect_timeout;
  del.timeout = options_.short_timeout;
  auto answer = http_->send(del);
  if (!answer.ok()) spdlog::debug("{}: DELETE failed: {}", describe(), answer.error().describe());
}

}  // namespace ecs_mcp::mcp
