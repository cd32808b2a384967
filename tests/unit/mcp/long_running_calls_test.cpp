// Long-running tools against quick ones: a separate pool so deployments cannot take every worker,
// and cancellation that wakes a sleeping wait at once rather than at its next poll.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/stoppable_sleep.h"
#include "mcp/server.h"

namespace ecs_mcp::mcp {
namespace {

using namespace std::chrono_literals;

class Recorder : public Outbound {
 public:
  void send(const json& message) override {
    std::lock_guard lock(mu_);
    messages_.push_back(message);
    cv_.notify_all();
  }
  // The response with `id`, or null after `timeout`.
  json response(const json& id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    json found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& m : messages_) {
        if (m.contains("id") && m["id"] == id && !m.contains("method")) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> messages_;
};

json empty_schema() { return {{"type", "object"}, {"properties", {{"n", {{"type", "integer"}}}}}}; }

struct Fixture {
  std::atomic<int> deployments_running{0};
  std::unique_ptr<Server> server;
  std::shared_ptr<Recorder> out = std::make_shared<Recorder>();
  std::shared_ptr<Session> session;

  Fixture() {
    ToolRegistry tools;
    Tool deploy;
    deploy.name = "deploy";
    deploy.description = "sleeps an hour unless cancelled";
    deploy.input_schema = empty_schema();
    deploy.long_running = true;
    deploy.handler = [this](const json&, ToolContext& ctx) {
      ++deployments_running;
      bool slept = sleep_unless_stopped(std::chrono::hours(1), ctx.stop_token());
      --deployments_running;
      return ToolResult::text(slept ? "slept" : "woken");
    };
    EXPECT_TRUE(tools.add(deploy).ok());
    Tool read;
    read.name = "read";
    read.description = "answers at once";
    read.input_schema = empty_schema();
    read.handler = [](const json&, ToolContext&) { return ToolResult::text("read"); };
    EXPECT_TRUE(tools.add(read).ok());
    ServerOptions options;
    options.max_workers = 2;
    options.max_long_running_workers = 2;
    server =
        std::make_unique<Server>(ServerInfo{"t", "t", "1", ""}, std::move(tools), nullptr, options);
    session = Session::create(*server, out);
    session->handle_text(
        R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})");
  }
  void call(int id, const std::string& tool) {
    session->handle_text(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) +
                         R"(,"method":"tools/call","params":{"name":")" + tool +
                         R"(","arguments":{}}})");
  }
  void cancel(int id) {
    session->handle_text(
        R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":)" +
        std::to_string(id) + "}}");
  }
};

TEST(LongRunningCalls, ManyDeploymentsLeaveWorkersForOtherCalls) {
  Fixture f;
  for (int id = 1; id <= 6; ++id) f.call(id, "deploy");  // more than every worker there is
  for (int i = 0; i < 200 && f.deployments_running < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(f.deployments_running, 2) << "deployments run at most max_long_running_workers at once";
  f.call(100, "read");
  json answer = f.out->response(100, 2s);
  ASSERT_FALSE(answer.is_null()) << "a quick call waited behind deployments";
  EXPECT_EQ(answer["result"]["content"][0]["text"], "read");
  f.session->cancel_all();
  EXPECT_TRUE(f.session->wait_until_idle(5s));
}

TEST(LongRunningCalls, CancellationWakesASleepingWaitAtOnce) {
  Fixture f;
  f.call(1, "deploy");
  for (int i = 0; i < 200 && f.deployments_running < 1; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(f.deployments_running, 1);
  auto start = std::chrono::steady_clock::now();
  f.cancel(1);
  EXPECT_TRUE(f.session->wait_until_idle(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 200ms)
      << "the wait noticed the cancellation late";
}

TEST(StoppableSleep, SleepsTheWholeTimeUnlessStopped) {
  std::stop_source never;
  EXPECT_TRUE(sleep_unless_stopped(20ms, never.get_token()));
  EXPECT_TRUE(sleep_unless_stopped(10ms, std::stop_token{}));
  std::stop_source stopped;
  stopped.request_stop();
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(sleep_unless_stopped(std::chrono::hours(1), stopped.get_token()));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);
}

}  // namespace
}  // namespace ecs_mcp::mcp
