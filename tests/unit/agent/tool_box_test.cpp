// The client side against a real child process (fake-mcp-server): the stdio transport, the
// session, and ToolBox's naming, refusals, elicitation and crash handling; the Streamable
// HTTP transport against the same server serving HTTP (fake-mcp-server --http).
#include "agent/tool_box.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "mcp/client_http.h"
#include "mcp/http_client_transport.h"
#include "mcp/stdio_client_transport.h"

namespace ecs_mcp::agent {
namespace {

ServerSpec fake_server(const std::string& key,
                       std::vector<std::pair<std::string, std::string>> env = {}) {
  ServerSpec spec;
  spec.key = key;
  spec.command = FAKE_MCP_SERVER_PATH;
  spec.environment = {{"PATH", "/usr/bin:/bin"}};
  for (auto& kv : env) spec.environment.push_back(kv);
  return spec;
}

std::unique_ptr<mcp::ClientSession> fake_session(
    std::vector<std::pair<std::string, std::string>> env = {}) {
  mcp::StdioClientOptions options;
  options.command = FAKE_MCP_SERVER_PATH;
  options.environment = {{"PATH", "/usr/bin:/bin"}};
  for (auto& kv : env) options.environment.push_back(kv);
  return std::make_unique<mcp::ClientSession>(std::make_unique<mcp::StdioClientTransport>(options));
}

TEST(StdioClient, HandshakeToolsAndCallsAgainstAChild) {
  auto session = fake_session({{"ALLOW_WRITE", "false"}});
  auto server = session->initialize();
  ASSERT_TRUE(server.ok()) << server.error().describe();
  EXPECT_EQ(server->server_info["name"], "fake-mcp-server");
  auto tools = session->list_tools();
  ASSERT_TRUE(tools.ok());
  EXPECT_GE(tools->size(), 8u);
  auto echo = session->call_tool("echo", {{"message", "hi"}});
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(tool_result_text(*echo), "hi");
  auto env = session->call_tool("environment", json::object());
  ASSERT_TRUE(env.ok());
  json vars = json::parse(tool_result_text(*env));
  EXPECT_EQ(vars,
            (json{{"PATH", "/usr/bin:/bin"}, {"ALLOW_WRITE", "false"}}));  // nothing else leaks
}

TEST(StdioClient, CancellingASlowCallReturnsPromptly) {
  auto session = fake_session();
  ASSERT_TRUE(session->initialize().ok());
  std::atomic<bool> cancel{false};
  mcp::RequestOptions options;
  options.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto result = session->call_tool("slow", {{"ms", 5000}}, options);
  canceller.join();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  auto after = session->call_tool("echo", {{"message", "still here"}});
  ASSERT_TRUE(after.ok());
}

TEST(StdioClient, ACrashedChildIsReportedWithItsStatusAndLastWords) {
  auto session = fake_session();
  ASSERT_TRUE(session->initialize().ok());
  auto result = session->call_tool("crash", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kServerExited);
  EXPECT_NE(result.error().message.find("exited with status 3"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("crashing on request"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(session->connected());
}

TEST(StdioClient, AMissingProgramFailsToStart) {
  mcp::StdioClientOptions options;
  options.command = "/nonexistent/ecs-mcp-server";
  mcp::ClientSession session(std::make_unique<mcp::StdioClientTransport>(options));
  auto result = session.initialize();
  ASSERT_FALSE(result.ok());
  // posix_spawn either fails at once or the child exits 127.
  EXPECT_TRUE(result.error().code == ErrorCode::kSpawnFailed ||
              result.error().code == ErrorCode::kServerExited)
      << result.error().code;
}

TEST(StdioClient, CloseEndsTheChild) {
  mcp::StdioClientOptions options;
  options.command = FAKE_MCP_SERVER_PATH;
  auto transport = std::make_unique<mcp::StdioClientTransport>(options);
  auto* raw = transport.get();
  mcp::ClientSession session(std::move(transport));
  ASSERT_TRUE(session.initialize().ok());
  const pid_t pid = raw->pid();
  const auto start = std::chrono::steady_clock::now();
  session.close();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_NE(::kill(pid, 0), 0);  // reaped
}

TEST(ToolBox, ClashingNamesArePrefixedWithTheServerKey) {
  ToolBox box({fake_server("one"), fake_server("two")}, ToolBoxOptions{});
  ASSERT_TRUE(box.start().ok());
  bool found = false;
  for (const auto& t : box.tools()) {
    EXPECT_NE(t.name, "echo");
    found |= t.name == "two_echo";
  }
  EXPECT_TRUE(found);
  auto result = box.call("one_echo", {{"message", "from one"}}, {});
  EXPECT_EQ(result.text, "from one");
  EXPECT_EQ(box.server_of("two_echo"), "two");
}

TEST(ToolBox, AccessRefusalsAreMarked) {
  ToolBox box({fake_server("ecs", {{"ALLOW_WRITE", "false"}})}, ToolBoxOptions{});
  ASSERT_TRUE(box.start().ok());
  auto refused = box.call("write_thing", {{"name", "x"}}, {});
  EXPECT_TRUE(refused.is_error);
  EXPECT_TRUE(refused.refused);
  EXPECT_NE(refused.text.find("ALLOW_WRITE=true"), std::string::npos);

  ToolBox allowed({fake_server("ecs", {{"ALLOW_WRITE", "true"}})}, ToolBoxOptions{});
  ASSERT_TRUE(allowed.start().ok());
  auto wrote = allowed.call("write_thing", {{"name", "x"}}, {});
  EXPECT_FALSE(wrote.is_error);
  EXPECT_EQ(wrote.text, "wrote x");
}

TEST(ToolBox, ElicitationReachesTheOwnerAndDefaultsToNo) {
  std::atomic<int> asked{0};
  ToolBoxOptions options;
  options.elicit = [&](const std::string& server, const json& params) -> Result<json> {
    asked++;
    EXPECT_EQ(server, "ecs");
    EXPECT_NE(params.value("message", "").find("Delete db"), std::string::npos);
    return asked == 1 ? json{{"action", "decline"}}
                      : json{{"action", "accept"}, {"content", {{"confirm", true}}}};
  };
  ToolBox box({fake_server("ecs")}, options);
  ASSERT_TRUE(box.start().ok());
  EXPECT_EQ(box.call("delete_thing", {{"name", "db"}}, {}).text, "kept db (decline)");
  EXPECT_EQ(box.call("delete_thing", {{"name", "db"}}, {}).text, "deleted db");
  EXPECT_EQ(asked.load(), 2);
}

TEST(ToolBox, ACrashedServerIsRestartedOnceThenGivesAClearError) {
  std::vector<std::string> warnings;
  ToolBoxOptions options;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };
  ToolBox box({fake_server("ecs")}, options);
  ASSERT_TRUE(box.start().ok());
  auto crashed = box.call("crash", json::object(), {});
  EXPECT_TRUE(crashed.is_error);
  EXPECT_NE(crashed.text.find("stopped during this call"), std::string::npos) << crashed.text;
  auto after_restart = box.call("echo", {{"message", "back"}}, {});
  EXPECT_EQ(after_restart.text, "back");
  EXPECT_EQ(box.restarts("ecs"), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  auto crashed_again = box.call("crash", json::object(), {});
  EXPECT_NE(crashed_again.text.find("not restarted any more"), std::string::npos)
      << crashed_again.text;
  auto gone = box.call("echo", {{"message", "x"}}, {});
  EXPECT_TRUE(gone.is_error);
  EXPECT_NE(gone.text.find("unavailable"), std::string::npos);
}

// fake-mcp-server serving Streamable HTTP on a free loopback port, for as long as it lives.
class HttpFakeServer {
 public:
  explicit HttpFakeServer(const std::string& token = "") {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      std::vector<std::string> args{FAKE_MCP_SERVER_PATH, "--http"};
      if (!token.empty()) args.push_back(token);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      char path[] = "PATH=/usr/bin:/bin";
      char* envp[] = {path, nullptr};
      ::execve(argv[0], argv.data(), envp);
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(out[0]);
    if (line.rfind("listening ", 0) == 0) port_ = std::stoi(line.substr(10));
  }
  ~HttpFakeServer() { stop(); }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::unique_ptr<mcp::HttpClientTransport> http_transport(
    const std::string& url, std::vector<std::pair<std::string, std::string>> headers = {}) {
  mcp::HttpClientTransportOptions options;
  options.url = url;
  options.headers = std::move(headers);
  return std::make_unique<mcp::HttpClientTransport>(options,
                                                    std::make_shared<mcp::CurlClientHttp>());
}

TEST(HttpClient, HandshakeToolsElicitationOverTheStreamAndDeleteOnClose) {
  HttpFakeServer server;
  ASSERT_GT(server.port(), 0);
  auto transport = http_transport(server.url());
  auto* raw = transport.get();
  mcp::ClientSession session(std::move(transport));
  std::atomic<int> asked{0};
  session.on_request("elicitation/create", {{"elicitation", json::object()}},
                     [&](const json& params) -> Result<json> {
                       asked++;
                       EXPECT_EQ(params.value("message", ""), "Delete db permanently?");
                       return json{{"action", "accept"}, {"content", {{"confirm", true}}}};
                     });
  auto described = session.initialize();
  ASSERT_TRUE(described.ok()) << described.error().describe();
  EXPECT_EQ(described->server_info["name"], "fake-mcp-server");
  EXPECT_EQ(described->protocol_version, "2025-11-25");
  const std::string id = raw->session_id();
  EXPECT_EQ(id.size(), 32u);
  auto tools = session.list_tools();
  ASSERT_TRUE(tools.ok()) << tools.error().describe();
  EXPECT_GE(tools->size(), 8u);
  auto echo = session.call_tool("echo", {{"message", "over http"}});
  ASSERT_TRUE(echo.ok()) << echo.error().describe();
  EXPECT_EQ(tool_result_text(*echo), "over http");
  // The server asks on the tool call's SSE stream; the answer is POSTed back meanwhile.
  auto deleted = session.call_tool("delete_thing", {{"name", "db"}});
  ASSERT_TRUE(deleted.ok()) << deleted.error().describe();
  EXPECT_EQ(tool_result_text(*deleted), "deleted db");
  EXPECT_EQ(asked.load(), 1);
  // Several calls at once, each on its own POST.
  std::vector<std::thread> calls;
  std::atomic<int> good{0};
  for (int i = 0; i < 4; ++i) {
    calls.emplace_back([&, i] {
      auto r = session.call_tool("echo", {{"message", std::to_string(i)}});
      if (r.ok() && tool_result_text(*r) == std::to_string(i)) good++;
    });
  }
  for (auto& t : calls) t.join();
  EXPECT_EQ(good.load(), 4);

  session.close();
  EXPECT_FALSE(session.connected());
  // The session was ended with DELETE: the server no longer knows its id.
  mcp::CurlClientHttp http;
  mcp::ClientHttpRequest probe;
  probe.url = server.url();
  probe.headers = {{"Content-Type", "application/json"},
                   {"Accept", "application/json, text/event-stream"},
                   {"Mcp-Session-Id", id}};
  probe.body = R"({"jsonrpc":"2.0","id":9,"method":"ping"})";
  auto answer = http.send(probe);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, 404);
}

TEST(HttpClient, CancellingASlowCallReturnsPromptly) {
  HttpFakeServer server;
  mcp::ClientSession session(http_transport(server.url()));
  ASSERT_TRUE(session.initialize().ok());
  std::atomic<bool> cancel{false};
  mcp::RequestOptions options;
  options.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = session.call_tool("slow", {{"ms", 5000}}, options);
  canceller.join();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  auto echo = session.call_tool("echo", {{"message", "still here"}});
  ASSERT_TRUE(echo.ok());
  EXPECT_EQ(tool_result_text(*echo), "still here");
}

TEST(ToolBox, HttpServersWithHeadersAndAClearErrorWhenRefused) {
  HttpFakeServer server("s3cret");
  ServerSpec spec;
  spec.key = "remote";
  spec.kind = ServerSpec::Kind::kHttp;
  spec.url = server.url();
  spec.headers["Authorization"] = "Bearer s3cret";
  ToolBox box({spec}, ToolBoxOptions{});
  auto st = box.start();
  ASSERT_TRUE(st.ok()) << st.error().describe();
  EXPECT_EQ(box.server_of("echo"), "remote");
  auto echo = box.call("echo", {{"message", "hello"}}, {});
  EXPECT_FALSE(echo.is_error);
  EXPECT_EQ(echo.text, "hello");
  auto refused = box.call("write_thing", {{"name", "x"}}, {});
  EXPECT_TRUE(refused.refused) << refused.text;

  spec.headers["Authorization"] = "Bearer wrong";
  ToolBox wrong({spec}, ToolBoxOptions{});
  auto failed = wrong.start();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("MCP server \"remote\" could not be started"),
            std::string::npos)
      << failed.error().message;
  EXPECT_NE(failed.error().message.find("HTTP 401"), std::string::npos) << failed.error().message;

  server.stop();
  auto gone = box.call("echo", {{"message", "x"}}, {});
  EXPECT_TRUE(gone.is_error);
  EXPECT_NE(gone.text.find(server.url()), std::string::npos) << gone.text;
}

}  // namespace
}  // namespace ecs_mcp::agent
