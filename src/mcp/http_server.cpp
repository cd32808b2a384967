#include "mcp/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>

#include "common/strings.h"
#include "mcp/http_request_head.h"

namespace ecs_mcp::mcp::http {

using Clock = std::chrono::steady_clock;

namespace {

constexpr uint64_t kListenId = 1;
constexpr uint64_t kWakeId = 2;

constexpr char kBusy[] =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

// Descriptors left for everything else the process opens (AWS connections, log files, the
// epoll and wake-up descriptors) when capping the number of connections.
constexpr rlim_t kDescriptorMargin = 64;

// At most one warning this often about refused connections, however many are refused.
constexpr auto kRefusalWarningInterval = std::chrono::seconds(10);

// Sent output is erased from the front of a buffer once this much of it has gone, and a
// drained buffer that grew beyond it is given back: a connection that once carried a large
// answer does not keep its memory for as long as it stays open.
constexpr size_t kCompactBytes = 64 * 1024;

void release_if_large(std::string& buffer) {
  if (buffer.empty() && buffer.capacity() > kCompactBytes) std::string().swap(buffer);
}

int open_reserve_fd() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

void add_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

std::string chunk(std::string_view data) {
  char size[24];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out(size, static_cast<size_t>(n));
  out.append(data).append("\r\n");
  return out;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

// ---------------------------------------------------------------------------------------------
// The queue through which other threads reach the loop.

struct Command {
  enum class Kind { kRespond, kStartStream, kWrite, kEnd };
  Kind kind;
  std::shared_ptr<HttpExchange> exchange;
  uint64_t connection_id = 0;
  HttpResponse response;  // kRespond; kStartStream uses status and headers
  std::string data;       // kWrite
};

struct LoopChannel {
  std::mutex mu;
  std::vector<Command> commands;
  bool alive = true;
  int wake_fd = -1;

  ~LoopChannel() {
    if (wake_fd >= 0) ::close(wake_fd);
  }
  void post(Command command) {
    {
      std::lock_guard lock(mu);
      if (!alive) return;
      commands.push_back(std::move(command));
    }
    wake();
  }
  void wake() const {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
  }
};

HttpExchange::HttpExchange(std::shared_ptr<LoopChannel> channel, uint64_t connection_id)
    : channel_(std::move(channel)), connection_id_(connection_id) {}

void HttpExchange::respond(HttpResponse response) {
  channel_->post(
      {Command::Kind::kRespond, shared_from_this(), connection_id_, std::move(response), {}});
}

void HttpExchange::start_stream(int status, Headers headers) {
  HttpResponse head;
  head.status = status;
  head.headers = std::move(headers);
  channel_->post(
      {Command::Kind::kStartStream, shared_from_this(), connection_id_, std::move(head), {}});
}

void HttpExchange::write(std::string data) {
  channel_->post({Command::Kind::kWrite, shared_from_this(), connection_id_, {}, std::move(data)});
}

void HttpExchange::end() {
  channel_->post({Command::Kind::kEnd, shared_from_this(), connection_id_, {}, {}});
}

void HttpExchange::on_close(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!closed_) {
      on_close_ = std::move(callback);
      return;
    }
  }
  callback();
}

void HttpExchange::mark_closed() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (closed_.exchange(true)) return;
    callback = std::move(on_close_);
  }
  if (callback) callback();
}

// ---------------------------------------------------------------------------------------------
// Connections

