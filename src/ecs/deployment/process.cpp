#include "ecs/deployment/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

extern char** environ;

namespace ecs_mcp::ecs {

std::optional<std::string> find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    struct stat st{};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) return make_error("InvalidArgument", "no program to run");
  auto program = find_in_path(argv[0]);
  if (!program) return make_error("NotFound", argv[0] + " is not installed (not found in PATH)");

  // Everything the child needs is built before fork: after it only async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos && options.extra_env.count(kv.substr(0, eq))) continue;
    env_strings.push_back(std::move(kv));
  }
  for (const auto& [k, v] : options.extra_env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);

  int out_pipe[2], in_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return make_error("SpawnFailed", std::strerror(errno));
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return make_error("SpawnFailed", std::strerror(errno));
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], in_pipe[0], in_pipe[1]}) ::close(fd);
    return make_error("SpawnFailed", std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(out_pipe[1], 2);
    ::execve(program->c_str(), args.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  ::close(out_pipe[1]);
  ::close(in_pipe[0]);
  if (!options.stdin_data.empty()) {
    // Small payloads (a password); a pipe buffer holds them without blocking.
    ssize_t unused = ::write(in_pipe[1], options.stdin_data.data(), options.stdin_data.size());
    (void)unused;
  }
  ::close(in_pipe[1]);

  std::string tail, partial;
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::optional<std::string> stop_reason;
  bool open = true;
  while (open) {
    if (options.cancelled && options.cancelled()) { stop_reason = "Cancelled"; break; }
    if (std::chrono::steady_clock::now() > deadline) { stop_reason = "Timeout"; break; }
    pollfd pfd{out_pipe[0], POLLIN, 0};
    int n = ::poll(&pfd, 1, 200);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    char buf[4096];
    ssize_t got = ::read(out_pipe[0], buf, sizeof buf);
    if (got <= 0) { open = false; break; }
    std::string chunk(buf, static_cast<size_t>(got));
    tail += chunk;
    if (tail.size() > options.keep_output_bytes) tail.erase(0, tail.size() - options.keep_output_bytes);
    if (options.on_line) {
      partial += chunk;
      size_t nl;
      while ((nl = partial.find('\n')) != std::string::npos) {
        options.on_line(partial.substr(0, nl));
        partial.erase(0, nl + 1);
      }
    }
  }
  ::close(out_pipe[0]);
  if (stop_reason) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (stop_reason) {
    return make_error(*stop_reason, argv[0] + (*stop_reason == "Cancelled" ? " was stopped: the call was cancelled"
                                                                          : " did not finish in time and was stopped"));
  }
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  r.output_tail = std::move(tail);
  return r;
}

}  // namespace ecs_mcp::ecs
