// HttpServer: a small HTTP/1.1 server driven by one epoll thread.
//
// Why not cpp-httplib: its server parks one pool thread on every open connection, so a few
// long-lived SSE streams starve everyone else. Here one thread multiplexes every socket; a
// response that is not ready yet (a tool call on the worker pool, an open event stream) costs
// a connection record and its buffers, not a thread.
//
// The handler runs on the loop thread with a complete request (head and body) and an
// HttpExchange, through which any thread may answer later: one complete response, or a
// chunked stream of writes ended by end(). Commands from other threads are queued and the
// loop is woken through an eventfd; a handle whose connection has gone is inert.
//
// Limits enforced before the handler sees anything: head size (431), body size (413, from
// Content-Length, before reading it), the time to send a request head (a connection that sends
// nothing is closed; a partial head gets 408) and a body (408), idle keep-alive time,
// connections per peer address and in all, and the bytes of request bodies held at once
// across all connections (503 when a new body would exceed them). When the table is full, the
// connection idle longest between requests makes room for a new one; only when none is idle
// is the new one refused. Output has a deadline in every state: unsent output that makes no
// progress for write_timeout, or more of it than max_unsent_bytes, closes the connection (a
// client that stops reading a response or a stream holds nothing for long), and buffers are
// compacted as they drain. A request head with a bare CR, LF or NUL, a folded header line, a
// header name that is not a token, two Host headers, or none in HTTP/1.1 (RFC 9112 3.2) is
// refused with 400 and the connection closed (parse_request_head, http_request_head.h): such
// heads are how requests are smuggled past proxies.
//
// Running out of file descriptors must not turn the loop into a spin: max_connections is
// capped below RLIMIT_NOFILE at construction, and a reserve descriptor is given up to accept
// and close connections that arrive when the process has none left (see
// refuse_without_descriptors()); warnings about refused connections are rate-limited.
//
// HEAD is answered like GET without the body (Content-Length still that of the GET body).
//
// Thread-safety: listen() and run() from one thread; request_stop() from anywhere, including
// a signal handler (it only writes to an eventfd). HttpExchange methods from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ecs_mcp::mcp::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // target without the query
  Headers headers;     // names lower-cased, in arrival order
  std::string body;
  std::string peer;  // "address:port" of the client

  // The first value of header `lower_name`, or nullptr.
  const std::string* header(std::string_view lower_name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

std::string_view reason_phrase(int status);

class HttpServer;
struct LoopChannel;

// One request's answer. Exactly one of respond() or start_stream() takes effect; write()
// and end() apply to a started stream. Calls after the connection closed are ignored.
class HttpExchange : public std::enable_shared_from_this<HttpExchange> {
 public:
  void respond(HttpResponse response);
  void start_stream(int status, Headers headers);
  void write(std::string data);
  void end();

  // True once the client has disconnected (or the server dropped the connection).
  bool closed() const { return closed_.load(); }
  // Runs `callback` (on the loop thread, or at once if already closed) when the connection
  // closes before end()/respond() completed.
  void on_close(std::function<void()> callback);

 private:
  friend class HttpServer;
  HttpExchange(std::shared_ptr<LoopChannel> channel, uint64_t connection_id);
  void mark_closed();

  std::shared_ptr<LoopChannel> channel_;
  uint64_t connection_id_;
  std::atomic<bool> closed_{false};
  std::mutex mu_;
  std::function<void()> on_close_;
};

struct HttpServerOptions {
  size_t max_head_bytes = 16 * 1024;
  size_t max_body_bytes = 4u << 20;
  size_t max_connections = 1024;
  size_t max_connections_per_peer = 64;  // by client address; 0: no per-peer limit
  size_t max_unsent_bytes = 16u << 20;   // per connection
  // Request bodies held at once, all connections together: reserved from Content-Length when
  // a head arrives, released when its response is complete.
  size_t max_pending_body_bytes = 64u << 20;
  // From connecting (or the first byte of a later request) to a complete request head.
  std::chrono::milliseconds head_timeout{std::chrono::seconds(10)};
  // From the first byte of a request to its complete body.
  std::chrono::milliseconds request_read_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds keep_alive_timeout{std::chrono::seconds(120)};
  // Unsent output that makes no progress this long closes the connection.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  // Written as a chunk on a stream that has been quiet this long (SSE comment by default),
  // so proxies and clients do not time an idle stream out. Zero disables it.
  std::chrono::milliseconds stream_keep_alive{std::chrono::seconds(15)};
  std::string stream_keep_alive_chunk = ": keep-alive\n\n";
  // How long run() keeps serving unfinished exchanges after a stop request.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(3)};
};

class HttpServer {
 public:
  using Handler =
      std::function<void(HttpRequest&& request, std::shared_ptr<HttpExchange> exchange)>;

  HttpServer(HttpServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; `port` 0 picks a free port (see port()).
  Status listen(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }

  // Called on the loop thread about once a second.
  void set_tick(std::function<void()> tick) { tick_ = std::move(tick); }
  // Called once on the loop thread when a stop is requested, before draining; the owner
  // cancels work there so that pending exchanges finish.
  void set_on_stop(std::function<void()> on_stop) { on_stop_ = std::move(on_stop); }

  // Serves until request_stop(); then stops accepting, drains, closes everything.
  void run();
  void request_stop();

  size_t connection_count() const { return connection_count_.load(); }
  // options.max_connections, capped below the process's descriptor limit.
  size_t max_connections() const { return options_.max_connections; }

 private:
  struct Connection;

  void accept_all();
  bool evict_idle_connection();
  void refuse_without_descriptors();
  void watch_listener(bool watch);
  void warn_refused(const char* why);
  void on_readable(Connection& c);
  void on_writable(Connection& c);
  void parse(Connection& c);
  void dispatch(Connection& c);
  void apply_commands();
  void queue_output(Connection& c, std::string data);
  void flush(Connection& c);
  void finish_exchange(Connection& c);
  void send_simple(Connection& c, int status, std::string_view message, bool close);
  void close_connection(uint64_t id);
  void check_timers();
  void update_events(Connection& c);
  bool pending_exchanges() const;

  HttpServerOptions options_;
  Handler handler_;
  std::function<void()> tick_;
  std::function<void()> on_stop_;
  std::shared_ptr<LoopChannel> channel_;
  int epoll_fd_ = -1;
  int listen_fd_ = -1;
  int reserve_fd_ = -1;  // /dev/null, closed to make room for accept-and-close when out of fds
  bool listener_watched_ = false;
  size_t refused_since_warning_ = 0;
  std::chrono::steady_clock::time_point last_refusal_warning_{};
  uint16_t port_ = 0;
  uint64_t next_id_ = 16;  // ids below are reserved for the listener and the wake-up fd
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::unordered_map<std::string, size_t> connections_per_peer_;  // by address, without port
  size_t pending_body_bytes_ = 0;
  std::atomic<size_t> connection_count_{0};
  std::atomic<bool> stop_requested_{false};
  bool stopping_ = false;
};

}  // namespace ecs_mcp::mcp::http
