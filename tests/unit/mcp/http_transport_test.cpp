// The Streamable HTTP transport against an in-process loopback server (no network beyond
// 127.0.0.1): its security helpers, then the transport's answers to raw HTTP requests.
#include "mcp/http_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "mcp/http_security.h"
#include "mcp/server.h"

namespace ecs_mcp::mcp {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

// ---------------------------------------------------------------------------------------------
// Security helpers

TEST(HttpSecurity, ConstantTimeEquals) {
  EXPECT_TRUE(http::constant_time_equals("secret", "secret"));
  EXPECT_TRUE(http::constant_time_equals("", ""));
  EXPECT_FALSE(http::constant_time_equals("secret", "secreT"));
  EXPECT_FALSE(http::constant_time_equals("secret", "secret2"));
  EXPECT_FALSE(http::constant_time_equals("secret2", "secret"));
  EXPECT_FALSE(http::constant_time_equals("", "x"));
  EXPECT_FALSE(http::constant_time_equals(std::string("a\0b", 3), "a"));
}

TEST(HttpSecurity, BearerToken) {
  std::string h = "Bearer abc.def";
  EXPECT_EQ(http::bearer_token(&h), "abc.def");
  h = "bearer   tok  ";
  EXPECT_EQ(http::bearer_token(&h), "tok");
  for (std::string bad : {"Basic abc", "Bearer", "Bearer ", "Token abc"}) {
    EXPECT_EQ(http::bearer_token(&bad), std::nullopt) << bad;
  }
  EXPECT_EQ(http::bearer_token(nullptr), std::nullopt);
}

TEST(HttpSecurity, OriginPolicyAllowsTheServersOwnOriginAndTheAllowList) {
  http::OriginPolicy policy(
      {"https://console.example.com", "http://tool.internal:8443/", "http://localhost:6274"});
  policy.set_server_port(8080);
  auto allows = [&](std::string o) { return policy.allows(&o); };
  EXPECT_TRUE(policy.allows(nullptr));  // not a browser
  for (auto o : {"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080",
                 "HTTP://LOCALHOST:8080", "https://console.example.com",
                 "http://tool.internal:8443", "http://localhost:6274"}) {
    EXPECT_TRUE(allows(o)) << o;
  }
  // Another local page or dev server is not the server: it needs --allow-origin.
  for (auto o :
       {"http://localhost", "http://localhost:3000", "https://127.0.0.1:8080", "http://[::1]:9",
        "http://127.0.0.1:80", "http://localhost:8080x", "http://localhost:08080x",
        "http://evil.example.com", "null", "", "http://localhost.evil.com", "file://localhost",
        "https://console.example.com:444", "http://console.example.com", "localhost",
        "http://user@localhost", "http://127.0.0.1.evil.com", "http://evil.example.com:8080"}) {
    EXPECT_FALSE(allows(o)) << o;
  }
  http::OriginPolicy on_80;
  on_80.set_server_port(80);
  std::string bare = "http://localhost";
  EXPECT_TRUE(on_80.allows(&bare));
  EXPECT_TRUE(
      http::OriginPolicy({"*"}).allows(&*std::make_unique<std::string>("http://any.where")));
}

TEST(HttpSecurity, HostCheck) {
  http::OriginPolicy policy({"https://console.example.com"});
  auto host_ok = [&](std::string h) { return policy.allows_host(&h); };
  for (auto h : {"localhost", "localhost:8080", "127.0.0.1:1", "[::1]:80", "console.example.com"}) {
    EXPECT_TRUE(host_ok(h)) << h;
  }
  for (auto h : {"evil.example.com", "evil.example.com:8080", "", "127.0.0.1.nip.io"}) {
    EXPECT_FALSE(host_ok(h)) << h;
  }
}

TEST(HttpSecurity, LoopbackBindAddresses) {
  for (auto a : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"})
    EXPECT_TRUE(http::is_loopback_bind_address(a)) << a;
  for (auto a : {"0.0.0.0", "::", "10.0.0.5", "example.com", "127.0.0.1.example.com"}) {
    EXPECT_FALSE(http::is_loopback_bind_address(a)) << a;
  }
}

TEST(HttpSecurity, SessionIdsAreRandomVisibleAscii) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto id = http::random_session_id();
    ASSERT_EQ(id.size(), 32u);
    for (char c : id) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(UriTemplate, MatchesLevelOneTemplates) {
  std::map<std::string, std::string> vars;
  EXPECT_TRUE(match_uri_template("test://template/{id}/data", "test://template/123/data", vars));
  EXPECT_EQ(vars.at("id"), "123");
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template//data", vars));
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template/1/2/data", vars));
  EXPECT_FALSE(match_uri_template("test://template/{id}/data", "test://template/1/datax", vars));
  EXPECT_TRUE(match_uri_template("a://{x}-{y}", "a://1-2", vars));
  EXPECT_EQ(vars.at("x"), "1");
  EXPECT_EQ(vars.at("y"), "2");
}

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client, enough to see exactly what the transport sends.

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // de-chunked
};

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send_raw(const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }

