// The stdio transport: newline-delimited JSON-RPC on a pair of file descriptors.
//
// Reads one message per line from `in_fd` and hands it to a Session; writes each outgoing
// message as one compact line to `out_fd` under a lock, so concurrent replies never
// interleave. Nothing but protocol messages is ever written to `out_fd`.
//
// Memory is bounded before parsing: a line longer than max_line_bytes is answered with an error
// and skipped as it streams in, never held whole; each message reserves its estimated parsed
// size from a PendingBudget until it is answered, and one that does not fit is refused.
//
// run() returns when the input reaches end-of-file (after running calls have answered) or
// when request_stop() is called (running calls are cancelled first). request_stop() is
// async-signal-safe, so a SIGTERM handler may call it.
//
// Thread-safety: one run() at a time; request_stop() from anywhere.
#pragma once

#include <chrono>
#include <cstddef>

#include "mcp/server.h"

namespace ecs_mcp::mcp {

struct StdioOptions {
  size_t max_line_bytes = 4u << 20;  // a longer line is answered with a parse error
  // Estimated memory of the messages not yet answered (see PendingBudget).
  size_t max_pending_bytes = 64u << 20;
  // How long to let running calls finish at end of input, and after a stop request.
  std::chrono::milliseconds drain_on_eof{std::chrono::minutes(10)};
  std::chrono::milliseconds drain_on_stop{std::chrono::seconds(2)};
};

class StdioTransport {
 public:
  StdioTransport(Server& server, int in_fd, int out_fd, StdioOptions options = {});
  ~StdioTransport();

  // 0 on a clean end; 1 when the output broke (the client went away).
  int run();
  void request_stop();

  // Installs SIGTERM/SIGINT handlers that stop the transport that is running in this process.
  static void install_signal_handlers(StdioTransport& transport);

 private:
  class LineWriter;

  Server& server_;
  int in_fd_;
  int out_fd_;
  StdioOptions options_;
  int stop_pipe_[2] = {-1, -1};
};

}  // namespace ecs_mcp::mcp