struct HttpServer::Connection {
  enum class State {
    kReadingHead,  // waiting for a complete request head
    kReadingBody,  // head parsed, waiting for Content-Length bytes
    kHandling,     // request handed over; waiting for respond() or start_stream()
    kStreaming,    // chunked response in progress
    kDone,         // response complete; close once output is flushed
  };
  uint64_t id = 0;
  int fd = -1;
  std::string peer;
  std::string peer_address;  // without the port: the key of the per-peer limit
  State state = State::kReadingHead;
  std::string in;
  std::string out;
  size_t out_offset = 0;
  bool want_write = false;
  bool keep_alive = true;
  bool close_after_flush = false;
  bool head_only = false;  // the request is HEAD: the response goes without its body
  size_t body_length = 0;
  size_t body_reserved = 0;  // this request's share of max_pending_body_bytes
  size_t requests = 0;       // requests received on this connection
  HttpRequest request;
  std::shared_ptr<HttpExchange> exchange;
  Clock::time_point request_started;  // first byte of the current request
  Clock::time_point last_activity;
  Clock::time_point last_stream_write;
  Clock::time_point last_write_progress;  // when unsent output last shrank (or appeared)
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      channel_(std::make_shared<LoopChannel>()) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  channel_->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  reserve_fd_ = open_reserve_fd();
  // Every connection costs a descriptor: more connections than the process may open would
  // only end in accept() failing. Keep a margin for everything else.
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    rlim_t margin = std::min(kDescriptorMargin, limit.rlim_cur / 2);
    auto budget = static_cast<size_t>(limit.rlim_cur - margin);
    if (options_.max_connections > budget) {
      spdlog::info(
          "serving at most {} connections, not {}: the process may open {} descriptors (ulimit -n)",
          budget, options_.max_connections, static_cast<uint64_t>(limit.rlim_cur));
      options_.max_connections = budget;
    }
  }
}

HttpServer::~HttpServer() {
  stopping_ = true;
  {
    std::lock_guard lock(channel_->mu);
    channel_->alive = false;
    channel_->commands.clear();
  }
  std::vector<uint64_t> ids;
  for (auto& [id, c] : connections_) ids.push_back(id);
  for (auto id : ids) close_connection(id);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (reserve_fd_ >= 0) ::close(reserve_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

Status HttpServer::listen(const std::string& host, uint16_t port) {
  if (epoll_fd_ < 0 || channel_->wake_fd < 0) {
    return make_error(ErrorCode::kHttpListenFailed,
                      std::string("cannot create epoll/eventfd: ") + std::strerror(errno));
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  std::string bind_host = host;
  if (bind_host.size() > 2 && bind_host.front() == '[' && bind_host.back() == ']') {
    bind_host = bind_host.substr(1, bind_host.size() - 2);
  }
  if (int rc = ::getaddrinfo(bind_host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return make_error(ErrorCode::kHttpListenFailed,
                      "cannot resolve " + host + ": " + ::gai_strerror(rc));
  }
  std::string last_error = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    int fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 512) == 0) {
      listen_fd_ = fd;
      break;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) {
    return make_error(ErrorCode::kHttpListenFailed,
                      "cannot listen on " + host + ":" + service + ": " + last_error);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  watch_listener(true);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, channel_->wake_fd, &ev);
  return Status::Ok();
}

void HttpServer::watch_listener(bool watch) {
  if (listen_fd_ < 0 || watch == listener_watched_) return;
  if (watch) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenId;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  } else {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
  }
  listener_watched_ = watch;
}

void HttpServer::request_stop() {
  // Async-signal-safe: one write to the eventfd; the loop sees the flag it implies.
  stop_requested_.store(true);
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(channel_->wake_fd, &one, sizeof one);
}

bool HttpServer::pending_exchanges() const {
  for (const auto& [id, c] : connections_) {
    if (c->state == Connection::State::kHandling || c->state == Connection::State::kStreaming ||
        c->out.size() > c->out_offset) {
      return true;
    }
  }
  return false;
}

void HttpServer::run() {
  Clock::time_point drain_deadline{};
  Clock::time_point next_tick = Clock::now() + std::chrono::seconds(1);
  epoll_event events[128];
  for (;;) {
    if (stop_requested_.load() && !stopping_) {
      stopping_ = true;
      spdlog::info("HTTP server stopping: no new connections; draining {} connection(s)",
                   connections_.size());
      if (listen_fd_ >= 0) {
        watch_listener(false);
        ::close(listen_fd_);
        listen_fd_ = -1;
      }
      if (on_stop_) on_stop_();
      drain_deadline = Clock::now() + options_.drain_timeout;
    }
    if (stopping_) {
      apply_commands();
      if (!pending_exchanges() || Clock::now() >= drain_deadline) break;
    }
    int timeout_ms = stopping_ ? 20 : 250;
    int n = ::epoll_wait(epoll_fd_, events, 128, timeout_ms);
    if (n < 0 && errno != EINTR) {
      spdlog::error("epoll_wait failed: {}", std::strerror(errno));
      break;
    }
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        accept_all();
      } else if (id == kWakeId) {
        uint64_t value;
        while (::read(channel_->wake_fd, &value, sizeof value) > 0) {
        }
      } else {
        auto it = connections_.find(id);
        if (it == connections_.end()) continue;
        Connection& c = *it->second;
        uint32_t ev = events[i].events;
        if (ev & (EPOLLERR | EPOLLHUP)) {
          close_connection(id);
          continue;
        }
        if (ev & EPOLLOUT) on_writable(c);
        if (connections_.count(id) && (ev & (EPOLLIN | EPOLLRDHUP))) on_readable(c);
      }
    }
    apply_commands();
    auto now = Clock::now();
    if (now >= next_tick) {
      next_tick = now + std::chrono::seconds(1);
      check_timers();
      if (tick_) tick_();
      apply_commands();
      if (!stopping_) {
        // Descriptors freed elsewhere in the process: take the reserve back, listen again.
        if (reserve_fd_ < 0) reserve_fd_ = open_reserve_fd();
        watch_listener(true);
      }
    }
  }
  std::vector<uint64_t> ids;
  for (auto& [id, c] : connections_) ids.push_back(id);
  for (auto id : ids) close_connection(id);
}

