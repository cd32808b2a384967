#include "mcp/stdio_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>

#include "mcp/pending_budget.h"

namespace ecs_mcp::mcp {

class StdioTransport::LineWriter : public Outbound {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}

  void send(const json& message) override {
    std::string line = serialize(message);
    line.push_back('\n');
    std::lock_guard lock(mu_);
    if (broken_) return;
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        broken_ = true;
        spdlog::error("stdout is closed; dropping further messages");
        return;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
  }

  bool broken() const {
    std::lock_guard lock(mu_);
    return broken_;
  }

 private:
  int fd_;
  mutable std::mutex mu_;
  bool broken_ = false;
};

namespace {
std::atomic<int> g_signal_stop_fd{-1};

// One message's answers, holding its share of the budget until the message is done with.
class LeasedReply : public Outbound {
 public:
  LeasedReply(std::shared_ptr<Outbound> out, PendingBudget::Lease lease)
      : out_(std::move(out)), lease_(std::move(lease)) {}
  void send(const json& message) override { out_->send(message); }

 private:
  std::shared_ptr<Outbound> out_;
  PendingBudget::Lease lease_;
};

void on_stop_signal(int) {
  int fd = g_signal_stop_fd.load();
  if (fd >= 0) {
    char c = 's';
    [[maybe_unused]] ssize_t n = ::write(fd, &c, 1);
  }
}
}  // namespace

StdioTransport::StdioTransport(Server& server, int in_fd, int out_fd, StdioOptions options)
    : server_(server), in_fd_(in_fd), out_fd_(out_fd), options_(options) {
  if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    stop_pipe_[0] = stop_pipe_[1] = -1;
  }
}

StdioTransport::~StdioTransport() {
  int expected = stop_pipe_[1];
  g_signal_stop_fd.compare_exchange_strong(expected, -1);
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void StdioTransport::request_stop() {
  if (stop_pipe_[1] >= 0) {
    char c = 's';
    [[maybe_unused]] ssize_t n = ::write(stop_pipe_[1], &c, 1);
  }
}

void StdioTransport::install_signal_handlers(StdioTransport& transport) {
  g_signal_stop_fd = transport.stop_pipe_[1];
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  // A client that disappears must not kill us mid-write; the writer notices instead.
  ::signal(SIGPIPE, SIG_IGN);
}

int StdioTransport::run() {
  auto writer = std::make_shared<LineWriter>(out_fd_);
  auto session = Session::create(server_, writer);

  std::string buffer;
  bool discarding = false;  // inside an over-long line, skipping to its end
  bool stop_requested = false;
  char chunk[65536];

  PendingBudget budget(options_.max_pending_bytes);
  auto dispatch = [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;
    auto lease = budget.try_reserve(estimated_message_bytes(line));
    if (!lease) {
      spdlog::warn("refused a {}-byte message: pending messages hold {} of {} bytes", line.size(),
                   budget.in_use(), budget.max_bytes());
      writer->send(make_error_response(
          message_id_of(line),
          RpcError{rpc_error::kInternalError,
                   "Server busy: the requests in progress hold too much data; retry when some "
                   "have finished",
                   nullptr}));
      return;
    }
    session->handle_text(line, std::make_shared<LeasedReply>(writer, std::move(*lease)));
  };

  for (;;) {
    pollfd fds[2] = {{in_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int ready = ::poll(fds, stop_pipe_[0] >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      spdlog::error("poll failed: {}", errno);
      break;
    }
    if (stop_pipe_[0] >= 0 && (fds[1].revents & POLLIN)) {
      stop_requested = true;
      break;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = ::read(in_fd_, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) break;  // end of input
      size_t start = 0;
      for (size_t i = 0; i < static_cast<size_t>(n); ++i) {
        if (chunk[i] != '\n') continue;
        if (discarding) {
          discarding = false;
        } else {
          buffer.append(chunk + start, i - start);
          dispatch(buffer);
        }
        buffer.clear();
        start = i + 1;
      }
      if (!discarding) buffer.append(chunk + start, static_cast<size_t>(n) - start);
      if (buffer.size() > options_.max_line_bytes) {
        spdlog::warn("dropping an input line longer than {} bytes", options_.max_line_bytes);
        writer->send(make_error_response(
            nullptr, RpcError{rpc_error::kParseError,
                              "Parse error: message longer than " +
                                  std::to_string(options_.max_line_bytes) + " bytes",
                              nullptr}));
        buffer.clear();
        discarding = true;
      }
    }
    if (writer->broken()) break;
  }
  if (!stop_requested && !discarding && !buffer.empty()) dispatch(buffer);  // last line, no newline

  // At end of input, running calls may still answer; a stop request cuts that short.
  auto deadline = std::chrono::steady_clock::now() + options_.drain_on_eof;
  while (!stop_requested && session->in_flight() > 0 && !writer->broken() &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd stop_fd{stop_pipe_[0], POLLIN, 0};
    if (stop_pipe_[0] >= 0 && ::poll(&stop_fd, 1, 0) > 0) {
      stop_requested = true;
      break;
    }
    session->wait_until_idle(std::chrono::milliseconds(50));
  }
  if (stop_requested) {
    spdlog::info("stop requested; cancelling {} running call(s)", session->in_flight());
    session->cancel_all();
    session->wait_until_idle(options_.drain_on_stop);
  }
  return writer->broken() ? 1 : 0;
}

}  // namespace ecs_mcp::mcp
