// startup-bench: what one short-lived MCP session costs.
//
// Agents such as LangGraph's MCP adapters spawn the server for every tool call, so the
// figure that matters is spawn -> initialize -> tools/list -> exit. This program runs that
// cycle N times against the server binary: it spawns the server with pipes, writes
// initialize, notifications/initialized and tools/list in one go, reads both answers, closes
// stdin and reaps the process with wait4() to get its peak RSS. It prints the wall time
// (spawn to exit), the time to the tools/list answer, and the peak RSS.
//
// Usage: startup-bench [-n RUNS] SERVER [SERVER-ARGS...]
// The server inherits this program's environment; bench/run strips it first.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kTimeoutMs = 10000;

struct RunFigures {
  double wall_ms = 0;     // spawn to reaped
  double list_ms = 0;     // spawn to the tools/list answer
  double max_rss_mb = 0;  // the child's peak resident set
  size_t tools = 0;       // how many tools the answer listed
};

const char kSession[] =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",)"
    R"("capabilities":{},"clientInfo":{"name":"startup-bench","version":"1.0"}}})"
    "\n"
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
    "\n"
    R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"
    "\n";

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// One spawn -> initialize -> tools/list -> exit cycle; nullopt (with a message) on failure.
std::optional<RunFigures> run_once(const std::vector<char*>& argv, std::string& error) {
  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  // Logs are not the subject; a terminal would make their cost vary with the terminal.
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  auto start = Clock::now();
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  if (rc != 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    error = std::string("posix_spawn: ") + std::strerror(rc);
    return std::nullopt;
  }

  RunFigures figures;
  bool ok = ::write(to_child[1], kSession, sizeof kSession - 1) ==
            static_cast<ssize_t>(sizeof kSession - 1);
  if (!ok) error = "could not write the session to the server's stdin";

  // Read lines until both answers are in; then close stdin and read to end of output.
  std::string buffer;
  bool have_init = false, have_list = false, stdin_open = true;
  char chunk[65536];
  while (ok) {
    if (have_init && have_list && stdin_open) {
      ::close(to_child[1]);
      stdin_open = false;
    }
    pollfd fd{from_child[0], POLLIN, 0};
    int ready = ::poll(&fd, 1, kTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      error = "the server did not answer within " + std::to_string(kTimeoutMs) + " ms";
      ok = false;
      break;
    }
    ssize_t n = ::read(from_child[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // end of output: the server is exiting
    buffer.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      auto message = nlohmann::json::parse(buffer.substr(0, nl), nullptr, false);
      buffer.erase(0, nl + 1);
      if (message.is_discarded() || !message.is_object()) {
        error = "the server wrote a line that is not a JSON object";
        ok = false;
        break;
      }
      auto id = message.find("id");
      if (id == message.end() || !id->is_number_integer()) continue;
      if (message.contains("error")) {
        error = "the server answered with an error: " + message["error"].dump();
        ok = false;
        break;
      }
      if (*id == 1) have_init = true;
      if (*id == 2) {
        have_list = true;
        figures.list_ms = ms_since(start);
        figures.tools = message["result"]["tools"].size();
      }
    }
  }
  if (stdin_open) ::close(to_child[1]);
  ::close(from_child[0]);
  if (!ok) ::kill(pid, SIGKILL);

  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  figures.wall_ms = ms_since(start);
  figures.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  if (!ok) return std::nullopt;
  if (!have_list) {
    error = "the server exited before answering tools/list";
    return std::nullopt;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "the server exited with status " + std::to_string(status);
    return std::nullopt;
  }
  return figures;
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  if (values.empty()) return 0;
  // Nearest-rank: the smallest value with at least p of the samples at or below it.
  size_t rank =
      static_cast<size_t>(std::max(1.0, std::ceil(p * static_cast<double>(values.size()))));
  return values[std::min(rank, values.size()) - 1];
}

int usage() {
  std::fputs("usage: startup-bench [-n RUNS] SERVER [SERVER-ARGS...]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 200;
  int first = 1;
  if (argc > 2 && std::strcmp(argv[1], "-n") == 0) {
    runs = std::atoi(argv[2]);
    first = 3;
  }
  if (runs <= 0 || first >= argc) return usage();
  std::vector<char*> server_argv(argv + first, argv + argc);
  server_argv.push_back(nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  std::string error;
  // One unmeasured run warms the page cache and the dynamic loader's caches.
  if (!run_once(server_argv, error)) {
    std::fprintf(stderr, "startup-bench: %s\n", error.c_str());
    return 1;
  }
  std::vector<double> wall, list, rss;
  size_t tools = 0;
  for (int i = 0; i < runs; ++i) {
    auto figures = run_once(server_argv, error);
    if (!figures) {
      std::fprintf(stderr, "startup-bench: run %d: %s\n", i + 1, error.c_str());
      return 1;
    }
    wall.push_back(figures->wall_ms);
    list.push_back(figures->list_ms);
    rss.push_back(figures->max_rss_mb);
    tools = figures->tools;
  }

  std::printf("startup-bench: %s, %d runs, %zu tools listed\n", server_argv[0], runs, tools);
  std::printf("  spawn -> exit        median %7.2f ms   p90 %7.2f ms   min %7.2f ms\n",
              percentile(wall, 0.5), percentile(wall, 0.9), percentile(wall, 0.0));
  std::printf("  spawn -> tools/list  median %7.2f ms   p90 %7.2f ms   min %7.2f ms\n",
              percentile(list, 0.5), percentile(list, 0.9), percentile(list, 0.0));
  std::printf("  peak RSS             median %7.2f MB   max %7.2f MB\n", percentile(rss, 0.5),
              percentile(rss, 1.0));
  return 0;
}
