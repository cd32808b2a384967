#include "mcp/stdio_client_transport.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace ecs_mcp::mcp {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return make_error(ErrorCode::kTransportClosed,
                        std::string("write to the server failed: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

void ignore_sigpipe_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

StdioClientTransport::StdioClientTransport(StdioClientOptions options)
    : options_(std::move(options)) {}

StdioClientTransport::~StdioClientTransport() {
  close();
  if (stdout_reader_.joinable()) stdout_reader_.join();
}

std::string StdioClientTransport::describe() const { return "stdio: " + options_.command; }

std::string StdioClientTransport::stderr_tail() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stderr_tail_;
}

Status StdioClientTransport::start(MessageHandler on_message, ClosedHandler on_closed) {
  if (pid_ > 0) return make_error(ErrorCode::kInvalidState, "transport already started");
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  ignore_sigpipe_once();

  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::kSpawnFailed, "pipe failed");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return make_error(ErrorCode::kSpawnFailed, "pipe failed");
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    return make_error(ErrorCode::kSpawnFailed, "pipe failed");
  }

  std::vector<std::string> argv_storage;
  argv_storage.push_back(options_.command);
  argv_storage.insert(argv_storage.end(), options_.args.begin(), options_.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : options_.environment) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!options_.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options_.working_directory.c_str());
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group: the terminal's SIGINT is for us, not for the server.
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  posix_spawnattr_setflags(&attr, flags);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t default_signals, empty_mask;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &default_signals);
  sigemptyset(&empty_mask);
  posix_spawnattr_setsigmask(&attr, &empty_mask);

  pid_t pid = -1;
  const bool has_slash = options_.command.find('/') != std::string::npos;
  int rc =
      has_slash
          ? posix_spawn(&pid, options_.command.c_str(), &actions, &attr, argv.data(), envp.data())
          : posix_spawnp(&pid, options_.command.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return make_error(ErrorCode::kSpawnFailed,
                      "cannot start " + options_.command + ": " + std::strerror(rc));
  }
  pid_ = pid;
  stdin_fd_ = in_pipe[1];
  stdout_fd_ = out_pipe[0];
  stderr_fd_ = err_pipe[0];
  stderr_reader_ = std::thread([this] { read_stderr(); });
  stdout_reader_ = std::thread([this] { read_stdout(); });
  return Status::Ok();
}

Status StdioClientTransport::send(const json& message) {
  std::string line = serialize(message);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(write_mu_);
  if (stdin_fd_ < 0)
    return make_error(ErrorCode::kTransportClosed,
                      "the connection to " + options_.command + " is closed");
  return write_all(stdin_fd_, line);
}

void StdioClientTransport::read_stderr() {
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(stderr_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard<std::mutex> lock(mu_);
    stderr_tail_.append(buffer, static_cast<size_t>(n));
    if (stderr_tail_.size() > options_.stderr_tail_bytes) {
      stderr_tail_.erase(0, stderr_tail_.size() - options_.stderr_tail_bytes);
    }
  }
  close_fd(stderr_fd_);
}

void StdioClientTransport::read_stdout() {
  std::string pending;
  char buffer[65536];
  bool overlong = false;
  while (true) {
    ssize_t n = ::read(stdout_fd_, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      std::string_view line(pending.data() + start, nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      json value = json::parse(line, nullptr, false);
      if (value.is_discarded()) {
        spdlog::debug("{}: ignoring a line that is not JSON", describe());
        continue;
      }
      on_message_(value);
    }
    pending.erase(0, start);
    if (pending.size() > options_.max_line_bytes) {
      overlong = true;
      break;
    }
  }
  close_fd(stdout_fd_);
  if (overlong) kill(pid_, SIGKILL);
  reap_child();
  if (stderr_reader_.joinable()) stderr_reader_.join();
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    close_fd(stdin_fd_);
  }
  Error reason;
  if (closing_.load()) {
    reason = make_error(ErrorCode::kTransportClosed,
                        "the connection to " + options_.command + " was closed");
  } else if (overlong) {
    reason = make_error(ErrorCode::kServerExited, options_.command + " sent a line longer than " +
                                                      std::to_string(options_.max_line_bytes) +
                                                      " bytes");
  } else {
    std::string message = "the MCP server " + options_.command + " " + exit_description();
    std::string tail = stderr_tail();
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
    if (!tail.empty()) message += "; its last output: " + tail;
    reason = make_error(ErrorCode::kServerExited, message);
  }
  if (on_closed_) on_closed_(reason);
}

void StdioClientTransport::reap_child() {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  exited_ = true;
  wait_status_ = status;
  exited_cv_.notify_all();
}

std::string StdioClientTransport::exit_description() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (WIFEXITED(wait_status_))
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_))
    return "was killed by signal " + std::to_string(WTERMSIG(wait_status_));
  return "ended";
}

void StdioClientTransport::close() {
  if (pid_ <= 0) return;
  std::call_once(close_once_, [this] {
    closing_ = true;
    {
      std::lock_guard<std::mutex> lock(write_mu_);
      close_fd(stdin_fd_);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (!exited_cv_.wait_for(lock, options_.exit_grace, [this] { return exited_; })) {
      kill(pid_, SIGTERM);
      if (!exited_cv_.wait_for(lock, options_.term_grace, [this] { return exited_; })) {
        kill(pid_, SIGKILL);
      }
    }
  });
  if (stdout_reader_.joinable() && stdout_reader_.get_id() != std::this_thread::get_id()) {
    stdout_reader_.join();
  }
}

}  // namespace ecs_mcp::mcp
