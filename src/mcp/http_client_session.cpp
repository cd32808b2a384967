#include "mcp/http_client_session.h"

#include <algorithm>
#include <cctype>

#include "mcp/sse_parser.h"

namespace ecs_mcp::mcp {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxBody = 16 * 1024 * 1024;
constexpr int kRateLimitedRpcCode = -32004;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_answer_to(const json& message, const json& id) {
  return message.is_object() && message.contains("id") && message["id"] == id &&
         (message.contains("result") || message.contains("error"));
}

// The answer to `id` inside a JSON body: one message or a batch.
bool take_answer(const json& body, const json& id, json& out) {
  if (is_answer_to(body, id)) {
    out = body;
    return true;
  }
  if (body.is_array()) {
    for (const auto& m : body) {
      if (is_answer_to(m, id)) {
        out = m;
        return true;
      }
    }
  }
  return false;
}

std::string short_text(const std::string& text) {
  std::string out = text.substr(0, 300);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

HttpClientSession::HttpClientSession(HttpClientSessionOptions options,
                                     std::shared_ptr<ClientHttp> http)
    : options_(std::move(options)), http_(std::move(http)) {}

bool HttpClientSession::has_session() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return session_.initialized;
}

HttpClientSession::SessionState HttpClientSession::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return session_;
}

Result<HttpClientSession::Exchange> HttpClientSession::post(const json& message,
                                                            const SessionState& session,
                                                            const CallControl& control) {
  ClientHttpRequest req;
  req.method = "POST";
  req.url = options_.url;
  req.headers = {{"Content-Type", "application/json"},
                 {"Accept", "application/json, text/event-stream"}};
  if (!session.id.empty()) req.headers.emplace_back("Mcp-Session-Id", session.id);
  if (!session.protocol_version.empty())
    req.headers.emplace_back("MCP-Protocol-Version", session.protocol_version);
  for (const auto& h : options_.headers) req.headers.push_back(h);
  req.body = message.dump();
  req.connect_timeout = options_.connect_timeout;
  req.timeout = control.timeout.count() > 0 ? control.timeout : options_.timeout;
  req.cancelled = control.cancelled;

  const json id = message.contains("id") ? message["id"] : json();
  Exchange exchange;
  std::string buffer;
  bool streaming = false;
  bool overflow = false;
  SseParser sse([&](const SseEvent& event) {
    if (event.type != "message") return true;
    json data = json::parse(event.data, nullptr, false);
    if (take_answer(data, id, exchange.message)) {
      exchange.answered = true;
      return false;  // have the answer: stop reading, even if the server keeps the stream open
    }
    return true;  // notifications and server requests on the way are not ours to answer
  });
  req.on_body = [&](const ClientHttpResponse& head, std::string_view chunk) {
    if (head.status / 100 == 2 &&
        lower(head.header("content-type")).rfind("text/event-stream", 0) == 0) {
      streaming = true;
      return sse.feed(chunk);
    }
    if (buffer.size() + chunk.size() > kMaxBody) {
      overflow = true;
      return false;
    }
    buffer.append(chunk);
    return true;
  };

  auto response = http_->send(req);
  if (!response.ok()) return response.error();
  if (overflow)
    return make_error(ErrorCode::kInvalidResponse,
                      "the answer from " + options_.url + " is too large");
  exchange.status = response->status;
  exchange.retry_after = response->header("retry-after");
  exchange.session_id = response->header("mcp-session-id");
  if (!exchange.answered && !streaming && !buffer.empty()) {
    json body = json::parse(buffer, nullptr, false);
    if (!id.is_null() && take_answer(body, id, exchange.message)) {
      exchange.answered = true;
    } else if (body.is_object() && body.contains("error")) {
      exchange.message = body;  // an error without our id (servers use null for transport errors)
      exchange.answered = true;
    } else {
      exchange.body_text = short_text(buffer);
    }
  }
  return exchange;
}