  void send(const std::string& method, const std::string& body,
            std::map<std::string, std::string> headers = {}, const std::string& path = "/mcp") {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!body.empty() || method == "POST") {
      headers.emplace("Content-Type", "application/json");
      headers.emplace("Accept", "application/json, text/event-stream");
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
    send_raw(req + "\r\n" + body);
  }

  // Reads one response. For a stream, stops after `stop_after` appears in the body. With
  // `head_only` (the answer to HEAD), reads no body whatever the headers say. A status of -1
  // means what came was not a response at all.
  RawResponse read(const std::string& stop_after = "", bool head_only = false) {
    RawResponse r;
    size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    std::string head = buf_.substr(0, head_end);
    buf_.erase(0, head_end + 4);
    if (head.rfind("HTTP/1.1 ", 0) != 0 || head.size() < 12) {
      r.status = -1;
      r.body = head;
      return r;
    }
    r.status = std::stoi(head.substr(9, 3));
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos && pos < head.size()) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      if (auto colon = line.find(':'); colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = line.substr(colon + 2);
      }
      pos = next;
    }
    if (head_only) return r;
    if (r.headers.count("content-length")) {
      size_t len = std::stoul(r.headers["content-length"]);
      while (buf_.size() < len && fill()) {
      }
      r.body = buf_.substr(0, len);
      buf_.erase(0, std::min(len, buf_.size()));
    } else if (r.headers["transfer-encoding"] == "chunked") {
      for (;;) {
        size_t line_end;
        while ((line_end = buf_.find("\r\n")) == std::string::npos) {
          if (!fill()) return r;
        }
        size_t len = std::stoul(buf_.substr(0, line_end), nullptr, 16);
        while (buf_.size() < line_end + 2 + len + 2) {
          if (!fill()) return r;
        }
        r.body += buf_.substr(line_end + 2, len);
        buf_.erase(0, line_end + 2 + len + 2);
        if (len == 0) break;
        if (!stop_after.empty() && r.body.find(stop_after) != std::string::npos) break;
      }
    }
    return r;
  }

  // True when the server closed the connection (reads end) within the receive timeout.
  bool closed_by_server() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool fill() {
    char tmp[8192];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

const std::string kInit =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

ToolRegistry test_tools() {
  ToolRegistry tools;
  Tool echo;
  echo.name = "echo";
  echo.description = "echo";
  echo.input_schema = {{"type", "object"}, {"properties", {{"m", {{"type", "string"}}}}}};
  echo.handler = [](const json& a, ToolContext&) { return ToolResult::text(a.value("m", "")); };
  EXPECT_TRUE(tools.add(echo).ok());
  Tool steps;
  steps.name = "steps";
  steps.description = "reports progress then answers";
  steps.input_schema = {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}};
  steps.handler = [](const json&, ToolContext& ctx) {
    for (int i = 1; i <= 3; ++i) {
      ctx.progress(i, 3);
      std::this_thread::sleep_for(5ms);
    }
    return ToolResult::text("done");
  };
  EXPECT_TRUE(tools.add(steps).ok());
  Tool slow;
  slow.name = "slow";
  slow.description = "waits until cancelled";
  slow.input_schema = {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}};
  slow.handler = [](const json&, ToolContext& ctx) {
    while (!ctx.cancelled()) std::this_thread::sleep_for(5ms);
    return ToolResult::text("cancelled");
  };
  EXPECT_TRUE(tools.add(slow).ok());
  return tools;
}