void HttpServer::accept_all() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) refuse_without_descriptors();
      return;
    }
    if (connections_.size() >= options_.max_connections && !evict_idle_connection()) {
      [[maybe_unused]] ssize_t w = ::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
      ::close(fd);
      warn_refused("the connection limit is reached");
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>();
    c->id = next_id_++;
    c->fd = fd;
    char host[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (addr.ss_family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
      port = ntohs(a->sin6_port);
    }
    c->peer = std::string(host) + ":" + std::to_string(port);
    c->peer_address = host;
    size_t& from_peer = connections_per_peer_[c->peer_address];
    if (options_.max_connections_per_peer > 0 && from_peer >= options_.max_connections_per_peer) {
      [[maybe_unused]] ssize_t w = ::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
      ::close(fd);
      warn_refused("one client address holds the most connections it may");
      continue;
    }
    ++from_peer;
    c->last_activity = c->request_started = Clock::now();
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = c->id;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    connections_.emplace(c->id, std::move(c));
    connection_count_.store(connections_.size());
  }
}

// The table is full: close the connection that has waited longest for a request, preferring
// one that never sent any (that is what a flood of idle connections looks like). A client
// whose idle keep-alive connection goes simply opens another. False when every connection is
// busy with a request.
bool HttpServer::evict_idle_connection() {
  Connection* oldest = nullptr;
  for (auto& [id, cp] : connections_) {
    Connection& c = *cp;
    if (c.state != Connection::State::kReadingHead || !c.in.empty() ||
        c.out.size() > c.out_offset) {
      continue;
    }
    if (!oldest || (c.requests == 0) > (oldest->requests == 0) ||
        ((c.requests == 0) == (oldest->requests == 0) && c.last_activity < oldest->last_activity)) {
      oldest = &c;
    }
  }
  if (!oldest) return false;
  warn_refused("the connection limit is reached; closed the connection idle longest");
  close_connection(oldest->id);
  return true;
}

