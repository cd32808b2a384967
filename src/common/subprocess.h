// Running a local program with posix_spawn: no shell unless the caller runs one, a deadline,
// cancellation, optional stdin, captured output.
//
// The child runs in its own process group with the parent's environment plus `extra_env`,
// and stdin from /dev/null unless `stdin_data` is given. On timeout or cancellation the whole
// group is killed with SIGKILL. posix_spawn (not fork) keeps this safe in a process with
// many threads.
//
// Thread-safety: run_subprocess and find_in_path may be called from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace ecs_mcp {

struct SubprocessOptions {
  std::map<std::string, std::string> extra_env;  // added to, or replacing, this environment
  std::string stdin_data;                        // small (fits a pipe buffer); empty: /dev/null
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::function<bool()> cancelled;  // polled a few times a second
  bool merge_stderr = false;        // stderr goes to `out` too
  // Called with each complete line of `out`, for progress messages.
  std::function<void(const std::string& line)> on_line;
  size_t max_output_bytes = 1 << 20;  // per stream
  bool keep_tail = false;             // past the limit keep the last bytes, not the first
};

struct SubprocessResult {
  enum class Stop { kExited, kTimedOut, kCancelled };
  Stop stop = Stop::kExited;
  int exit_code = -1;  // when the program exited; -1 when a signal ended it
  int signal = 0;      // the signal that ended it, else 0
  std::string out;
  std::string err;  // empty when merge_stderr
};

// Runs `argv` (argv[0] is a path; see find_in_path). Fails with "SpawnFailed" when the
// program cannot be started; a program that ran and failed is a SubprocessResult.
Result<SubprocessResult> run_subprocess(const std::vector<std::string>& argv,
                                        const SubprocessOptions& options = {});

// The absolute path of an executable `program` in $PATH (or /usr/local/bin:/usr/bin:/bin
// when PATH is unset), or nullopt.
std::optional<std::string> find_in_path(const std::string& program);

}  // namespace ecs_mcp
