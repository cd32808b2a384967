// http-bench: throughput and latency of ecs-mcp-server's Streamable HTTP transport.
//
// Starts the server (--transport http --port 0), opens one MCP session and one keep-alive
// connection per client, and for each workload has every client send requests back to back
// for the given time: `tools/list`, and a cheap `tools/call` (arguments that fail schema
// validation, so the call crosses the worker pool and back without touching AWS). Prints
// requests per second and latency percentiles, then stops the server with SIGTERM.
//
// Usage: http-bench [-c CLIENTS] [-d SECONDS] SERVER_BINARY
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "bench_http.h"

namespace {

using Clock = std::chrono::steady_clock;
using bench::Conn;
using bench::init_session;
using bench::Server;
using bench::start_server;

void run_workload(const char* name, const std::string& body, uint16_t port,
                  const std::vector<std::string>& sessions, double seconds) {
  std::vector<std::vector<double>> latencies(sessions.size());
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < sessions.size(); ++i) {
    threads.emplace_back([&, i] {
      Conn c;
      if (!c.open(port)) {
        errors++;
        return;
      }
      while (!go) std::this_thread::yield();
      while (Clock::now() < deadline) {
        auto t0 = Clock::now();
        int status = c.post(sessions[i], body);
        if (status != 200) {
          errors++;
          if (status < 0) return;
          continue;
        }
        latencies[i].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  }
  auto start = Clock::now();
  go = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(p * all.size()))] / 1000.0;
  };
  std::printf(
      "%-28s %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms   (%zu requests, %d "
      "errors)\n",
      name, all.size() / elapsed, pct(0.50), pct(0.99), all.empty() ? 0.0 : all.back() / 1000.0,
      all.size(), errors.load());
}

}  // namespace

int main(int argc, char** argv) {
  int clients = 32;
  double seconds = 3;
  const char* binary = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-c" && i + 1 < argc) {
      clients = std::atoi(argv[++i]);
    } else if (a == "-d" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      binary = argv[i];
    }
  }
  if (!binary || clients < 1) {
    std::fprintf(stderr, "usage: http-bench [-c CLIENTS] [-d SECONDS] SERVER_BINARY\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  Server server = start_server(binary);
  if (server.port == 0) {
    std::fprintf(stderr, "http-bench: the server did not start listening\n");
    if (server.pid > 0) ::kill(server.pid, SIGKILL);
    return 1;
  }
  std::vector<std::string> sessions;
  for (int i = 0; i < clients; ++i) {
    auto id = init_session(server.port);
    if (id.empty()) {
      std::fprintf(stderr, "http-bench: initialize failed\n");
      ::kill(server.pid, SIGKILL);
      return 1;
    }
    sessions.push_back(id);
  }
  std::printf(
      "Streamable HTTP, %d concurrent clients (one session and keep-alive connection each), %.0f s "
      "per workload\n",
      clients, seconds);
  run_workload("tools/list", R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}})",
               server.port, sessions, seconds);
  run_workload(
      "tools/call (cheap)",
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ecs_resource_management","arguments":{}}})",
      server.port, sessions, seconds);
  run_workload("ping", R"({"jsonrpc":"2.0","id":4,"method":"ping"})", server.port, sessions,
               seconds);
  ::kill(server.pid, SIGTERM);
  int status = 0;
  ::waitpid(server.pid, &status, 0);
  bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::printf("server stopped on SIGTERM: %s\n", clean ? "exit 0" : "NOT CLEAN");
  return clean ? 0 : 1;
}