class HttpTransportTest : public ::testing::Test {
 protected:
  void start(HttpTransportOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(ServerInfo{"t", "t", "1", ""}, test_tools(), nullptr);
    transport_ = std::make_unique<HttpTransport>(*server_, options);
    ASSERT_TRUE(transport_->start().ok());
    thread_ = std::thread([this] { rc_ = transport_->run(); });
  }
  void TearDown() override {
    if (transport_) {
      transport_->request_stop();
      thread_.join();
      EXPECT_EQ(rc_, 0);
    }
  }
  uint16_t port() const { return transport_->port(); }

  // Initializes a session and returns its id.
  std::string open_session(std::map<std::string, std::string> headers = {}) {
    RawClient c(port());
    c.send("POST", kInit, headers);
    auto r = c.read();
    EXPECT_EQ(r.status, 200) << r.body;
    std::string id = r.headers["mcp-session-id"];
    headers["Mcp-Session-Id"] = id;
    c.send("POST", R"({"jsonrpc":"2.0","method":"notifications/initialized"})", headers);
    EXPECT_EQ(c.read().status, 202);
    return id;
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<HttpTransport> transport_;
  std::thread thread_;
  int rc_ = -1;
};

TEST_F(HttpTransportTest, InitializeAnswersJsonWithASessionId) {
  start();
  RawClient c(port());
  c.send("POST", kInit);
  auto r = c.read();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["mcp-session-id"].size(), 32u);
  auto body = json::parse(r.body);
  EXPECT_EQ(body["result"]["protocolVersion"], "2025-11-25");
  EXPECT_FALSE(body["result"]["capabilities"].contains("resources"));  // none registered
  EXPECT_EQ(transport_->session_count(), 1u);
}

TEST_F(HttpTransportTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  std::string id = open_session();
  RawClient c(port());
  for (int i = 0; i < 5; ++i) {
    c.send("POST",
           R"({"jsonrpc":"2.0","id":)" + std::to_string(i) +
               R"(,"method":"tools/call","params":{"name":"echo","arguments":{"m":"x)" +
               std::to_string(i) + R"("}}})",
           {{"Mcp-Session-Id", id}});
    auto r = c.read();
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["result"]["content"][0]["text"], "x" + std::to_string(i));
  }
}

TEST_F(HttpTransportTest, ProgressTurnsTheAnswerIntoAnEventStream) {
  start();
  std::string id = open_session();
  RawClient c(port());
  c.send(
      "POST",
      R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"steps","arguments":{},"_meta":{"progressToken":"p"}}})",
      {{"Mcp-Session-Id", id}});
  auto r = c.read();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  size_t progress = r.body.find("notifications/progress");
  size_t result = r.body.find(R"("id":9)");
  ASSERT_NE(progress, std::string::npos) << r.body;
  ASSERT_NE(result, std::string::npos) << r.body;
  EXPECT_LT(progress, result);
  EXPECT_NE(r.body.find("event: message\ndata: {"), std::string::npos);
}