// accept() failed for want of a descriptor. The connection stays queued, so the listener stays
// readable and epoll would hand it straight back: a busy loop. Give up the reserve descriptor
// to accept each waiting connection and close it at once (the client hears 503 instead of
// waiting); with no reserve to give, stop watching the listener until a connection closes or
// the next tick.
void HttpServer::refuse_without_descriptors() {
  for (;;) {
    if (reserve_fd_ < 0) {
      watch_listener(false);
      warn_refused("the process is out of file descriptors; not accepting until one is free");
      return;
    }
    ::close(reserve_fd_);
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    int err = errno;
    if (fd >= 0) {
      [[maybe_unused]] ssize_t w = ::send(fd, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
      ::close(fd);
      warn_refused("the process is out of file descriptors");
    }
    reserve_fd_ = open_reserve_fd();  // may fail: another thread took the descriptor
    if (fd >= 0 || err == EINTR || err == ECONNABORTED) continue;
    if (err != EAGAIN && err != EWOULDBLOCK) watch_listener(false);
    return;
  }
}

void HttpServer::warn_refused(const char* why) {
  ++refused_since_warning_;
  auto now = Clock::now();
  if (last_refusal_warning_ != Clock::time_point{} &&
      now - last_refusal_warning_ < kRefusalWarningInterval) {
    return;
  }
  spdlog::warn(
      "refused {} connection(s): {} ({} open, at most {}); this warning repeats at most every {} s",
      refused_since_warning_, why, connections_.size(), options_.max_connections,
      std::chrono::duration_cast<std::chrono::seconds>(kRefusalWarningInterval).count());
  last_refusal_warning_ = now;
  refused_since_warning_ = 0;
}

void HttpServer::update_events(Connection& c) {
  bool want = c.out.size() > c.out_offset;
  if (want == c.want_write) return;
  c.want_write = want;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (want ? EPOLLOUT : 0u);
  ev.data.u64 = c.id;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
}

void HttpServer::on_readable(Connection& c) {
  char buf[16384];
  uint64_t id = c.id;
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      c.last_activity = Clock::now();
      // The first request's deadline runs from the connection's start, later ones' from their
      // first byte.
      if (c.in.empty() && c.state == Connection::State::kReadingHead && c.requests > 0) {
        c.request_started = c.last_activity;
      }
      c.in.append(buf, static_cast<size_t>(n));
      // While a request is being answered, only buffer a bounded amount of what follows.
      if ((c.state == Connection::State::kHandling || c.state == Connection::State::kStreaming) &&
          c.in.size() > options_.max_head_bytes + options_.max_body_bytes) {
        close_connection(id);
        return;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    close_connection(id);  // end of input or an error: the client is gone
    return;
  }
  parse(c);
}

void HttpServer::send_simple(Connection& c, int status, std::string_view message, bool close) {
  std::string body = std::string("{\"error\":\"") + std::string(message) + "\"}";
  std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
  add_header(out, "Content-Type", "application/json");
  add_header(out, "Content-Length", std::to_string(body.size()));
  if (close) add_header(out, "Connection", "close");
  out += "\r\n";
  if (!c.head_only) out += body;
  uint64_t id = c.id;
  c.state = Connection::State::kDone;
  c.close_after_flush = close || !c.keep_alive;
  queue_output(c, std::move(out));  // may close the connection
  if (connections_.count(id) && !c.close_after_flush) finish_exchange(c);
}

void HttpServer::parse(Connection& c) {
  uint64_t id = c.id;
  for (;;) {
    if (!connections_.count(id)) return;
    if (c.state == Connection::State::kReadingHead) {
      size_t end = c.in.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (c.in.size() > options_.max_head_bytes) {
          send_simple(c, 431, "request head too large", true);
        }
        return;
      }
      if (end + 4 > options_.max_head_bytes) {
        send_simple(c, 431, "request head too large", true);
        return;
      }
      RequestHead parsed = parse_request_head(std::string_view(c.in.data(), end));
      if (parsed.refusal_status != 0) {
        send_simple(c, parsed.refusal_status, parsed.refusal, true);
        return;
      }
      c.keep_alive = parsed.keep_alive;
      HttpRequest& req = parsed.request;
      req.peer = c.peer;
      bool expect_continue = parsed.expect_continue;
      size_t body_length = parsed.content_length;
      if (body_length > options_.max_body_bytes) {
        spdlog::warn("refusing a {}-byte request body from {} (limit {})", body_length, c.peer,
                     options_.max_body_bytes);
        send_simple(c, 413, "request body too large", true);
        return;
      }
      if (pending_body_bytes_ + body_length > options_.max_pending_body_bytes) {
        warn_refused("request bodies held by all connections reached max_pending_body_bytes");
        send_simple(c, 503, "the server is busy; retry shortly", true);
        return;
      }
      pending_body_bytes_ += body_length;
      c.body_reserved = body_length;
      ++c.requests;
      c.in.erase(0, end + 4);
      c.head_only = req.method == "HEAD";
      c.request = std::move(req);
      c.body_length = body_length;
      c.state = Connection::State::kReadingBody;
      if (expect_continue && c.in.size() < body_length) {
        queue_output(c, "HTTP/1.1 100 Continue\r\n\r\n");
        if (!connections_.count(id)) return;
      }
    }
    if (c.state == Connection::State::kReadingBody) {
      if (c.in.size() < c.body_length) return;
      c.request.body = c.in.substr(0, c.body_length);
      c.in.erase(0, c.body_length);
      dispatch(c);
    }
    // Answering: stop parsing until the exchange completes (no pipelined concurrency).
    return;
  }
}

