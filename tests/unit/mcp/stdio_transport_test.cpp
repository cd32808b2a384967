#include "mcp/stdio_transport.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <sstream>
#include <thread>

namespace ecs_mcp::mcp {
namespace {

using namespace std::chrono_literals;

// Runs a StdioTransport over two pipes, as a client process would see it.
class StdioHarness {
 public:
  explicit StdioHarness(StdioOptions options = {}) {
    EXPECT_EQ(::pipe(to_server_), 0);
    EXPECT_EQ(::pipe(from_server_), 0);
    ToolRegistry registry;
    Tool wait;
    wait.name = "wait";
    wait.title = "Wait";
    wait.description = "Waits until cancelled or for `ms` milliseconds";
    wait.input_schema = {{"type", "object"}, {"properties", {{"ms", {{"type", "integer"}}}}}};
    wait.handler = [this](const json& args, ToolContext& ctx) {
      started_ = true;
      auto until =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(args.value("ms", 60000));
      while (!ctx.cancelled() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(2ms);
      return ToolResult::text(ctx.cancelled() ? "cancelled" : "waited");
    };
    EXPECT_TRUE(registry.add(wait).ok());
    server_ = std::make_unique<Server>(ServerInfo{"s", "S", "1", ""}, std::move(registry), nullptr);
    transport_ =
        std::make_unique<StdioTransport>(*server_, to_server_[0], from_server_[1], options);
    runner_ = std::thread([this] {
      rc_ = transport_->run();
      ::close(from_server_[1]);
      done_ = true;
    });
  }
  ~StdioHarness() {
    close_input();
    if (runner_.joinable()) runner_.join();
    ::close(to_server_[0]);
    ::close(from_server_[0]);
  }

  void write(const std::string& text) {
    ASSERT_EQ(::write(to_server_[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void close_input() {
    if (to_server_[1] >= 0) ::close(to_server_[1]);
    to_server_[1] = -1;
  }
  // Everything the server wrote, once it has finished.
  std::vector<std::string> finish() {
    close_input();
    runner_.join();
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(from_server_[0], buf, sizeof buf)) > 0)
      all.append(buf, static_cast<size_t>(n));
    std::vector<std::string> lines;
    std::istringstream in(all);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  StdioTransport& transport() { return *transport_; }
  std::atomic<bool> started_{false};
  std::atomic<bool> done_{false};
  int rc_ = -1;

 private:
  int to_server_[2];
  int from_server_[2];
  std::unique_ptr<Server> server_;
  std::unique_ptr<StdioTransport> transport_;
  std::thread runner_;
};

const std::string kInit =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})";

TEST(StdioTransport, OneCompactLinePerMessageAndCrlfTolerated) {
  StdioHarness h;
  h.write(kInit + "\r\n\n   \n" + R"({"jsonrpc":"2.0","id":2,"method":"ping"})" + "\n");
  auto lines = h.finish();
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& l : lines) EXPECT_TRUE(json::accept(l)) << l;
  EXPECT_EQ(json::parse(lines[1])["id"], 2);
  EXPECT_EQ(h.rc_, 0);
}

TEST(StdioTransport, MessagesSplitAcrossWritesAndAFinalLineWithoutNewline) {
  StdioHarness h;
  std::string ping = R"({"jsonrpc":"2.0","id":2,"method":"ping"})";
  h.write(kInit.substr(0, 10));
  std::this_thread::sleep_for(10ms);
  h.write(kInit.substr(10) + "\n" + ping.substr(0, 5));
  std::this_thread::sleep_for(10ms);
  h.write(ping.substr(5));
  auto lines = h.finish();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[1])["id"], 2);
}

TEST(StdioTransport, OverlongLineIsAnsweredAndTheStreamRecovers) {
  StdioOptions options;
  options.max_line_bytes = 1024;
  StdioHarness h(options);
  h.write(std::string(5000, 'x') + "\n" + kInit + "\n");
  auto lines = h.finish();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["error"]["code"], rpc_error::kParseError);
  EXPECT_EQ(json::parse(lines[1])["id"], 1);
}

TEST(StdioTransport, MemoryHeldByPendingMessagesIsBounded) {
  StdioOptions options;
  options.max_pending_bytes = 100 * 1024;
  StdioHarness h(options);
  auto padded = [](int id, int ms, int values) {
    std::string pad = "[0";
    for (int i = 1; i < values; ++i) pad += ",0";
    pad += "]";
    return R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
           R"(,"method":"tools/call","params":{"name":"wait","arguments":{"ms":)" +
           std::to_string(ms) + R"(},"_meta":{"pad":)" + pad + "}}}\n";
  };
  h.write(kInit + "\n" + padded(4, 300, 600));
  for (int i = 0; i < 500 && !h.started_; ++i) std::this_thread::sleep_for(2ms);
  h.write(padded(5, 0, 1200) + R"({"jsonrpc":"2.0","id":6,"method":"ping"})" + "\n");
  auto lines = h.finish();
  std::map<int, json> by_id;
  for (const auto& line : lines) {
    json m = json::parse(line);
    by_id[m["id"].get<int>()] = m;
  }
  ASSERT_EQ(by_id.size(), 4u) << lines.size();
  EXPECT_EQ(by_id[5]["error"]["code"], rpc_error::kInternalError) << "refused, named by its id";
  EXPECT_NE(by_id[5]["error"]["message"].get<std::string>().find("busy"), std::string::npos);
  EXPECT_TRUE(by_id[6].contains("result")) << "a small message still fits";
  EXPECT_EQ(by_id[4]["result"]["content"][0]["text"], "waited");
}

TEST(StdioTransport, EndOfInputLetsRunningCallsAnswer) {
  StdioHarness h;
  h.write(
      kInit + "\n" +
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"wait","arguments":{"ms":100}}})" +
      "\n");
  auto lines = h.finish();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[1])["result"]["content"][0]["text"], "waited");
}

TEST(StdioTransport, StopRequestCancelsRunningCallsAndEndsPromptly) {
  StdioHarness h;
  h.write(
      kInit + "\n" +
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"wait","arguments":{}}})" +
      "\n");
  for (int i = 0; i < 500 && !h.started_; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(h.started_);
  h.transport().request_stop();
  // The call would run for a minute; ending at all within this bound proves it was cancelled.
  for (int i = 0; i < 5000 && !h.done_; ++i) std::this_thread::sleep_for(2ms);
  EXPECT_TRUE(h.done_) << "transport did not stop";
  auto lines = h.finish();
  ASSERT_EQ(lines.size(), 1u);  // the cancelled call's reply is suppressed
  EXPECT_EQ(h.rc_, 0);
}

}  // namespace
}  // namespace ecs_mcp::mcp