TEST_F(HttpTransportTest, SessionErrors) {
  start();
  RawClient c(port());
  std::string ping = R"({"jsonrpc":"2.0","id":2,"method":"ping"})";
  c.send("POST", ping);
  EXPECT_EQ(c.read().status, 400);
  c.send("POST", ping, {{"Mcp-Session-Id", "nope"}});
  EXPECT_EQ(c.read().status, 404);
  std::string id = open_session();
  c.send("POST", ping, {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2024-01-01"}});
  EXPECT_EQ(c.read().status, 400);
  c.send("POST", "{not json", {{"Mcp-Session-Id", id}});
  auto bad = c.read();
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["code"], rpc_error::kParseError);
  c.send("POST", R"([{"jsonrpc":"2.0","id":3,"method":"ping"}])", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(c.read().status, 400);  // batches are gone since 2025-06-18
  c.send("DELETE", "", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(c.read().status, 200);
  c.send("POST", ping, {{"Mcp-Session-Id", id}});
  EXPECT_EQ(c.read().status, 404);
  c.send("PUT", "", {});
  EXPECT_EQ(c.read().status, 405);
  c.send("GET", "", {}, "/elsewhere");
  EXPECT_EQ(c.read().status, 404);
  c.send("GET", "", {}, "/healthz");
  EXPECT_EQ(c.read().status, 200);
}

TEST_F(HttpTransportTest, OriginAndHostAreChecked) {
  HttpTransportOptions o;
  o.allowed_origins = {"https://ok.example.com"};
  start(o);
  RawClient c(port());
  c.send("POST", kInit, {{"Origin", "https://evil.example.com"}});
  EXPECT_EQ(c.read().status, 403);
  c.send("POST", kInit, {{"Origin", "https://ok.example.com"}});
  auto ok = c.read();
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers["access-control-allow-origin"], "https://ok.example.com");
  RawClient rebinding(port());
  rebinding.send_raw(
      "POST /mcp HTTP/1.1\r\nHost: evil.example.com:8080\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(kInit.size()) + "\r\n\r\n" + kInit);
  EXPECT_EQ(rebinding.read().status, 403);
}

TEST_F(HttpTransportTest, BearerTokenIsRequiredWhenConfigured) {
  HttpTransportOptions o;
  o.auth_token = "s3cret";
  start(o);
  RawClient c(port());
  c.send("POST", kInit);
  auto none = c.read();
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers["www-authenticate"], "Bearer realm=\"ecs-mcp\"");
  EXPECT_EQ(transport_->session_count(), 0u);
  c.send("POST", kInit, {{"Authorization", "Bearer s3cre"}});
  auto wrong = c.read();
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.headers["www-authenticate"].find("invalid_token"), std::string::npos);
  c.send("POST", kInit, {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(c.read().status, 200);
  c.send("GET", "", {}, "/healthz");  // for load balancers: no token
  EXPECT_EQ(c.read().status, 200);
}

TEST(HttpTransportStart, RefusesANonLoopbackAddressWithoutAToken) {
  Server server(ServerInfo{"t", "t", "1", ""}, test_tools(), nullptr);
  HttpTransportOptions o;
  o.host = "0.0.0.0";
  o.port = 0;
  HttpTransport refused(server, o);
  auto st = refused.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("--allow-remote-without-token"), std::string::npos);
  o.allow_remote_without_token = true;
  HttpTransport allowed(server, o);
  EXPECT_TRUE(allowed.start().ok());
  o.allow_remote_without_token = false;
  o.auth_token = "t";
  HttpTransport with_token(server, o);
  EXPECT_TRUE(with_token.start().ok());
}

TEST_F(HttpTransportTest, SizeLimits) {
  HttpTransportOptions o;
  o.max_body_bytes = 1000;
  o.max_head_bytes = 2000;
  start(o);
  {
    RawClient c(port());
    // Refused from Content-Length alone: the body is never sent.
    c.send_raw(
        "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        "application/json\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(c.read().status, 413);
    EXPECT_TRUE(c.closed_by_server());
  }
  {
    RawClient c(port());
    c.send("POST", kInit, {{"X-Padding", std::string(3000, 'a')}});
    EXPECT_EQ(c.read().status, 431);
  }
  {
    RawClient c(port());
    c.send_raw("POST /mcp HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_EQ(c.read().status, 411);
  }
}

TEST_F(HttpTransportTest, SessionsExpireWhenIdle) {
  HttpTransportOptions o;
  o.max_sessions = 1;
  o.session_idle_timeout = 200ms;
  start(o);
  std::string id = open_session();
  RawClient c(port());
  // The sweep runs about once a second.
  for (int i = 0; i < 40 && transport_->session_count() > 0; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(transport_->session_count(), 0u);
  c.send("POST", R"({"jsonrpc":"2.0","id":2,"method":"ping"})", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(c.read().status, 404);
  c.send("POST", kInit);
  EXPECT_EQ(c.read().status, 200);
}

TEST_F(HttpTransportTest, OneGetStreamPerSession) {
  start();
  std::string id = open_session();
  RawClient first(port());
  first.send("GET", "", {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
  std::this_thread::sleep_for(100ms);  // let the loop attach the stream
  RawClient second(port());
  second.send("GET", "", {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
  EXPECT_EQ(second.read().status, 409);
  RawClient no_accept(port());
  no_accept.send("GET", "", {{"Mcp-Session-Id", id}});
  EXPECT_EQ(no_accept.read().status, 406);
}

TEST_F(HttpTransportTest, CancellationEndsTheRequestWithoutAResult) {
  start();
  std::string id = open_session();
  RawClient call(port());
  call.send(
      "POST",
      R"({"jsonrpc":"2.0","id":"c1","method":"tools/call","params":{"name":"slow","arguments":{}}})",
      {{"Mcp-Session-Id", id}});
  std::this_thread::sleep_for(50ms);
  RawClient cancel(port());
  cancel.send("POST",
              R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"c1"}})",
              {{"Mcp-Session-Id", id}});
  EXPECT_EQ(cancel.read().status, 202);
  auto r = call.read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  EXPECT_EQ(r.body.find("\"id\":\"c1\""), std::string::npos) << r.body;
}

TEST_F(HttpTransportTest, StopCancelsRunningCallsAndReturns) {
  start();
  std::string id = open_session();
  RawClient call(port());
  call.send(
      "POST",
      R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow","arguments":{}}})",
      {{"Mcp-Session-Id", id}});
  std::this_thread::sleep_for(50ms);
  auto t0 = std::chrono::steady_clock::now();
  transport_->request_stop();
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_EQ(rc_, 0);
  transport_.reset();
}

TEST_F(HttpTransportTest, HeadHealthzSendsTheHeadOnly) {
  start();
  RawClient c(port());
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto get = c.read();
  ASSERT_EQ(get.status, 200);
  // HEAD then GET on one connection: the HEAD answer must end where its head ends.
  c.send_raw("HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto head = c.read("", /*head_only=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(get.body.size()));
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto again = c.read();
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, get.body);
}

TEST_F(HttpTransportTest, HeadsThatCouldSmuggleARequestAreRefused) {
  start();
  const std::string bad_heads[] = {
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\nContent-Length: 5\r\n\r\n",  // bare LF
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\rContent-Length: 5\r\n\r\n",  // bare CR
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\0b\r\n\r\n"s,         // NUL in a value
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX\0Y: b\r\n\r\n"s,         // NUL in a name
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\r\n folded\r\n\r\n",  // obsolete folding
      "GET /healthz HTTP/1.1\r\n Host: 127.0.0.1\r\n\r\n",                    // folding the first
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX : a\r\n\r\n",            // space before ':'
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX(y): a\r\n\r\n",          // not a token
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\x01"
      "b\r\n\r\n",                                           // other control
      "GET /heal\nthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  // LF in the target
  };
  for (const auto& head : bad_heads) {
    RawClient c(port());
    c.send_raw(head);
    auto r = c.read();
    EXPECT_EQ(r.status, 400) << head;
    EXPECT_TRUE(c.closed_by_server()) << head;
  }
  // Tabs and obs-text are legal in values.
  RawClient ok(port());
  ok.send_raw("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\tb \xc3\xa9\r\n\r\n");
  EXPECT_EQ(ok.read().status, 200);
}

TEST_F(HttpTransportTest, FailedInitializesLeaveNoSession) {
  HttpTransportOptions o;
  o.max_sessions = 3;
  start(o);
  RawClient c(port());
  for (int i = 0; i < 10; ++i) {
    c.send("POST",
           R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})");
    auto r = c.read();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["error"]["code"], rpc_error::kInvalidParams) << r.body;
    EXPECT_EQ(r.headers.count("mcp-session-id"), 0u) << "no session, so no session id";
  }
  EXPECT_EQ(transport_->session_count(), 0u);
  // A client whose initialize is not answered with a result holds no session, however the
  // server fails (here odd clientInfo values, once a cause of exceptions).
  c.send(
      "POST",
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":5,"version":[]}}})");
  auto odd = c.read();
  bool answered = odd.status == 200 && json::parse(odd.body).contains("result");
  EXPECT_EQ(transport_->session_count(), answered ? 1u : 0u) << odd.body;
  EXPECT_EQ(odd.headers.count("mcp-session-id"), answered ? 1u : 0u);
  for (size_t i = transport_->session_count(); i < o.max_sessions; ++i) open_session();
  EXPECT_EQ(transport_->session_count(), o.max_sessions);
}

TEST_F(HttpTransportTest, InitializeRefusedUnderLoadLeavesNoSession) {
  HttpTransportOptions o;
  o.max_pending_requests = 0;  // every request is "one too many"
  o.max_sessions = 2;
  start(o);
  RawClient c(port());
  for (int i = 0; i < 5; ++i) {
    c.send("POST", kInit);
    auto r = c.read();
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.headers.count("mcp-session-id"), 0u);
  }
  EXPECT_EQ(transport_->session_count(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Hardening: sessions most clients abandon, HEAD, browser origins, memory held by requests

TEST_F(HttpTransportTest, AtTheSessionLimitTheLeastRecentlyUsedIdleSessionMakesRoom) {
  HttpTransportOptions o;
  o.max_sessions = 2;
  start(o);
  std::string oldest = open_session();
  std::string recent = open_session();
  RawClient c(port());
  c.send("POST", R"({"jsonrpc":"2.0","id":2,"method":"ping"})", {{"Mcp-Session-Id", oldest}});
  EXPECT_EQ(c.read().status, 200);  // `oldest` is now the most recently used
  c.send("POST", kInit);
  EXPECT_EQ(c.read().status, 200) << "a new client is served, not refused";
  EXPECT_EQ(transport_->session_count(), 2u);
  c.send("POST", R"({"jsonrpc":"2.0","id":3,"method":"ping"})", {{"Mcp-Session-Id", recent}});
  EXPECT_EQ(c.read().status, 404);
  c.send("POST", R"({"jsonrpc":"2.0","id":4,"method":"ping"})", {{"Mcp-Session-Id", oldest}});
  EXPECT_EQ(c.read().status, 200);
}

TEST_F(HttpTransportTest, ABusySessionIsNeverEvicted) {
  HttpTransportOptions o;
  o.max_sessions = 1;
  start(o);
  std::string id = open_session();
  RawClient stream(port());
  stream.send("GET", "", {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
  EXPECT_EQ(stream.read("", /*head_only=*/true).status, 200);
  RawClient c(port());
  c.send("POST", kInit);
  EXPECT_EQ(c.read().status, 503) << "its GET stream is open: the session is in use";
}

TEST_F(HttpTransportTest, SessionsUnusedAfterInitializeExpireSooner) {
  HttpTransportOptions o;
  o.session_idle_timeout = std::chrono::hours(1);
  o.unused_session_idle_timeout = 200ms;
  start(o);
  std::string unused = open_session();
  std::string used = open_session();
  RawClient c(port());
  c.send("POST", R"({"jsonrpc":"2.0","id":2,"method":"ping"})", {{"Mcp-Session-Id", used}});
  EXPECT_EQ(c.read().status, 200);
  for (int i = 0; i < 40 && transport_->session_count() > 1; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_EQ(transport_->session_count(), 1u);
  c.send("POST", R"({"jsonrpc":"2.0","id":3,"method":"ping"})", {{"Mcp-Session-Id", unused}});
  EXPECT_EQ(c.read().status, 404);
  c.send("POST", R"({"jsonrpc":"2.0","id":4,"method":"ping"})", {{"Mcp-Session-Id", used}});
  EXPECT_EQ(c.read().status, 200);
}

TEST_F(HttpTransportTest, HeadOfTheEndpointIsAnsweredAsGetWithoutABody) {
  start();
  std::string id = open_session();
  RawClient c(port());
  c.send("HEAD", "", {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
  auto head = c.read("", /*head_only=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-type"], "text/event-stream");
  c.send("HEAD", "", {{"Accept", "text/event-stream"}});
  auto no_session = c.read("", /*head_only=*/true);
  EXPECT_EQ(no_session.status, 400);
  // The connection goes on: each HEAD answer ended where its head ended.
  c.send("GET", "", {{"Mcp-Session-Id", id}, {"Accept", "text/event-stream"}});
  EXPECT_EQ(c.read("", /*head_only=*/true).status, 200) << "the HEAD left no stream open";
  RawClient other(port());
  other.send("PUT", "", {});
  EXPECT_NE(other.read().headers["allow"].find("HEAD"), std::string::npos);
}

TEST_F(HttpTransportTest, BrowserOriginsNeedConsent) {
  HttpTransportOptions o;
  o.allowed_origins = {"http://localhost:6274"};
  start(o);
  RawClient c(port());
  c.send("POST", kInit, {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(c.read().status, 403) << "another local page is not the server";
  c.send("POST", kInit, {{"Origin", "http://127.0.0.1:" + std::to_string(port())}});
  EXPECT_EQ(c.read().status, 200) << "the server's own origin";
  c.send("POST", kInit, {{"Origin", "http://localhost:6274"}});
  EXPECT_EQ(c.read().status, 200) << "listed with --allow-origin";
  c.send("POST", kInit);
  EXPECT_EQ(c.read().status, 200) << "no Origin: not a browser";
}

TEST_F(HttpTransportTest, MemoryHeldByPendingRequestsIsBounded) {
  HttpTransportOptions o;
  o.max_pending_bytes = 256 * 1024;
  start(o);
  std::string id = open_session();
  // A running call holds its share until it is answered.
  RawClient slow(port());
  std::string filler = "[\"" + std::string(2000, 'a') + "\"";
  for (int i = 0; i < 1000; ++i) filler += ",0";
  filler += "]";
  slow.send(
      "POST",
      R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"slow","arguments":{"n":1},"_meta":{"pad":)" +
          filler + "}}}",
      {{"Mcp-Session-Id", id}});
  std::this_thread::sleep_for(200ms);
  // Many small values cost far more parsed than their bytes: refused before parsing.
  std::string wide = "[";
  for (int i = 0; i < 5000; ++i) wide += "[],";
  wide += "[]]";
  RawClient c(port());
  c.send(
      "POST",
      R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"echo","arguments":{"m":"x"},"_meta":{"pad":)" +
          wide + "}}}",
      {{"Mcp-Session-Id", id}});
  auto refused = c.read();
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.headers["retry-after"], "1");
  c.send(
      "POST",
      R"({"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo","arguments":{"m":"x"}}})",
      {{"Mcp-Session-Id", id}});
  EXPECT_EQ(c.read().status, 200) << "a small request still fits";
}

}  // namespace
}  // namespace ecs_mcp::mcp
