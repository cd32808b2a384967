// The epoll HTTP server on its own, against raw loopback sockets: what happens when the
// process runs out of file descriptors, HEAD answers to streamed responses, and what a client
// that connects and says nothing, holds many connections, or stops reading may hold.
#include "mcp/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace ecs_mcp::mcp::http {
namespace {

using namespace std::chrono_literals;

int connect_loopback(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

// Everything the server sends until it has sent `want` bytes, closes, or goes quiet.
std::string receive(int fd, size_t want, std::chrono::milliseconds quiet = 5000ms) {
  std::string got;
  while (got.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

// One response with a Content-Length body (HEAD: without it), or "" when none came.
std::string read_response(int fd, std::string& buffer, bool head_only = false) {
  size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    std::string more = receive(fd, 1);
    if (more.empty()) return "";
    buffer += more;
  }
  size_t length = 0;
  if (auto cl = buffer.find("Content-Length: "); cl != std::string::npos && cl < end) {
    length = std::stoul(buffer.substr(cl + 16));
  }
  size_t total = end + 4 + (head_only ? 0 : length);
  while (buffer.size() < total) {
    std::string more = receive(fd, 1);
    if (more.empty()) break;
    buffer += more;
  }
  std::string response = buffer.substr(0, total);
  buffer.erase(0, std::min(total, buffer.size()));
  return response;
}

// ---------------------------------------------------------------------------------------------
// Out of file descriptors

TEST(HttpServerLimits, MaxConnectionsStaysBelowTheDescriptorLimit) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  HttpServerOptions options;
  options.max_connections = 100'000'000;
  HttpServer server(options, [](HttpRequest&&, std::shared_ptr<HttpExchange>) {});
  if (limit.rlim_cur == RLIM_INFINITY) GTEST_SKIP() << "no descriptor limit";
  EXPECT_GT(server.max_connections(), 0u);
  EXPECT_LE(server.max_connections(), limit.rlim_cur - std::min<rlim_t>(64, limit.rlim_cur / 2));

  options.max_connections = 3;  // a smaller setting is kept
  HttpServer small(options, [](HttpRequest&&, std::shared_ptr<HttpExchange>) {});
  EXPECT_EQ(small.max_connections(), 3u);
}

// CPU time (user + system) the process `pid` has used, in clock ticks.
long cpu_ticks(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

constexpr int kFreeDescriptors = 6;

// The child: a server in a process that has all but a few descriptors in use, as a busy
// process might. GET /log-lines answers how many lines the server has logged.
[[noreturn]] void serve_with_few_descriptors(int ready_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  auto log = std::make_shared<std::ostringstream>();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*log);
  sink->set_pattern("%v");
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("child", sink));
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_cur, 256);
  ::setrlimit(RLIMIT_NOFILE, &limit);

  HttpServer* self = nullptr;
  HttpServer server({}, [log, &self](HttpRequest&& req, std::shared_ptr<HttpExchange> ex) {
    std::string body = "ok";
    if (req.path == "/log-lines") {
      std::string text = log->str();
      body = std::to_string(std::count(text.begin(), text.end(), '\n'));
    } else if (req.path == "/connections") {
      body = std::to_string(self->connection_count());
    }
    ex->respond({200, {}, body});
  });
  self = &server;
  if (!server.listen("127.0.0.1", 0).ok()) ::_exit(2);
  std::vector<int> hog;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) hog.push_back(fd);
  for (int i = 0; i < kFreeDescriptors && !hog.empty(); ++i) {
    ::close(hog.back());
    hog.pop_back();
  }
  uint16_t port = server.port();
  if (::write(ready_fd, &port, sizeof port) != sizeof port) ::_exit(3);
  ::close(ready_fd);
  server.run();
  ::_exit(0);
}