void HttpServer::dispatch(Connection& c) {
  c.state = Connection::State::kHandling;
  c.exchange = std::shared_ptr<HttpExchange>(new HttpExchange(channel_, c.id));
  if (stopping_) {
    send_simple(c, 503, "the server is shutting down", true);
    return;
  }
  try {
    handler_(std::move(c.request), c.exchange);
  } catch (const std::exception& e) {
    spdlog::error("HTTP handler threw: {}", e.what());
    c.exchange->respond({500, {}, "{\"error\":\"internal error\"}"});
  }
}

void HttpServer::apply_commands() {
  std::vector<Command> commands;
  {
    std::lock_guard lock(channel_->mu);
    commands.swap(channel_->commands);
  }
  for (auto& cmd : commands) {
    auto it = connections_.find(cmd.connection_id);
    if (it == connections_.end()) continue;
    Connection& c = *it->second;
    if (c.exchange != cmd.exchange) continue;  // a stale handle from an earlier request
    switch (cmd.kind) {
      case Command::Kind::kRespond: {
        if (c.state != Connection::State::kHandling) break;
        auto& r = cmd.response;
        std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " +
                          std::string(reason_phrase(r.status)) + "\r\n";
        for (const auto& [name, value] : r.headers) add_header(out, name, value);
        // 204 has no body by definition (RFC 9110 8.6); HEAD gets the length GET would have.
        if (r.status != 204) add_header(out, "Content-Length", std::to_string(r.body.size()));
        if (!c.keep_alive || stopping_) add_header(out, "Connection", "close");
        out += "\r\n";
        if (!c.head_only && r.status != 204) out += r.body;
        c.state = Connection::State::kDone;
        c.close_after_flush = !c.keep_alive || stopping_;
        queue_output(c, std::move(out));
        if (connections_.count(cmd.connection_id) && !c.close_after_flush) finish_exchange(c);
        break;
      }
      case Command::Kind::kStartStream: {
        if (c.state != Connection::State::kHandling) break;
        auto& r = cmd.response;
        std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " +
                          std::string(reason_phrase(r.status)) + "\r\n";
        for (const auto& [name, value] : r.headers) add_header(out, name, value);
        add_header(out, "Transfer-Encoding", "chunked");
        if (c.head_only) {
          // The head is the whole answer: the stream ends here, and its writer is told so.
          if (!c.keep_alive || stopping_) add_header(out, "Connection", "close");
          out += "\r\n";
          auto exchange = c.exchange;
          c.state = Connection::State::kDone;
          c.close_after_flush = !c.keep_alive || stopping_;
          queue_output(c, std::move(out));
          if (connections_.count(cmd.connection_id) && !c.close_after_flush) finish_exchange(c);
          exchange->mark_closed();
          break;
        }
        out += "\r\n";
        c.state = Connection::State::kStreaming;
        c.last_stream_write = Clock::now();
        queue_output(c, std::move(out));
        break;
      }
      case Command::Kind::kWrite:
        if (c.state != Connection::State::kStreaming || cmd.data.empty()) break;
        c.last_stream_write = Clock::now();
        queue_output(c, chunk(cmd.data));
        break;
      case Command::Kind::kEnd:
        if (c.state != Connection::State::kStreaming) break;
        c.state = Connection::State::kDone;
        c.close_after_flush = !c.keep_alive || stopping_;
        queue_output(c, "0\r\n\r\n");
        if (connections_.count(cmd.connection_id) && !c.close_after_flush) finish_exchange(c);
        break;
    }
  }
}

// The response is queued: get ready for the next request on this connection.
void HttpServer::finish_exchange(Connection& c) {
  pending_body_bytes_ -= c.body_reserved;
  c.body_reserved = 0;
  release_if_large(c.in);
  c.exchange.reset();
  c.state = Connection::State::kReadingHead;
  c.head_only = false;
  c.request = HttpRequest{};
  c.body_length = 0;
  c.request_started = c.last_activity = Clock::now();
  if (!c.in.empty()) parse(c);
}