Result<json> HttpClientSession::finish(const Exchange& exchange) const {
  const json* error = exchange.answered && exchange.message.contains("error")
                          ? &exchange.message["error"]
                          : nullptr;
  const bool rpc_limited =
      error && error->is_object() && error->value("code", 0) == kRateLimitedRpcCode;
  if (exchange.status == 429 || rpc_limited) {
    long long seconds = options_.default_retry_after.count();
    if (!exchange.retry_after.empty() &&
        std::all_of(exchange.retry_after.begin(), exchange.retry_after.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        exchange.retry_after.size() < 6) {
      seconds = std::stoll(exchange.retry_after);
    }
    Error e =
        make_error(ErrorCode::kRateLimited, options_.url + " is rate limiting requests; retry in " +
                                                std::to_string(seconds) + " s");
    e.http_status = 429;
    return e;
  }
  if (error) {
    std::string message =
        error->is_object() ? error->value("message", std::string("error")) : error->dump();
    int code = error->is_object() ? error->value("code", 0) : 0;
    Error e = make_error(ErrorCode::kRpcError,
                         message + " (JSON-RPC error " + std::to_string(code) + ")");
    e.http_status = exchange.status / 100 == 2 ? 0 : exchange.status;
    return e;
  }
  if (exchange.answered && exchange.status / 100 == 2) return exchange.message["result"];
  if (exchange.status / 100 == 2) {
    return make_error(ErrorCode::kInvalidResponse,
                      "no JSON-RPC answer from " + options_.url +
                          (exchange.body_text.empty() ? "" : ": " + exchange.body_text));
  }
  Error e = make_error(ErrorCode::kHttpStatus,
                       "HTTP " + std::to_string(exchange.status) + " from " + options_.url +
                           (exchange.body_text.empty() ? "" : ": " + exchange.body_text));
  e.http_status = exchange.status;
  return e;
}

bool HttpClientSession::demands_session(const Exchange& exchange) {
  if (exchange.status == 429) return false;
  std::string text = exchange.body_text;
  if (exchange.answered && exchange.message.contains("error")) {
    const json& error = exchange.message["error"];
    text += " " + (error.is_object() ? error.value("message", std::string()) : error.dump());
  } else if (exchange.status != 400) {
    return false;
  }
  text = lower(text);
  return text.find("session") != std::string::npos || text.find("initializ") != std::string::npos;
}

Status HttpClientSession::ensure_session(const CallControl& control) {
  std::lock_guard<std::mutex> init(init_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (session_.initialized) return Status::Ok();  // another call did it meanwhile
  }
  json params{
      {"protocolVersion", options_.protocol_version},
      {"capabilities", json::object()},
      {"clientInfo", {{"name", options_.client_name}, {"version", options_.client_version}}}};
  json message{
      {"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", "initialize"}, {"params", params}};
  auto exchange = post(message, SessionState{}, control);
  if (!exchange.ok()) return exchange.error();
  auto result = finish(*exchange);
  if (!result.ok()) return result.error();
  SessionState fresh;
  fresh.initialized = true;
  fresh.id = exchange->session_id;
  fresh.protocol_version = result->is_object()
                               ? result->value("protocolVersion", options_.protocol_version)
                               : options_.protocol_version;
  json initialized{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}};
  auto notified = post(initialized, fresh, control);
  if (!notified.ok()) return notified.error();
  if (notified->status / 100 != 2) return finish(*notified).error();
  std::lock_guard<std::mutex> lock(mutex_);
  session_ = fresh;
  return Status::Ok();
}

Result<json> HttpClientSession::request(const std::string& method, json params,
                                        const CallControl& control) {
  json message{{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  bool use_session = !options_.bare_first;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    use_session = use_session || session_required_;
  }
  if (!use_session) {
    auto exchange = post(message, SessionState{}, control);
    if (!exchange.ok()) return exchange.error();
    if (!demands_session(*exchange)) return finish(*exchange);
    std::lock_guard<std::mutex> lock(mutex_);
    session_required_ = true;
  }
  for (int attempt = 0;; ++attempt) {
    SessionState state = snapshot();
    if (!state.initialized) {
      ECS_MCP_RETURN_IF_ERROR(ensure_session(control));
      state = snapshot();
    }
    auto exchange = post(message, state, control);
    if (!exchange.ok()) return exchange.error();
    if (exchange->status == 404 &&
        attempt == 0) {  // the server forgot the session: start a new one
      std::lock_guard<std::mutex> lock(mutex_);
      if (session_.id == state.id) session_ = SessionState{};
      continue;
    }
    return finish(*exchange);
  }
}

Result<json> HttpClientSession::call_tool(const std::string& name, json arguments,
                                          const CallControl& control) {
  return request("tools/call", json{{"name", name}, {"arguments", std::move(arguments)}}, control);
}

}  // namespace ecs_mcp::mcp
