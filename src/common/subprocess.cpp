#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "common/file_descriptor.h"

extern char** environ;

namespace ecs_mcp {
namespace {

// The parent's environment with `extra` added or replacing what it names.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string::npos && extra.count(kv.substr(0, eq))) continue;
    out.push_back(std::move(kv));
  }
  for (const auto& [k, v] : extra) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void keep(std::string& sink, const char* data, size_t n, const SubprocessOptions& options) {
  if (options.keep_tail) {
    sink.append(data, n);
    if (sink.size() > options.max_output_bytes) {
      sink.erase(0, sink.size() - options.max_output_bytes);
    }
  } else if (sink.size() < options.max_output_bytes) {
    sink.append(data, std::min(n, options.max_output_bytes - sink.size()));
  }
}

// Owns posix_spawn's two attribute objects for one call.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

std::optional<std::string> find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv,
                                        const SubprocessOptions& options) {
  if (argv.empty()) return make_error(ErrorCode::kInvalidArgument, "no program to run");
  // Everything the child needs is built before it starts.
  std::vector<std::string> env_strings = child_environment(options.extra_env);
  std::vector<std::string> arg_strings = argv;
  std::vector<char*> envp = pointers(env_strings);
  std::vector<char*> args = pointers(arg_strings);

  auto out = make_pipe();
  if (!out) return make_error(ErrorCode::kSpawnFailed, out.error().message);
  std::optional<Pipe> err;
  if (!options.merge_stderr) {
    auto made = make_pipe();
    if (!made) return make_error(ErrorCode::kSpawnFailed, made.error().message);
    err = std::move(*made);
  }
  std::optional<Pipe> in;
  if (!options.stdin_data.empty()) {
    auto made = make_pipe();
    if (!made) return make_error(ErrorCode::kSpawnFailed, made.error().message);
    in = std::move(*made);
  }

  SpawnSetup setup;
  if (in) {
    posix_spawn_file_actions_adddup2(&setup.actions, in->read.get(), 0);
  } else {
    // Never the server's own stdin: that may be the MCP stdio transport.
    posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&setup.actions, out->write.get(), 1);
  posix_spawn_file_actions_adddup2(&setup.actions, err ? err->write.get() : out->write.get(), 2);
  // Its own process group, so a timeout can kill everything it started; SIGPIPE back to its
  // default in case this process ignores it.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  const int spawn_rc = ::posix_spawn(&pid, argv[0].c_str(), &setup.actions, &setup.attributes,
                                     args.data(), envp.data());
  if (spawn_rc != 0) {
    return make_error(ErrorCode::kSpawnFailed,
                      "cannot start " + argv[0] + ": " + std::strerror(spawn_rc));
  }
  out->write.reset();
  if (err) err->write.reset();
  if (in) {
    in->read.reset();
    // Small payloads (a password); a pipe buffer holds them without blocking.
    ssize_t unused = ::write(in->write.get(), options.stdin_data.data(), options.stdin_data.size());
    (void)unused;
    in->write.reset();
  }

  SubprocessResult result;
  std::string partial_line;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool out_open = true;
  bool err_open = err.has_value();
  char buffer[4096];
  while (out_open || err_open) {
    if (options.cancelled && options.cancelled()) {
      result.stop = SubprocessResult::Stop::kCancelled;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.stop = SubprocessResult::Stop::kTimedOut;
      break;
    }
    const int wait_ms =
        static_cast<int>(options.cancelled ? std::min<long long>(left.count(), 200) : left.count());
    pollfd fds[2] = {{out_open ? out->read.get() : -1, POLLIN, 0},
                     {err_open ? err->read.get() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      const size_t got = static_cast<size_t>(n);
      keep(i == 0 ? result.out : result.err, buffer, got, options);
      if (i == 0 && options.on_line) {
        partial_line.append(buffer, got);
        size_t nl;
        while ((nl = partial_line.find('\n')) != std::string::npos) {
          options.on_line(partial_line.substr(0, nl));
          partial_line.erase(0, nl + 1);
        }
      }
    }
  }
  if (result.stop != SubprocessResult::Stop::kExited) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace ecs_mcp