void HttpServer::queue_output(Connection& c, std::string data) {
  if (c.out_offset == c.out.size()) {
    c.out.clear();
    c.out_offset = 0;
    c.last_write_progress = Clock::now();  // the write deadline runs from here
  }
  c.out += data;
  if (c.out.size() - c.out_offset > options_.max_unsent_bytes) {
    spdlog::warn("closing the connection from {}: {} bytes unsent (the client stopped reading)",
                 c.peer, c.out.size() - c.out_offset);
    close_connection(c.id);
    return;
  }
  flush(c);
}

void HttpServer::flush(Connection& c) {
  uint64_t id = c.id;
  while (c.out_offset < c.out.size()) {
    ssize_t n =
        ::send(c.fd, c.out.data() + c.out_offset, c.out.size() - c.out_offset, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_offset += static_cast<size_t>(n);
      c.last_write_progress = Clock::now();
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    close_connection(id);
    return;
  }
  if (c.out_offset == c.out.size()) {
    c.out.clear();
    c.out_offset = 0;
    release_if_large(c.out);
    if (c.close_after_flush && c.state == Connection::State::kDone) {
      close_connection(id);
      return;
    }
  } else if (c.out_offset >= kCompactBytes && c.out_offset * 2 >= c.out.size()) {
    c.out.erase(0, c.out_offset);
    c.out_offset = 0;
  }
  update_events(c);
}

void HttpServer::on_writable(Connection& c) { flush(c); }

void HttpServer::close_connection(uint64_t id) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  std::unique_ptr<Connection> c = std::move(it->second);
  connections_.erase(it);
  connection_count_.store(connections_.size());
  if (auto peer = connections_per_peer_.find(c->peer_address);
      peer != connections_per_peer_.end()) {
    if (--peer->second == 0) connections_per_peer_.erase(peer);
  }
  pending_body_bytes_ -= c->body_reserved;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
  ::close(c->fd);
  if (!stopping_ && !listener_watched_) {  // paused for want of descriptors: one is free now
    if (reserve_fd_ < 0) reserve_fd_ = open_reserve_fd();
    watch_listener(true);
  }
  if (c->exchange) c->exchange->mark_closed();
}

void HttpServer::check_timers() {
  auto now = Clock::now();
  std::vector<uint64_t> expired;
  std::vector<uint64_t> quiet_streams;
  std::vector<uint64_t> stalled;
  for (auto& [id, cp] : connections_) {
    Connection& c = *cp;
    if (c.out.size() > c.out_offset && now - c.last_write_progress > options_.write_timeout) {
      stalled.push_back(id);
      continue;
    }
    switch (c.state) {
      case Connection::State::kReadingHead:
        if (c.requests == 0 || !c.in.empty()) {
          if (now - c.request_started > options_.head_timeout) expired.push_back(id);
        } else if (now - c.last_activity > options_.keep_alive_timeout) {
          expired.push_back(id);
        }
        break;
      case Connection::State::kReadingBody:
        if (now - c.request_started > options_.request_read_timeout) expired.push_back(id);
        break;
      case Connection::State::kStreaming:
        if (options_.stream_keep_alive.count() > 0 &&
            now - c.last_stream_write >= options_.stream_keep_alive) {
          quiet_streams.push_back(id);
        }
        break;
      default:
        break;
    }
  }
  for (auto id : stalled) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    spdlog::warn("closing the connection from {}: the client read none of {} bytes for {} s",
                 it->second->peer, it->second->out.size() - it->second->out_offset,
                 std::chrono::duration_cast<std::chrono::seconds>(options_.write_timeout).count());
    close_connection(id);
  }
  for (auto id : quiet_streams) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    it->second->last_stream_write = now;
    queue_output(*it->second, chunk(options_.stream_keep_alive_chunk));  // may close it
  }
  for (auto id : expired) {
    auto it = connections_.find(id);
    if (it == connections_.end()) continue;
    if (it->second->in.empty()) {
      close_connection(id);
    } else {
      send_simple(*it->second, 408, "request not received in time", true);
    }
  }
}

}  // namespace ecs_mcp::mcp::http
