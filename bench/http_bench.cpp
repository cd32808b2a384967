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

namespace {

using Clock = std::chrono::steady_clock;

struct Conn {
  int fd = -1;
  std::string buf;

  bool open(uint16_t port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Conn() {
    if (fd >= 0) ::close(fd);
  }

  // Sends one POST and reads one complete response (Content-Length or chunked); returns the
  // status, with the head and body in `head` / `body`.
  int post(const std::string& session, const std::string& body, std::string* head_out = nullptr) {
    std::string req = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Accept: application/json, text/event-stream\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n";
    if (!session.empty()) req += "Mcp-Session-Id: " + session + "\r\n";
    req += "\r\n" + body;
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) return -1;
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return -1;
    }
    std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    int status = std::atoi(head.c_str() + 9);
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto p = lower.find("content-length:"); p != std::string::npos) {
      size_t len = std::strtoul(lower.c_str() + p + 15, nullptr, 10);
      while (buf.size() < len) {
        if (!fill()) return -1;
      }
      buf.erase(0, len);
    } else {  // chunked
      for (;;) {
        size_t le;
        while ((le = buf.find("\r\n")) == std::string::npos) {
          if (!fill()) return -1;
        }
        size_t len = std::strtoul(buf.c_str(), nullptr, 16);
        while (buf.size() < le + 2 + len + 2) {
          if (!fill()) return -1;
        }
        buf.erase(0, le + 2 + len + 2);
        if (len == 0) break;
      }
    }
    if (head_out) *head_out = head;
    return status;
  }

  bool fill() {
    char tmp[65536];
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<size_t>(n));
    return true;
  }
};

struct Server {
  pid_t pid = -1;
  uint16_t port = 0;
};

Server start_server(const char* binary) {
  int err[2];
  if (::pipe(err) != 0) std::exit(1);
  Server s;
  s.pid = ::fork();
  if (s.pid == 0) {
    ::dup2(err[1], 2);
    ::close(err[0]);
    ::close(err[1]);
    ::execl(binary, binary, "--transport", "http", "--port", "0", nullptr);
    std::_Exit(127);
  }
  ::close(err[1]);
  // The server logs its URL on stderr; after that the pipe is drained for good, so logging
  // can never block the server.
  std::string log;
  char tmp[4096];
  while (s.port == 0) {
    ssize_t n = ::read(err[0], tmp, sizeof tmp);
    if (n <= 0) break;
    log.append(tmp, static_cast<size_t>(n));
    auto p = log.find("Streamable HTTP at http://127.0.0.1:");
    if (p != std::string::npos && log.find("/mcp", p) != std::string::npos) {
      s.port = static_cast<uint16_t>(std::atoi(log.c_str() + p + 36));
    }
  }
  int fd = err[0];
  std::thread([fd] {
    char sink[4096];
    while (::read(fd, sink, sizeof sink) > 0) {
    }
    ::close(fd);
  }).detach();
  return s;
}

std::string init_session(uint16_t port) {
  Conn c;
  if (!c.open(port)) return {};
  std::string head;
  int status = c.post("", R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"http-bench","version":"1"}}})", &head);
  if (status != 200) return {};
  std::string lower = head;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto p = lower.find("mcp-session-id: ");
  if (p == std::string::npos) return {};
  std::string id = head.substr(p + 16, 32);
  c.post(id, R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  return id;
}

void run_workload(const char* name, const std::string& body, uint16_t port,
                  const std::vector<std::string>& sessions, double seconds) {
  std::vector<std::vector<double>> latencies(sessions.size());
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
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
        latencies[i].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
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
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, size_t(p * all.size()))] / 1000.0; };
  std::printf("%-28s %8.0f req/s   p50 %6.2f ms   p99 %6.2f ms   max %7.2f ms   (%zu requests, %d errors)\n",
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
  std::printf("Streamable HTTP, %d concurrent clients (one session and keep-alive connection each), %.0f s per workload\n",
              clients, seconds);
  run_workload("tools/list", R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}})", server.port, sessions,
               seconds);
  run_workload("tools/call (cheap)",
               R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ecs_resource_management","arguments":{}}})",
               server.port, sessions, seconds);
  run_workload("ping", R"({"jsonrpc":"2.0","id":4,"method":"ping"})", server.port, sessions, seconds);
  ::kill(server.pid, SIGTERM);
  int status = 0;
  ::waitpid(server.pid, &status, 0);
  bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::printf("server stopped on SIGTERM: %s\n", clean ? "exit 0" : "NOT CLEAN");
  return clean ? 0 : 1;
}
