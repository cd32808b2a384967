// credential_process: run a command that prints credentials as JSON.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "aws/credential_providers.h"

extern char** environ;

namespace ecs_mcp::aws {

namespace {

constexpr size_t kMaxOutput = 1 << 20;  // a credentials document is a few hundred bytes

std::string trim_for_message(std::string s, size_t limit = 1000) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() > limit) s = s.substr(0, limit) + "...";
  return s;
}

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int* out() { return &fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct ProcessOutput {
  std::string out;
  std::string err;
  int wait_status = 0;
  bool timed_out = false;
};

Result<ProcessOutput> run_shell(const std::string& command, std::chrono::seconds timeout) {
  int out_fds[2];
  int err_fds[2];
  if (::pipe2(out_fds, O_CLOEXEC) != 0) {
    return make_error("CredentialProcessError", std::string("pipe: ") + std::strerror(errno));
  }
  Fd out_read(out_fds[0]), out_write(out_fds[1]);
  if (::pipe2(err_fds, O_CLOEXEC) != 0) {
    return make_error("CredentialProcessError", std::string("pipe: ") + std::strerror(errno));
  }
  Fd err_read(err_fds[0]), err_write(err_fds[1]);

  // posix_spawn rather than fork: safe in a multi-threaded process. stdin comes from
  // /dev/null because the server's own stdin may be the MCP stdio transport.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  std::string arg0 = "sh", arg1 = "-c", arg2 = command;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  pid_t pid = -1;
  const int spawn_rc = ::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_rc != 0) {
    return make_error("CredentialProcessError",
                      std::string("cannot start /bin/sh: ") + std::strerror(spawn_rc));
  }
  out_write.reset();
  err_write.reset();

  ProcessOutput result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  char buffer[4096];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_read.get() : -1, POLLIN, 0},
                     {err_open ? err_read.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      std::string& sink = i == 0 ? result.out : result.err;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else if (sink.size() < kMaxOutput) {
        sink.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  while (::waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

}  // namespace

Result<Credentials> parse_credential_process_output(std::string_view json, std::string source) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto fail = [&](const std::string& why) {
    return make_error("CredentialProcessError", source + ": " + why);
  };
  if (doc.is_discarded() || !doc.is_object()) {
    // Never quote the output: a misconfigured command (e.g. `export-credentials --format
    // env`) prints the very keys this error would then carry to the client.
    return fail("the command's output (" + std::to_string(json.size()) +
                " bytes) is not a JSON object; it must print {\"Version\": 1, \"AccessKeyId\": "
                "..., \"SecretAccessKey\": ...}");
  }
  const auto version = doc.find("Version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int>() != 1) {
    return fail("the command's output must have \"Version\": 1");
  }
  auto string_field = [&](const char* name) -> std::string {
    const auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  Credentials out;
  out.access_key_id = string_field("AccessKeyId");
  out.secret_access_key = string_field("SecretAccessKey");
  out.session_token = string_field("SessionToken");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return fail("the command's output lacks AccessKeyId or SecretAccessKey");
  }
  if (const std::string expiration = string_field("Expiration"); !expiration.empty()) {
    out.expiration = parse_iso8601(expiration);
    if (!out.expiration) return fail("Expiration is not an ISO 8601 time");
  }
  out.source = std::move(source);
  return out;
}

Result<Credentials> run_credential_process(const std::string& command, std::chrono::seconds timeout,
                                           std::string source) {
  auto ran = run_shell(command, timeout);
  if (!ran) {
    Error e = std::move(ran).take_error();
    e.message = source + ": " + e.message;
    return e;
  }
  const std::string quoted = source + " (`" + command + "`)";
  if (ran->timed_out) {
    return make_error(
        "CredentialProcessError",
        quoted + " did not finish within " + std::to_string(timeout.count()) + " s and was killed");
  }
  const int status = ran->wait_status;
  if (WIFSIGNALED(status)) {
    return make_error("CredentialProcessError", quoted + " was killed by signal " +
                                                    std::to_string(WTERMSIG(status)) + ": " +
                                                    trim_for_message(ran->err));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string message = quoted + " exited with status " + std::to_string(WEXITSTATUS(status));
    const std::string err = trim_for_message(ran->err);
    message += err.empty() ? " and printed nothing on stderr" : ": " + err;
    return make_error("CredentialProcessError", std::move(message));
  }
  return parse_credential_process_output(ran->out, std::move(source));
}

}  // namespace ecs_mcp::aws
