// Running a local program (a container tool) with a deadline and cancellation: no shell, the
// arguments passed as they are, output captured (the tail kept for error messages). Built on
// common/subprocess.h, which also provides find_in_path.
//
// Thread-safety: run_process may be called from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/subprocess.h"

namespace ecs_mcp::ecs {

struct ProcessOptions {
  std::map<std::string, std::string>
      extra_env;  // added to (or replacing in) this process's environment
  std::string stdin_data;
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::function<bool()> cancelled;
  // Called with each complete output line (stdout and stderr merged), for progress messages.
  std::function<void(const std::string& line)> on_line;
  size_t keep_output_bytes = 8192;  // the tail of the output kept in ProcessResult
};

struct ProcessResult {
  int exit_code = -1;
  std::string output_tail;
};

// Runs argv[0] (searched in PATH) with argv. Errors: "NotFound" (cannot run), "Cancelled",
// "Timeout" (the process group is killed in both cases).
Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const ProcessOptions& options = {});

}  // namespace ecs_mcp::ecs
