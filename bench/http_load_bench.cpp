// http-load-bench: ecs-mcp-server's Streamable HTTP transport under abuse, as a legitimate
// client sees it.
//
// Starts the server (--transport http --port 0, default limits), then, all at once:
//   - an idle-connection flood: 1,000 TCP connections that never send a byte, spread over 20
//     loopback source addresses (a distributed attacker, each address under the per-peer cap),
//     reopened as soon as the server closes them, for the whole run;
//   - 256 abandoned sessions: clients that initialize, make one request and leave without
//     DELETE (as most real clients do), filling the session table;
//   - one legitimate client from 127.0.0.1 that opens a new session and then sends tools/list
//     and ping back to back.
// Prints how long the legitimate client's initialize took, its request latency percentiles and
// errors, how many flood connections the server held, and the server's peak RSS (VmHWM).
//
// Usage: http-load-bench [-d SECONDS] [-i IDLE_CONNECTIONS] [-s SESSIONS] SERVER_BINARY
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_http.h"

namespace {

using Clock = std::chrono::steady_clock;
using bench::Conn;

constexpr int kFloodAddresses = 20;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// The server's peak resident set, from /proc/PID/status (VmHWM), in KiB.
long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// Keeps `count` silent connections open until `stop`, reopening each one the server closes.
void idle_flood(uint16_t port, int count, const std::atomic<bool>& stop, std::atomic<int>& open_now,
                std::atomic<long>& reopened) {
  std::vector<std::unique_ptr<Conn>> conns(static_cast<size_t>(count));
  auto source = [](int i) { return "127.0.1." + std::to_string(1 + i % kFloodAddresses); };
  auto reopen = [&](int i) {
    conns[static_cast<size_t>(i)] = std::make_unique<Conn>();
    return conns[static_cast<size_t>(i)]->open(port, source(i).c_str());
  };
  for (int i = 0; i < count; ++i) reopen(i);
  while (!stop) {
    std::vector<pollfd> fds;
    for (auto& c : conns) fds.push_back({c->fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 100);
    int alive = 0;
    for (int i = 0; i < count; ++i) {
      auto& p = fds[static_cast<size_t>(i)];
      if (p.revents & (POLLIN | POLLHUP | POLLERR)) {  // closed (or refused with a 503): again
        reopen(i);
        ++reopened;
      } else {
        ++alive;
      }
    }
    open_now = alive;
  }
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int idle = 1000;
  int abandoned = 256;
  const char* binary = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-d" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "-i" && i + 1 < argc) {
      idle = std::atoi(argv[++i]);
    } else if (a == "-s" && i + 1 < argc) {
      abandoned = std::atoi(argv[++i]);
    } else {
      binary = argv[i];
    }
  }
  if (!binary || idle < 0 || abandoned < 0) {
    std::fprintf(
        stderr,
        "usage: http-load-bench [-d SECONDS] [-i IDLE_CONNECTIONS] [-s SESSIONS] SERVER_BINARY\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  // Room for the flood on this side and for the server's connection table on the other.
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8192);
  ::setrlimit(RLIMIT_NOFILE, &limit);

  bench::Server server = bench::start_server(binary);
  if (server.port == 0) {
    std::fprintf(stderr, "http-load-bench: the server did not start listening\n");
    if (server.pid > 0) ::kill(server.pid, SIGKILL);
    return 1;
  }
  long rss_before = peak_rss_kib(server.pid);

  std::atomic<bool> stop{false};
  std::atomic<int> flood_open{0};
  std::atomic<long> flood_reopened{0};
  std::thread flood([&] { idle_flood(server.port, idle, stop, flood_open, flood_reopened); });

  // Abandoned sessions: initialize, one request, gone without DELETE.
  int sessions_opened = 0;
  for (int i = 0; i < abandoned; ++i) {
    std::string id = bench::init_session(server.port);
    if (id.empty()) continue;
    Conn c;
    if (c.open(server.port))
      c.post(id, R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}})");
    ++sessions_opened;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the flood is in place

  // The legitimate client.
  auto t0 = Clock::now();
  std::string session;
  for (int attempt = 0; attempt < 50 && session.empty(); ++attempt) {
    session = bench::init_session(server.port);
    if (session.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  double init_ms = ms_since(t0);
  std::vector<double> latencies;
  int errors = 0;
  if (!session.empty()) {
    auto c = std::make_unique<Conn>();
    bool connected = c->open(server.port);
    auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(seconds));
    for (int n = 0; connected && Clock::now() < deadline; ++n) {
      auto t = Clock::now();
      int status =
          c->post(session, n % 2 ? R"({"jsonrpc":"2.0","id":3,"method":"ping"})"
                                 : R"({"jsonrpc":"2.0","id":4,"method":"tools/list","params":{}})");
      if (status == 200) {
        latencies.push_back(ms_since(t));
      } else {
        ++errors;
        c = std::make_unique<Conn>();  // the server may have closed it: a new connection
        connected = c->open(server.port);
      }
    }
  }
  int held = flood_open.load();
  long reopened = flood_reopened.load();
  stop = true;
  flood.join();
  long rss_peak = peak_rss_kib(server.pid);

  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty()
               ? 0.0
               : latencies[std::min(latencies.size() - 1, size_t(p * latencies.size()))];
  };
  std::printf(
      "Streamable HTTP under load: %d idle connections from %d addresses (reopened when closed), "
      "%d abandoned sessions, one legitimate client for %.0f s\n",
      idle, kFloodAddresses, sessions_opened, seconds);
  std::printf(
      "  legitimate client: initialize %s in %.1f ms; %zu requests, p50 %.2f ms, p99 %.2f ms, max "
      "%.2f ms, "
      "%d errors\n",
      session.empty() ? "FAILED" : "succeeded", init_ms, latencies.size(), pct(0.50), pct(0.99),
      latencies.empty() ? 0.0 : latencies.back(), errors);
  std::printf(
      "  flood: %d connections held open at the end, %ld reconnections after the server closed or "
      "refused one\n",
      held, reopened);
  std::printf("  server peak RSS: %.1f MiB (%.1f MiB at start)\n", rss_peak / 1024.0,
              rss_before / 1024.0);
  ::kill(server.pid, SIGTERM);
  int status = 0;
  ::waitpid(server.pid, &status, 0);
  return session.empty() || latencies.empty() ? 1 : 0;
}
