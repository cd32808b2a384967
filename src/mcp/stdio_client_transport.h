// StdioClientTransport: an MCP server run as a child process, spoken to over its stdin and
// stdout as newline-delimited JSON-RPC (the stdio transport of the MCP specification).
//
// The child is started with posix_spawn (safe in a threaded process) with exactly the
// environment it is given, nothing inherited, in its own process group so that a Ctrl-C on
// the terminal reaches the client only and the client decides what to cancel. Its stderr is
// read on a thread of its own and the last few kilobytes are kept, so that when the child
// dies the closing Error says how it ended ("exited with status 3", "killed by signal 9")
// followed by what it last wrote.
//
// close() ends the child the way the specification asks: close its stdin, wait, then
// SIGTERM, wait, then SIGKILL. The first start() sets SIGPIPE to ignored when it is at its
// default, so that writing to a child that just died is an error value, not a dead client.
//
// Thread-safety: as ClientTransport.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mcp/client_transport.h"

namespace ecs_mcp::mcp {

struct StdioClientOptions {
  std::string command;  // a path, or a name looked up in this process's PATH
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> environment;  // the child's whole environment
  std::string working_directory;                                 // empty: inherit
  size_t max_line_bytes = 64u << 20;  // a longer line from the child closes the connection
  size_t stderr_tail_bytes = 4096;
  // close(): how long the child has after its stdin closes, and after SIGTERM.
  std::chrono::milliseconds exit_grace{2000};
  std::chrono::milliseconds term_grace{2000};
};

class StdioClientTransport final : public ClientTransport {
 public:
  explicit StdioClientTransport(StdioClientOptions options);
  ~StdioClientTransport() override;
  StdioClientTransport(const StdioClientTransport&) = delete;
  StdioClientTransport& operator=(const StdioClientTransport&) = delete;

  // Fails with "SpawnFailed" when the program cannot be started.
  Status start(MessageHandler on_message, ClosedHandler on_closed) override;
  Status send(const json& message) override;
  void close() override;
  std::string describe() const override;

  pid_t pid() const { return pid_; }
  std::string stderr_tail() const;

 private:
  void read_stdout();
  void read_stderr();
  void reap_child();
  std::string exit_description() const;

  StdioClientOptions options_;
  MessageHandler on_message_;
  ClosedHandler on_closed_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::thread stdout_reader_;
  std::thread stderr_reader_;

  std::mutex write_mu_;  // one message per write, whole
  mutable std::mutex mu_;
  std::condition_variable exited_cv_;
  bool exited_ = false;
  int wait_status_ = 0;
  std::string stderr_tail_;
  std::atomic<bool> closing_{false};
  std::once_flag close_once_;
};

}  // namespace ecs_mcp::mcp
