// The client side against a real child process (fake-mcp-server): the stdio transport, the
// session, and ToolBox's naming, refusals, elicitation and crash handling.
#include "agent/tool_box.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

TEST(ToolBox, HttpServersAreNotSupportedYet) {
  ServerSpec http;
  http.key = "docs";
  http.kind = ServerSpec::Kind::kHttp;
  http.url = "https://knowledge-mcp.global.api.aws";
  ToolBox box({http}, ToolBoxOptions{});
  auto st = box.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("not supported yet"), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::agent
