#include "common/subprocess.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ecs_mcp {
namespace {

using namespace std::chrono_literals;

Result<SubprocessResult> sh(const std::string& script, SubprocessOptions options = {}) {
  return run_subprocess({"/bin/sh", "-c", script}, options);
}

TEST(Subprocess, CapturesOutputAndExitCode) {
  auto ran = sh("echo out; echo err >&2; exit 3");
  ASSERT_TRUE(ran.ok()) << ran.error().describe();
  EXPECT_EQ(ran->stop, SubprocessResult::Stop::kExited);
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_EQ(ran->signal, 0);
  EXPECT_EQ(ran->out, "out\n");
  EXPECT_EQ(ran->err, "err\n");
}

TEST(Subprocess, MergesStderrAndReportsLines) {
  SubprocessOptions options;
  options.merge_stderr = true;
  std::vector<std::string> lines;
  options.on_line = [&](const std::string& line) { lines.push_back(line); };
  auto ran = sh("echo one; echo two >&2; printf three", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "one\ntwo\nthree");
  EXPECT_EQ(ran->err, "");
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two"}));  // "three" has no newline
}

TEST(Subprocess, StdinIsDevNullOrTheGivenData) {
  auto ran = sh("cat");
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "");
  SubprocessOptions options;
  options.stdin_data = "secret";
  ran = sh("cat", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "secret");
}

TEST(Subprocess, ExtraEnvironmentReplacesAndAdds) {
  SubprocessOptions options;
  options.extra_env = {{"ECS_MCP_TEST_VALUE", "42"}, {"HOME", "/nowhere"}};
  auto ran = sh("echo \"$ECS_MCP_TEST_VALUE $HOME\"", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "42 /nowhere\n");
}

TEST(Subprocess, KeepsTheHeadOrTheTail) {
  SubprocessOptions options;
  options.max_output_bytes = 4;
  auto ran = sh("printf 0123456789", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "0123");
  options.keep_tail = true;
  ran = sh("printf 0123456789", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->out, "6789");
}

TEST(Subprocess, TimeoutKillsTheWholeGroup) {
  SubprocessOptions options;
  options.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  // The grandchild holds the output pipe open: only killing the group ends the wait.
  auto ran = sh("sleep 30 & sleep 30", options);
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->stop, SubprocessResult::Stop::kTimedOut);
  EXPECT_EQ(ran->signal, 9);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Subprocess, CancellationStopsIt) {
  std::atomic<bool> cancel{false};
  SubprocessOptions options;
  options.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto ran = sh("sleep 30", options);
  canceller.join();
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->stop, SubprocessResult::Stop::kCancelled);
}

TEST(Subprocess, SignalsAreReported) {
  auto ran = sh("kill -TERM $$");
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->exit_code, -1);
  EXPECT_EQ(ran->signal, 15);
}

TEST(Subprocess, AProgramThatCannotStartIsAnError) {
  auto ran = run_subprocess({"/nonexistent/program"});
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.error().code, ErrorCode::kSpawnFailed);
  EXPECT_FALSE(run_subprocess({}).ok());
}

TEST(Subprocess, FindInPath) {
  auto sh_path = find_in_path("sh");
  ASSERT_TRUE(sh_path.has_value());
  EXPECT_EQ(sh_path->front(), '/');
  EXPECT_FALSE(find_in_path("ecs-mcp-no-such-program").has_value());
}

}  // namespace
}  // namespace ecs_mcp
