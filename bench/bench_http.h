// What the HTTP benchmarks share: a minimal keep-alive HTTP/1.1 client for POSTs to /mcp,
// starting ecs-mcp-server with --transport http --port 0 (its port read from its log), and
// opening an MCP session.
//
// Thread-safety: a Conn belongs to one thread; the functions are reentrant.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace bench {

struct Conn {
  int fd = -1;
  std::string buf;

  // Connects to 127.0.0.1:port, from `source` (another loopback address, say) when given.
  bool open(uint16_t port, const char* source = nullptr) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &from.sin_addr);
      if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) return false;
    }
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
    std::string req =
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Accept: application/json, text/event-stream\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n";
    if (!session.empty()) req += "Mcp-Session-Id: " + session + "\r\n";
    req += "\r\n" + body;
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
      return -1;
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

inline Server start_server(const char* binary) {
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

inline std::string init_session(uint16_t port) {
  Conn c;
  if (!c.open(port)) return {};
  std::string head;
  int status = c.post(
      "",
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"http-bench","version":"1"}}})",
      &head);
  if (status != 200) return {};
  std::string lower = head;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto p = lower.find("mcp-session-id: ");
  if (p == std::string::npos) return {};
  std::string id = head.substr(p + 16, 32);
  c.post(id, R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  return id;
}

}  // namespace bench