TEST(HttpServerLimits, OutOfDescriptorsRefusesWithoutSpinningAndRecovers) {
  int ready[2];
  ASSERT_EQ(::pipe2(ready, O_CLOEXEC), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) serve_with_few_descriptors(ready[1]);
  ::close(ready[1]);
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{pid};
  uint16_t port = 0;
  ASSERT_EQ(::read(ready[0], &port, sizeof port), static_cast<ssize_t>(sizeof port));
  ::close(ready[0]);

  // Far more connections than the server has descriptors for.
  std::vector<int> clients;
  for (int i = 0; i < kFreeDescriptors * 4; ++i) {
    int fd = connect_loopback(port);
    ASSERT_GE(fd, 0);
    clients.push_back(fd);
  }
  std::this_thread::sleep_for(300ms);

  // Those the server could not keep were told so and closed; the others stay open and idle.
  std::vector<int> held;
  int refused = 0;
  for (int fd : clients) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) == 1) {
      std::string answer = receive(fd, 1 << 16, 200ms);
      EXPECT_TRUE(answer.empty() || answer.rfind("HTTP/1.1 503", 0) == 0) << answer;
      ++refused;
      ::close(fd);
    } else {
      held.push_back(fd);
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_LE(held.size(), static_cast<size_t>(kFreeDescriptors) + 1);  // + the child's pipe

  // Idle now: the loop must sleep, not retry accept() as fast as it can.
  long before = cpu_ticks(pid);
  std::this_thread::sleep_for(1s);
  long used = cpu_ticks(pid) - before;
  EXPECT_LT(used, ::sysconf(_SC_CLK_TCK) / 5) << "the server spun for " << used << " ticks in 1 s";

  // A freed descriptor serves a new client.
  ASSERT_GE(held.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    ::close(held.back());
    held.pop_back();
  }
  std::this_thread::sleep_for(100ms);
  int fd = connect_loopback(port);
  ASSERT_GE(fd, 0);
  std::string buffer;
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string health = read_response(fd, buffer);
  EXPECT_EQ(health.rfind("HTTP/1.1 200", 0), 0u) << health;
  send_all(fd, "GET /log-lines HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string lines = read_response(fd, buffer);
  ASSERT_EQ(lines.rfind("HTTP/1.1 200", 0), 0u) << lines;
  // One warning, then at most one per interval: not one per failed accept().
  EXPECT_LE(std::stoi(lines.substr(lines.find("\r\n\r\n") + 4)), 2) << lines;
  ::close(fd);
  for (int h : held) ::close(h);
}

// ---------------------------------------------------------------------------------------------
// HEAD

class HttpServerHeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(
        HttpServerOptions{}, [this](HttpRequest&& req, std::shared_ptr<HttpExchange> ex) {
          if (req.path == "/stream") {
            ex->start_stream(200, {{"Content-Type", "text/event-stream"}});
            ex->write("data: 1\n\n");
            ex->end();
            ex->on_close([this] { stream_closed_ = true; });
          } else {
            ex->respond({200, {{"Content-Type", "text/plain"}}, "hello"});
          }
        });
    ASSERT_TRUE(server_->listen("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->request_stop();
    thread_.join();
  }

  std::unique_ptr<HttpServer> server_;
  std::atomic<bool> stream_closed_{false};
  std::thread thread_;
};

TEST_F(HttpServerHeadTest, HeadOfAStreamIsTheWholeAnswer) {
  int fd = connect_loopback(server_->port());
  ASSERT_GE(fd, 0);
  std::string buffer;
  send_all(fd, "HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = read_response(fd, buffer, /*head_only=*/true);
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;
  send_all(fd, "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string next = read_response(fd, buffer);
  EXPECT_EQ(next.rfind("HTTP/1.1 200", 0), 0u) << next;
  EXPECT_EQ(next.substr(next.size() - 5), "hello");
  EXPECT_TRUE(buffer.empty()) << buffer;
  for (int i = 0; i < 100 && !stream_closed_; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(stream_closed_);  // its writer learns there is no one to write to
  ::close(fd);
}

TEST_F(HttpServerHeadTest, HeadKeepsTheLengthAndDropsTheBody) {
  int fd = connect_loopback(server_->port());
  ASSERT_GE(fd, 0);
  std::string buffer;
  send_all(fd, "HEAD /plain HTTP/1.1\r\nHost: x\r\n\r\nGET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string head = read_response(fd, buffer, /*head_only=*/true);
  EXPECT_NE(head.find("Content-Length: 5\r\n"), std::string::npos) << head;
  std::string get = read_response(fd, buffer);
  EXPECT_EQ(get.rfind("HTTP/1.1 200", 0), 0u) << get;
  EXPECT_EQ(get.substr(get.size() - 5), "hello");
  ::close(fd);
}

// ---------------------------------------------------------------------------------------------
// What an unauthenticated peer may hold

class HttpServerAbuseTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options) {
    server_ = std::make_unique<HttpServer>(
        options, [](HttpRequest&& req, std::shared_ptr<HttpExchange> ex) {
          if (req.path == "/big") {
            ex->respond({200, {}, std::string(8u << 20, 'x')});
          } else if (req.path == "/stream") {
            ex->start_stream(200, {{"Content-Type", "text/event-stream"}});
            for (int i = 0; i < 160; ++i) ex->write(std::string(64 * 1024, 'y'));
          } else {
            ex->respond({200, {}, "ok"});
          }
        });
    ASSERT_TRUE(server_->listen("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (!server_) return;
    server_->request_stop();
    thread_.join();
  }
  // Waits up to `limit` for the server to hold `n` connections.
  bool connections_become(size_t n, std::chrono::milliseconds limit = 4000ms) {
    for (auto end = std::chrono::steady_clock::now() + limit;
         std::chrono::steady_clock::now() < end;) {
      if (server_->connection_count() == n) return true;
      std::this_thread::sleep_for(20ms);
    }
    return server_->connection_count() == n;
  }
  std::string get(int fd, const std::string& head) {
    std::string buffer;
    send_all(fd, head);
    return read_response(fd, buffer);
  }

  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(HttpServerAbuseTest, ConnectionsThatSendNoHeadAreClosedSoon) {
  HttpServerOptions o;
  o.head_timeout = 300ms;
  start(o);
  int silent = connect_loopback(server_->port());
  int partial = connect_loopback(server_->port());
  send_all(partial, "GET / HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(connections_become(2));
  EXPECT_TRUE(connections_become(0, 3000ms))
      << "the head deadline, not the keep-alive time, applies";
  EXPECT_EQ(receive(silent, 1, 500ms), "");  // closed without a word
  EXPECT_EQ(receive(partial, 12, 500ms).rfind("HTTP/1.1 408", 0), 0u);
  ::close(silent);
  ::close(partial);
}

TEST_F(HttpServerAbuseTest, OnePeerAddressHoldsAtMostItsShare) {
  HttpServerOptions o;
  o.max_connections_per_peer = 3;
  start(o);
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) held.push_back(connect_loopback(server_->port()));
  EXPECT_TRUE(connections_become(3));
  int extra = connect_loopback(server_->port());
  EXPECT_EQ(receive(extra, 12).rfind("HTTP/1.1 503", 0), 0u);
  ::close(extra);
  ::close(held.back());
  held.pop_back();
  EXPECT_TRUE(connections_become(2));
  int next = connect_loopback(server_->port());
  EXPECT_EQ(get(next, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
  ::close(next);
  for (int fd : held) ::close(fd);
}

TEST_F(HttpServerAbuseTest, AFullTableMakesRoomByClosingTheLongestIdle) {
  HttpServerOptions o;
  o.max_connections = 4;
  o.max_connections_per_peer = 0;
  start(o);
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(connect_loopback(server_->port()));
  EXPECT_TRUE(connections_become(4));
  int client = connect_loopback(server_->port());
  EXPECT_EQ(get(client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(receive(idle.front(), 1, 500ms), "") << "the oldest idle connection was closed";
  ::close(client);
  for (int fd : idle) ::close(fd);
}

TEST_F(HttpServerAbuseTest, AClientThatStopsReadingIsDisconnected) {
  HttpServerOptions o;
  o.write_timeout = 300ms;
  o.stream_keep_alive = 0ms;
  start(o);
  int response_reader = connect_loopback(server_->port());
  int stream_reader = connect_loopback(server_->port());
  int small_buffer = 4096;
  for (int fd : {response_reader, stream_reader}) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small_buffer, sizeof small_buffer);
  }
  send_all(response_reader, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  send_all(stream_reader, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(connections_become(2));
  // Neither reads: their output stops draining, and the write deadline ends both.
  EXPECT_TRUE(connections_become(0, 4000ms));
  ::close(response_reader);
  ::close(stream_reader);
}

TEST_F(HttpServerAbuseTest, ExactlyOneHostHeader) {
  start({});
  for (const char* head : {"GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                           "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n"}) {
    int fd = connect_loopback(server_->port());
    EXPECT_EQ(get(fd, head).rfind("HTTP/1.1 400", 0), 0u) << head;
    ::close(fd);
  }
  int fd = connect_loopback(server_->port());
  EXPECT_EQ(get(fd, "GET / HTTP/1.0\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u)
      << "HTTP/1.0 needs none";
  ::close(fd);
}

TEST_F(HttpServerAbuseTest, RequestBodiesHeldAtOnceAreBounded) {
  HttpServerOptions o;
  o.max_pending_body_bytes = 1000;
  start(o);
  int first = connect_loopback(server_->port());
  send_all(first,
           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n" + std::string(100, 'a'));
  EXPECT_TRUE(connections_become(1));
  std::this_thread::sleep_for(100ms);
  int second = connect_loopback(server_->port());
  EXPECT_EQ(get(second, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n")
                .rfind("HTTP/1.1 503", 0),
            0u);
  ::close(second);
  // The first body completes and is answered; its share is given back.
  std::string buffer;
  send_all(first, std::string(700, 'a'));
  EXPECT_EQ(read_response(first, buffer).rfind("HTTP/1.1 200", 0), 0u);
  int third = connect_loopback(server_->port());
  send_all(third,
           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n" + std::string(800, 'a'));
  buffer.clear();
  EXPECT_EQ(read_response(third, buffer).rfind("HTTP/1.1 200", 0), 0u);
  ::close(first);
  ::close(third);
}

}  // namespace
}  // namespace ecs_mcp::mcp::http
